"""The start page: how many orders are in each status, each count a link to that list."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ordnung.staff.model import ORDERS_READ
from ordnung.staff.service import StaffUser
from ordnung.web.choices import order_counts_by_status
from ordnung.web.rendering import render
from ordnung.web.security import database, require_permission

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, _staff: StaffUser = Depends(require_permission(ORDERS_READ))
) -> Response:
    counts = order_counts_by_status(database(request))
    context = {"active": "dashboard", "counts": counts, "total": sum(counts.values())}
    return render(request, "dashboard.html", context)
