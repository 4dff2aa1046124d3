"""Staff users and roles: create or invite, change role, location and language, deactivate,
reset a password. Only for roles with `users:manage` (admins).

A new account gets either an initial password or a one-time link to choose one; the link is
shown once, on the page after creation, and never again (only its hash is stored).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.errors import OrdnungError
from ordnung.inventory.locations import list_locations
from ordnung.staff.model import (
    LOCATION_BOUND_ROLES,
    PERMISSIONS,
    ROLE_PERMISSIONS,
    ROLES,
    USERS_MANAGE,
    NewStaffUser,
)
from ordnung.staff.passwords import issue_password_link, set_staff_password
from ordnung.staff.queries import get_staff_account, list_staff_accounts
from ordnung.staff.service import (
    StaffChanges,
    StaffUser,
    add_staff_user,
    deactivate_staff_user,
    reactivate_staff_user,
    update_staff_user,
)
from ordnung.web.flash import leave_flash
from ordnung.web.i18n import LANGUAGES
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database, require_permission
from ordnung.web.shown_once import show_once, take_shown_once

router = APIRouter(include_in_schema=False)

admin_only = require_permission(USERS_MANAGE)
PASSWORD_LINK = "password_link"
# Longest value a text field takes; the services check the real limits.
_MAX_FIELD_LENGTH = 320


@router.get("/users", response_class=HTMLResponse)
def user_list(request: Request, _staff: StaffUser = Depends(admin_only)) -> Response:
    context = {"active": "users", "accounts": list_staff_accounts(database(request))}
    return render(request, "users/list.html", context)


@router.get("/users/new", response_class=HTMLResponse)
def new_user_page(request: Request, _staff: StaffUser = Depends(admin_only)) -> Response:
    values = {"name": "", "email": "", "language": "de", "role": "", "location": ""}
    return _new_user_form(request, {**values, "with_link": True}, None)


@router.post("/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    _staff: StaffUser = Depends(admin_only),
    form: FormData = Depends(checked_form),
) -> Response:
    values: dict[str, Any] = {
        name: _text(form, name) for name in ("name", "email", "language", "role", "location")
    }
    values["with_link"] = form.get("password_mode") != "password"
    password = None if values["with_link"] else str(form.get("password", ""))
    new = NewStaffUser(
        values["email"],
        values["name"],
        values["language"],
        values["role"],
        values["location"] or None,
        password,
    )
    try:
        created = add_staff_user(database(request), new)
    except OrdnungError as error:
        return _new_user_form(
            request, values, {"key": "users.create_failed", "detail": error.detail}
        )
    if created.password_link is not None:
        show_once(request, PASSWORD_LINK, _link_url(request, created.password_link))
    leave_flash(request, "success", "users.created", name=new.name.strip())
    return RedirectResponse(_path(created.id), status_code=303)


@router.get("/users/{staff_id}", response_class=HTMLResponse)
def user_detail(
    request: Request, staff_id: int, staff: StaffUser = Depends(admin_only)
) -> Response:
    try:
        account = get_staff_account(database(request), staff_id)
    except OrdnungError:
        raise PageNotFoundError("error.user_not_found", staff_id) from None
    context = {
        "active": "users",
        "account": account,
        "is_self": account.id == staff.id,
        "password_link": take_shown_once(request, PASSWORD_LINK),
        **_choices(request),
    }
    return render(request, "users/detail.html", context)


@router.post("/users/{staff_id}")
def change_user(
    request: Request,
    staff_id: int,
    _staff: StaffUser = Depends(admin_only),
    form: FormData = Depends(checked_form),
) -> Response:
    changes = StaffChanges(
        _text(form, "name"), _text(form, "language"), _text(form, "role"), _text(form, "location")
    )

    def act() -> str:
        update_staff_user(database(request), staff_id, changes)
        return "users.done_changed"

    return _perform(request, staff_id, act)


@router.post("/users/{staff_id}/deactivate")
def deactivate(
    request: Request,
    staff_id: int,
    staff: StaffUser = Depends(admin_only),
    _form: FormData = Depends(checked_form),
) -> Response:
    def act() -> str:
        deactivate_staff_user(database(request), staff_id, acting_staff_id=staff.id)
        return "users.done_deactivated"

    return _perform(request, staff_id, act)


@router.post("/users/{staff_id}/reactivate")
def reactivate(
    request: Request,
    staff_id: int,
    _staff: StaffUser = Depends(admin_only),
    _form: FormData = Depends(checked_form),
) -> Response:
    def act() -> str:
        reactivate_staff_user(database(request), staff_id)
        return "users.done_reactivated"

    return _perform(request, staff_id, act)


@router.post("/users/{staff_id}/password")
def reset_password(
    request: Request,
    staff_id: int,
    _staff: StaffUser = Depends(admin_only),
    form: FormData = Depends(checked_form),
) -> Response:
    def act() -> str:
        db = database(request)
        if form.get("password_mode") == "password":
            set_staff_password(db, staff_id, str(form.get("password", "")))
            return "users.done_password_set"
        token = issue_password_link(db, staff_id)
        show_once(request, PASSWORD_LINK, _link_url(request, token))
        return "users.done_link_made"

    return _perform(request, staff_id, act)


@router.get("/roles", response_class=HTMLResponse)
def roles_page(request: Request, _staff: StaffUser = Depends(admin_only)) -> Response:
    context = {
        "active": "users",
        "roles": ROLES,
        "permissions": PERMISSIONS,
        "role_permissions": ROLE_PERMISSIONS,
        "location_bound_roles": LOCATION_BOUND_ROLES,
    }
    return render(request, "users/roles.html", context)


def _perform(request: Request, staff_id: int, act: Callable[[], str]) -> Response:
    """Runs the change and leaves its outcome as a flash message; back to the user's page."""
    try:
        key = act()
    except OrdnungError as error:
        leave_flash(request, "error", "users.change_failed", detail=error.detail)
    else:
        leave_flash(request, "success", key)
    return RedirectResponse(_path(staff_id), status_code=303)


def _new_user_form(
    request: Request, values: dict[str, Any], error: dict[str, str] | None
) -> Response:
    context = {"active": "users", "values": values, "error": error, **_choices(request)}
    return render(request, "users/new.html", context, status_code=200 if error is None else 400)


def _choices(request: Request) -> dict[str, Any]:
    return {
        "roles": ROLES,
        "languages": LANGUAGES,
        "locations": list_locations(database(request)),
        "location_bound_roles": LOCATION_BOUND_ROLES,
    }


def _link_url(request: Request, token: str) -> str:
    return str(request.url_for("password_link_page", token=token))


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()[:_MAX_FIELD_LENGTH]


def _path(staff_id: int) -> str:
    return f"/users/{staff_id}"
