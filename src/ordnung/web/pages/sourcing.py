"""Sourcing in the back office: a channel's rule versions (draft, simulate, activate), the
orders nobody can fulfil, and the decision shown on the order page (`sourcing_context`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ordnung.core.db import Database
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.inventory.locations import list_locations
from ordnung.orders.replay import MAX_REPLAYED
from ordnung.sourcing import rule_versions
from ordnung.sourcing.decisions import decisions_of_order, unfulfillable_orders
from ordnung.sourcing.rules import SPLIT_POLICIES, STRATEGIES, parse_rules
from ordnung.sourcing.simulator import simulate
from ordnung.staff.model import CHANNELS_READ, CHANNELS_WRITE, ORDERS_READ
from ordnung.staff.service import StaffUser
from ordnung.web.flash import leave_flash
from ordnung.web.form_input import FormRejectedError, version
from ordnung.web.rendering import render
from ordnung.web.security import PageNotFoundError, checked_form, database, require_permission

router = APIRouter(include_in_schema=False)

# The form's number fields, in the order the filters run: (filter kind, the number's name).
NUMBER_FILTERS = (
    ("max_distance", "km"),
    ("no_store_for_bulky", "grams"),
    ("keep_units", "units"),
    ("daily_capacity", "orders"),
)


@router.get("/channels/{code}/sourcing", response_class=HTMLResponse)
def sourcing_rules(
    request: Request, code: str, staff: StaffUser = Depends(require_permission(CHANNELS_READ))
) -> Response:
    versions = _versions(request, code)
    latest = versions[0]["rules"] if versions else parse_rules({}).as_plain()
    context = {
        "active": "channels",
        "code": code,
        "versions": versions,
        "form": _form_values(latest),
        "strategies": STRATEGIES,
        "split_policies": SPLIT_POLICIES,
        "number_filters": NUMBER_FILTERS,
        "can_edit": staff.can(CHANNELS_WRITE),
    }
    return render(request, "sourcing/rules.html", context)


@router.post("/channels/{code}/sourcing")
def draft_sourcing_rules(
    request: Request,
    code: str,
    staff: StaffUser = Depends(require_permission(CHANNELS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    _versions(request, code)
    try:
        rules = parse_rules(_rules_from(form))
        created = rule_versions.create_rule_draft(
            database(request), code, rules, actor=f"staff:{staff.email}"
        )
    except (ValidationError, FormRejectedError) as error:
        detail = error.extra.get("field", "") if isinstance(error, ValidationError) else ""
        leave_flash(request, "error", "sourcing.invalid", field=detail)
    else:
        leave_flash(request, "success", "sourcing.drafted", number=created["number"])
    return RedirectResponse(f"/channels/{code}/sourcing", status_code=303)


@router.post("/channels/{code}/sourcing/{number}/activate")
def activate_sourcing_rules(
    request: Request,
    code: str,
    number: int,
    staff: StaffUser = Depends(require_permission(CHANNELS_WRITE)),
    form: FormData = Depends(checked_form),
) -> Response:
    try:
        rule_versions.activate_rule_version(
            database(request),
            code,
            number,
            actor=f"staff:{staff.email}",
            expected_version=version(form),
        )
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None
    except (ConflictError, FormRejectedError):
        leave_flash(request, "error", "sourcing.stale")
    else:
        leave_flash(request, "success", "sourcing.activated", number=number)
    return RedirectResponse(f"/channels/{code}/sourcing", status_code=303)


@router.get("/channels/{code}/sourcing/{number}/simulate", response_class=HTMLResponse)
def simulate_sourcing_rules(
    request: Request,
    code: str,
    number: int,
    orders: int = Query(default=100, ge=1, le=MAX_REPLAYED),
    _: StaffUser = Depends(require_permission(CHANNELS_READ)),
) -> Response:
    try:
        outcomes = simulate(database(request), code, number, orders)
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None
    context = {
        "active": "channels",
        "code": code,
        "number": number,
        "orders": orders,
        "max_orders": MAX_REPLAYED,
        "outcomes": outcomes,
    }
    return render(request, "sourcing/simulate.html", context)


@router.get("/sourcing/unfulfillable", response_class=HTMLResponse)
def unfulfillable(
    request: Request, _: StaffUser = Depends(require_permission(ORDERS_READ))
) -> Response:
    db = database(request)
    orders = unfulfillable_orders(db)
    context = {"active": "unfulfillable", "orders": orders, "locations": _location_codes(db)}
    return render(request, "sourcing/unfulfillable.html", context)


def sourcing_context(db: Database, order_id: int) -> dict[str, Any]:
    """What the order page's sourcing panel shows: the decisions, newest first."""
    decisions = decisions_of_order(db, order_id)
    return {
        "sourcing_decisions": decisions[:5],
        "sourcing_locations": _location_codes(db) if decisions else {},
    }


def _location_codes(db: Database) -> dict[int, str]:
    return {location["id"]: location["code"] for location in list_locations(db)}


def _versions(request: Request, code: str) -> list[dict[str, Any]]:
    try:
        return rule_versions.list_rule_versions(database(request), code)
    except NotFoundError:
        raise PageNotFoundError("error.channel_not_found", code) from None


def _form_values(rules: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "strategy": rules["strategy"],
        "split": rules["split"]["policy"],
        "max_shipments": rules["split"].get("max_shipments", ""),
        "capability": "",
        "country": False,
        "countries": "",
        **{kind: "" for kind, _ in NUMBER_FILTERS},
    }
    for rule in rules["filters"]:
        if rule["kind"] == "capability":
            values["capability"] = rule["capability"]
        elif rule["kind"] == "country":
            values["country"] = True
            values["countries"] = " ".join(rule["countries"])
        else:
            name = dict(NUMBER_FILTERS)[rule["kind"]]
            values[rule["kind"]] = rule[name]
    return values


def _rules_from(form: FormData) -> dict[str, Any]:
    """The form as the rules' plain form; parse_rules checks it (empty number: no filter)."""
    filters: list[dict[str, Any]] = []
    capability = str(form.get("capability", "")).strip()
    if capability:
        filters.append({"kind": "capability", "capability": capability})
    if form.get("country"):
        countries = str(form.get("countries", "")).upper().replace(",", " ").split()
        filters.append({"kind": "country", "countries": countries})
    for kind, name in NUMBER_FILTERS:
        value = str(form.get(kind, "")).strip()
        if value:
            filters.append({"kind": kind, name: _number(value, kind)})
    split: dict[str, Any] = {"policy": str(form.get("split", ""))}
    if split["policy"] == "max_shipments":
        split["max_shipments"] = _number(str(form.get("max_shipments", "")), "max_shipments")
    return {"filters": filters, "strategy": str(form.get("strategy", "")), "split": split}


def _number(value: str, field: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise ValidationError(f"Invalid fields: {field}", field=field)
    return int(value)
