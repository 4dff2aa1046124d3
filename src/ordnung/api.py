"""FastAPI app factory: mounts every capability's router, the back office and error handling."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ordnung import __version__
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, install_problem_handlers
from ordnung.core.openapi import API_PREFIX, answers, install_api_docs, install_openapi
from ordnung.core.request_guards import BodySizeLimit, ControlCharactersInUrl, UnhandledErrors
from ordnung.core.settings import Settings, get_settings
from ordnung.orchestration.api import create_intake_writer, create_location_work_writer
from ordnung.orchestration.incoming_supply import register_supply_sources


class HealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]
    version: str = Field(examples=[__version__])


DESCRIPTION = """Order management: orders, stock, sourcing, fulfilment — one window.

Every operation needs an API key (`Authorization: Bearer ord_…`) with the scope it names.
Errors are `application/problem+json` (RFC 9457) with a stable `type`. Money travels as
strings in the order's currency (`"19.99"`), times as ISO 8601 with an offset. Lists give
`next_cursor` for the next page; a `limit` above the largest page is capped (header
`X-Limit-Capped`). Writes accept an `Idempotency-Key`, so a retry is safe."""


# Young objects collected every 100,000 net allocations instead of 700 (see the lifespan).
GC_THRESHOLDS = (100_000, 50, 1000)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = db or Database.from_settings(settings)
    register_supply_sources()  # open purchase orders count as incoming in the promise

    order_intake = create_intake_writer(database, max_batch=settings.intake_batch_size)
    location_work = create_location_work_writer(database, max_batch=settings.intake_batch_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # Everything alive now (modules, tables, routes: about a million objects) lives as
        # long as the process. Frozen, a full garbage collection no longer walks it: measured
        # under load, that turned a 150 ms pause every two seconds — which on SQLite stalls
        # every worker waiting for the write turn — into none (docs/benchmarks.md).
        gc.collect()
        gc.freeze()
        # A request's objects are freed by reference counting when it ends; collecting
        # every 700 new objects (Python's default) only walks the answer being built and
        # promotes it to older generations, whose collections then walk the caches too.
        # Measured on GET /availability (1,000 location figures per answer): server CPU
        # −12 %, p99 halved (docs/benchmarks.md).
        gc.set_threshold(*GC_THRESHOLDS)
        yield
        await to_thread.run_sync(order_intake.close)
        await to_thread.run_sync(location_work.close)

    app = FastAPI(
        lifespan=lifespan,
        title="Ordnung",
        version=__version__,
        description=DESCRIPTION,
        default_response_class=JSONResponse,
        # Served by install_api_docs from packaged assets (no CDN).
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = database
    app.state.settings = settings
    app.state.order_intake = order_intake
    app.state.location_work = location_work
    install_problem_handlers(app)
    install_openapi(app)
    install_api_docs(app)
    _mount_routers(app)
    _mount_back_office(app, settings)

    @app.get("/health", tags=["health"], summary="Is the app up?", responses=answers(HealthOut))
    def health() -> Response:
        """Answers while the app serves requests; load balancers ask it. Needs no API key."""
        return JSONResponse({"status": "ok", "version": __version__})

    # The last added runs first: errors nobody handled, then the URL, then the body's size.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ControlCharactersInUrl, prefix=API_PREFIX + "/")
    app.add_middleware(UnhandledErrors)
    return app


def _mount_routers(app: FastAPI) -> None:
    # One router per capability; each module declares its own paths and scopes.
    from ordnung.automation.api import router as webhooks_router
    from ordnung.catalog.api import router as catalog_router
    from ordnung.catalog.substitutes_api import router as substitutes_router
    from ordnung.channels.api import router as channels_router
    from ordnung.connectors.api import router as connectors_router
    from ordnung.customers.api import router as customers_router
    from ordnung.fulfillment.api import router as fulfillment_router
    from ordnung.fulfillment.pickup_api import router as pickup_router
    from ordnung.inventory.api import router as inventory_router
    from ordnung.orchestration.api import router as actions_router
    from ordnung.orchestration.change_api import router as changes_router
    from ordnung.orchestration.checkout_holds_api import router as checkout_holds_router
    from ordnung.orchestration.checks_api import router as checks_router
    from ordnung.orchestration.dropship_api import router as dropship_router
    from ordnung.orchestration.exception_api import router as exceptions_router
    from ordnung.orchestration.package_api import router as packages_router
    from ordnung.orchestration.pickup_api import router as hand_over_router
    from ordnung.orchestration.purchase_receipts_api import router as receipts_router
    from ordnung.orchestration.returned_parcel_api import router as returned_parcels_router
    from ordnung.orchestration.stock_operations_api import router as stock_operations_router
    from ordnung.orchestration.wave_api import router as waves_router
    from ordnung.orders.api import router as orders_router
    from ordnung.orders.notes_api import router as order_notes_router
    from ordnung.promising.api import router as promising_router
    from ordnung.purchasing.api import router as purchasing_router
    from ordnung.sourcing.api import router as sourcing_router

    # The actions first: routes are matched in order, and order intake is the hot path.
    for router in (
        actions_router,
        changes_router,
        exceptions_router,
        orders_router,
        order_notes_router,
        fulfillment_router,
        catalog_router,
        substitutes_router,
        channels_router,
        connectors_router,
        customers_router,
        inventory_router,
        webhooks_router,
        checks_router,
        purchasing_router,
        receipts_router,
        dropship_router,
        promising_router,
        stock_operations_router,
        checkout_holds_router,
        sourcing_router,
        waves_router,
        packages_router,
        pickup_router,
        hand_over_router,
        returned_parcels_router,
    ):
        app.include_router(router, prefix=API_PREFIX)


def _mount_back_office(app: FastAPI, settings: Settings) -> None:
    from ordnung.web.app import mount_back_office

    mount_back_office(app, settings)
