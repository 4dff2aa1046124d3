"""What the API answers about locations, stock positions, the ledger and availability."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from ordnung.core.openapi import ResponseModel


class LocationType(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    SUPPLIER = "supplier"
    THIRD_PARTY_LOGISTICS = "3pl"


class LocationCapability(StrEnum):
    """What a location can do for an order: ship parcels, hand over to a customer who picks
    up, ship from a store's shelf, or have a supplier ship directly."""

    SHIP = "ship"
    PICKUP = "pickup"
    SHIP_FROM_STORE = "ship_from_store"
    DROPSHIP = "dropship"


class LedgerKind(StrEnum):
    """Why a stock position changed (every change is a ledger row)."""

    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"
    SHIPMENT = "shipment"
    RETURN = "return"
    TRANSFER = "transfer"
    SHORT_PICK = "short_pick"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    COUNT = "count"
    WRITE_OFF = "write_off"


class LocationAddressOut(ResponseModel):
    street: str
    postal_code: str
    city: str
    country: str = Field(examples=["DE"])


class LocationOut(ResponseModel):
    """A place that holds stock; sourcing asks locations by ascending priority."""

    id: int
    code: str = Field(examples=["lager-nord"])
    name: str
    type: LocationType
    address: LocationAddressOut
    capabilities: list[LocationCapability]
    priority: int
    created_at: datetime
    version: int = Field(description="Raised by every change of the location.")


class LocationListOut(ResponseModel):
    items: list[LocationOut]
    next_cursor: None = Field(description="Always null: all locations fit on one page.")


class StockPositionOut(ResponseModel):
    """One SKU at one location: on hand, reserved by orders, kept back as safety stock, and
    what can still be promised (`available`)."""

    id: int
    sku: str
    location: str = Field(description="Location code")
    on_hand: int
    reserved: int
    safety_stock: int
    available: int
    updated_at: datetime


class StockPageOut(ResponseModel):
    items: list[StockPositionOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class MovementOut(ResponseModel):
    """A ledger row: how on hand and reserved changed, why, and for which order."""

    id: int
    kind: LedgerKind
    on_hand_delta: int
    reserved_delta: int
    reason: str = Field(description="The free note (for transfers: its number first).")
    cause: str = Field(
        description="Why, from the kind's fixed list (e.g. damaged, sync, rebalance); "
        "empty for reservations, releases and shipments."
    )
    order_id: int | None
    fulfillment_order_id: int | None
    actor: str
    created_at: datetime


class MovementPageOut(ResponseModel):
    items: list[MovementOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class LocationStockOut(StockPositionOut):
    location_name: str
    location_type: LocationType
    capabilities: list[LocationCapability]
    priority: int


class AvailabilityOut(ResponseModel):
    """A SKU over all locations: what could be sold now."""

    sku: str
    on_hand: int
    reserved: int
    available: int
    locations: list[LocationStockOut]
