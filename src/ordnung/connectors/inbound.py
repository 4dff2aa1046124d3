"""What happens to a payload a platform sends: checked, stored raw, mapped, taken in.

`receive_webhook` is the webhook's action; `process_payload` maps a stored payload and hands
it to the one order intake (`orchestration/intake.py`), and is what a replay runs again.
A payload that cannot be mapped is never an error to the platform (it would retry, then
switch the webhook off): it is kept as `failed`, with the message and the field to fix.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from ordnung.catalog.service import existing_skus
from ordnung.connectors import connections, platform_changes, queue
from ordnung.connectors.mapping_rules import MappedOrder
from ordnung.connectors.model import MappingError, check_settings
from ordnung.connectors.platforms import CANCEL, CREATE, Platform, platform_named
from ordnung.connectors.queue import IncomingPayload, Outcome
from ordnung.connectors.signatures import is_signed_body
from ordnung.connectors.sku_mappings import mapped_skus
from ordnung.core.db import Database
from ordnung.core.errors import AuthenticationError, OrdnungError, PermissionDeniedError
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.schemas import OrderIn
from ordnung.orders.notes import add_comment

log = logging.getLogger(__name__)
MAX_NOTE = 1000


@dataclass(frozen=True, slots=True)
class Delivery:
    """A webhook as it arrived: where it was posted, its headers and its raw body."""

    channel: str
    platform: str
    topic: str
    headers: Mapping[str, str]
    body: bytes


def receive_webhook(db: Database, delivery: Delivery, *, secret_key: str | None) -> Outcome:
    """Checks the platform's signature (forged or missing: 401, nothing stored), stores the
    raw body, then maps and takes it in."""
    platform = platform_named(delivery.platform)
    channel, body = delivery.channel, delivery.body
    headers = _Headers({name.lower(): value for name, value in delivery.headers.items()})
    connection = connections.active_connection(db, channel, secret_key)
    if connection.platform != platform.name:
        raise PermissionDeniedError(
            f"The channel '{channel}' is connected to {connection.platform}, not {platform.name}."
        )
    if _is_ping(platform, body):
        # WooCommerce checks a new webhook's address with an unsigned ping and refuses to
        # save the webhook unless it gets a 2xx; it carries no data, and nothing is stored.
        return Outcome(None, "ping")
    signature = headers.named(platform.signature_header)
    if not is_signed_body(body, connection.webhook_secret, signature):
        raise AuthenticationError(
            f"The {platform.signature_header} header is missing or does not sign this body "
            "with the channel's webhook secret."
        )
    text = body.decode("utf-8", errors="replace")
    incoming = IncomingPayload(
        channel=channel,
        platform=platform.name,
        topic=headers.named(platform.topic_header) or delivery.topic,
        source="webhook",
        delivery_id=headers.named(platform.delivery_header),
        external_id=_external_id(platform, text),
        body=text,
    )
    payload_id = queue.store_payload(db, incoming)
    return process_payload(db, payload_id)


class _Headers(dict[str, str]):
    """Header names in any case (HTTP's are case-insensitive)."""

    def named(self, name: str) -> str | None:
        return self.get(name.lower())


def _is_ping(platform: Platform, body: bytes) -> bool:
    # A form-encoded `webhook_id=…` body and nothing else.
    return (
        platform.name == "woocommerce"
        and body.startswith(b"webhook_id=")
        and body[len(b"webhook_id=") :].isdigit()
    )


def _external_id(platform: Platform, text: str) -> str | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return platform.external_id(document) if isinstance(document, dict) else None


def process_payload(db: Database, payload_id: int) -> Outcome:
    """Maps a stored payload and takes it in; records and returns what became of it."""
    stored = queue.get_payload(db, payload_id)
    try:
        outcome = _process(db, stored)
    except MappingError as error:
        outcome = Outcome(payload_id, "failed", error=error.detail, error_field=error.path)
    except OrdnungError as error:
        field = error.extra.get("field")
        detail = f"{field}: {error.detail}" if field else error.detail
        outcome = Outcome(payload_id, "failed", error=detail, error_field=field)
    except Exception as error:  # kept and shown, never a 5xx to the platform
        log.exception("inbound payload %s could not be processed", payload_id)
        outcome = Outcome(payload_id, "failed", error=f"Ordnung could not take it: {error!r}")
    queue.record_outcome(db, outcome)
    return outcome


def replay_payload(db: Database, payload_id: int) -> Outcome:
    stored = queue.get_payload(db, payload_id)
    if not stored.is_replayable:
        return Outcome(payload_id, stored.status, order_id=stored.order_id)
    return process_payload(db, payload_id)


def _process(db: Database, stored: queue.InboundPayload) -> Outcome:
    platform = platform_named(stored.platform)
    kind = platform.topic_kind(stored.topic)
    if kind is None:
        return Outcome(stored.id, "ignored", error=f"Ordnung takes no {stored.topic!r} topic.")
    if stored.delivery_id is not None:
        earlier = queue.imported_delivery(db, stored.channel, stored.delivery_id, stored.id)
        if earlier is not None:
            return Outcome(stored.id, "duplicate", order_id=earlier)
    document = _document(stored.effective_body)
    settings = check_settings(connections.get_connection(db, stored.channel).settings)
    mapped = platform.map_order(document, settings, stored.channel)
    if kind == CREATE and not mapped.is_cancelled:
        return _take_in(db, stored, mapped)
    actor = f"connector:{stored.channel}"
    order_id = platform_changes.existing_order_id(db, stored.channel, mapped.body["external_id"])
    if kind == CANCEL or mapped.is_cancelled:
        if order_id is None:
            return Outcome(stored.id, "ignored", error="Cancelled in the shop before it came.")
        return platform_changes.apply_cancellation(db, stored.id, order_id, actor)
    if order_id is None:  # an update of an order Ordnung missed: take it in now
        return _take_in(db, stored, mapped)
    return platform_changes.apply_update(db, stored.id, order_id, mapped.body, actor)


def _document(body: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError:
        raise MappingError("the body is no JSON", path="body") from None
    if not isinstance(document, dict):
        raise MappingError("the body is no JSON object", path="body")
    return document


def _take_in(db: Database, stored: queue.InboundPayload, mapped: MappedOrder) -> Outcome:
    body = _with_catalogue_skus(db, stored.channel, mapped)
    try:
        draft = OrderIn.model_validate(body).to_model()
    except PydanticValidationError as error:
        first = error.errors()[0]
        path = ".".join(str(step) for step in first["loc"])
        raise MappingError(f"{first['msg']} (mapped order)", path=path) from None
    placed = place_order(db, draft, actor=f"connector:{stored.channel}")
    order_id = int(placed.order["id"])
    if not placed.is_new:
        return Outcome(stored.id, "duplicate", order_id=order_id)
    if mapped.note:
        add_comment(
            db,
            order_id,
            f"Note from the shop: {mapped.note}"[:MAX_NOTE],
            author=f"connector:{stored.channel}",
        )
    return Outcome(stored.id, "imported", order_id=order_id)


def _with_catalogue_skus(db: Database, channel: str, mapped: MappedOrder) -> dict[str, Any]:
    """The order body with the channel's SKU mapping applied; an SKU the catalogue does not
    know fails the import (fix: map it), rather than placing an order held for it."""
    platform_skus = [line.platform_sku for line in mapped.lines]

    def look_up(connection: Any) -> tuple[dict[str, str], set[str]]:
        mapping = mapped_skus(connection, channel, platform_skus)
        wanted = {mapping.get(sku, sku) for sku in platform_skus}
        return mapping, existing_skus(connection, wanted)

    mapping, known = db.read(look_up)
    lines = []
    for line, body_line in zip(mapped.lines, mapped.body["lines"], strict=True):
        sku = mapping.get(line.platform_sku, line.platform_sku)
        if sku not in known:
            raise MappingError(
                f"the SKU {line.platform_sku!r} is not in the catalogue; map it to a product",
                path=line.path,
            )
        lines.append({**body_line, "sku": sku})
    return {**mapped.body, "lines": lines}


def unknown_platform_sku(error_field: str | None, body: str) -> str | None:
    """The platform SKU a failed import stumbled on (for the queue's "map this SKU" form)."""
    if not error_field or not error_field.endswith(".sku"):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if isinstance(document.get("order"), dict):
        document = document["order"]
    try:
        index = int(error_field.split("[")[1].split("]")[0])
        item = document["line_items"][index]
    except (IndexError, KeyError, ValueError, TypeError):
        return None
    sku = str(item.get("sku") or "").strip()
    if sku:
        return sku
    if item.get("variant_id") or item.get("variation_id"):
        return f"variant:{item.get('variant_id') or item.get('variation_id')}"
    return f"product:{item.get('product_id') or item.get('id')}"
