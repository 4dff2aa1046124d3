"""The hold queue: held orders with why (translated, with figures) and the rule that fired;
filter by reason and channel; release or cancel many at once with one note.

The bulk form needs no JavaScript: each hold has a checkbox whose value carries the order,
the hold and the order version the page showed (`order:hold:version`), so an order that
changed since is reported as such instead of being acted on blindly. Every order is its own
transaction (orchestration/hold_actions.py); the answer is a page that lists what happened
to each.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.channels.service import list_channels
from ordnung.checks.service import check_warnings_of_order
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.paging import decode_cursor, encode_cursor
from ordnung.orchestration.hold_actions import QueueItem, cancel_many, release_many
from ordnung.orders.hold_queue import HoldQueueFilter, list_active_holds
from ordnung.orders.model import HOLD_REASONS
from ordnung.staff.model import ORDERS_READ, ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.hold_facts import describe_facts, fired_rules
from ordnung.web.rendering import query_string, render
from ordnung.web.security import checked_form, database, require_permission

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
NOTE_MAX = 500
MAX_PICKS = 200


@router.get("/holds", response_class=HTMLResponse)
def hold_queue(
    request: Request,
    reason: str = "",
    channel: str = "",
    cursor: str = "",
    staff: StaffUser = Depends(require_permission(ORDERS_READ)),
) -> Response:
    db = database(request)
    filters = HoldQueueFilter(reason if reason in HOLD_REASONS else None, channel or None)
    try:
        after_id = decode_cursor(cursor) if cursor else None
    except ValidationError:
        after_id = None  # an outdated link starts again at the top
    page = list_active_holds(db, filters, after_id, PAGE_SIZE)
    params: dict[str, str | int | None] = {"reason": filters.reason, "channel": filters.channel}
    next_after = page["next_after_id"]
    context = {
        "active": "holds",
        "holds": page["items"],
        "reasons": sorted(HOLD_REASONS),
        "channels": list_channels(db),
        "filters": filters,
        "can_act": staff.can(ORDERS_WRITE),
        "describe": describe_facts,
        "fired_rules": fired_rules,
        "note_max": NOTE_MAX,
        "is_first_page": after_id is None,
        "first_page_url": "/holds" + query_string(params),
        "next_page_url": None
        if next_after is None
        else "/holds" + query_string({**params, "cursor": encode_cursor(next_after)}),
    }
    return render(request, "holds/list.html", context)


@router.post("/holds/bulk")
def act_on_holds(
    request: Request,
    staff: StaffUser = Depends(require_permission(ORDERS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    items = _picked(form)
    note = str(form.get("note", "")).strip()
    action = str(form.get("action", ""))
    problem = _problem(items, note)
    if problem is not None or action not in ("release", "cancel"):
        leave_flash(request, "error", problem or "hold_queue.nothing_selected", max=NOTE_MAX)
        return RedirectResponse("/holds", status_code=303)
    act = release_many if action == "release" else cancel_many
    outcomes = act(database(request), items, note=note, actor=f"staff:{staff.email}")
    numbers = _numbers(form)
    context: dict[str, Any] = {
        "active": "holds",
        "action": action,
        "results": [(numbers.get(o.order_id, str(o.order_id)), o) for o in outcomes],
    }
    return render(request, "holds/result.html", context)


def _problem(items: list[QueueItem], note: str) -> str | None:
    if not items:
        return "hold_queue.nothing_selected"
    if not note:
        return "hold_queue.note_required"
    if len(note) > NOTE_MAX:
        return "hold_queue.note_too_long"
    return None


def _picked(form: FormData) -> list[QueueItem]:
    """The ticked holds grouped by order; values that are not `order:hold:version` are
    ignored (a tampered form acts on nothing it did not show)."""
    holds: dict[int, list[int]] = defaultdict(list)
    versions: dict[int, int] = {}
    for value in form.getlist("pick")[:MAX_PICKS]:
        parts = str(value).split(":")
        if len(parts) != 3 or not all(part.isdigit() and len(part) < 19 for part in parts):
            continue
        order_id, hold_id, version = (int(part) for part in parts)
        holds[order_id].append(hold_id)
        versions[order_id] = version
    return [QueueItem(order_id, tuple(ids), versions[order_id]) for order_id, ids in holds.items()]


def _numbers(form: FormData) -> dict[int, str]:
    """Order numbers as the page showed them (hidden `number:<id>` fields), for the report."""
    numbers = {}
    for key, value in form.multi_items():
        if key.startswith("number:") and key[7:].isdigit():
            numbers[int(key[7:])] = str(value)[:40]
    return numbers


def order_check_context(db: Database, order_id: int) -> dict[str, Any]:
    """What the order page needs to show holds and check warnings in the reader's words."""
    return {
        "check_warnings": check_warnings_of_order(db, order_id),
        "describe_facts": describe_facts,
        "fired_rules": fired_rules,
    }
