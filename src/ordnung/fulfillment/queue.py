"""A location's queue: what a fulfilment order carries for its location, in which order the
open work comes, and which of it is late. Pure Python (no database, no clock of its own).

**Copy, not join.** A fulfilment order carries a copy of what its location needs to ship —
ship-to address with the recipient's name and phone, contact e-mail, shipping method,
service level, priority, gift note, the promised ship date, and per line the product's name,
GTIN and weight per unit — made when sourcing releases it (`fulfillment/service.py`
`release_fulfillment_orders`). A 3PL prints labels and plans its day from what it was given;
if an agent corrects the order's address afterwards, the work already handed over must not
change silently under the location (a label may be printed). The copy also keeps the queue a
read of the fulfilment tables alone, one statement per page, and keeps the location away from
order and catalogue tables it may not see.

The copy follows an agent's shipping change (address, method) only while the work is still
paper — released or accepted (`FOLLOWS_SHIPPING_CHANGES`): nothing has been picked, no label
printed. From picking on it stays as the location got it; the location learns of the change
from the order's `order.shipping_changed` event, as before. Re-sourcing after a rejection or
cancel copies the order as it is then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

STANDARD = "standard"
EXPRESS = "express"
SAME_DAY = "same_day"
SERVICE_LEVELS = (STANDARD, EXPRESS, SAME_DAY)

NORMAL = "normal"
HIGH = "high"
URGENT = "urgent"
PRIORITIES = (URGENT, HIGH, NORMAL)

# The queue's first sort key: urgent work first. (Rank 0 comes first.)
PRIORITY_RANK = {URGENT: 0, HIGH: 1, NORMAL: 2}

LATE = "late"
DUE_TODAY = "due_today"
LATER = "later"
DUE_FILTERS = (LATE, DUE_TODAY, LATER)

MAX_GIFT_NOTE_LENGTH = 500

# Work whose copy of the ship-to follows the order's shipping changes (see above).
FOLLOWS_SHIPPING_CHANGES = frozenset({"released", "accepted"})


@dataclass(frozen=True, slots=True)
class DueWindow:
    """A `due` filter as promised-ship-date bounds: `before` exclusive, `on` exact, `after`
    exclusive; `include_undated`: work without a promised date counts as "later"."""

    before: date | None = None
    on: date | None = None
    after: date | None = None
    include_undated: bool = False


def local_today(now: datetime, time_zone: str) -> date:
    """The location's calendar day at `now` (23:30 UTC is already tomorrow in Berlin)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def sla_marker(promised_ship_on: date | None, today: date) -> str | None:
    """`late` when the promised ship date has passed at the location, `due_today` when it is
    today there, otherwise none (later, or nothing promised)."""
    if promised_ship_on is None or promised_ship_on > today:
        return None
    return LATE if promised_ship_on < today else DUE_TODAY


def due_window(due: str, today: date) -> DueWindow:
    """The promised-date bounds of a `due` filter (`late`, `due_today`, `later`)."""
    if due == LATE:
        return DueWindow(before=today)
    if due == DUE_TODAY:
        return DueWindow(on=today)
    if due == LATER:
        return DueWindow(after=today, include_undated=True)
    raise ValueError(f"unknown due filter {due!r}")


def queue_key(
    priority: str, promised_ship_on: date | None, created_at: datetime, fo_id: int
) -> tuple[int, date, datetime, int]:
    """The order of a queue: priority (urgent first), then the promised ship date (earliest
    first, undated last), then age (oldest first), then id. The database sorts by the same key
    (`fulfillment/queue_queries.py`); this is its definition, tested without one."""
    return (
        PRIORITY_RANK.get(priority, len(PRIORITY_RANK)),
        promised_ship_on or date.max,
        created_at,
        fo_id,
    )


def contact_of(ship_to: dict[str, str] | None, email: str | None) -> dict[str, str]:
    """Who to call or write about the parcel: the recipient on the ship-to address."""
    ship_to = ship_to or {}
    name = f"{ship_to.get('first_name', '')} {ship_to.get('last_name', '')}".strip()
    return {"name": name, "email": email or "", "phone": ship_to.get("phone", "")}
