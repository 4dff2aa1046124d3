"""HTTP interface of customers: /customers (read-only; intake creates customers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.errors import ValidationError
from ordnung.core.http import JSONResponse, decode_cursor, encode_cursor, get_db, require
from ordnung.customers import service

router = APIRouter(tags=["customers"])

# Customer data is read by the people who handle orders, so it shares their scope.
READ_SCOPE = "orders:read"


def _after_id(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    if not isinstance(after, int):
        raise ValidationError("The cursor is not valid; use the one a list response gave.")
    return after


def _page(result: dict[str, Any]) -> dict[str, Any]:
    after = result["next_after_id"]
    next_cursor = None if after is None else encode_cursor({"after": after})
    return {"items": result["items"], "next_cursor": next_cursor}


@router.get("/customers")
def list_customers(
    q: str | None = Query(None, max_length=254, description="Part of the e-mail or name"),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    result = service.list_customers(db, q=q, after_id=_after_id(cursor), limit=limit)
    return JSONResponse(_page(result))


@router.get("/customers/{customer_id}")
def get_customer(
    customer_id: int = Path(ge=1, le=2**63 - 1),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    return JSONResponse(service.get_customer(db, customer_id))
