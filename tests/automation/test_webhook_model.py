"""Pure webhook rules, without a database."""

from __future__ import annotations

import base64
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordnung.automation import model
from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.core.events import EVENT_TYPES

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def test_the_retry_schedule_spans_about_three_days() -> None:
    total = sum(model.RETRY_DELAYS, timedelta())
    assert timedelta(days=2.5) < total < timedelta(days=3.5)
    assert list(model.RETRY_DELAYS) == sorted(model.RETRY_DELAYS)


@given(failed=st.integers(1, len(model.RETRY_DELAYS)), seed=st.integers(0, 2**32))
def test_each_retry_waits_its_scheduled_delay_within_twenty_percent(failed: int, seed: int) -> None:
    base = model.RETRY_DELAYS[failed - 1]
    delay = model.retry_delay(failed, random.Random(seed))
    assert delay is not None
    assert base * 0.8 <= delay <= base * 1.2


def test_jitter_spreads_retries_that_failed_together() -> None:
    rng = random.Random(1)
    delays = {model.retry_delay(3, rng) for _ in range(20)}
    assert len(delays) > 10


def test_a_delivery_dies_after_its_last_scheduled_attempt() -> None:
    last = model.after_failed_attempt(model.MAX_ATTEMPTS - 1, NOW)
    assert (last.attempts, last.status) == (model.MAX_ATTEMPTS, model.DEAD)
    before_last = model.after_failed_attempt(model.MAX_ATTEMPTS - 2, NOW)
    assert before_last.status == model.PENDING
    assert before_last.next_attempt_at > NOW + timedelta(hours=19)


def test_the_first_failure_is_retried_within_seconds() -> None:
    outcome = model.after_failed_attempt(0, NOW, random.Random(0))
    assert outcome.attempts == 1
    assert outcome.status == model.PENDING
    assert NOW + timedelta(seconds=4) <= outcome.next_attempt_at <= NOW + timedelta(seconds=6)


def test_only_dead_deliveries_can_be_replayed() -> None:
    model.ensure_replayable(model.DEAD)
    for status in (model.PENDING, model.DELIVERED):
        with pytest.raises(InvalidTransitionError):
            model.ensure_replayable(status)


def test_event_types_are_checked_against_the_known_ones() -> None:
    assert model.normalise_event_types(["order.shipped", "order.received", "order.shipped"]) == [
        "order.received",
        "order.shipped",
    ]
    assert model.normalise_event_types(["*"]) == ["*"]
    for bad in ([], ["order.exploded"], ["*", "order.shipped"]):
        with pytest.raises(ValidationError):
            model.normalise_event_types(bad)


def test_a_wildcard_subscription_matches_every_event_type() -> None:
    assert all(model.is_subscribed(["*"], event_type) for event_type in EVENT_TYPES)
    assert model.is_subscribed(["order.shipped"], "order.shipped")
    assert not model.is_subscribed(["order.shipped"], "order.received")


def test_secrets_follow_the_standard_webhooks_shape() -> None:
    secret = model.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 24
    assert secret != model.new_secret()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "example.com/hook",
        "https://",
        "https://u:p@example.com/",
        "http://h:x/",
    ],
)
def test_urls_must_be_absolute_http_without_credentials(url: str) -> None:
    with pytest.raises(ValidationError):
        model.validate_url(url)


@pytest.mark.parametrize(
    ("address", "is_public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_only_public_addresses_may_receive_webhooks(address: str, is_public: bool) -> None:
    assert model.is_public_address(address) is is_public


def test_the_message_carries_type_timestamp_and_data_with_the_order() -> None:
    message = model.webhook_message("order.shipped", NOW, {"number": "A1"}, 42)
    assert message == {
        "type": "order.shipped",
        "timestamp": "2030-01-01T00:00:00+00:00",
        "data": {"number": "A1", "order_id": 42},
    }
    assert model.webhook_id(17) == "evt_17"
