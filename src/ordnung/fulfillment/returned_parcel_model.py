"""A parcel that comes back to the location it left from: the shipment's move to
`returned_to_sender`, the reasons a carrier or a person gives, and how the location settles
the parcel (restock or write off each unit). Pure Python.

The shipment's lifecycle is declared here, beside the parcel rules, because nothing before
moved a shipment after `shipped` (fulfillment/model.py names its statuses). Carrier tracking
(a later issue) will move the other steps through the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ordnung.core.errors import InvalidTransitionError, ValidationError

SHIPPED = "shipped"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERED = "delivered"
EXCEPTION = "exception"
RETURNED_TO_SENDER = "returned_to_sender"

# (from → allowed to). A delivered parcel that the customer sends back is a customer return
# (RMA), not a return to sender; a returned parcel ends its shipment's life.
SHIPMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    SHIPPED: frozenset({IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, EXCEPTION, RETURNED_TO_SENDER}),
    IN_TRANSIT: frozenset({OUT_FOR_DELIVERY, DELIVERED, EXCEPTION, RETURNED_TO_SENDER}),
    OUT_FOR_DELIVERY: frozenset({IN_TRANSIT, DELIVERED, EXCEPTION, RETURNED_TO_SENDER}),
    EXCEPTION: frozenset({IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, RETURNED_TO_SENDER}),
    DELIVERED: frozenset(),
    RETURNED_TO_SENDER: frozenset(),
}


def shipment_sources(target: str) -> frozenset[str]:
    """The statuses a shipment may reach `target` from (for compare-and-set updates)."""
    return frozenset(s for s, targets in SHIPMENT_TRANSITIONS.items() if target in targets)


def check_shipment_transition(shipment_id: int, current: str, target: str) -> None:
    if target not in SHIPMENT_TRANSITIONS[current]:
        raise InvalidTransitionError(
            f"Shipment {shipment_id} is {current}; it cannot become {target}.",
            current_status=current,
        )


# Why the parcel came back: a short fixed list (reports group by it); the note says the rest.
REASONS = (
    "refused",
    "undeliverable",
    "address_unknown",
    "not_collected_from_pickup_point",
    "damaged",
    "other",
)
MAX_NOTE_LENGTH = 300

# The parcel waits in the location's queue until every unit is restocked or written off.
WAITING = "waiting"
PROCESSED = "processed"
PARCEL_STATUSES = (WAITING, PROCESSED)

# Written-off units of a returned parcel carry one of the stock write-off causes.
WRITE_OFF_CAUSES = ("damaged", "lost", "expired")


def check_reason(reason: str) -> str:
    if reason not in REASONS:
        raise ValidationError(f"reason must be one of {', '.join(REASONS)}.", field="reason")
    return reason


def check_note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValidationError(f"note must be at most {MAX_NOTE_LENGTH} characters.", field="note")
    return cleaned


def record_problem(shipment_id: int, current: str, parcel_exists: bool) -> str | None:
    """Why this shipment cannot be recorded as returned, or None when it can. A second
    record of the same parcel is refused with a message that says so (one parcel, once)."""
    if parcel_exists or current == RETURNED_TO_SENDER:
        return f"Shipment {shipment_id} is already recorded as returned to sender."
    if RETURNED_TO_SENDER not in SHIPMENT_TRANSITIONS[current]:
        return f"Shipment {shipment_id} is {current}; it cannot come back to sender."
    return None


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """A line of the returned parcel: units of one SKU that came back."""

    id: int
    sku: str
    units: int


@dataclass(frozen=True, slots=True)
class LineSettlement:
    """What the location does with one line's units: back on the shelf or written off."""

    line_id: int
    restocked: int
    written_off: int


def check_settlement(
    status: str, lines: list[ParcelLine], settlements: list[LineSettlement]
) -> dict[int, LineSettlement]:
    """Every line of a waiting parcel is named once and its units are split in full:
    restocked + written off = the line's units, neither negative. Returns them by line id."""
    if status != WAITING:
        raise InvalidTransitionError("This returned parcel is already processed.", status=status)
    by_id = {line.id: line for line in lines}
    settled: dict[int, LineSettlement] = {}
    for index, item in enumerate(settlements):
        line = by_id.get(item.line_id)
        if line is None or item.line_id in settled:
            raise ValidationError(
                f"Line {item.line_id} is not a line of this parcel or is named twice.",
                field=f"lines.{index}.line_id",
            )
        if item.restocked < 0 or item.written_off < 0:
            raise ValidationError(
                "restocked and written_off must not be negative.", field=f"lines.{index}"
            )
        if item.restocked + item.written_off != line.units:
            raise ValidationError(
                f"Line {item.line_id} ({line.sku}) came back with {line.units} units;"
                f" restocked + written_off must be {line.units}, not"
                f" {item.restocked + item.written_off}.",
                field=f"lines.{index}",
            )
        settled[item.line_id] = item
    missing = sorted(set(by_id) - set(settled))
    if missing:
        raise ValidationError(
            f"Say what happens to every line; missing: {', '.join(map(str, missing))}.",
            field="lines",
        )
    return settled


def units_by_sku(
    lines: list[ParcelLine], settled: dict[int, LineSettlement]
) -> list[dict[str, int | str]]:
    """Restocked and written-off units per SKU, for the order's timeline."""
    totals: dict[str, list[int]] = {}
    for line in lines:
        item = settled[line.id]
        pair = totals.setdefault(line.sku, [0, 0])
        pair[0] += item.restocked
        pair[1] += item.written_off
    return [
        {"sku": sku, "restocked": pair[0], "written_off": pair[1]}
        for sku, pair in sorted(totals.items())
    ]
