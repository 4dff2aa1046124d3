"""Bodies and answers of the packing routes, for the API and its OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import MAX_BIGINT_ID
from ordnung.core.openapi import ResponseModel
from ordnung.fulfillment.package_model import MAX_DIMENSION_MM, MAX_WEIGHT_GRAMS
from ordnung.fulfillment.schemas import FulfillmentLocationOut, FulfillmentStatus, ShipmentStatus
from ordnung.orchestration.schemas import ShippedLineOut
from ordnung.orders.schemas import OrderStatus

Millimetres = Annotated[int | None, Field(ge=1, le=MAX_DIMENSION_MM, strict=True)]


class PackageType(StrEnum):
    """The box (fulfillment/package_model.py PACKAGE_TYPES)."""

    PARCEL_S = "parcel_s"
    PARCEL_M = "parcel_m"
    PARCEL_L = "parcel_l"
    ENVELOPE = "envelope"
    PALLET = "pallet"
    OTHER = "other"


class PackageStatus(StrEnum):
    PACKED = "packed"
    SHIPPED = "shipped"


class PackUnitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: Annotated[
        int,
        Field(ge=1, le=MAX_BIGINT_ID, strict=True, description="The fulfilment order line's id"),
    ]
    quantity: Annotated[int, Field(ge=1, le=1_000_000, strict=True)]


class PackageIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lines": [{"line_id": 12, "quantity": 2}],
                    "package_type": "parcel_m",
                    "weight_grams": 1850,
                    "length_mm": 400,
                    "width_mm": 300,
                    "height_mm": 200,
                }
            ]
        },
    )

    lines: Annotated[list[PackUnitsIn], Field(min_length=1, max_length=500)]
    package_type: PackageType
    weight_grams: Annotated[int, Field(ge=1, le=MAX_WEIGHT_GRAMS, strict=True)]
    length_mm: Millimetres = None
    width_mm: Millimetres = None
    height_mm: Millimetres = None


class PackageCreatedOut(ResponseModel):
    id: int
    number: str = Field(examples=["PK-000123"])
    fulfillment_order_id: int
    status: PackageStatus
    fulfillment_order_status: FulfillmentStatus = Field(
        description="`packed` once every unit still to ship is in a package"
    )


class PackageRemovedOut(ResponseModel):
    id: int
    fulfillment_order_id: int
    fulfillment_order_status: FulfillmentStatus


class PackageLineOut(ResponseModel):
    fulfillment_order_line_id: int
    sku: str
    name: str | None
    gtin: str | None
    quantity: int


class PackageShipmentOut(ResponseModel):
    id: int
    carrier: str
    service: str
    tracking_number: str


class PackageOut(ResponseModel):
    id: int
    number: str = Field(examples=["PK-000123"])
    fulfillment_order_id: int
    order_id: int
    order_number: str
    location_id: int
    package_type: PackageType
    weight_grams: int
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    status: PackageStatus
    created_by: str
    created_at: datetime
    shipped_at: datetime | None
    shipment: PackageShipmentOut | None
    lines: list[PackageLineOut]


class PackingLineOut(ResponseModel):
    id: int
    sku: str
    name: str | None
    gtin: str | None
    quantity: int
    shipped_quantity: int
    packed_quantity: int = Field(description="Units in packages not shipped yet")
    unpacked_quantity: int = Field(description="Units still to ship that are in no package")


class PackingOut(ResponseModel):
    """A fulfilment order's packing: its lines with what is left to pack, and its packages."""

    fulfillment_order_id: int
    order_id: int
    order_number: str
    status: FulfillmentStatus
    location: FulfillmentLocationOut
    lines: list[PackingLineOut]
    packages: list[PackageOut]


class PackageShipmentRecordOut(ResponseModel):
    """The shipment the package left with."""

    id: int
    fulfillment_order_id: int
    order_id: int
    carrier: str
    service: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime
    lines: list[ShippedLineOut]


class PackageShippedOut(ResponseModel):
    package_id: int
    package_number: str
    shipment: PackageShipmentRecordOut
    fulfillment_order_id: int
    fulfillment_order_status: FulfillmentStatus
    order_status: OrderStatus
