"""Sales channels: list, create and edit (name, type, currency). A channel's code is fixed
once created — connectors, order numbers and URLs name it — so the edit form shows it only.

Forms are shown again with every problem beside its field (422); a saved form redirects to
the list with a message. Edits carry the version the page showed, so a stale page is refused
instead of overwriting a colleague's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.channels.model import (
    CHANNEL_TYPES,
    MAX_NAME_LENGTH,
    Channel,
    ChannelDraft,
    invalid_channel_fields,
)
from ordnung.channels.service import create_channel, get_channel, list_channels, update_channel
from ordnung.core.errors import ConflictError, NotFoundError, OrdnungError, StaleVersionError
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, channel_admin, channel_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, FormRejectedError, text, version
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database

router = APIRouter(include_in_schema=False)

# In the order people pick them; the model knows them as a set.
TYPE_CHOICES = tuple(
    sorted(CHANNEL_TYPES, key=("webshop", "marketplace", "store", "phone", "b2b").index)
)
# Offered as suggestions; any ISO 4217 code is accepted.
COMMON_CURRENCIES = ("EUR", "CHF", "GBP", "USD", "PLN", "CZK", "DKK", "SEK")


@dataclass(frozen=True, slots=True)
class ChannelForm:
    """The channel form as typed, so it can be shown again exactly as it was sent."""

    code: str = ""
    name: str = ""
    type: str = "webshop"
    currency: str = "EUR"

    @classmethod
    def of(cls, channel: Channel) -> ChannelForm:
        return cls(channel.code, channel.name, channel.type, channel.currency)

    @classmethod
    def read(cls, form: FormData, code: str | None = None) -> ChannelForm:
        return cls(
            code if code is not None else text(form, "code"),
            text(form, "name"),
            text(form, "type"),
            text(form, "currency"),
        )

    def checked(self) -> tuple[ChannelDraft | None, FieldProblems]:
        draft = ChannelDraft(self.code, self.name, self.type, self.currency)
        problems = FieldProblems()
        for field in invalid_channel_fields(draft):
            problems.add(field, f"channel.error.{field}")
        return (None if problems else draft), problems


@router.get("/channels", response_class=HTMLResponse)
def channel_list(request: Request, _staff: StaffUser = Depends(channel_reader)) -> Response:
    context = {"active": "channels", "channels": list_channels(database(request))}
    return render(request, "channels/list.html", context)


@router.get("/channels/new", response_class=HTMLResponse)
def new_channel(request: Request, _staff: StaffUser = Depends(channel_admin)) -> Response:
    return _form_page(request, ChannelForm(), FieldProblems())


@router.post("/channels/new", response_class=HTMLResponse)
def create(
    request: Request,
    staff: StaffUser = Depends(channel_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    values = ChannelForm.read(form)
    draft, problems = values.checked()
    if draft is not None:
        try:
            created = create_channel(database(request), draft, actor=actor_of(staff))
        except ConflictError:
            problems.add("code", "channel.error.code_taken")
        else:
            leave_flash(request, "success", "flash.channel_created", code=created.code)
            return RedirectResponse("/channels", status_code=303)
    return _form_page(request, values, problems, status_code=422)


@router.get("/channels/{code}/edit", response_class=HTMLResponse)
def edit_channel(
    request: Request, code: str, _staff: StaffUser = Depends(channel_reader)
) -> Response:
    try:
        channel = get_channel(database(request), code)
    except NotFoundError:
        return _not_found(request, code)
    return _form_page(request, ChannelForm.of(channel), FieldProblems(), channel)


@router.post("/channels/{code}/edit", response_class=HTMLResponse)
def save(
    request: Request,
    code: str,
    staff: StaffUser = Depends(channel_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    try:
        channel = get_channel(db, code)
        seen_version = version(form)
    except NotFoundError:
        return _not_found(request, code)
    except FormRejectedError as error:
        leave_flash(request, "error", error.key)
        return RedirectResponse(_edit_path(code), status_code=303)
    values = ChannelForm.read(form, code=code)
    draft, problems = values.checked()
    if draft is None:
        return _form_page(request, values, problems, channel, status_code=422)
    try:
        update_channel(db, code, draft, actor=actor_of(staff), expected_version=seen_version)
    except StaleVersionError:
        leave_flash(request, "error", "flash.changed_meanwhile")
        return RedirectResponse(_edit_path(code), status_code=303)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.not_saved", detail=error.detail)
        return RedirectResponse(_edit_path(code), status_code=303)
    leave_flash(request, "success", "flash.channel_saved", code=code)
    return RedirectResponse("/channels", status_code=303)


def _form_page(
    request: Request,
    values: ChannelForm,
    problems: FieldProblems,
    channel: Channel | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "active": "channels",
        "values": values,
        "problems": problems.by_field,
        "channel": channel,
        "types": TYPE_CHOICES,
        "currencies": COMMON_CURRENCIES,
        "name_max": MAX_NAME_LENGTH,
    }
    return render(request, "channels/form.html", context, status_code=status_code)


def _not_found(request: Request, code: str) -> Response:
    context = {
        "active": "channels",
        "message_key": "error.channel_not_found",
        "value": code,
        "back_url": "/channels",
        "back_key": "channels.back",
    }
    return render(request, "catalogue/missing.html", context, status_code=404)


def _edit_path(code: str) -> str:
    return f"/channels/{quote(code, safe='')}/edit"
