"""Locations (warehouses, stores, suppliers, 3PLs): list, create and edit name, type,
capabilities, sourcing priority and address with its ISO country. A location's code is fixed
once created — API keys, stock URLs and connectors name it — so the edit form shows it only.

Forms are shown again with every problem beside its field (422); a saved form redirects to
the list with a message. Edits carry the version the page showed, so a stale page is refused
instead of overwriting a colleague's change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from babel import Locale
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.countries import iso_countries
from ordnung.core.errors import ConflictError, NotFoundError, OrdnungError, StaleVersionError
from ordnung.inventory.locations import (
    create_location,
    get_location,
    list_locations,
    update_location,
)
from ordnung.inventory.model import (
    ADDRESS_LIMITS,
    CAPABILITIES,
    LOCATION_TYPES,
    MAX_NAME_LENGTH,
    MAX_PRIORITY,
    Address,
    LocationDraft,
    invalid_location_fields,
)
from ordnung.staff.service import StaffUser
from ordnung.web.admin_access import actor_of, location_admin, location_reader
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FieldProblems, FormRejectedError, text, version, whole_number
from ordnung.web.i18n import LOCALES
from ordnung.web.rendering import render
from ordnung.web.security import checked_form, database, language

router = APIRouter(include_in_schema=False)

TYPE_CHOICES = tuple(sorted(LOCATION_TYPES, key=("warehouse", "store", "3pl", "supplier").index))
CAPABILITY_CHOICES = tuple(
    sorted(CAPABILITIES, key=("ship", "pickup", "ship_from_store", "dropship").index)
)


@dataclass(frozen=True, slots=True)
class LocationForm:
    """The location form as typed, so it can be shown again exactly as it was sent."""

    code: str = ""
    name: str = ""
    type: str = "warehouse"
    capabilities: tuple[str, ...] = ("ship",)
    priority: str = "100"
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "DE"

    @classmethod
    def of(cls, location: dict[str, Any]) -> LocationForm:
        address = location["address"]
        return cls(
            code=location["code"],
            name=location["name"],
            type=location["type"],
            capabilities=tuple(location["capabilities"]),
            priority=str(location["priority"]),
            street=str(address.get("street", "")),
            postal_code=str(address.get("postal_code", "")),
            city=str(address.get("city", "")),
            country=str(address.get("country", "")),
        )

    @classmethod
    def read(cls, form: FormData, code: str | None = None) -> LocationForm:
        return cls(
            code=code if code is not None else text(form, "code"),
            name=text(form, "name"),
            type=text(form, "type"),
            capabilities=tuple(str(value) for value in form.getlist("capabilities")),
            priority=text(form, "priority"),
            street=text(form, "street"),
            postal_code=text(form, "postal_code"),
            city=text(form, "city"),
            country=text(form, "country"),
        )

    def checked(self, form: FormData) -> tuple[LocationDraft | None, FieldProblems]:
        problems = FieldProblems()
        priority = whole_number(form, "priority", problems, "location.error.priority")
        if priority is None:
            problems.add("priority", "location.error.priority")
        draft = LocationDraft(
            code=self.code,
            name=self.name,
            type=self.type,
            address=Address(self.street, self.postal_code, self.city, self.country),
            capabilities=self.capabilities,
            priority=priority if priority is not None else 0,
        )
        for refused in invalid_location_fields(draft):
            name = refused.removeprefix("address.")
            problems.add(name, f"location.error.{name}")
        return (None if problems else draft), problems


@router.get("/locations", response_class=HTMLResponse)
def location_list(request: Request, _staff: StaffUser = Depends(location_reader)) -> Response:
    context = {
        "active": "locations",
        "locations": list_locations(database(request)),
        "country_names": dict(countries(language(request))),
    }
    return render(request, "locations/list.html", context)


@router.get("/locations/new", response_class=HTMLResponse)
def new_location(request: Request, _staff: StaffUser = Depends(location_admin)) -> Response:
    return _form_page(request, LocationForm(), FieldProblems())


@router.post("/locations/new", response_class=HTMLResponse)
def create(
    request: Request,
    staff: StaffUser = Depends(location_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    values = LocationForm.read(form)
    draft, problems = values.checked(form)
    if draft is not None:
        try:
            created = create_location(database(request), draft, actor=actor_of(staff))
        except ConflictError:
            problems.add("code", "location.error.code_taken")
        else:
            leave_flash(request, "success", "flash.location_created", code=created["code"])
            return RedirectResponse("/locations", status_code=303)
    return _form_page(request, values, problems, status_code=422)


@router.get("/locations/{code}/edit", response_class=HTMLResponse)
def edit_location(
    request: Request, code: str, _staff: StaffUser = Depends(location_reader)
) -> Response:
    try:
        location = get_location(database(request), code)
    except NotFoundError:
        return _not_found(request, code)
    return _form_page(request, LocationForm.of(location), FieldProblems(), location)


@router.post("/locations/{code}/edit", response_class=HTMLResponse)
def save(
    request: Request,
    code: str,
    staff: StaffUser = Depends(location_admin),
    form: FormData = Depends(checked_form),
) -> Response:
    db = database(request)
    try:
        location = get_location(db, code)
        seen_version = version(form)
    except NotFoundError:
        return _not_found(request, code)
    except FormRejectedError as error:
        leave_flash(request, "error", error.key)
        return RedirectResponse(_edit_path(code), status_code=303)
    values = LocationForm.read(form, code=code)
    draft, problems = values.checked(form)
    if draft is None:
        return _form_page(request, values, problems, location, status_code=422)
    try:
        update_location(db, code, draft, actor=actor_of(staff), expected_version=seen_version)
    except StaleVersionError:
        leave_flash(request, "error", "flash.changed_meanwhile")
        return RedirectResponse(_edit_path(code), status_code=303)
    except OrdnungError as error:
        leave_flash(request, "error", "flash.not_saved", detail=error.detail)
        return RedirectResponse(_edit_path(code), status_code=303)
    leave_flash(request, "success", "flash.location_saved", code=code)
    return RedirectResponse("/locations", status_code=303)


def countries(language_code: str) -> list[tuple[str, str]]:
    """ISO 3166-1 countries as (code, name in the reader's language), sorted by name as a
    reader expects: "Österreich" among the O's, not after "Zypern"."""
    names = Locale.parse(LOCALES[language_code]).territories
    pairs = [(code, str(names.get(code, code))) for code in iso_countries()]
    return sorted(pairs, key=lambda pair: _sort_key(pair[1]))


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _form_page(
    request: Request,
    values: LocationForm,
    problems: FieldProblems,
    location: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "active": "locations",
        "values": values,
        "problems": problems.by_field,
        "location": location,
        "types": TYPE_CHOICES,
        "capabilities": CAPABILITY_CHOICES,
        "countries": countries(language(request)),
        "name_max": MAX_NAME_LENGTH,
        "priority_max": MAX_PRIORITY,
        "address_limits": ADDRESS_LIMITS,
    }
    return render(request, "locations/form.html", context, status_code=status_code)


def _not_found(request: Request, code: str) -> Response:
    context = {
        "active": "locations",
        "message_key": "error.location_not_found",
        "value": code,
        "back_url": "/locations",
        "back_key": "locations.back",
    }
    return render(request, "catalogue/missing.html", context, status_code=404)


def _edit_path(code: str) -> str:
    return f"/locations/{quote(code, safe='')}/edit"
