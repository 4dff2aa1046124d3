"""HTTP interface of customers: /customers (read-only; intake creates customers)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import Field

from ordnung.core.api_fields import SINGLE_LINE, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, require
from ordnung.core.openapi import ResponseModel, answers
from ordnung.core.paging import Page, page_answers, page_from_service, requested_page
from ordnung.customers import service

router = APIRouter(tags=["customers"])

# Customer data is read by the people who handle orders, so it shares their scope.
READ_SCOPE = "orders:read"


class CustomerOut(ResponseModel):
    """A customer, known by e-mail; order intake creates and updates customers."""

    id: int
    email: str = Field(examples=["erika@example.de"])
    first_name: str
    last_name: str
    phone: str | None
    created_at: datetime
    updated_at: datetime


class CustomerDetailOut(CustomerOut):
    order_count: int


class CustomerPageOut(ResponseModel):
    items: list[CustomerOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


@router.get(
    "/customers", summary="List and search customers", responses=page_answers(CustomerPageOut)
)
def list_customers(
    q: str | None = Query(
        None,
        max_length=254,
        pattern=SINGLE_LINE,
        description="Part of the e-mail or name",
        examples=["mustermann"],
    ),
    page: Page = Depends(requested_page),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    """Customers in the order they first ordered, optionally only those whose e-mail or name
    contains `q`."""
    result = service.list_customers(db, q=q, after_id=page.after_id, limit=page.limit)
    return page_from_service(page, result)


@router.get(
    "/customers/{customer_id}",
    summary="One customer with their order count",
    responses=answers(CustomerDetailOut, 404),
)
def get_customer(
    customer_id: int = record_id("The customer's id", example=12),
    _: Principal = Depends(require(READ_SCOPE)),
    db: Database = Depends(get_db),
) -> Response:
    """A customer and how many orders they placed."""
    return JSONResponse(service.get_customer(db, customer_id))
