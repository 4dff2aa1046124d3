"""Outgoing webhooks as pure rules: subscriptions' event filters, secrets, the message a
receiver gets, which addresses may be called, and the retry schedule of a delivery."""

from __future__ import annotations

import base64
import ipaddress
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.core.events import EVENT_TYPES

ALL_EVENTS = "*"
SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000

PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"
DELIVERY_STATUSES = (PENDING, DELIVERED, DEAD)

# Delay before retry n (after the n-th failed attempt). Together about three days, so a
# receiver that is down over a weekend still gets everything (design.md §7).
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
# ±20 % so that deliveries failing together (a receiver outage) do not retry in lockstep.
JITTER = 0.2
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(failed_attempts: int, rng: random.Random | None = None) -> timedelta | None:
    """How long to wait after `failed_attempts` failures; None when the delivery is dead."""
    if failed_attempts < 1:
        raise ValueError("a retry follows at least one failed attempt")
    if failed_attempts > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[failed_attempts - 1]
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return base * factor


@dataclass(frozen=True, slots=True)
class FailedAttemptOutcome:
    """What follows a failed attempt: the new count and either the next try or death."""

    attempts: int
    status: str
    next_attempt_at: datetime


def after_failed_attempt(
    attempts_before: int, now: datetime, rng: random.Random | None = None
) -> FailedAttemptOutcome:
    attempts = attempts_before + 1
    delay = retry_delay(attempts, rng)
    if delay is None:
        return FailedAttemptOutcome(attempts, DEAD, now)
    return FailedAttemptOutcome(attempts, PENDING, now + delay)


def ensure_replayable(status: str) -> None:
    """Only a dead delivery is replayed; a pending one is still being retried."""
    if status != DEAD:
        raise InvalidTransitionError(
            f"Only dead deliveries can be replayed; this one is {status}.",
            delivery_status=status,
        )


def normalise_event_types(event_types: Sequence[str]) -> list[str]:
    """Known event types, sorted and without repeats, or just `["*"]` for all of them."""
    if not event_types:
        raise ValidationError("Name at least one event type, or '*' for all.")
    chosen = set(event_types)
    if ALL_EVENTS in chosen:
        if len(chosen) > 1:
            raise ValidationError("'*' already means every event type; send it alone.")
        return [ALL_EVENTS]
    unknown = sorted(chosen - EVENT_TYPES)
    if unknown:
        raise ValidationError(
            f"Unknown event types: {', '.join(unknown)}.",
            unknown=unknown,
            known=sorted(EVENT_TYPES),
        )
    return sorted(chosen)


def is_subscribed(event_types: Iterable[str], event_type: str) -> bool:
    types = set(event_types)
    return ALL_EVENTS in types or event_type in types


def new_secret() -> str:
    """A signing secret as the Standard Webhooks spec shapes it: prefix + base64 of 24 bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def validate_url(url: str) -> str:
    """An absolute http(s) URL with a host and no credentials in it."""
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValidationError(f"The URL is not valid: {exc}.") from exc
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError("The URL must be absolute and start with https:// or http://.")
    if parts.username or parts.password:
        raise ValidationError("Put no credentials in the URL; verify the signature instead.")
    return url


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses: the SSRF guard refuses the rest
    (loopback, private, link-local — cloud metadata lives there —, reserved, multicast)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def webhook_message(
    event_type: str, occurred_at: datetime, payload: dict[str, Any], order_id: int | None
) -> dict[str, Any]:
    """The JSON body a receiver gets (Standard Webhooks shape: type, timestamp, data)."""
    return {
        "type": event_type,
        "timestamp": occurred_at.isoformat(),
        "data": {**payload, "order_id": order_id},
    }


def webhook_id(event_id: int) -> str:
    """Stable per event, so a receiver can drop repeats of an at-least-once delivery."""
    return f"evt_{event_id}"
