"""Stock operations beyond orders — transfers between locations, write-offs, returns to stock,
counts — as rules without the database: the ledger kinds, the causes a person may give for
each, and the transfer's declared lifecycle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ordnung.core.errors import InvalidTransitionError
from ordnung.inventory.model import MAX_REASON_LENGTH, invalid

# Ledger kinds of stock operations (design.md §4); reservations and shipments come from orders.
TRANSFER_OUT = "transfer_out"
TRANSFER_IN = "transfer_in"
COUNT = "count"
RETURN = "return"
WRITE_OFF = "write_off"

# The causes each kind may carry: a short fixed list, so reports can group by them; the free
# note says the rest. `sync` is booked by stock imports only.
CAUSES: Mapping[str, tuple[str, ...]] = {
    TRANSFER_OUT: ("rebalance", "store_replenishment", "return_to_warehouse", "other"),
    TRANSFER_IN: ("rebalance", "store_replenishment", "return_to_warehouse", "other", "cancelled"),
    COUNT: ("cycle_count", "annual_inventory", "sync"),
    RETURN: (
        "customer_return",
        "found",
        "restocked_after_repair",
        # A parcel the carrier brought back (fulfillment/returned_parcel_model.py).
        "returned_to_sender",
    ),
    WRITE_OFF: ("damaged", "lost", "expired"),
}
TRANSFER_CAUSES = CAUSES[TRANSFER_OUT]
SYNC = "sync"
CANCELLED_CAUSE = "cancelled"
# Units one line of a transfer, a write-off or a return may move: more is a typo.
MAX_UNITS = 1_000_000
MAX_TRANSFER_LINES = 200

# The transfer's lifecycle (conventions §2): sent at creation, received once every line is,
# or cancelled while still on the way (the units not yet received go back to the source).
IN_TRANSIT = "in_transit"
RECEIVED = "received"
CANCELLED = "cancelled"
TRANSFER_STATUSES = (IN_TRANSIT, RECEIVED, CANCELLED)
TRANSFER_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {(IN_TRANSIT, RECEIVED), (IN_TRANSIT, CANCELLED)}
)


def allowed_sources(to_status: str) -> tuple[str, ...]:
    """The statuses a transfer may move to `to_status` from (for compare-and-set)."""
    return tuple(sorted(source for source, target in TRANSFER_TRANSITIONS if target == to_status))


def check_transition(number: str, from_status: str, to_status: str) -> None:
    if (from_status, to_status) not in TRANSFER_TRANSITIONS:
        raise InvalidTransitionError(
            f"Transfer {number} is {from_status}; it cannot become {to_status}.",
            status=from_status,
        )


def transfer_number(value: int) -> str:
    return f"TR-{value:06d}"


def check_cause(kind: str, cause: str) -> str:
    if cause not in CAUSES[kind]:
        raise invalid("cause", f"must be one of {', '.join(CAUSES[kind])}")
    return cause


def check_note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > MAX_REASON_LENGTH:
        raise invalid("note", f"must be at most {MAX_REASON_LENGTH} characters")
    return cleaned


def check_units(quantity: int, field: str = "quantity") -> int:
    if not 0 < quantity <= MAX_UNITS:
        raise invalid(field, f"must be between 1 and {MAX_UNITS}")
    return quantity


@dataclass(frozen=True, slots=True)
class TransferLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class TransferDraft:
    from_location: str
    to_location: str
    lines: tuple[TransferLine, ...]
    cause: str = "rebalance"
    note: str = ""


def check_transfer(draft: TransferDraft) -> TransferDraft:
    """The draft with a known cause, distinct locations and SKUs, and positive quantities."""
    if draft.from_location == draft.to_location:
        raise invalid("to_location", "must differ from the location the units leave")
    if not 0 < len(draft.lines) <= MAX_TRANSFER_LINES:
        raise invalid("lines", f"must hold 1 to {MAX_TRANSFER_LINES} lines")
    seen: set[str] = set()
    for index, line in enumerate(draft.lines):
        if line.sku in seen:
            raise invalid(f"lines.{index}.sku", f"{line.sku} is on the transfer twice")
        seen.add(line.sku)
        check_units(line.quantity, f"lines.{index}.quantity")
    check_cause(TRANSFER_OUT, draft.cause)
    return TransferDraft(
        draft.from_location, draft.to_location, draft.lines, draft.cause, check_note(draft.note)
    )


def check_receipt(
    number: str, remaining: Mapping[str, int], received: Mapping[str, int]
) -> dict[str, int]:
    """What a receipt books per SKU: positive, on the transfer, not more than still open."""
    booked: dict[str, int] = {}
    for sku, quantity in received.items():
        if quantity == 0:
            continue
        if sku not in remaining:
            raise invalid("lines", f"{sku} is not on transfer {number}")
        if not 0 < quantity <= remaining[sku]:
            raise invalid(
                f"lines.{sku}", f"between 1 and the {remaining[sku]} units still on the way"
            )
        booked[sku] = quantity
    if not booked:
        raise invalid("lines", "receive at least one unit")
    return booked


def ledger_note(reference: str, note: str) -> str:
    """The ledger row's note: what it belongs to, then what the person wrote."""
    return f"{reference} · {note}" if note else reference


def is_fully_received(remaining: Sequence[int]) -> bool:
    return all(left == 0 for left in remaining)


@dataclass(frozen=True, slots=True)
class TransferReceipt:
    """Units that arrived, per SKU; `expected_version` is the transfer's version the person
    saw (If-Match), None to book whatever the transfer is now."""

    quantities: Mapping[str, int]
    note: str = ""
    expected_version: int | None = None
