"""Stock overview: every SKU × location with on hand, reserved, safety stock and available."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ordnung.inventory.overview import StockFilter, stock_overview
from ordnung.staff.model import STOCK_READ
from ordnung.staff.service import StaffUser
from ordnung.web.rendering import query_string, render
from ordnung.web.security import database, require_permission

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@router.get("/stock", response_class=HTMLResponse)
def stock_page(
    request: Request,
    q: str = "",
    location: str = "",
    after: str = "",
    _staff: StaffUser = Depends(require_permission(STOCK_READ)),
) -> Response:
    # A non-numeric location (hand-edited URL) means "all locations", not an error page.
    location_id = int(location) if location.isdigit() else None
    filters = StockFilter(q=q.strip() or None, location_id=location_id)
    overview = stock_overview(database(request), filters, after or None, PAGE_SIZE)
    params: dict[str, str | int | None] = {"q": q.strip(), "location": location_id}
    context = {
        "active": "stock",
        "q": q.strip(),
        "location_id": location_id,
        "overview": overview,
        "is_first_page": not after,
        "first_page_url": "/stock" + query_string(params),
        "next_page_url": None
        if overview.next_after is None
        else "/stock" + query_string({**params, "after": overview.next_after}),
    }
    return render(request, "stock.html", context)
