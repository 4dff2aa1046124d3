"""Transfers in the back office: the list (by status), a form to send units from one location
to another, and a transfer's page where arrivals are booked line by line or the transfer is
called off. Every action goes through `orchestration/stock_operations.py`; forms answer with a
redirect and a message (Post/Redirect/Get)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import InsufficientStockError, NotFoundError, OrdnungError
from ordnung.inventory.locations import list_locations
from ordnung.inventory.model import MAX_REASON_LENGTH
from ordnung.inventory.operations import (
    MAX_TRANSFER_LINES,
    MAX_UNITS,
    TRANSFER_CAUSES,
    TRANSFER_STATUSES,
    TransferDraft,
    TransferLine,
    TransferReceipt,
)
from ordnung.inventory.transfer_queries import get_transfer, list_transfers
from ordnung.orchestration.stock_operations import (
    cancel_transfer,
    receive_transfer,
    send_transfer,
)
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, FormRejectedError, text, version
from ordnung.web.rendering import query_string, render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


@router.get("/transfers", response_class=HTMLResponse)
def transfers_page(
    request: Request,
    status: str = "",
    before: str = "",
    _staff: StaffUser = Depends(stock_reader),
) -> Response:
    chosen = status if status in TRANSFER_STATUSES else None
    before_id = int(before) if before.isdigit() else None
    page = list_transfers(database(request), status=chosen, after_id=before_id, limit=PAGE_SIZE)
    next_url = None
    if page["next_after_id"] is not None:
        next_url = "/transfers" + query_string({"status": chosen, "before": page["next_after_id"]})
    context = {
        "active": "stock",
        "transfers": page["items"],
        "statuses": TRANSFER_STATUSES,
        "status": chosen or "",
        "next_url": next_url,
        "is_first_page": before_id is None,
        "first_url": "/transfers" + query_string({"status": chosen}),
    }
    return render(request, "stock_ops/transfers.html", context)


@dataclass(frozen=True, slots=True)
class TransferForm:
    """The new-transfer form as typed, to show again with its problems."""

    from_location: str = ""
    to_location: str = ""
    cause: str = "rebalance"
    lines: str = ""
    note: str = ""
    problems: dict[str, str] = field(default_factory=dict)


@router.get("/transfers/new", response_class=HTMLResponse)
def new_transfer_page(
    request: Request, sku: str = "", source: str = "", _staff: StaffUser = Depends(stock_keeper)
) -> Response:
    typed = TransferForm(from_location=source, lines=f"{sku} " if sku else "")
    return _form_page(request, typed)


@router.post("/transfers/new", response_class=HTMLResponse)
def create_transfer(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    typed = TransferForm(
        text(form, "from_location"),
        text(form, "to_location"),
        text(form, "cause"),
        str(form.get("lines", "") or "").strip(),
        text(form, "note"),
    )
    problems = FieldProblems()
    lines = _lines(typed.lines, problems)
    _check_places(typed, problems)
    if typed.cause not in TRANSFER_CAUSES:
        problems.add("cause", "transfers.error.location")
    if len(typed.note) > MAX_REASON_LENGTH:
        problems.add("note", "stock.error.reason_too_long")
    if not problems:
        draft = TransferDraft(
            typed.from_location, typed.to_location, lines, typed.cause, typed.note
        )
        db = database(request)
        moved = _act(request, lambda: send_transfer(db, draft, actor=actor_of(staff)))
        if moved is not None:
            leave_flash(request, "success", "flash.transfer_sent", number=moved.number)
            return RedirectResponse(f"/transfers/{moved.transfer_id}", status_code=303)
    return _form_page(request, typed, problems, status_code=422)


def _check_places(typed: TransferForm, problems: FieldProblems) -> None:
    if not typed.from_location:
        problems.add("from_location", "transfers.error.location")
    if not typed.to_location:
        problems.add("to_location", "transfers.error.location")
    elif typed.to_location == typed.from_location:
        problems.add("to_location", "transfers.error.same_location")


def _lines(typed: str, problems: FieldProblems) -> tuple[TransferLine, ...]:
    """`SKU quantity` per line (a `;`, `,` or tab works as separator too)."""
    quantities: dict[str, int] = {}
    for raw in typed.splitlines():
        parts = raw.replace(";", " ").replace(",", " ").replace("\t", " ").split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[1].isdigit() or not 0 < int(parts[1]) <= MAX_UNITS:
            problems.add("lines", "transfers.error.lines")
            continue
        quantities[parts[0]] = quantities.get(parts[0], 0) + int(parts[1])
    if not quantities or len(quantities) > MAX_TRANSFER_LINES:
        problems.add("lines", "transfers.error.lines")
    return tuple(TransferLine(sku, quantity) for sku, quantity in quantities.items())


def _form_page(
    request: Request,
    typed: TransferForm,
    problems: FieldProblems | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "active": "stock",
        "values": typed,
        "problems": problems.by_field if problems else {},
        "locations": list_locations(database(request)),
        "causes": TRANSFER_CAUSES,
        "note_max": MAX_REASON_LENGTH,
    }
    return render(request, "stock_ops/transfer_new.html", context, status_code=status_code)


@router.get("/transfers/{transfer_id}", response_class=HTMLResponse)
def transfer_page(
    request: Request, transfer_id: int, _staff: StaffUser = Depends(stock_reader)
) -> Response:
    try:
        transfer = get_transfer(database(request), transfer_id)
    except NotFoundError:
        context = {
            "active": "stock",
            "message_key": "transfers.not_found",
            "value": transfer_id,
            "back_url": "/transfers",
            "back_key": "transfers.back",
        }
        return render(request, "catalogue/missing.html", context, status_code=404)
    context = {"active": "stock", "transfer": transfer, "note_max": MAX_REASON_LENGTH}
    return render(request, "stock_ops/transfer.html", context)


@router.post("/transfers/{transfer_id}/receive")
def receive(
    request: Request,
    transfer_id: int,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    quantities: dict[str, int] = {}
    is_all = text(form, "everything") == "1"
    for index in range(MAX_TRANSFER_LINES):
        sku = text(form, f"sku_{index}")
        if not sku:
            break
        typed = text(form, f"left_{index}" if is_all else f"quantity_{index}")
        if typed.isdigit() and int(typed) > 0:
            quantities[sku] = int(typed)
    receipt = TransferReceipt(quantities, text(form, "note"), _shown_version(form))
    db = database(request)
    moved = _act(request, lambda: receive_transfer(db, transfer_id, receipt, actor=actor_of(staff)))
    if moved is not None:
        key = (
            "flash.transfer_completed" if moved.status == "received" else "flash.transfer_received"
        )
        leave_flash(request, "success", key, number=moved.number)
    return RedirectResponse(f"/transfers/{transfer_id}", status_code=303)


@router.post("/transfers/{transfer_id}/cancel")
def cancel(
    request: Request,
    transfer_id: int,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    note = text(form, "note")
    if not note:
        leave_flash(request, "error", "transfers.error.note")
        return RedirectResponse(f"/transfers/{transfer_id}", status_code=303)
    db = database(request)
    expected = _shown_version(form)
    moved = _act(
        request,
        lambda: cancel_transfer(
            db, transfer_id, note=note, expected_version=expected, actor=actor_of(staff)
        ),
    )
    if moved is not None:
        leave_flash(request, "success", "flash.transfer_cancelled", number=moved.number)
    return RedirectResponse(f"/transfers/{transfer_id}", status_code=303)


def _shown_version(form: FormData) -> int | None:
    try:
        return version(form)
    except FormRejectedError:  # an old page without the version: book what is there now
        return None


def _act(request: Request, action: Callable[[], Any]) -> Any:
    """The action's result, or None after leaving a message that says why it was refused."""
    try:
        return action()
    except InsufficientStockError as error:
        values = {name: error.extra.get(name, "?") for name in _FIGURES}
        leave_flash(request, "error", "flash.transfer_not_enough", **values)
    except OrdnungError as error:
        problems = error.extra.get("errors") or []
        detail = problems[0]["message"] if problems else error.detail
        leave_flash(request, "error", "flash.transfer_refused", detail=detail)
    return None


_FIGURES = ("sku", "location", "on_hand", "reserved", "free", "requested")
