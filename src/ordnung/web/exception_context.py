"""What the work screen and the order page show of fulfilment exceptions (cancellation
requests, short picks): one call each from their page routes."""

from __future__ import annotations

from typing import Any

from ordnung.core.db import Database
from ordnung.fulfillment import cancellation_requests, short_picks
from ordnung.fulfillment import model as fulfillment_model
from ordnung.fulfillment.returned_parcel_queries import (
    order_ids_with_returned_parcels,
    returned_parcels_of_order,
)
from ordnung.staff.model import ORDERS_WRITE
from ordnung.staff.service import StaffUser

NOTE_MAX = 300


def work_screen_context(db: Database, fo: dict[str, Any]) -> dict[str, Any]:
    """What the location's screen shows beside its work: an open cancellation request and
    whether a start or a short pick is possible now."""
    return {
        "cancellation_request": cancellation_requests.open_cancellation_request(db, fo["id"]),
        "can_start_picking": fo["status"] == fulfillment_model.ACCEPTED,
        "can_short_pick": fo["status"] in fulfillment_model.SHORT_PICKABLE,
        "note_max": NOTE_MAX,
    }


def order_page_context(db: Database, order: dict[str, Any], staff: StaffUser) -> dict[str, Any]:
    requests = cancellation_requests.list_cancellation_requests(db, order["id"])
    return {
        "cancellation_requests": requests,
        "has_open_cancellation_request": any(r["decision"] is None for r in requests),
        "short_picks": short_picks.list_short_picks(db, order["id"]),
        "returned_parcels": returned_parcels_of_order(db, order["id"]),
        "can_acknowledge": staff.can(ORDERS_WRITE),
        "location_names": {
            fo["location"]["id"]: fo["location"]["name"] for fo in order["fulfillment_orders"]
        },
    }


def orders_with_short_pick_marker(db: Database, orders: list[dict[str, Any]]) -> set[int]:
    """The orders of a list page that carry an unacknowledged short pick (their badge)."""
    return short_picks.order_ids_with_open_short_picks(db, [order["id"] for order in orders])


def fulfillment_orders_asked_to_cancel(db: Database, items: list[dict[str, Any]]) -> set[int]:
    """The fulfilment orders of a work list page with an undecided cancellation request."""
    return cancellation_requests.fulfillment_orders_with_open_requests(
        db, [item["id"] for item in items]
    )


def orders_with_returned_parcels(db: Database, orders: list[dict[str, Any]]) -> set[int]:
    """The orders of a list page with a parcel returned to sender (their badge)."""
    return order_ids_with_returned_parcels(db, [order["id"] for order in orders])
