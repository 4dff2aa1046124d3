"""Fulfilment order and shipment lifecycles as declared state machines. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

from ordnung.core.errors import InvalidTransitionError, ValidationError

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
# scan every step, and the steps in between carry no stock effect. A click & collect order
# becomes ready for pickup from any step before it leaves (fulfillment/pickup.py).
FULFILLMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    RELEASED: frozenset({ACCEPTED, SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    ACCEPTED: frozenset({PICKING, SHIPPED, READY_FOR_PICKUP, REJECTED, CANCELLED}),
    PICKING: frozenset({PACKED, SHIPPED, READY_FOR_PICKUP, CANCELLED}),
    # Back to picking when a package is taken apart (fulfillment/packages.py).
    PACKED: frozenset({PICKING, SHIPPED, READY_FOR_PICKUP, CANCELLED}),
    READY_FOR_PICKUP: frozenset({PICKED_UP, CANCELLED}),
    SHIPPED: frozenset(),
    PICKED_UP: frozenset(),
    REJECTED: frozenset(),
    CANCELLED: frozenset(),
}


def check_start_picking(current: str) -> None:
    """Picking starts from accepted work only. Packed work goes back to `picking` when a
    package is removed (fulfillment/packages.py), never by starting to pick again."""
    if current != ACCEPTED:
        raise InvalidTransitionError(
            f"A fulfilment order in status {current} cannot start picking; it must be accepted.",
            current_status=current,
        )


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


# -- exceptions: cancellation requests and short picks -------------------------------------

# Once a location has started picking, the goods are in someone's hands: an order cancel may
# no longer take them away but asks the location (a cancellation request it accepts or
# declines). Before that, a cancel simply cancels the fulfilment order.
CANCELLATION_NEEDS_CONSENT = frozenset({PICKING, PACKED})
CANCELLABLE_WITHOUT_ASKING = OPEN_STATUSES - CANCELLATION_NEEDS_CONSENT

# A location finds units missing while it works on the order: after accepting, while picking.
SHORT_PICKABLE = frozenset({ACCEPTED, PICKING})

ACCEPTED_DECISION = "accepted"
DECLINED_DECISION = "declined"
CANCELLATION_DECISIONS = (ACCEPTED_DECISION, DECLINED_DECISION)

# What became of short-picked units: sourced again at a location, or waiting for stock.
RESOURCED = "resourced"
BACKORDERED = "backordered"


@dataclass(frozen=True, slots=True)
class PickLine:
    """A fulfilment order line as the short pick sees it: units still to ship."""

    id: int
    order_line_id: int
    sku: str
    remaining: int


@dataclass(frozen=True, slots=True)
class MissingUnits:
    """The location says: of this fulfilment order line, `missing` units are not there."""

    line_id: int
    missing: int


def check_short_pick(status: str, lines: list[PickLine], reported: list[MissingUnits]) -> None:
    """A short pick names each line of this fulfilment order once, with 1..remaining units;
    only an accepted or picking fulfilment order can report one."""
    if status not in SHORT_PICKABLE:
        raise InvalidTransitionError(
            f"A fulfilment order in status {status} cannot report a short pick.",
            current_status=status,
        )
    if not reported:
        raise ValidationError("Name at least one line with missing units.", field="lines")
    by_id = {line.id: line for line in lines}
    seen: set[int] = set()
    for index, item in enumerate(reported):
        line = by_id.get(item.line_id)
        if line is None or item.line_id in seen:
            raise ValidationError(
                f"Line {item.line_id} is not an open line of this fulfilment order or is named"
                " twice.",
                field=f"lines.{index}.line_id",
            )
        seen.add(item.line_id)
        if not 1 <= item.missing <= line.remaining:
            raise ValidationError(
                f"Line {item.line_id} has {line.remaining} units to ship; missing must be"
                f" 1 to {line.remaining}.",
                field=f"lines.{index}.missing",
            )


def is_whole_fulfillment_order_missing(lines: list[PickLine], reported: list[MissingUnits]) -> bool:
    """Every unit still to ship is missing: the fulfilment order is closed (cancelled)."""
    missing = {item.line_id: item.missing for item in reported}
    return all(missing.get(line.id, 0) == line.remaining for line in lines)
