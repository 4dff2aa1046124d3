"""Bodies and answers of the returned-to-sender routes, for the API and its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID, free_text
from ordnung.core.openapi import ResponseModel
from ordnung.fulfillment import returned_parcel_model as rules

Units = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]


class ReturnReason(StrEnum):
    REFUSED = "refused"
    UNDELIVERABLE = "undeliverable"
    ADDRESS_UNKNOWN = "address_unknown"
    NOT_COLLECTED_FROM_PICKUP_POINT = "not_collected_from_pickup_point"
    DAMAGED = "damaged"
    OTHER = "other"


class ParcelStatus(StrEnum):
    WAITING = "waiting"
    PROCESSED = "processed"


class WriteOffCause(StrEnum):
    DAMAGED = "damaged"
    LOST = "lost"
    EXPIRED = "expired"


class ReturnedToSenderIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "refused", "note": "Annahme verweigert"}]},
    )

    reason: ReturnReason
    note: Annotated[str, free_text(rules.MAX_NOTE_LENGTH, min_length=0)] = ""


class ReturnedToSenderOut(ResponseModel):
    returned_parcel_id: int
    shipment_id: int
    shipment_status: str = Field(examples=["returned_to_sender"])
    order_id: int
    location_id: int
    status: ParcelStatus
    recorded_at: datetime


class ParcelLineOut(ResponseModel):
    id: int
    shipment_line_id: int
    sku: str
    name: str | None
    units: int = Field(description="Units that came back")
    restocked: int = Field(description="Units put back on the shelf (0 while waiting)")
    written_off: int = Field(description="Units written off (0 while waiting)")


class ReturnedParcelOut(ResponseModel):
    id: int
    shipment_id: int
    fulfillment_order_id: int
    order_id: int
    order_number: str
    location_id: int
    tracking_number: str
    reason: ReturnReason
    note: str
    status: ParcelStatus
    recorded_by: str
    recorded_at: datetime
    processed_by: str | None
    processed_at: datetime | None
    lines: list[ParcelLineOut]


class ReturnedParcelPageOut(ResponseModel):
    items: list[ReturnedParcelOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class LineSettlementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: Annotated[int, Field(ge=1, le=MAX_BIGINT_ID, strict=True)]
    restocked: Units = 0
    written_off: Units = 0


class ProcessParcelIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "lines": [{"line_id": 3, "restocked": 1, "written_off": 1}],
                    "write_off_cause": "damaged",
                    "note": "Karton nass",
                }
            ]
        },
    )

    lines: Annotated[list[LineSettlementIn], Field(min_length=1, max_length=500)]
    write_off_cause: WriteOffCause = WriteOffCause.DAMAGED
    note: Annotated[str, free_text(rules.MAX_NOTE_LENGTH, min_length=0)] = ""


class SkuOutcomeOut(ResponseModel):
    sku: str
    restocked: int
    written_off: int


class ProcessedParcelOut(ResponseModel):
    returned_parcel_id: int
    status: ParcelStatus
    processed_at: datetime
    restocked: int
    written_off: int
    lines: list[SkuOutcomeOut] = Field(description="Per SKU")
