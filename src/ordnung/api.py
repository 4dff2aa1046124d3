"""FastAPI app factory: mounts every capability's router, the back office and error handling."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import Response

from ordnung import __version__
from ordnung.core.db import Database
from ordnung.core.http import (
    BodySizeLimit,
    JSONResponse,
    install_openapi,
    install_problem_handlers,
)
from ordnung.core.settings import Settings, get_settings
from ordnung.orchestration.api import create_intake_writer

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = db or Database.from_settings(settings)

    order_intake = create_intake_writer(database, max_batch=settings.intake_batch_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        # Everything alive now (modules, tables, routes: about a million objects) lives as
        # long as the process. Frozen, a full garbage collection no longer walks it: measured
        # under load, that turned a 150 ms pause every two seconds — which on SQLite stalls
        # every worker waiting for the write turn — into none (docs/benchmarks.md).
        gc.collect()
        gc.freeze()
        yield
        await to_thread.run_sync(order_intake.close)

    app = FastAPI(
        lifespan=lifespan,
        title="Ordnung",
        version=__version__,
        description="Order management: orders, stock, sourcing, fulfilment — one window.",
        default_response_class=JSONResponse,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.db = database
    app.state.settings = settings
    app.state.order_intake = order_intake
    install_problem_handlers(app)
    install_openapi(app)
    _mount_routers(app)
    _mount_back_office(app, settings)

    @app.get("/health", tags=["health"])
    def health() -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def _mount_routers(app: FastAPI) -> None:
    # One router per capability; each module declares its own paths and scopes.
    from ordnung.automation.api import router as webhooks_router
    from ordnung.catalog.api import router as catalog_router
    from ordnung.channels.api import router as channels_router
    from ordnung.customers.api import router as customers_router
    from ordnung.fulfillment.api import router as fulfillment_router
    from ordnung.inventory.api import router as inventory_router
    from ordnung.orchestration.api import router as actions_router
    from ordnung.orders.api import router as orders_router

    # The actions first: routes are matched in order, and order intake is the hot path.
    for router in (
        actions_router,
        orders_router,
        fulfillment_router,
        catalog_router,
        channels_router,
        customers_router,
        inventory_router,
        webhooks_router,
    ):
        app.include_router(router, prefix=API_PREFIX)


def _mount_back_office(app: FastAPI, settings: Settings) -> None:
    from ordnung.web.app import mount_back_office

    mount_back_office(app, settings)
