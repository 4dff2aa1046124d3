"""Write-offs and returns to stock from a position's page: units damaged, lost or expired
leave (never those orders hold), returned units go back on sale. Each with a cause from the
kind's list and an optional note; the answer is a redirect back with a message."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import InsufficientStockError, OrdnungError
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.operations import MAX_UNITS, RETURN, WRITE_OFF
from ordnung.orchestration.stock_operations import book_stock
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, stock_keeper
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, text, whole_number
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)


@router.post("/stock/{sku}/{location}/write-off")
def write_off(
    request: Request,
    sku: str,
    location: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    return _book(request, sku, location, WRITE_OFF, actor_of(staff), form)


@router.post("/stock/{sku}/{location}/return")
def return_to_stock(
    request: Request,
    sku: str,
    location: str,
    staff: StaffUser = Depends(stock_keeper),
    form: FormData = Depends(checked_form),
) -> Response:
    return _book(request, sku, location, RETURN, actor_of(staff), form)


def _book(
    request: Request, sku: str, location: str, kind: str, actor: str, form: FormData
) -> Response:
    back = RedirectResponse(f"/stock/{quote(sku, safe='')}/{quote(location, safe='')}", 303)
    problems = FieldProblems()
    quantity = whole_number(form, "quantity", problems, "stock.error.quantity_positive")
    if quantity is None or not 0 < quantity <= MAX_UNITS:
        leave_flash(request, "error", "stock.error.quantity_positive")
        return back
    booking = StockBooking(kind, quantity, text(form, "cause"), text(form, "note"))
    try:
        position = book_stock(database(request), sku, location, booking, actor=actor)
    except InsufficientStockError as error:
        leave_flash(
            request,
            "error",
            "flash.stock_below_reserved",
            on_hand=error.extra.get("on_hand", "?"),
            reserved=error.extra.get("reserved", "?"),
        )
        return back
    except OrdnungError as error:
        found = error.extra.get("errors") or []
        detail = found[0]["message"] if found else error.detail
        leave_flash(request, "error", "flash.stock_not_booked", detail=detail)
        return back
    key = "flash.stock_written_off" if kind == WRITE_OFF else "flash.stock_returned"
    figures = {"on_hand": position.on_hand, "available": position.available}
    leave_flash(request, "success", key, quantity=quantity, sku=sku, location=location, **figures)
    return back
