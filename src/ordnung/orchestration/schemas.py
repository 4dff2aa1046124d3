"""Request bodies of the actions across capabilities (orders, fulfilment, stock) and the
answers that are theirs alone, for the API and its OpenAPI document.

Amounts have ceilings so that no total can leave a 64-bit integer of minor units: a unit
price, discount or shipping amount is at most 999,999,999.999999, a line at most 100,000
units, an order at most 500 lines, and all of an order's goods and shipping together at
most MAX_ORDER_AMOUNT — with tax (below 100 %) and four decimals (the most any currency has)
that stays below 2 × 10^17 minor units, far from 2^63 ≈ 9.2 × 10^18."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field

from ordnung.core.api_fields import MULTI_LINE, Sku, Time, free_text, line_text
from ordnung.core.errors import ValidationError
from ordnung.core.openapi import ResponseModel
from ordnung.fulfillment.queue import MAX_GIFT_NOTE_LENGTH
from ordnung.fulfillment.schemas import FulfillmentStatus, Priority, ServiceLevel, ShipmentStatus
from ordnung.inventory.model import MAX_REASON_LENGTH
from ordnung.orders.changes import CancelReason
from ordnung.orders.draft import Address, ExpectedTotals, NewOrder, NewOrderLine
from ordnung.orders.schemas import OrderStatus


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Money travels as strings ("19.99"); a JSON number would invite binary floating point.
# Nothing a customer pays for is negative: a refund is its own record, not a negative price.
UnitAmount = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,9}(\.[0-9]{1,6})?$",
        examples=["19.99"],
        description="At least 0, at most 999999999.999999, in the order's currency",
    ),
]
OrderAmount = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,13}(\.[0-9]{1,6})?$",
        examples=["44.88"],
        description="At least 0, at most 9999999999999.999999, in the order's currency",
    ),
]
MAX_ORDER_AMOUNT = Decimal(10) ** 13
RateString = Annotated[str, Field(pattern=r"^\d{1,2}(\.\d{1,2})?$", examples=["19"])]
MAX_QUANTITY = 100_000
CancelReasonCode = Literal[
    "customer_request",
    "out_of_stock",
    "fraud",
    "duplicate",
    "payment_failed",
    "address_invalid",
    "other",
]
MAX_LINES = 500


class AddressIn(Strict):
    first_name: Annotated[str, line_text(200, examples=["Erika"])]
    last_name: Annotated[str, line_text(200, examples=["Mustermann"])]
    company: Annotated[str, line_text(200, min_length=0)] = ""
    street: Annotated[str, line_text(200, examples=["Heidestraße 17"])]
    street2: Annotated[str, line_text(200, min_length=0)] = ""
    postal_code: Annotated[str, line_text(20, examples=["51147"])]
    city: Annotated[str, line_text(200, examples=["Köln"])]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["DE"])]
    phone: Annotated[str, line_text(40, min_length=0)] = ""

    def to_model(self) -> Address:
        return Address(**self.model_dump())


class CustomerIn(Strict):
    email: Annotated[EmailStr, Field(max_length=254)]
    first_name: Annotated[str, line_text(200, min_length=0)] = ""
    last_name: Annotated[str, line_text(200, min_length=0)] = ""
    phone: Annotated[str | None, line_text(40, min_length=0)] = None
    vat_id: Annotated[
        str | None,
        Field(
            min_length=4,
            max_length=20,
            pattern=r"^[A-Za-z]{2}[A-Za-z0-9 .-]{2,18}$",
            description="A business customer's VAT id (checked at intake)",
            examples=["DE136695976"],
        ),
    ] = None


class PaymentIn(Strict):
    """How the order is paid, as far as intake checks need it (fraud velocity per card)."""

    method: Annotated[str, line_text(32, examples=["card"])]
    card_fingerprint: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=128,
            pattern=r"^[A-Za-z0-9_.:-]+$",
            description="The payment provider's fingerprint of the card (never the number)",
            examples=["fp_1NpQ2sL8"],
        ),
    ] = None


def _iso_day(value: object) -> object:
    """Only a day written YYYY-MM-DD (or a date): a number or a timestamp is no day."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD, e.g. 2026-12-23")
    if isinstance(value, int | float | datetime):
        raise ValueError("a day is written YYYY-MM-DD, e.g. 2026-12-23")
    return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# A calendar day as ISO text (2026-12-24), today or later (checked against the clock at
# intake).
RequestedDay = Annotated[
    date | None,
    BeforeValidator(_iso_day),
    Field(
        description="The delivery date the customer asked for (YYYY-MM-DD), today or later. "
        "A date earlier than Ordnung can deliver is kept and flagged, not refused.",
        examples=["2026-12-23"],
    ),
]


class OrderLineIn(Strict):
    sku: Sku
    name: Annotated[str | None, line_text(300, min_length=0)] = None
    quantity: Annotated[int, Field(gt=0, le=MAX_QUANTITY, strict=True)]
    unit_price: UnitAmount
    discount: UnitAmount = "0"
    tax_rate: RateString
    requested_delivery_on: RequestedDay = None


class TotalsIn(Strict):
    """The totals the shop computed; if ours differ, the order is held for a person."""

    subtotal: OrderAmount | None = None
    tax: OrderAmount | None = None
    total: OrderAmount | None = None


ORDER_EXAMPLE: dict[str, Any] = {
    "channel": "webshop",
    "external_id": "100234",
    "currency": "EUR",
    "customer": {"email": "erika@example.de", "first_name": "Erika", "last_name": "Mustermann"},
    "billing_address": {
        "first_name": "Erika",
        "last_name": "Mustermann",
        "street": "Heidestraße 17",
        "postal_code": "51147",
        "city": "Köln",
        "country": "DE",
    },
    "shipping_amount": "4.90",
    "lines": [{"sku": "OD-0001", "quantity": 2, "unit_price": "19.99", "tax_rate": "19"}],
    "totals": {"total": "44.88"},
}


class OrderIn(Strict):
    """An order as a sales channel sends it. Prices include tax unless
    `prices_include_tax` is false; the shipping address defaults to the billing address."""

    model_config = ConfigDict(json_schema_extra={"examples": [ORDER_EXAMPLE]})

    channel: Annotated[str, line_text(40, examples=["webshop"])]
    external_id: Annotated[str, line_text(128, examples=["100234"])]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
    placed_at: Time | None = None
    customer: CustomerIn
    billing_address: AddressIn
    shipping_address: AddressIn | None = None
    shipping_method: Annotated[str, line_text(64, examples=["standard"])] = "standard"
    service_level: ServiceLevel = Field(
        ServiceLevel.STANDARD, description="How fast the parcel must go."
    )
    priority: Priority = Field(
        Priority.NORMAL, description="How urgent the work is: locations see urgent work first."
    )
    gift_note: Annotated[
        str | None,
        free_text(MAX_GIFT_NOTE_LENGTH, examples=["Alles Gute zum Geburtstag!"]),
    ] = None
    language: Literal["de", "en"] = Field(
        "de", description="The customer's language: the delivery note is printed in it."
    )
    shipping_amount: UnitAmount = "0"
    shipping_tax_rate: RateString = "19"
    prices_include_tax: Annotated[bool, Field(strict=True)] = True
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=MAX_LINES)]
    totals: TotalsIn | None = None
    payment: PaymentIn | None = None
    # For channels that send one date per order: applies to every line that names none.
    requested_delivery_on: RequestedDay = None
    reservation_id: Annotated[
        int | None,
        Field(
            gt=0,
            le=2**63 - 1,
            strict=True,
            description=(
                "A checkout hold (`POST /reservations`) whose units become this order's "
                "reservation. An expired or unknown hold is no error: the order is sourced "
                "as usual."
            ),
        ),
    ] = None

    pickup_location: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=40,
            pattern=r"^[A-Za-z0-9_.-]+$",
            description=(
                "Click & collect: the code of the store where the customer collects the order. "
                "Every unit is reserved at that store only; if it lacks some, the order is held "
                "for a person (never sent from elsewhere). A location without the `pickup` "
                "capability is refused (422)."
            ),
            examples=["store-muc"],
        ),
    ] = None

    def to_model(self) -> NewOrder:
        if self.placed_at is not None and self.placed_at.tzinfo is None:
            raise ValidationError("placed_at needs a UTC offset.", field="placed_at")
        billing = self.billing_address.to_model()
        expected = self.totals or TotalsIn()
        lines = tuple(
            NewOrderLine(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=Decimal(line.unit_price),
                discount=Decimal(line.discount),
                tax_rate=Decimal(line.tax_rate),
                requested_delivery_on=line.requested_delivery_on,
            )
            for line in self.lines
        )
        shipping = Decimal(self.shipping_amount)
        _check_order_amount(lines, shipping)
        return NewOrder(
            channel=self.channel,
            external_id=self.external_id,
            currency=self.currency,
            email=str(self.customer.email).lower(),
            first_name=self.customer.first_name or billing.first_name,
            last_name=self.customer.last_name or billing.last_name,
            phone=self.customer.phone,
            billing_address=billing,
            shipping_address=(self.shipping_address or self.billing_address).to_model(),
            lines=lines,
            shipping_amount=shipping,
            shipping_tax_rate=Decimal(self.shipping_tax_rate),
            shipping_method=self.shipping_method,
            prices_include_tax=self.prices_include_tax,
            placed_at=self.placed_at,
            expected=ExpectedTotals(
                subtotal=_decimal(expected.subtotal),
                tax=_decimal(expected.tax),
                total=_decimal(expected.total),
            ),
            vat_id=None if self.customer.vat_id is None else self.customer.vat_id.upper(),
            payment_method=None if self.payment is None else self.payment.method,
            card_fingerprint=None if self.payment is None else self.payment.card_fingerprint,
            reservation_id=self.reservation_id,
            requested_delivery_on=self.requested_delivery_on,
            pickup_location=self.pickup_location,
            service_level=self.service_level.value,
            priority=self.priority.value,
            gift_note=self.gift_note,
            language=self.language,
        )


def _check_order_amount(lines: tuple[NewOrderLine, ...], shipping: Decimal) -> None:
    amount = sum((line.unit_price * line.quantity for line in lines), shipping)
    if amount > MAX_ORDER_AMOUNT:
        raise ValidationError(
            f"The order's lines and shipping add up to more than {MAX_ORDER_AMOUNT:,} "
            "in its currency, the most one order may hold.",
            field="lines",
        )


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [values]}
    )


class CancelIn(Strict):
    model_config = _example(reason_code="duplicate", note="Customer called: ordered twice")

    reason: Annotated[
        str, free_text(500, description="Older form of `note` (kept as the note, code `other`)")
    ] = "cancelled by request"
    reason_code: CancelReasonCode = "other"
    note: Annotated[str, free_text(500, min_length=0)] = ""

    def why(self) -> CancelReason:
        note = self.note or (self.reason if "reason" in self.model_fields_set else "")
        return CancelReason(self.reason_code, note)


class ReleaseHoldIn(Strict):
    model_config = _example(note="Address checked with the customer by phone")

    note: Annotated[str, free_text(1000)]


class ShipIn(Strict):
    model_config = _example(carrier="dhl", tracking_number="00340434161094042557")

    carrier: Annotated[str, line_text(40, examples=["dhl"])]
    tracking_number: Annotated[str, Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9-]+$")]
    service: Annotated[str, line_text(60, min_length=0)] = ""


class RejectIn(Strict):
    model_config = _example(reason="Shelf empty: the count was wrong")

    reason: Annotated[str, free_text(300)]


# Stock figures are counts of physical units; a billion is far beyond any real position and
# keeps sums well inside 64-bit integers.
MAX_UNITS = 1_000_000_000
Reason = Annotated[str, Field(min_length=1, max_length=MAX_REASON_LENGTH, pattern=MULTI_LINE)]


class StockSet(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"on_hand": 24, "reason": "Stocktaking, shelf B-12"}]},
    )

    on_hand: int = Field(ge=0, le=MAX_UNITS, strict=True)
    safety_stock: int | None = Field(None, ge=0, le=MAX_UNITS, strict=True)
    reason: Reason


class StockAdjust(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"delta": 12, "reason": "Delivery note 4711", "kind": "receipt"}]
        },
    )

    delta: int = Field(ge=-MAX_UNITS, le=MAX_UNITS, strict=True)
    reason: Reason
    kind: Literal["receipt", "adjustment"] = "adjustment"


# -- answers ---------------------------------------------------------------------------------


class ShippedLineOut(ResponseModel):
    sku: str
    quantity: int


class ShipmentOut(ResponseModel):
    """The shipment just recorded, and the order's status after it."""

    id: int
    fulfillment_order_id: int
    order_id: int
    carrier: str
    service: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime
    lines: list[ShippedLineOut]
    order_status: OrderStatus


class RejectedOut(ResponseModel):
    """The rejected fulfilment order, and the order's status after sourcing again."""

    id: int
    status: FulfillmentStatus
    order_status: OrderStatus
