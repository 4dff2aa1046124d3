"""Booking stock by hand: goods receipts, adjustments and counts, each with a reason, and the
ledger of a stock position (SKU × location), newest first.

Every booking goes through `orchestration/stock_actions.py`, which gives new units to the
orders waiting for them in the same transaction. The forms on the position page answer with
a redirect back to it and a message (Post/Redirect/Get); the goods receipt form for any SKU
and location is shown again with its problems beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.catalog.service import get_product
from ordnung.core.errors import InsufficientStockError, NotFoundError, OrdnungError
from ordnung.inventory.ledger import ledger_page
from ordnung.inventory.locations import get_location, list_locations
from ordnung.inventory.model import MAX_REASON_LENGTH
from ordnung.inventory.operations import CAUSES, RETURN, WRITE_OFF
from ordnung.inventory.service import StockCount, StockMove, StockPosition, find_position
from ordnung.inventory.stock import ADJUSTMENT, RECEIPT
from ordnung.inventory.transfer_queries import units_on_the_way
from ordnung.orchestration.stock_actions import adjust_stock, set_stock
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper, stock_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, FormRejectedError, text, whole_number
from ordnung.web.rendering import query_string, render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

LEDGER_PAGE_SIZE = 25
# Units one booking may move or count: more at one place is a typo, and the sums must stay
# far inside the database's 32-bit integer columns.
MAX_UNITS_PER_BOOKING = 1_000_000


@dataclass(frozen=True, slots=True)
class ReceiptForm:
    """The goods receipt form as typed, so it can be shown again exactly as it was sent."""

    sku: str = ""
    location: str = ""
    quantity: str = ""
    reason: str = ""
    problems: dict[str, str] = field(default_factory=dict)


@router.get("/stock/receive", response_class=HTMLResponse)
def receive_page(
    request: Request, sku: str = "", location: str = "", _staff: StaffUser = Depends(stock_keeper)
) -> Response:
    return _receive_page(request, ReceiptForm(sku=sku.strip(), location=location.strip()))


@router.post("/stock/receive", response_class=HTMLResponse)
def receive(
    request: Request,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    sku, location = text(form, "sku"), text(form, "location")
    problems = FieldProblems()
    quantity = _positive(form, "quantity", problems)
    reason = _reason(form, problems)
    if not sku:
        problems.add("sku", "stock.error.sku_required")
    elif not _exists(lambda: get_product(db, sku)):
        problems.add("sku", "stock.error.unknown_sku")
    if not _exists(lambda: get_location(db, location)):
        problems.add("location", "stock.error.unknown_location")
    if not problems and quantity is not None:
        move = StockMove(quantity, reason, RECEIPT)
        outcome = _book(
            request, lambda: adjust_stock(db, sku, location, move, actor=actor_of(staff))
        )
        if outcome is not None:
            leave_flash(request, "success", "flash.stock_received", **_figures(outcome, quantity))
            return RedirectResponse(_position_path(sku, location), status_code=303)
    typed = ReceiptForm(sku, location, text(form, "quantity"), text(form, "reason"))
    return _receive_page(request, typed, problems, status_code=422)


@router.get("/stock/{sku}/{location}", response_class=HTMLResponse)
def position_page(
    request: Request,
    sku: str,
    location: str,
    before: str = "",
    _staff: StaffUser = Depends(stock_reader),
) -> Response:
    db = database(request)
    try:
        product = get_product(db, sku)
        place = get_location(db, location)
        stock = find_position(db, sku, location)
    except NotFoundError:
        return _position_not_found(request, sku, location)
    before_id = int(before) if before.isdigit() else None
    ledger = (
        ledger_page(db, stock.id, before_id=before_id, limit=LEDGER_PAGE_SIZE)
        if stock is not None
        else None
    )
    here = _position_path(sku, location)
    context = {
        "active": "stock",
        "product": product,
        "place": place,
        "stock": stock,
        "ledger": ledger,
        "is_first_page": before_id is None,
        "first_page_url": here,
        "next_page_url": None
        if ledger is None or ledger.next_before_id is None
        else here + query_string({"before": ledger.next_before_id}),
        "reason_max": MAX_REASON_LENGTH,
        "incoming": units_on_the_way(db, sku, place["id"]),
        "write_off_causes": CAUSES[WRITE_OFF],
        "return_causes": CAUSES[RETURN],
    }
    return render(request, "stock/position.html", context)


@router.post("/stock/{sku}/{location}/receipt")
def book_receipt(
    request: Request,
    sku: str,
    location: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    def act(problems: FieldProblems) -> tuple[str, dict[str, Any]] | None:
        quantity = _positive(form, "quantity", problems)
        move = StockMove(quantity or 0, _reason(form, problems), RECEIPT)
        if problems:
            return None
        db = database(request)
        outcome = _book(
            request, lambda: adjust_stock(db, sku, location, move, actor=actor_of(staff))
        )
        return None if outcome is None else ("flash.stock_received", _figures(outcome, move.delta))

    return _on_position(request, sku, location, act)


@router.post("/stock/{sku}/{location}/adjustment")
def book_adjustment(
    request: Request,
    sku: str,
    location: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    def act(problems: FieldProblems) -> tuple[str, dict[str, Any]] | None:
        delta = whole_number(form, "delta", problems, "stock.error.delta")
        # Empty, unreadable or zero: a correction changes something, and not by millions.
        if not delta or abs(delta) > MAX_UNITS_PER_BOOKING:
            problems.add("delta", "stock.error.delta")
        move = StockMove(delta or 0, _reason(form, problems), ADJUSTMENT)
        if problems:
            return None
        db = database(request)
        outcome = _book(
            request, lambda: adjust_stock(db, sku, location, move, actor=actor_of(staff))
        )
        return None if outcome is None else ("flash.stock_adjusted", _figures(outcome, move.delta))

    return _on_position(request, sku, location, act)


@router.post("/stock/{sku}/{location}/count")
def book_count(
    request: Request,
    sku: str,
    location: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    def act(problems: FieldProblems) -> tuple[str, dict[str, Any]] | None:
        counted = _not_negative(form, "on_hand", problems, required=True)
        safety = _not_negative(form, "safety_stock", problems, required=False)
        count = StockCount(counted or 0, _reason(form, problems), safety)
        if problems:
            return None
        db = database(request)
        outcome = _book(request, lambda: set_stock(db, sku, location, count, actor=actor_of(staff)))
        return (
            None if outcome is None else ("flash.stock_counted", _figures(outcome, count.on_hand))
        )

    return _on_position(request, sku, location, act)


Act = Callable[[FieldProblems], tuple[str, dict[str, Any]] | None]


def _on_position(request: Request, sku: str, location: str, act: Act) -> Response:
    """Runs a booking from the position page; its outcome or first problem becomes the
    message shown back on that page."""
    problems = FieldProblems()
    try:
        outcome = act(problems)
    except FormRejectedError as error:
        leave_flash(request, "error", error.key, **error.values)
    else:
        if outcome is not None:
            key, values = outcome
            leave_flash(request, "success", key, **values)
        elif problems:
            leave_flash(request, "error", next(iter(problems.by_field.values())))
    return RedirectResponse(_position_path(sku, location), status_code=303)


def _book(request: Request, booking: Callable[[], StockPosition]) -> StockPosition | None:
    """The booking's result, or None after leaving a message that says why it was refused."""
    try:
        return booking()
    except InsufficientStockError as error:
        leave_flash(
            request,
            "error",
            "flash.stock_below_reserved",
            on_hand=error.extra.get("on_hand", "?"),
            reserved=error.extra.get("reserved", "?"),
        )
    except NotFoundError as error:
        leave_flash(request, "error", "flash.stock_not_booked", detail=error.detail)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.stock_not_booked", detail=error.detail)
    return None


def _positive(form: FormData, name: str, problems: FieldProblems) -> int | None:
    quantity = whole_number(form, name, problems, "stock.error.quantity_positive")
    if quantity is None or not 0 < quantity <= MAX_UNITS_PER_BOOKING:
        problems.add(name, "stock.error.quantity_positive")
        return None
    return quantity


def _not_negative(
    form: FormData, name: str, problems: FieldProblems, *, required: bool
) -> int | None:
    value = whole_number(form, name, problems, "stock.error.not_negative")
    if (value is None and required) or (
        value is not None and not 0 <= value <= MAX_UNITS_PER_BOOKING
    ):
        problems.add(name, "stock.error.not_negative")
        return None
    return value


def _reason(form: FormData, problems: FieldProblems) -> str:
    reason = text(form, "reason")
    if not reason:
        problems.add("reason", "flash.reason_required")
    elif len(reason) > MAX_REASON_LENGTH:
        problems.add("reason", "stock.error.reason_too_long")
    return reason


def _exists(look_up: Callable[[], object]) -> bool:
    try:
        look_up()
    except NotFoundError:
        return False
    return True


def _figures(stock: StockPosition, quantity: int) -> dict[str, Any]:
    return {
        "quantity": quantity,
        "sku": stock.sku,
        "location": stock.location,
        "on_hand": stock.on_hand,
        "available": stock.available,
    }


def _receive_page(
    request: Request,
    typed: ReceiptForm,
    problems: FieldProblems | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "active": "stock",
        "values": typed,
        "problems": problems.by_field if problems else {},
        "locations": list_locations(database(request)),
        "reason_max": MAX_REASON_LENGTH,
    }
    return render(request, "stock/receive.html", context, status_code=status_code)


def _position_not_found(request: Request, sku: str, location: str) -> Response:
    db = database(request)
    is_product_known = _exists(lambda: get_product(db, sku))
    context = {
        "active": "stock",
        "message_key": "error.location_not_found"
        if is_product_known
        else "error.product_not_found",
        "value": location if is_product_known else sku,
        "back_url": "/stock",
        "back_key": "stock.back",
    }
    return render(request, "catalogue/missing.html", context, status_code=404)


def _position_path(sku: str, location: str) -> str:
    return f"/stock/{quote(sku, safe='')}/{quote(location, safe='')}"
