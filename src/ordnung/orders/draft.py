"""An order as a channel sends it, and its check into exact minor units. Pure Python.

A draft that cannot be an order at all (unknown currency, amounts finer than the currency
allows, a discount larger than its line) is refused with a `ValidationError` and nothing is
stored; a draft that can be an order but needs a person's look (unknown SKU, totals that do
not add up) becomes an order on hold (`holds.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ordnung.core.countries import is_iso_country
from ordnung.core.errors import ValidationError
from ordnung.core.money import is_known_currency, to_minor
from ordnung.core.tax import is_allowed_vat_rate
from ordnung.orders.totals import Totals, compute_totals


@dataclass(frozen=True, slots=True)
class Address:
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    country: str
    company: str = ""
    street2: str = ""
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "company": self.company,
            "street": self.street,
            "street2": self.street2,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "phone": self.phone,
        }

    def key(self) -> str:
        """The place a parcel goes to, written one way (case, spaces and the person's name
        ignored): what the checks count orders per address by."""
        parts = (self.street, self.street2, self.postal_code, self.city, self.country)
        return "|".join(" ".join(part.lower().split()) for part in parts)[:200]


@dataclass(frozen=True, slots=True)
class NewOrderLine:
    sku: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    discount: Decimal = Decimal(0)
    name: str | None = None
    requested_delivery_on: date | None = None  # as the channel sent it


@dataclass(frozen=True, slots=True)
class ExpectedTotals:
    """Totals the channel says the order has; a mismatch puts the order on hold."""

    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class NewOrder:
    channel: str
    external_id: str
    currency: str
    email: str
    first_name: str
    last_name: str
    billing_address: Address
    shipping_address: Address
    lines: tuple[NewOrderLine, ...]
    shipping_amount: Decimal = Decimal(0)
    shipping_tax_rate: Decimal = Decimal(19)
    shipping_method: str = "standard"
    prices_include_tax: bool = True
    phone: str | None = None
    placed_at: datetime | None = None
    expected: ExpectedTotals = field(default_factory=ExpectedTotals)
    vat_id: str | None = None  # a business customer's VAT id (B2B)
    payment_method: str | None = None
    card_fingerprint: str | None = None  # the payment provider's token for the card
    reservation_id: int | None = None  # a checkout hold the order takes over (if still active)
    # The delivery date asked for every line that names none itself (channels that send one
    # date per order).
    requested_delivery_on: date | None = None
    # Click & collect: the code of the store where the customer collects the order
    # (docs/click-and-collect.md); None: the order is shipped.
    pickup_location: str | None = None
    # How fast and how urgently it must go, and a note for the parcel (validated by the API;
    # values in fulfillment/queue.py SERVICE_LEVELS, PRIORITIES).
    service_level: str = "standard"
    priority: str = "normal"
    gift_note: str | None = None
    language: str = "de"  # `de` or `en`: the delivery note's language


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class PricedLine:
    """A line in the currency's minor units, as the order will keep it."""

    sku: str
    name: str | None
    quantity: int
    unit_price: int
    discount: int
    tax_rate: Decimal
    requested_delivery_on: date | None = None  # the line's own, else the order's


@dataclass(frozen=True, slots=True)
class PricedOrder:
    """A draft whose amounts are exact in its currency: ready to become an order."""

    draft: NewOrder
    lines: tuple[PricedLine, ...]
    shipping_amount: int

    def totals(self) -> Totals:
        return compute_totals(
            self.lines,
            shipping=self.shipping_amount,
            shipping_tax_rate=self.draft.shipping_tax_rate,
            prices_include_tax=self.draft.prices_include_tax,
        )


# What the amount columns hold (64-bit integers of minor units): a larger total is refused,
# never stored cut off or failing in the database.
MAX_MINOR_AMOUNT = 2**63 - 1


def price_new_order(draft: NewOrder) -> PricedOrder:
    """Checks the draft — currency, countries, amounts, tax rates — and prices it in minor
    units; raises ValidationError naming the field if it cannot be taken."""
    currency = draft.currency
    if not is_known_currency(currency):
        raise ValidationError(f"Unknown currency {currency!r}.", field="currency")
    _check_countries(draft)
    try:
        lines = tuple(
            _priced_line(line, currency, draft.requested_delivery_on) for line in draft.lines
        )
        shipping = to_minor(draft.shipping_amount, currency)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    priced = PricedOrder(draft, lines, shipping)
    _check_amounts(priced)
    _check_tax_rates(draft)
    return priced


def _check_countries(draft: NewOrder) -> None:
    for name, address in (
        ("billing_address", draft.billing_address),
        ("shipping_address", draft.shipping_address),
    ):
        if not is_iso_country(address.country):
            raise ValidationError(
                f"{address.country!r} is not an ISO 3166-1 alpha-2 country code.",
                field=f"{name}.country",
            )


def _check_amounts(priced: PricedOrder) -> None:
    """No negative money, no discount above its line, no total beyond what is stored."""
    if priced.shipping_amount < 0:
        raise ValidationError("The shipping amount must not be negative.", field="shipping_amount")
    for index, line in enumerate(priced.lines):
        if line.unit_price < 0:
            raise ValidationError(
                "A unit price must not be negative.", field=_at(index, "unit_price")
            )
        if line.discount < 0:
            raise ValidationError("A discount must not be negative.", field=_at(index, "discount"))
        if line.unit_price * line.quantity - line.discount < 0:
            raise ValidationError(
                "The discount exceeds the line amount.",
                line=index + 1,
                field=_at(index, "discount"),
            )
    gross = sum(line.unit_price * line.quantity for line in priced.lines) + priced.shipping_amount
    if gross > MAX_MINOR_AMOUNT // 2:  # VAT added to net prices must fit too
        raise ValidationError(
            "The order's amounts are larger than Ordnung can store.", field="lines"
        )


def _check_tax_rates(draft: NewOrder) -> None:
    """A rate is a percentage the destination (or the merchant's country) really has: a line
    at 0.19 would otherwise be taxed at 0.19 % instead of 19 %."""
    country = draft.shipping_address.country
    for index, line in enumerate(draft.lines):
        if not is_allowed_vat_rate(line.tax_rate, country):
            raise ValidationError(
                f"{line.tax_rate} % is not a VAT rate for deliveries to {country}.",
                field=_at(index, "tax_rate"),
            )
    if not is_allowed_vat_rate(draft.shipping_tax_rate, country):
        raise ValidationError(
            f"{draft.shipping_tax_rate} % is not a VAT rate for deliveries to {country}.",
            field="shipping_tax_rate",
        )


def _at(index: int, name: str) -> str:
    return f"lines.{index}.{name}"


def check_requested_dates(draft: NewOrder, today: date) -> None:
    """A requested delivery date may not lie before `today` (the clock's UTC date: lenient
    for channels east of UTC, whose today may still be yesterday in UTC). One earlier than
    Ordnung can deliver is no error: it is kept and the line shows the gap."""
    if draft.requested_delivery_on is not None and draft.requested_delivery_on < today:
        raise ValidationError(
            f"The requested delivery date {draft.requested_delivery_on} lies in the past.",
            field="requested_delivery_on",
        )
    for index, line in enumerate(draft.lines):
        if line.requested_delivery_on is not None and line.requested_delivery_on < today:
            raise ValidationError(
                f"The requested delivery date {line.requested_delivery_on} lies in the past.",
                line=index + 1,
                field=_at(index, "requested_delivery_on"),
            )


def _priced_line(line: NewOrderLine, currency: str, requested_on: date | None) -> PricedLine:
    # The unit price itself must be exact: the order keeps it in minor units (a price of
    # 1.005 EUR would pass as a line of two at 2.01, and then could not be stored).
    return PricedLine(
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        unit_price=to_minor(line.unit_price, currency),
        discount=to_minor(line.discount, currency),
        tax_rate=line.tax_rate,
        requested_delivery_on=line.requested_delivery_on or requested_on,
    )
