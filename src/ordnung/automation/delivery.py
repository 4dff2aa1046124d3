"""Talking to webhook receivers: resolving their addresses (SSRF guard) and sending one signed
message with httpx. Nothing here touches the database; the worker calls it between two short
transactions, never inside one (conventions §4)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx
import orjson
from standardwebhooks import Webhook

from ordnung.automation.model import is_public_address, webhook_id
from ordnung.core.errors import ValidationError

USER_AGENT = "Ordnung-Webhooks/1"
# Receivers' answers are not stored; only enough of an error to diagnose it.
MAX_ERROR_LENGTH = 500


class WebhookAddressNotAllowedError(ValidationError):
    type_slug = "webhook-address-not-allowed"
    title = "Webhook address not allowed"


@dataclass(frozen=True, slots=True)
class OutgoingWebhook:
    """One claimed delivery with everything needed to send it outside a transaction."""

    delivery_id: int
    event_id: int
    attempts: int
    url: str
    secret: str
    message: dict[str, object]


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    is_success: bool
    status_code: int | None = None
    error: str | None = None


def ensure_public_destination(url: str) -> None:
    """Refuse a URL whose host resolves to any non-public address.

    Every resolved address is checked, not just the first: a name with one public and one
    private record would otherwise let the HTTP client pick the private one.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise WebhookAddressNotAllowedError(
            f"The host {host!r} could not be resolved, so it cannot be checked: {exc}."
        ) from exc
    refused = sorted({str(info[4][0]) for info in infos if not is_public_address(str(info[4][0]))})
    if refused:
        raise WebhookAddressNotAllowedError(
            f"The host {host!r} resolves to a loopback, private, link-local or reserved "
            f"address ({', '.join(refused)}); webhooks only go to public addresses unless "
            "ORDNUNG_WEBHOOK_ALLOW_PRIVATE is set.",
            addresses=refused,
        )


def signed_request(webhook: OutgoingWebhook, sent_at: datetime) -> tuple[bytes, dict[str, str]]:
    """The exact body bytes and the Standard Webhooks headers that sign them."""
    body = orjson.dumps(webhook.message)
    message_id = webhook_id(webhook.event_id)
    signature: str = Webhook(webhook.secret).sign(message_id, sent_at, body.decode())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    return body, headers


def send_webhook(
    client: httpx.Client, webhook: OutgoingWebhook, *, sent_at: datetime, allow_private: bool
) -> DeliveryResult:
    """POST one message; any failure becomes a result, never an exception, so one bad
    receiver cannot stop the worker."""
    try:
        if not allow_private:
            # Checked again at send time: DNS may have changed since the subscription was made.
            ensure_public_destination(webhook.url)
        body, headers = signed_request(webhook, sent_at)
        # Redirects are not followed: they could point at an address the guard refuses.
        response = client.post(webhook.url, content=body, headers=headers)
    except WebhookAddressNotAllowedError as exc:
        return DeliveryResult(is_success=False, error=_short(exc.detail))
    except httpx.HTTPError as exc:
        return DeliveryResult(is_success=False, error=_short(f"{type(exc).__name__}: {exc}"))
    if response.is_success:
        return DeliveryResult(is_success=True, status_code=response.status_code)
    return DeliveryResult(
        is_success=False,
        status_code=response.status_code,
        error=_short(f"HTTP {response.status_code}: {response.text}"),
    )


def new_http_client(timeout_seconds: float) -> httpx.Client:
    # trust_env=False: no proxy from the environment, so the address guard above checks the
    # host that is really contacted.
    return httpx.Client(timeout=timeout_seconds, follow_redirects=False, trust_env=False)


def _short(text: str) -> str:
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + "…"
