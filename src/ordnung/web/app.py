"""Mounts the back office on the FastAPI app: session cookie, static files and page routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from ordnung.core.settings import Settings
from ordnung.staff.hashing import use_hash_slots
from ordnung.staff.sign_in import sign_in_policy
from ordnung.web.pages import (
    account,
    api_keys,
    auth,
    channel_checks,
    channels,
    connectors,
    dashboard,
    fulfillment,
    fulfillment_exceptions,
    holds,
    holds_policy,
    location_queue,
    locations,
    order_actions,
    order_changes,
    order_notes,
    orders,
    packing,
    pickup,
    product_substitutes,
    product_transfer,
    products,
    promise,
    purchase_orders,
    replenishment,
    returned_parcels,
    setup,
    sourcing,
    stock,
    stock_booking,
    stock_imports,
    stock_transfers,
    stock_write_offs,
    suppliers,
    users,
    waves,
    webhooks,
)
from ordnung.web.rendering import render
from ordnung.web.security import (
    CsrfRejectedError,
    LoginRequiredError,
    PageNotFoundError,
    PermissionRequiredError,
    login_url,
)
from ordnung.web.session_cookie import SessionCookie

STATIC_DIRECTORY = Path(__file__).parent / "static"


def mount_back_office(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        SessionCookie,
        secret_key=settings.secret_key,
        # The browser may drop the cookie when the session can no longer be valid anyway;
        # the session itself checks both lifetimes on every request (web/security.py).
        max_age_seconds=settings.session_max_seconds,
        always_secure=settings.behind_tls_proxy,
    )
    use_hash_slots(settings.password_hash_slots)
    app.state.sign_in_policy = sign_in_policy(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIRECTORY), name="static")
    for module in (
        auth,
        setup,
        account,
        dashboard,
        orders,
        order_actions,
        fulfillment,
        stock,
        users,
        api_keys,
        webhooks,
    ):
        app.include_router(module.router)
    # Administration: catalogue, stock bookings, sales channels, locations.
    for module in (products, product_transfer, stock_booking, channels, locations):
        app.include_router(module.router)
    app.include_router(order_notes.router)  # tags and comments on the order page
    app.include_router(holds.router)  # the hold queue (intake checks)
    app.include_router(channel_checks.router)
    app.include_router(order_changes.router)  # changes after intake
    app.include_router(product_substitutes.router)
    app.include_router(fulfillment_exceptions.router)  # short picks, cancellation requests
    app.include_router(pickup.router)  # click & collect: the store's pickup counter
    app.include_router(location_queue.router)  # a location's queue of open work
    for module in (purchase_orders, suppliers, replenishment):  # supply
        app.include_router(module.router)
    app.include_router(promise.router)  # availability, promise settings, sell scope
    app.include_router(stock_transfers.router)  # transfers between locations
    app.include_router(stock_imports.router)  # stock sync from outside systems
    app.include_router(stock_write_offs.router)  # write-offs and returns on a position
    app.include_router(holds_policy.router)  # checkout holds, product stock policy
    app.include_router(sourcing.router)  # sourcing rules, the unfulfillable queue
    app.include_router(waves.router)  # pick waves, bins, the pick list
    app.include_router(packing.router)  # the packing bench, packages, delivery notes
    app.include_router(returned_parcels.router)  # parcels returned to sender
    app.include_router(connectors.router)  # channel connections, the import queue
    app.add_exception_handler(LoginRequiredError, _redirect_to_login)
    app.add_exception_handler(CsrfRejectedError, _refuse_forged_form)
    app.add_exception_handler(PermissionRequiredError, _refuse_without_permission)
    app.add_exception_handler(PageNotFoundError, _not_found)


def _redirect_to_login(_request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequiredError)
    return RedirectResponse(login_url(error.next_path), status_code=303)


def _refuse_forged_form(request: Request, _error: Exception) -> Response:
    return render(request, "forbidden.html", {"message_key": "error.csrf"}, status_code=403)


def _refuse_without_permission(request: Request, _error: Exception) -> Response:
    return render(request, "forbidden.html", {"message_key": "error.forbidden"}, status_code=403)


def _not_found(request: Request, error: Exception) -> Response:
    assert isinstance(error, PageNotFoundError)
    context = {"message_key": error.message_key, "id": error.object_id}
    return render(request, "not_found.html", context, status_code=404)
