"""Fulfilment order and shipment lifecycles as declared state machines. Pure Python."""

from __future__ import annotations

from ordnung.core.errors import InvalidTransitionError

RELEASED = "released"
ACCEPTED = "accepted"
PICKING = "picking"
PACKED = "packed"
SHIPPED = "shipped"
READY_FOR_PICKUP = "ready_for_pickup"
PICKED_UP = "picked_up"
REJECTED = "rejected"
CANCELLED = "cancelled"

FULFILLMENT_STATUSES = (
    RELEASED,
    ACCEPTED,
    PICKING,
    PACKED,
    SHIPPED,
    READY_FOR_PICKUP,
    PICKED_UP,
    REJECTED,
    CANCELLED,
)

# (from → allowed to). Shipping straight from `released` is allowed: small locations do not
# scan every step, and the steps in between carry no stock effect.
FULFILLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    RELEASED: frozenset({ACCEPTED, SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    ACCEPTED: frozenset({PICKING, SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    PICKING: frozenset({PACKED, SHIPPED, CANCELLED}),
    PACKED: frozenset({SHIPPED, CANCELLED}),
    READY_FOR_PICKUP: frozenset({PICKED_UP, CANCELLED}),
    SHIPPED: frozenset(),
    PICKED_UP: frozenset(),
    REJECTED: frozenset(),
    CANCELLED: frozenset(),
}

# Statuses in which the fulfilment order still holds reserved stock.
OPEN_STATUSES = frozenset({RELEASED, ACCEPTED, PICKING, PACKED, READY_FOR_PICKUP})


def allowed_sources(target: str) -> frozenset[str]:
    """The statuses from which `target` may be reached (for compare-and-set updates)."""
    return frozenset(s for s, targets in FULFILLMENT_TRANSITIONS.items() if target in targets)


def check_transition(current: str, target: str) -> None:
    if target not in FULFILLMENT_TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"A fulfilment order in status {current} cannot become {target}.",
            current_status=current,
        )


SHIPMENT_STATUSES = (
    "shipped",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "exception",
    "returned_to_sender",
)

CARRIERS = frozenset(
    {"dhl", "dpd", "hermes", "gls", "ups", "fedex", "go", "deutsche_post", "other"}
)
