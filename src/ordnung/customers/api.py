"""HTTP interface of customers: /customers (read-only; intake creates customers)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import (
    JSONResponse,
    after_id_from_cursor,
    get_db,
    page_with_cursor,
    require,
)
from ordnung.customers import service

router = APIRouter(tags=["customers"])

# Customer data is read by the people who handle orders, so it shares their scope.
READ_SCOPE = "orders:read"


@router.get("/customers")
def list_customers(
    q: str | None = Query(None, max_length=254, description="Part of the e-mail or name"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    result = service.list_customers(db, q=q, after_id=after_id_from_cursor(cursor), limit=limit)
    return JSONResponse(page_with_cursor(result))


@router.get("/customers/{customer_id}")
def get_customer(
    customer_id: int = Path(ge=1, le=2**63 - 1),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(service.get_customer(db, customer_id))
