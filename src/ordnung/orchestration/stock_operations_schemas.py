"""Request and answer shapes of the stock-operation API: transfers, write-offs and returns,
stock imports (documented in OpenAPI; bodies reject unknown fields)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MULTI_LINE, SINGLE_LINE, line_text
from ordnung.core.openapi import ResponseModel
from ordnung.inventory.model import MAX_REASON_LENGTH
from ordnung.inventory.operations import MAX_TRANSFER_LINES, MAX_UNITS
from ordnung.inventory.stock_sync import MAX_LINES, MAX_QUANTITY

Note = Annotated[str, Field(max_length=MAX_REASON_LENGTH, pattern=MULTI_LINE)]
Units = Annotated[int, Field(ge=1, le=MAX_UNITS, strict=True)]
SkuText = Annotated[str, Field(min_length=1, max_length=64, pattern=SINGLE_LINE)]
LocationCode = Annotated[str, Field(min_length=1, max_length=40, pattern=SINGLE_LINE)]
TransferCause = Literal["rebalance", "store_replenishment", "return_to_warehouse", "other"]
TransferStatus = Literal["in_transit", "received", "cancelled"]


class TransferLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: SkuText
    quantity: Units


class TransferIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "from_location": "lager-nord",
                    "to_location": "filiale-muenchen",
                    "lines": [{"sku": "OD-0001", "quantity": 12}],
                    "cause": "store_replenishment",
                    "note": "Wochenauffüllung",
                }
            ]
        },
    )

    from_location: LocationCode
    to_location: LocationCode
    lines: list[TransferLineIn] = Field(min_length=1, max_length=MAX_TRANSFER_LINES)
    cause: TransferCause = "rebalance"
    note: Note = ""


class ReceiveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"lines": [{"sku": "OD-0001", "quantity": 5}]}]},
    )

    lines: list[TransferLineIn] = Field(min_length=1, max_length=MAX_TRANSFER_LINES)
    note: Note = ""


class CancelTransferIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Fahrzeug ausgefallen"}]}
    )

    note: Annotated[str, Field(min_length=1, max_length=MAX_REASON_LENGTH, pattern=MULTI_LINE)]


class WriteOffIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"quantity": 2, "cause": "damaged", "note": "Bruch"}]},
    )

    quantity: Units
    cause: Literal["damaged", "lost", "expired"]
    note: Note = ""


class ReturnIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"quantity": 1, "cause": "customer_return", "note": "RMA-17"}]
        },
    )

    quantity: Units
    cause: Literal["customer_return", "found", "restocked_after_repair"]
    note: Note = ""


class TransferLineOut(ResponseModel):
    sku: str
    quantity: int
    received_quantity: int
    in_transit: int = Field(description="Units still on the way (0 once received or cancelled).")


class TransferSummaryOut(ResponseModel):
    """A transfer between two locations: units leave the source when it is sent, and arrive
    at the destination line by line."""

    id: int
    number: str = Field(examples=["TR-000123"])
    status: TransferStatus
    from_location: str
    from_location_name: str
    to_location: str
    to_location_name: str
    cause: str
    note: str
    created_by: str
    shipped_at: datetime
    received_at: datetime | None
    cancelled_at: datetime | None
    version: int = Field(description="Send as If-Match when receiving or cancelling.")
    units: int
    received_units: int
    in_transit_units: int
    line_count: int


class TransferOut(TransferSummaryOut):
    lines: list[TransferLineOut]


class TransferPageOut(ResponseModel):
    items: list[TransferSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class SyncRowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: SkuText
    location: LocationCode
    quantity: int = Field(ge=-MAX_QUANTITY, le=MAX_QUANTITY, strict=True)


class StockImportIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "WMS Nord",
                    "mode": "snapshot",
                    "rows": [{"sku": "OD-0001", "location": "lager-nord", "quantity": 37}],
                }
            ]
        },
    )

    source: Annotated[str, line_text(120, examples=["WMS Nord"])]
    mode: Literal["snapshot", "delta"]
    rows: list[SyncRowIn] = Field(min_length=1, max_length=MAX_LINES)


Outcome = Literal[
    "changed",
    "unchanged",
    "unknown_sku",
    "non_stock",
    "unknown_location",
    "below_reserved",
    "below_zero",
    "too_many",
    "duplicate",
]


class ImportLineOut(ResponseModel):
    """One line and what became of it; `before`/`after` are on hand, `reserved` what orders
    held (a count below it is refused)."""

    id: int
    line_number: int | None = Field(description="Row in the file; null: not named by a snapshot")
    sku: str
    location: str
    quantity: int
    before: int | None
    after: int | None
    difference: int
    reserved: int | None
    outcome: Outcome


class StockImportSummaryOut(ResponseModel):
    id: int
    source: str
    mode: Literal["snapshot", "delta"]
    status: Literal["applied", "needs_attention"]
    line_count: int
    changed: int
    unchanged: int
    refused: int
    created_by: str
    created_at: datetime


class StockImportOut(StockImportSummaryOut):
    """An import with the lines that need a person (refused: not applied), up to 1,000; all
    lines page by page at `/stock/imports/{id}/lines`."""

    attention: list[ImportLineOut]


class StockImportPageOut(ResponseModel):
    items: list[StockImportSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ImportLinePageOut(ResponseModel):
    items: list[ImportLineOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
