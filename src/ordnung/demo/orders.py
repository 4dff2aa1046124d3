"""Demo orders as the channels would send them, spread over the last weeks.

Most orders are ordinary; a few are built to show the OMS at work: backorders (a sold-out
article), holds for unknown SKUs (old article numbers from the marketplace), holds for
totals that differ from ours (a voucher the channel applied but did not itemise), and the
intake checks' holds (`demo/held_orders.py`): fraud, a Packstation without post number, a
wrong tax rate, a double submission, a B2B order that needs approval.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ordnung.core.money import from_minor
from ordnung.demo import held_orders
from ordnung.demo.catalogue import PRODUCTS, SOLD_OUT_SKUS, UNKNOWN_SKUS, DemoProduct
from ordnung.demo.people import DemoCustomer
from ordnung.orders.draft import ExpectedTotals, NewOrder, NewOrderLine, price_new_order

NORMAL = "normal"
BACKORDER = "backorder"
UNKNOWN_SKU = "unknown_sku"
TOTALS_MISMATCH = "totals_mismatch"
_KIND_WEIGHTS = {
    NORMAL: 77,
    BACKORDER: 8,
    UNKNOWN_SKU: 4,
    TOTALS_MISMATCH: 4,
    **{kind: 1.4 for kind in held_orders.KINDS},
}
_CHANNEL_WEIGHTS = {"onlineshop": 60, "marktplatz": 30, "b2b": 10}
HISTORY = timedelta(days=60)
_CENT = Decimal("0.01")
# B2B customers buy net, at a trade discount off the consumer price.
_TRADE_FACTOR = Decimal("0.85")
_FREE_SHIPPING_FROM = Decimal(50)


@dataclass(frozen=True, slots=True)
class PlannedOrder:
    order: NewOrder
    placed_at: datetime
    kind: str


def plan_orders(
    count: int, customers: list[DemoCustomer], now: datetime, rng: random.Random
) -> list[PlannedOrder]:
    """`count` orders, oldest first; every customer orders at least once when count allows."""
    buyers = list(customers)
    rng.shuffle(buyers)
    buyers += [rng.choice(customers) for _ in range(count - len(buyers))]
    moments = sorted(now - HISTORY * rng.random() for _ in range(count))
    kinds = rng.choices(list(_KIND_WEIGHTS), weights=list(_KIND_WEIGHTS.values()), k=count)
    planned = [
        _plan_one(number, buyer, placed_at, kind, rng)
        for number, (buyer, placed_at, kind) in enumerate(
            zip(buyers[:count], moments, kinds, strict=True), start=1
        )
    ]
    for index in range(1, count):
        if planned[index].kind == held_orders.DUPLICATE:
            earlier = planned[index - 1]
            order, placed_at = held_orders.sent_again(earlier.order, earlier.placed_at)
            planned[index] = PlannedOrder(order, placed_at, held_orders.DUPLICATE)
    return planned


def _plan_one(
    number: int, buyer: DemoCustomer, placed_at: datetime, kind: str, rng: random.Random
) -> PlannedOrder:
    channel = rng.choices(list(_CHANNEL_WEIGHTS), weights=list(_CHANNEL_WEIGHTS.values()))[0]
    # Marketplaces are where stale article numbers come from.
    if kind == UNKNOWN_SKU:
        channel = "marktplatz"
    channel = held_orders.CHANNELS.get(kind, channel)
    is_b2b = channel == "b2b"
    lines = _lines(kind, is_b2b, rng)
    order = NewOrder(
        channel=channel,
        external_id=_external_id(channel, number, placed_at, rng),
        currency="EUR",
        email=buyer.email,
        first_name=buyer.first_name,
        last_name=buyer.last_name,
        phone=buyer.phone,
        billing_address=buyer.address,
        shipping_address=buyer.address,
        lines=tuple(lines),
        shipping_amount=_shipping(channel, lines),
        shipping_method="express" if rng.random() < 0.1 else "standard",
        prices_include_tax=not is_b2b,
        placed_at=placed_at,
    )
    if kind == TOTALS_MISMATCH:
        order = _with_unitemised_voucher(order)
    order = held_orders.made_to_be_held(order, kind, number, rng)
    order = _with_shipping_details(_with_requested_dates(order, placed_at, number), number)
    return PlannedOrder(order, placed_at, kind)


_GIFT_NOTES = (
    "Alles Gute zum Geburtstag! Deine Lena",
    "Frohe Weihnachten und ein gutes neues Jahr!",
    "Herzlichen Glückwunsch zum neuen Zuhause.",
    "Danke für alles – bis bald!",
)


def _with_shipping_details(order: NewOrder, number: int) -> NewOrder:
    """How fast and how urgently the location must ship, and a gift note now and then: what
    the location's queue sorts and marks by. Express shipping is sold as the express service
    (now and then same day); B2B orders are often urgent or high; a shop customer sometimes
    sends a gift. Drawn from a random stream of the order's own (see above)."""
    own = random.Random(f"details-{number}")
    service_level = "standard"
    if order.shipping_method == "express":
        service_level = "same_day" if own.random() < 0.2 else "express"
    priority = "normal"
    if order.channel == "b2b":
        priority = own.choices(("normal", "high", "urgent"), weights=(6, 3, 1))[0]
    elif service_level != "standard" and own.random() < 0.5:
        priority = "high"
    gift_note = None
    if order.channel == "onlineshop" and own.random() < 0.12:
        gift_note = own.choice(_GIFT_NOTES)
    return replace(order, service_level=service_level, priority=priority, gift_note=gift_note)


def _with_requested_dates(order: NewOrder, placed_at: datetime, number: int) -> NewOrder:
    """Some customers ask for a delivery day: B2B buyers one for the whole order (a week or
    three ahead), shop customers now and then for a line — a gift for a birthday in two
    weeks, or "tomorrow, please", which the promise cannot always keep. Drawn from a random
    stream of the order's own, so the rest of the demo stays as it was."""
    own = random.Random(number)
    day = placed_at.date()
    if order.channel == "b2b" and own.random() < 0.4:
        return replace(order, requested_delivery_on=day + timedelta(days=own.randint(7, 21)))
    if order.channel != "onlineshop" or own.random() >= 0.15:
        return order
    index = own.randrange(len(order.lines))
    wish = day + timedelta(days=own.choice((1, 2, 10, 14)))
    lines = list(order.lines)
    lines[index] = replace(lines[index], requested_delivery_on=wish)
    return replace(order, lines=tuple(lines))


def _lines(kind: str, is_b2b: bool, rng: random.Random) -> list[NewOrderLine]:
    in_stock = [p for p in PRODUCTS if p.sku not in SOLD_OUT_SKUS]
    count = rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0]
    products = rng.sample(in_stock, count)
    lines = [_line(product, is_b2b, rng) for product in products]
    if kind == BACKORDER:
        sold_out = [p for p in PRODUCTS if p.sku in SOLD_OUT_SKUS]
        lines.append(_line(rng.choice(sold_out), is_b2b, rng))
    if kind == UNKNOWN_SKU:
        price = Decimal(rng.choice(("12.90", "19.99", "34.50")))
        lines[-1] = NewOrderLine(
            rng.choice(UNKNOWN_SKUS), 1, price, Decimal(19), name="Artikel aus Altbestand"
        )
    return lines


def _line(product: DemoProduct, is_b2b: bool, rng: random.Random) -> NewOrderLine:
    rate = product.tax_rate_percent
    if is_b2b:
        quantity = rng.randint(3, 12)
        net = product.price / (1 + rate / 100) * _TRADE_FACTOR
        return NewOrderLine(product.sku, quantity, net.quantize(_CENT, ROUND_HALF_UP), rate)
    quantity = 1 if rng.random() < 0.8 else 2
    discount = Decimal(0)
    if rng.random() < 0.1:  # a 10 % newsletter voucher on this line
        discount = (product.price * quantity / 10).quantize(_CENT, ROUND_HALF_UP)
    return NewOrderLine(product.sku, quantity, product.price, rate, discount=discount)


def _shipping(channel: str, lines: list[NewOrderLine]) -> Decimal:
    if channel == "marktplatz":
        return Decimal(0)  # the marketplace charges shipping on its own invoice
    if channel == "b2b":
        return Decimal("9.90")
    goods = sum((line.unit_price * line.quantity - line.discount for line in lines), Decimal(0))
    return Decimal(0) if goods >= _FREE_SHIPPING_FROM else Decimal("4.95")


def _external_id(channel: str, number: int, placed_at: datetime, rng: random.Random) -> str:
    if channel == "marktplatz":
        return f"302-{rng.randint(1_000_000, 9_999_999)}-{rng.randint(1_000_000, 9_999_999)}"
    if channel == "b2b":
        return f"B2B-{placed_at:%Y}-{number:05d}"
    return str(100_000 + number)


def _with_unitemised_voucher(order: NewOrder) -> NewOrder:
    """The channel reports a total 5 € lower than the lines add up to."""
    totals = price_new_order(order).totals()
    reported = from_minor(totals.total, order.currency) - Decimal("5.00")
    return replace(order, expected=ExpectedTotals(total=reported))
