"""Tags and comments from the order page: each a POST answered with a redirect back to the
order and a flash message (Post/Redirect/Get), like the other order actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import OrdnungError, ValidationError
from ordnung.orders import notes
from ordnung.orders.notes_model import MAX_COMMENT_LENGTH, MAX_TAG_LENGTH
from ordnung.orders.notes_queries import order_tags
from ordnung.staff.model import ORDERS_WRITE
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.pages.order_actions import order_editor
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)


def notes_context(request: Request, order: dict[str, Any], staff: StaffUser) -> dict[str, Any]:
    """What the order page's tags and comments section needs."""
    return {
        "order_tags": order_tags(database(request), order["id"]),
        "can_note": staff.can(ORDERS_WRITE),
        "note_limits": {"tag": MAX_TAG_LENGTH, "comment": MAX_COMMENT_LENGTH},
    }


@router.post("/orders/{order_id}/tags")
def add_tag(
    request: Request,
    order_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    tag = str(form.get("tag", ""))
    try:
        notes.add_tag(database(request), order_id, tag, actor=_actor(staff))
    except ValidationError:
        leave_flash(request, "error", "flash.tag_invalid", max=MAX_TAG_LENGTH)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.note_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "flash.tag_added", tag=tag.strip().lower())
    return _back(order_id)


@router.post("/orders/{order_id}/tags/{tag}/remove")
def remove_tag(
    request: Request,
    order_id: int,
    tag: str,
    staff: StaffUser = Depends(order_editor),
    _form: FormData = Depends(checked_form),
) -> Response:
    try:
        notes.remove_tag(database(request), order_id, tag, actor=_actor(staff))
    except OrdnungError as error:
        leave_flash(request, "error", "flash.note_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "flash.tag_removed", tag=tag)
    return _back(order_id)


@router.post("/orders/{order_id}/comments")
def add_comment(
    request: Request,
    order_id: int,
    staff: StaffUser = Depends(order_editor),
    form: FormData = Depends(checked_form),
) -> Response:
    body = str(form.get("body", ""))
    try:
        notes.add_comment(database(request), order_id, body, author=_actor(staff))
    except ValidationError:
        leave_flash(request, "error", "flash.comment_invalid", max=MAX_COMMENT_LENGTH)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.note_failed", detail=error.detail)
    else:
        leave_flash(request, "success", "flash.comment_added")
    return _back(order_id)


def _actor(staff: StaffUser) -> str:
    # The same `kind:name` shape as the other order actions (web/pages/order_actions.py).
    return f"staff:{staff.email}"


def _back(order_id: int) -> Response:
    return RedirectResponse(f"/orders/{order_id}", status_code=303)
