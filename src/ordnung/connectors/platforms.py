"""The shop platforms Ordnung connects to: per platform its headers, its mapper and what
its webhook topics mean. A new platform is one entry here, one `<platform>_mapping.py`,
and one pull adapter in `pull.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ordnung.connectors import shopify_mapping, woocommerce_mapping
from ordnung.connectors.mapping_rules import MappedOrder
from ordnung.connectors.model import ConnectionSettings
from ordnung.core.errors import NotFoundError

# What a topic asks of Ordnung: take an order in, apply a change to it, cancel it.
CREATE, UPDATE, CANCEL = "create", "update", "cancel"


@dataclass(frozen=True, slots=True)
class Platform:
    name: str
    signature_header: str
    delivery_header: str
    topic_header: str
    topics: Mapping[str, str]  # the platform's topic (header or path) → CREATE/UPDATE/CANCEL
    map_order: Callable[[Mapping[str, Any], ConnectionSettings, str], MappedOrder]
    external_id: Callable[[Mapping[str, Any]], str | None]

    def topic_kind(self, topic: str) -> str | None:
        return self.topics.get(topic.strip().lower())


SHOPIFY = Platform(
    name="shopify",
    signature_header="X-Shopify-Hmac-Sha256",
    delivery_header="X-Shopify-Webhook-Id",
    topic_header="X-Shopify-Topic",
    topics={
        "orders/create": CREATE,
        "orders/updated": UPDATE,
        "orders/edited": UPDATE,
        "orders/cancelled": CANCEL,
        "orders/pull": CREATE,  # what the pull adapter files its orders under
    },
    map_order=shopify_mapping.map_order,
    external_id=shopify_mapping.external_id,
)

WOOCOMMERCE = Platform(
    name="woocommerce",
    signature_header="X-WC-Webhook-Signature",
    delivery_header="X-WC-Webhook-Delivery-ID",
    topic_header="X-WC-Webhook-Topic",
    topics={
        "order.created": CREATE,
        "orders/create": CREATE,
        "order.updated": UPDATE,
        "orders/updated": UPDATE,
        "order.deleted": CANCEL,
        "orders/cancelled": CANCEL,
        "orders/pull": CREATE,
    },
    map_order=woocommerce_mapping.map_order,
    external_id=woocommerce_mapping.external_id,
)

PLATFORM_BY_NAME = {platform.name: platform for platform in (SHOPIFY, WOOCOMMERCE)}


def platform_named(name: str) -> Platform:
    found = PLATFORM_BY_NAME.get(name)
    if found is None:
        raise NotFoundError(f"Ordnung has no connector for the platform {name!r}.")
    return found
