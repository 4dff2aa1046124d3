"""Tags and comments on an order over HTTP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung.core.api_fields import SINGLE_LINE, free_text
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.idempotency import Answer
from ordnung.core.openapi import ResponseModel, answers, idempotent_operation
from ordnung.orders import notes, notes_queries
from ordnung.orders.api import order_id_from_reference, order_in_path
from ordnung.orders.notes_model import MAX_COMMENT_LENGTH, MAX_TAG_LENGTH

router = APIRouter(tags=["orders"])


class TagIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"tag": "gift-wrap"}]}
    )

    tag: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_TAG_LENGTH + 20,  # surrounding spaces are trimmed
            pattern=SINGLE_LINE,
            description="Letters, digits, `-` and `_`; stored trimmed and lower-case",
        ),
    ]


class CommentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"body": "Customer asked to leave it at the door."}]},
    )

    body: Annotated[str, free_text(MAX_COMMENT_LENGTH)]


class TagsOut(ResponseModel):
    order_id: int
    tags: list[str]


class CommentOut(ResponseModel):
    id: int
    author: str
    body: str
    created_at: str


class CommentListOut(ResponseModel):
    items: list[CommentOut]


def tag_in_path() -> Any:
    return Path(
        min_length=1,
        max_length=MAX_TAG_LENGTH + 20,
        pattern=SINGLE_LINE,
        description="The tag to take off",
        examples=["gift-wrap"],
    )


def _tags_answer(result: notes.OrderTags) -> Answer:
    return json_answer(200)({"order_id": result.order_id, "tags": result.tags})


@router.post(
    "/orders/{order_ref}/tags",
    summary="Put a tag on an order",
    responses=answers(TagsOut, 404, 409, description="The order's tags"),
    openapi_extra=idempotent_operation(),
)
def add_tag(
    request: Request,
    body: TagIn,
    order_ref: str = order_in_path(),
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Tags are short words to filter and search by (`tag=` on the list, or `q=`). Putting
    on a tag the order already has changes nothing, so a retry is safe even without an
    Idempotency-Key; with one, a repeat gets the first answer back."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), _tags_answer)
    order_id = order_id_from_reference(db, order_ref)
    tags = notes.add_tag(db, order_id, body.tag, actor=principal.actor, idempotency=keyed)
    return respond(tags, _tags_answer, keyed)


@router.delete(
    "/orders/{order_ref}/tags/{tag}",
    summary="Take a tag off an order",
    responses=answers(TagsOut, 404, description="The order's tags"),
)
def remove_tag(
    order_ref: str = order_in_path(),
    tag: str = tag_in_path(),
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Taking off a tag the order does not have changes nothing, so a retry is safe."""
    order_id = order_id_from_reference(db, order_ref)
    return respond(notes.remove_tag(db, order_id, tag, actor=principal.actor), _tags_answer)


@router.post(
    "/orders/{order_ref}/comments",
    status_code=201,
    summary="Write a comment on an order",
    responses=answers(CommentOut, 404, 409, status=201, description="The comment"),
    openapi_extra=idempotent_operation(),
)
def add_comment(
    request: Request,
    body: CommentIn,
    order_ref: str = order_in_path(),
    principal: Principal = Depends(require("orders:write")),
    db: Database = Depends(get_db),
) -> Response:
    """A note for colleagues, shown on the order's timeline with its author and time.
    Comments are never edited; send an Idempotency-Key so a retry does not write it twice."""
    keyed = idempotent(request, principal, body.model_dump(mode="json"), _CREATED)
    order_id = order_id_from_reference(db, order_ref)
    comment = notes.add_comment(db, order_id, body.body, author=principal.actor, idempotency=keyed)
    return respond(comment, _CREATED, keyed)


@router.get(
    "/orders/{order_ref}/comments",
    summary="The comments on an order",
    responses=answers(CommentListOut, 404),
)
def list_comments(
    order_ref: str = order_in_path(),
    _: Principal = Depends(require("orders:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The comments people wrote on the order, oldest first, each with its author."""
    order_id = order_id_from_reference(db, order_ref)
    notes_queries.require_order(db, order_id)
    return JSONResponse({"items": notes_queries.order_comments(db, order_id)})


_CREATED = json_answer(201)
