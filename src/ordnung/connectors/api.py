"""HTTP interface of channel connectors: a channel's connection, the platforms' inbound
webhooks, the import queue (/imports) with fix and replay, SKU mappings and the pull.

Scopes: `channels:read` to see connections and the queue, `channels:write` to change them.
The inbound webhook has no API key: the platform signs the body (connectors/signatures.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ordnung.connectors import connections, inbound, pull, queue, sku_mappings
from ordnung.connectors.connections import ConnectionDraft, ConnectionView
from ordnung.connectors.schemas import (
    ConnectionIn,
    ConnectionOut,
    FixFieldIn,
    ImportListOut,
    ImportOut,
    InboundOut,
    PullOut,
    SkuMappingIn,
    SkuMappingListOut,
    SkuMappingOut,
)
from ordnung.core.api_fields import key_in_path, record_id
from ordnung.core.auth import Principal
from ordnung.core.db import Database
from ordnung.core.http import JSONResponse, get_db, idempotent, json_answer, require, respond
from ordnung.core.openapi import answers, idempotent_operation
from ordnung.core.settings import Settings

router = APIRouter(tags=["connectors"])


def channel_code() -> Any:
    return key_in_path("The channel's code", max_length=40, example="shopify-de")


def webhook_url(request: Request, channel: str, platform: str) -> str:
    """Where the platform posts its webhooks (the topic goes at the end)."""
    base = str(request.base_url).rstrip("/")
    return f"{base}/api/v1/channels/{channel}/inbound/{platform}/"


def _connection_out(request: Request, view: ConnectionView) -> dict[str, Any]:
    return {
        **asdict(view),
        "webhook_url": webhook_url(request, view.channel, view.platform) + "orders/create",
    }


def _secret_key(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.secret_key


@router.put(
    "/channels/{code}/connection",
    summary="Connect a channel to its shop platform",
    responses=answers(ConnectionOut, 404, 409, description="The connection"),
)
def put_connection(
    body: ConnectionIn,
    request: Request,
    code: str = channel_code(),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Sets the platform, its settings and secrets. Putting the same connection again
    changes nothing else (a PUT may be retried). A secret is stored encrypted under
    ORDNUNG_SECRET_KEY — refused (409) when none is set — or as `env:NAME`."""
    new_secrets = {k: v for k, v in body.secrets.model_dump().items() if v is not None}
    draft = ConnectionDraft(body.platform, body.settings.model_dump(), new_secrets)
    view = connections.connect_channel(
        db, code, draft, secret_key=_secret_key(request), actor=principal.actor
    )
    return JSONResponse(_connection_out(request, view))


@router.get(
    "/channels/{code}/connection",
    summary="A channel's connection",
    responses=answers(ConnectionOut, 404),
)
def get_connection(
    request: Request,
    code: str = channel_code(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The platform, settings, which secrets are set, and the webhook URL to paste into the
    platform's admin."""
    return JSONResponse(_connection_out(request, connections.get_connection(db, code)))


@router.post(
    "/channels/{code}/inbound/{platform}/{topic:path}",
    status_code=202,
    summary="A shop platform's webhook",
    responses={
        **answers(
            InboundOut, 401, 403, 404, status=202, description="Stored (and imported or kept)"
        ),
        **answers(InboundOut, description="A WooCommerce ping, answered and not stored"),
    },
    openapi_extra={"security": []},
)
async def receive_webhook(
    request: Request,
    code: str = channel_code(),
    platform: str = Path(
        pattern=r"^[a-z0-9]{1,20}$", description="shopify or woocommerce", examples=["shopify"]
    ),
    topic: str = Path(
        max_length=64,
        pattern=r"^[a-z_]+[/.][a-z_]+$",
        description="The platform's topic",
        examples=["orders/create"],
    ),
    db: Database = Depends(get_db),
) -> Response:
    """Signed by the platform (Shopify `X-Shopify-Hmac-Sha256`, WooCommerce
    `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body under the webhook secret).
    A forged or missing signature is a 401 and nothing is stored. A signed payload is stored
    raw, then mapped and taken in; one that cannot be mapped is kept in the import queue and
    still answered 202, so the platform does not disable the webhook. The same delivery
    (or the same order) again is stored as a duplicate and creates nothing."""
    body = await request.body()
    delivery = inbound.Delivery(code, platform, topic, dict(request.headers), body)
    secret_key = _secret_key(request)
    outcome = await run_in_threadpool(
        lambda: inbound.receive_webhook(db, delivery, secret_key=secret_key)
    )
    status = 200 if outcome.status == "ping" else 202
    return JSONResponse(
        {
            "import_id": outcome.payload_id,
            "status": outcome.status,
            "order_id": outcome.order_id,
            "error": outcome.error,
        },
        status_code=status,
    )


@router.get("/imports", summary="The import queue", responses=answers(ImportListOut))
def list_imports(
    channel: str | None = Query(None, max_length=40, description="A channel's code"),
    status: str | None = Query(
        None, pattern=r"^(received|imported|failed|duplicate|ignored)$", description="A status"
    ),
    before: int | None = Query(None, ge=1, le=2**63 - 1, description="next_cursor of a page"),
    limit: int = Query(50, ge=1, le=queue.MAX_PAGE),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Every payload the platforms sent, newest first, with what became of it."""
    items = queue.list_payloads(db, channel=channel, status=status, before_id=before, limit=limit)
    cursor = str(items[-1].id) if len(items) == limit else None
    return JSONResponse({"items": [asdict(item) for item in items], "next_cursor": cursor})


@router.get(
    "/imports/{import_id}", summary="One inbound payload", responses=answers(ImportOut, 404)
)
def get_import(
    import_id: int = record_id("The payload's id in the import queue"),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """The payload as the platform sent it, its correction, status and error."""
    return JSONResponse(asdict(queue.get_payload(db, import_id)))


@router.post(
    "/imports/{import_id}/replay",
    summary="Map and take in a payload again",
    responses=answers(InboundOut, 404, description="What became of it this time"),
)
def replay_import(
    import_id: int = record_id("The payload's id in the import queue"),
    _: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """After a fix (an SKU mapped, a field corrected): maps the payload again and hands it
    to intake. Replaying one already imported changes nothing and answers its order, so a
    retry is harmless without an Idempotency-Key."""
    outcome = inbound.replay_payload(db, import_id)
    return JSONResponse(
        {
            "import_id": outcome.payload_id,
            "status": outcome.status,
            "order_id": outcome.order_id,
            "error": outcome.error,
        }
    )


@router.post(
    "/imports/{import_id}/fix",
    summary="Correct one field of a failed payload",
    responses=answers(ImportOut, 404, description="The payload with its correction"),
    openapi_extra=idempotent_operation(),
)
def fix_import(
    body: FixFieldIn,
    request: Request,
    import_id: int = record_id("The payload's id in the import queue"),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Sets a field (path as the error names it: `line_items[0].sku`, `email`) in a copy of
    the body; the platform's original is kept. Replay afterwards."""
    render = json_answer(200)
    keyed = idempotent(request, principal, body, render)
    fixed = queue.fix_field(
        db, import_id, body.path, body.value, actor=principal.actor, idempotency=keyed
    )
    return respond(fixed, render, keyed)


@router.get(
    "/channels/{code}/sku-mappings",
    summary="A channel's SKU mappings",
    responses=answers(SkuMappingListOut),
)
def list_sku_mappings(
    code: str = channel_code(),
    _: Principal = Depends(require("channels:read")),
    db: Database = Depends(get_db),
) -> Response:
    """Which catalogue SKU each platform SKU of this channel stands for."""
    items = [asdict(item) for item in sku_mappings.list_mappings(db, code)]
    return JSONResponse({"items": items, "next_cursor": None})


@router.post(
    "/channels/{code}/sku-mappings",
    summary="Map a platform SKU to a product",
    responses=answers(SkuMappingOut, 404, description="The mapping"),
    openapi_extra=idempotent_operation(),
)
def post_sku_mapping(
    body: SkuMappingIn,
    request: Request,
    code: str = channel_code(),
    principal: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """From now on this channel's payloads naming `platform_sku` (or `variant:<id>` for a
    line the shop sent without SKU) order the catalogue's `sku`. Mapping it again changes
    the product."""
    render = json_answer(200)
    keyed = idempotent(request, principal, body, render)
    mapped = sku_mappings.map_sku(
        db, code, body.platform_sku, body.sku, actor=principal.actor, idempotency=keyed
    )
    return respond(mapped, render, keyed)


@router.post(
    "/channels/{code}/pull",
    summary="Fetch recent orders from the platform",
    responses=answers(PullOut, 404, 409, description="What was fetched"),
)
def pull_orders(
    request: Request,
    code: str = channel_code(),
    _: Principal = Depends(require("channels:write")),
    db: Database = Depends(get_db),
) -> Response:
    """Catch-up after downtime: the orders changed on the platform since the last pull go
    through the import queue like webhooks (duplicates are recognised), and the cursor
    moves on. Pulling again is harmless without an Idempotency-Key."""
    summary = pull.pull_orders(db, code, secret_key=_secret_key(request))
    return JSONResponse(asdict(summary))
