"""Bodies and answers of the bin and pick wave routes, for the API and its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID, SINGLE_LINE, free_text
from ordnung.core.openapi import ResponseModel
from ordnung.fulfillment.schemas import FulfillmentStatus
from ordnung.fulfillment.wave_model import MAX_WAVE_SIZE
from ordnung.inventory.bins import MAX_BIN_LENGTH
from ordnung.orders.schemas import OrderStatus

Code = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=SINGLE_LINE,
        description="The product's SKU, or its GTIN as scanned",
        examples=["OD-0001"],
    ),
]
FulfillmentOrderId = Annotated[int, Field(ge=1, le=MAX_BIGINT_ID, strict=True)]


def _strict(**example: Any) -> ConfigDict:
    return ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [example]}
    )


class PickWaveStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class BinIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: Annotated[str, Field(min_length=1, max_length=64, pattern=SINGLE_LINE)]
    bin: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=MAX_BIN_LENGTH,
            pattern=SINGLE_LINE,
            description="The bin's label; null takes the product off its bin",
        ),
    ]


class BinsIn(BaseModel):
    model_config = _strict(
        bins=[{"sku": "OD-0001", "bin": "A-01-03"}, {"sku": "OD-0002", "bin": None}]
    )

    bins: Annotated[list[BinIn], Field(min_length=1, max_length=1000)]


class BinOut(ResponseModel):
    sku: str
    bin: str
    updated_at: datetime
    updated_by: str


class BinListOut(ResponseModel):
    items: list[BinOut]


class BinsSetOut(ResponseModel):
    location_code: str
    assigned: int = Field(description="Products given a bin")
    cleared: int = Field(description="Products taken off their bin")


class PickWaveIn(BaseModel):
    model_config = _strict(fulfillment_order_ids=[7, 8])

    fulfillment_order_ids: Annotated[
        list[FulfillmentOrderId], Field(min_length=1, max_length=MAX_WAVE_SIZE)
    ]


class PickWaveCreatedOut(ResponseModel):
    id: int
    number: str = Field(examples=["PW-000001"])
    status: PickWaveStatus
    fulfillment_order_ids: list[int]


class PickWaveSummaryOut(ResponseModel):
    id: int
    number: str
    location_code: str
    status: PickWaveStatus
    created_by: str
    created_at: datetime
    completed_at: datetime | None


class PickWavePageOut(ResponseModel):
    items: list[PickWaveSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class PickRowOut(ResponseModel):
    """A SKU in a bin, over every fulfilment order of the wave that wants it."""

    bin: str | None = Field(description="null: the product has no bin here (listed last)")
    sku: str
    quantity: int
    picked: int
    short: int = Field(description="Units reported missing")
    remaining: int
    fulfillment_order_ids: list[int]
    order_numbers: list[str]


class WaveFulfillmentOrderOut(ResponseModel):
    id: int
    order_number: str
    status: FulfillmentStatus


class PickWaveOut(PickWaveSummaryOut):
    fulfillment_orders: list[WaveFulfillmentOrderOut]
    rows: list[PickRowOut] = Field(description="In bin order, products without a bin last")


class PickIn(BaseModel):
    model_config = _strict(sku="OD-0001", quantity=1)

    sku: Code
    quantity: Annotated[int, Field(ge=1, le=100_000, strict=True)] = 1
    fulfillment_order_id: FulfillmentOrderId | None = None


class PicksRecordedOut(ResponseModel):
    pick_wave_id: int
    sku: str
    quantity: int
    wave_status: PickWaveStatus
    fulfillment_order_ids: list[int] = Field(description="The fulfilment orders the units went to")


class WaveShortPickIn(BaseModel):
    model_config = _strict(sku="OD-0001", missing=1, note="Bin A-01-03 empty")

    sku: Code
    missing: Annotated[int, Field(ge=1, le=100_000, strict=True)]
    fulfillment_order_id: FulfillmentOrderId | None = None
    note: Annotated[str, free_text(300, min_length=0)] = ""


class WaveShortPickOut(ResponseModel):
    pick_wave_id: int
    sku: str
    missing: int
    fulfillment_order_id: int
    fulfillment_order_status: FulfillmentStatus
    order_status: OrderStatus
    report_ids: list[int]
    wave_status: PickWaveStatus
