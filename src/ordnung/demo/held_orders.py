"""Demo orders the intake checks hold, so the hold queue has believable work: a fraud
pattern (a disposable address, another billing country, a large first order), a Packstation
without the customer's post number, a book at the standard tax rate, an order the shop sent
twice, and a B2B order above the approval limit."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from ordnung.demo.catalogue import PRODUCTS
from ordnung.orders.draft import NewOrder, NewOrderLine

FRAUD = "fraud"
PACKSTATION = "packstation"
TAX = "tax"
DUPLICATE = "duplicate"
APPROVAL = "approval"
KINDS = (FRAUD, PACKSTATION, TAX, DUPLICATE, APPROVAL)
# Where each kind comes in: approval is for business customers, the rest the web shop's.
CHANNELS = {FRAUD: "onlineshop", PACKSTATION: "onlineshop", TAX: "onlineshop", APPROVAL: "b2b"}
# How long after the first submission the shop sent the same order again.
_RESENT_AFTER = timedelta(minutes=4)


def made_to_be_held(order: NewOrder, kind: str, number: int, rng: random.Random) -> NewOrder:
    """The order changed so that its check holds it (other kinds are returned unchanged)."""
    if kind == FRAUD:
        return _fraud_pattern(order, number)
    if kind == PACKSTATION:
        station = replace(
            order.shipping_address,
            street=f"Packstation {rng.randint(100, 250)}",
            street2="",
        )
        return replace(order, shipping_address=station, shipping_method="dpd")
    if kind == TAX:
        book = next(p for p in PRODUCTS if p.tax_class == "reduced")
        line = NewOrderLine(book.sku, 1, book.price, Decimal(19))
        return replace(order, lines=(*order.lines, line))
    if kind == APPROVAL:
        return replace(order, lines=(*order.lines, _units_worth(Decimal(6000), net=True)))
    return order


def sent_again(order: NewOrder, placed_at: datetime) -> tuple[NewOrder, datetime]:
    """The same order under another external id a few minutes later (a double submission)."""
    again = placed_at + _RESENT_AFTER
    return replace(order, external_id=f"{order.external_id}-R", placed_at=again), again


def _fraud_pattern(order: NewOrder, number: int) -> NewOrder:
    """First order from a throwaway address, billed abroad, above the first-order limit."""
    line = _units_worth(Decimal(600), net=False)
    billing = replace(order.billing_address, postal_code="1010", city="Wien", country="AT")
    return replace(
        order,
        email=f"kunde{number}@mailinator.com",
        billing_address=billing,
        lines=(line,),
        shipping_amount=Decimal(0),
    )


def _units_worth(amount: Decimal, *, net: bool) -> NewOrderLine:
    """A line of the dearest article worth more than `amount`."""
    dearest = max(PRODUCTS, key=lambda product: product.price)
    price = (dearest.price / (1 + dearest.tax_rate_percent / 100)).quantize(Decimal("0.01"))
    unit_price = price if net else dearest.price
    units = int(amount / unit_price) + 1
    return NewOrderLine(dearest.sku, units, unit_price, dearest.tax_rate_percent)
