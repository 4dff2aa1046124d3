"""The start page: how many orders are in each status, each count a link to that list."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ordnung.staff.service import StaffUser
from ordnung.web.choices import order_counts_by_status
from ordnung.web.rendering import render
from ordnung.web.security import current_staff, database

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/orders", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, _staff: StaffUser = Depends(current_staff)) -> Response:
    counts = order_counts_by_status(database(request))
    context = {"active": "dashboard", "counts": counts, "total": sum(counts.values())}
    return render(request, "dashboard.html", context)
