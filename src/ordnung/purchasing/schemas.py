"""What the supply API takes and answers: suppliers, purchase orders, replenishment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, Sku, line_text
from ordnung.core.openapi import MoneyOut, ResponseModel
from ordnung.purchasing import model

# Prices and order minimums: never negative, at most a million in the supplier's currency.
Price = Annotated[str, Field(pattern=r"^[0-9]{1,7}(\.[0-9]{1,6})?$", examples=["4.20"])]
Quantity = Annotated[int, Field(ge=1, le=model.MAX_QUANTITY, strict=True)]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
Note = Annotated[str, line_text(model.MAX_NOTE_LENGTH, min_length=0)]
# A calendar day, ISO 8601 (`2027-01-15`).
Day = Annotated[
    date,
    Field(
        examples=["2027-01-15"],
        json_schema_extra={"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "maxLength": 10},
    ),
]


class PurchaseOrderStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class PurchaseOrderKind(StrEnum):
    """`stock`: goods for one of our locations; `dropship`: one customer's fulfilment order,
    shipped by the supplier to the customer."""

    STOCK = "stock"
    DROPSHIP = "dropship"


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# -- suppliers ------------------------------------------------------------------------------


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, line_text(200)]
    email: Annotated[str, line_text(254, min_length=0)] = ""
    phone: Annotated[str, line_text(40, min_length=0)] = ""


class SuppliedProductIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    supplier_sku: Annotated[str, line_text(64, min_length=0)] = ""
    unit_price: Price
    pack_size: int = Field(1, ge=1, le=model.MAX_PACK_SIZE, strict=True)


class SupplierIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "nordholz",
                    "name": "Nordholz Handels GmbH",
                    "currency": "EUR",
                    "lead_time_days": 5,
                    "minimum_order_value": "250.00",
                    "contacts": [{"name": "Jana Krüger", "email": "jana@nordholz.example"}],
                    "products": [
                        {"sku": "OD-0001", "supplier_sku": "NH-100", "unit_price": "4.20"}
                    ],
                }
            ]
        },
    )

    code: Code
    name: Annotated[str, line_text(model.MAX_NAME_LENGTH)]
    currency: Currency = "EUR"
    lead_time_days: int = Field(7, ge=0, le=model.MAX_LEAD_TIME_DAYS, strict=True)
    minimum_order_value: Price | None = None
    minimum_order_quantity: int | None = Field(None, ge=0, le=model.MAX_QUANTITY, strict=True)
    contacts: list[ContactIn] = Field([], max_length=model.MAX_CONTACTS)
    products: list[SuppliedProductIn] = Field([], max_length=1000)
    is_active: bool = True
    dropship_location: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=40,
            pattern=SINGLE_LINE,
            description=(
                "Code of the supplier's own location (capability `dropship`): fulfilment "
                "orders released there become drop-ship purchase orders to this supplier."
            ),
            examples=["moebel-direkt"],
        ),
    ] = None

    def to_draft(self, code: str | None = None) -> model.SupplierDraft:
        return model.SupplierDraft(
            code=code or self.code,
            name=self.name,
            currency=self.currency,
            lead_time_days=self.lead_time_days,
            minimum_order_value=_decimal(self.minimum_order_value),
            minimum_order_quantity=self.minimum_order_quantity,
            contacts=tuple(model.Contact(c.name, c.email, c.phone) for c in self.contacts),
            products=tuple(
                model.SuppliedProduct(p.sku, p.supplier_sku, Decimal(p.unit_price), p.pack_size)
                for p in self.products
            ),
            is_active=self.is_active,
            dropship_location=self.dropship_location,
        )


class CodeNameOut(ResponseModel):
    code: str
    name: str


class ContactOut(ResponseModel):
    name: str
    email: str
    phone: str


class SuppliedProductOut(ResponseModel):
    sku: str
    supplier_sku: str
    unit_price: MoneyOut
    pack_size: int


class SupplierOut(ResponseModel):
    """A supplier: whom to ask, how long it takes, what it supplies at which price."""

    id: int
    code: str
    name: str
    currency: str
    lead_time_days: int
    minimum_order_value: MoneyOut | None
    minimum_order_quantity: int | None
    contacts: list[ContactOut]
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime
    products: list[SuppliedProductOut]
    dropship_location: CodeNameOut | None


class SupplierListOut(ResponseModel):
    items: list[SupplierOut]
    next_cursor: str | None


# -- purchase orders ------------------------------------------------------------------------


class PurchaseOrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: Quantity
    unit_price: Price | None = Field(None, description="Leave out for the supplier's price.")
    expected_on: Day | None = Field(None, description="Leave out for today + lead time.")


class PurchaseOrderIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier": "nordholz",
                    "location": "lager-nord",
                    "lines": [{"sku": "OD-0001", "quantity": 48}],
                }
            ]
        },
    )

    supplier: Code
    location: Annotated[str, Field(min_length=1, max_length=40, pattern=SINGLE_LINE)]
    lines: list[PurchaseOrderLineIn] = Field(min_length=1, max_length=model.MAX_LINES)
    note: Note = ""

    def to_draft(self) -> model.PurchaseOrderDraft:
        return model.PurchaseOrderDraft(
            self.supplier,
            self.location,
            tuple(
                model.LineDraft(
                    line.sku, line.quantity, _decimal(line.unit_price), line.expected_on
                )
                for line in self.lines
            ),
            self.note,
        )


LineNumber = Annotated[int, Field(ge=1, le=model.MAX_LINES, strict=True)]


class ConfirmedLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_number: LineNumber
    confirmed_on: Day


class ConfirmIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"lines": [{"line_number": 1, "confirmed_on": "2027-01-15"}]}]
        },
    )

    lines: list[ConfirmedLineIn] = Field([], max_length=model.MAX_LINES)


class CancelIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Supplier cannot deliver"}]}
    )

    reason: Annotated[str, line_text(model.MAX_NOTE_LENGTH)]


class ReceivedLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_number: LineNumber
    quantity: Annotated[int, Field(ge=0, le=model.MAX_QUANTITY, strict=True)]


class ReceiveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"lines": [{"line_number": 1, "quantity": 24}]}]},
    )

    lines: list[ReceivedLineIn] = Field(min_length=1, max_length=model.MAX_LINES)

    def receipt(self) -> dict[int, int]:
        units: dict[int, int] = {}
        for line in self.lines:
            units[line.line_number] = units.get(line.line_number, 0) + line.quantity
        return units


class PurchaseOrderLineOut(ResponseModel):
    line_number: int
    sku: str
    quantity: int
    received_quantity: int
    open_quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut
    expected_on: date | None
    confirmed_on: date | None


class ReceiptOut(ResponseModel):
    line_number: int
    sku: str
    quantity: int
    actor: str
    received_at: datetime


class ShipToOut(ResponseModel):
    """Where a drop-ship parcel goes: the order's shipping address and contact, as they
    were when the purchase order was made."""

    name: str
    company: str
    street: str
    street2: str
    postal_code: str
    city: str
    country: str = Field(examples=["DE"])
    email: str
    phone: str


class DropshipFieldsOut(ResponseModel):
    """What a drop-ship purchase order adds (all null on a stock one)."""

    kind: PurchaseOrderKind
    order_id: int | None
    order_number: str | None = Field(examples=["ORD-000321"])
    fulfillment_order_id: int | None
    ship_to: ShipToOut | None
    expected_ship_on: date | None
    carrier: str | None
    tracking_number: str | None
    shipped_at: datetime | None


class PurchaseOrderOut(DropshipFieldsOut):
    """A purchase order with its lines and every receipt booked against it."""

    id: int
    number: str = Field(examples=["PO-2026-000123"])
    status: PurchaseOrderStatus
    supplier: CodeNameOut
    location: CodeNameOut
    currency: str
    note: str
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    total: MoneyOut
    lines: list[PurchaseOrderLineOut]
    receipts: list[ReceiptOut]


class PurchaseOrderSummaryOut(DropshipFieldsOut):
    id: int
    number: str
    status: PurchaseOrderStatus
    supplier: CodeNameOut
    location: CodeNameOut
    currency: str
    note: str
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    quantity: int
    received_quantity: int
    total: MoneyOut
    expected_on: date | None


class PurchaseOrderPageOut(ResponseModel):
    items: list[PurchaseOrderSummaryOut]
    next_cursor: str | None


class DropshipPageOut(ResponseModel):
    """A supplier's drop-ship purchase orders, oldest first."""

    items: list[PurchaseOrderOut]
    next_cursor: str | None


class DropshipConfirmIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"expected_ship_on": "2027-01-15"}]}
    )

    expected_ship_on: Day | None = Field(
        None, description="The day the parcel will leave (today or later); leave out if unknown."
    )


# -- replenishment --------------------------------------------------------------------------

Level = Annotated[int, Field(ge=0, le=model.MAX_QUANTITY, strict=True)]


class RuleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"reorder_point": 20, "minimum": 5, "maximum": 100, "supplier": "nordholz"}
            ]
        },
    )

    reorder_point: Level
    minimum: Level = 0
    maximum: Level
    supplier: Code | None = None


class RuleOut(ResponseModel):
    id: int
    sku: str
    location: str
    location_id: int
    reorder_point: int
    minimum: int
    maximum: int
    supplier: str | None
    supplier_id: int | None
    version: int
    updated_at: datetime


class RuleListOut(ResponseModel):
    items: list[RuleOut]
    next_cursor: str | None


class SuggestionOut(ResponseModel):
    sku: str
    location: str
    projected: int = Field(description="On hand − reserved + open supply.")
    reorder_point: int
    minimum: int
    maximum: int
    quantity: int
    is_urgent: bool
    supplier: str | None
    unit_price: MoneyOut | None


class SuggestionListOut(ResponseModel):
    items: list[SuggestionOut]
    next_cursor: str | None


class SelectedSuggestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    location: Annotated[str, Field(min_length=1, max_length=40, pattern=SINGLE_LINE)]


class OrderSuggestionsIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"selected": [{"sku": "OD-0001", "location": "lager-nord"}]}]
        },
    )

    selected: list[SelectedSuggestionIn] = Field(min_length=1, max_length=500)


class CreatedOrdersOut(ResponseModel):
    numbers: list[str]
