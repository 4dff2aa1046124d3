"""The background worker: dispatches outbox events, delivers webhooks (design.md §7), and
offers stock that is free to the orders still waiting for it (the backorder sweep).

Run as `ordnung worker` (one or more processes on PostgreSQL, they share the work) or in a
thread of `ordnung demo` on SQLite. Delivery is at least once: a worker that dies after sending
but before recording leaves the delivery leased, and it is sent again when the lease expires;
receivers drop the repeat by its `webhook-id`.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import timedelta

import httpx

from ordnung.automation.delivery import new_http_client, send_webhook
from ordnung.automation.dispatch import (
    DELIVERY_BATCH_SIZE,
    claim_due_deliveries,
    dispatch_events,
    record_delivery_result,
)
from ordnung.automation.model import DEAD, DELIVERED
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from ordnung.orchestration.checkout_holds import expire_checkout_holds
from ordnung.orchestration.pickup_actions import expire_uncollected_pickups
from ordnung.promising.signals import announce_availability_changes
from ordnung.sourcing.service import allocate_waiting_orders

log = logging.getLogger("ordnung.worker")

# A failed round (database restarting, say) is retried after this long, not in a tight loop.
ERROR_BACKOFF_SECONDS = 5.0
# How often the database's planner statistics are refreshed (SQLite; see Database).
STATISTICS_EVERY_SECONDS = 600.0


@dataclass
class WorkerCounts:
    """What one round did; all zero means there was nothing to do."""

    dispatched_events: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    backorders_allocated: int = 0
    availability_announced: int = 0
    holds_expired: int = 0
    pickups_expired: int = 0

    @property
    def is_idle(self) -> bool:
        return not (
            self.dispatched_events
            or self.delivered
            or self.retrying
            or self.dead
            or self.backorders_allocated
            or self.availability_announced
            or self.holds_expired
            or self.pickups_expired
        )


def delivery_lease(settings: Settings) -> timedelta:
    # httpx applies the timeout to connect, write and read separately, plus name resolution;
    # the lease must outlast all of them or a second worker could send the same delivery.
    return timedelta(seconds=4 * settings.webhook_timeout_seconds + 30)


def run_once(
    db: Database,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    stop_event: threading.Event | None = None,
) -> WorkerCounts:
    """Dispatches every undispatched event, then sends every due delivery once, then gives
    free stock to waiting orders."""
    counts = WorkerCounts()
    stop = stop_event or threading.Event()
    while not stop.is_set():
        dispatched = dispatch_events(db)
        counts.dispatched_events += dispatched
        if not dispatched:
            break
    if client is None:
        with new_http_client(settings.webhook_timeout_seconds) as own_client:
            _deliver_due(db, settings, own_client, counts, stop)
    else:
        _deliver_due(db, settings, client, counts, stop)
    # Checkout holds past their time give their units back (to waiting orders at once).
    counts.holds_expired = expire_checkout_holds(db)
    # Click & collect orders not collected by their deadline: cancelled, stock back.
    counts.pickups_expired = expire_uncollected_pickups(db)
    counts.backorders_allocated = allocate_waiting_orders(db)
    # Debounced availability announcements (promising/signals.py); dispatched next round.
    counts.availability_announced = announce_availability_changes(
        db, every_seconds=settings.availability_event_seconds
    )
    return counts


def _deliver_due(
    db: Database,
    settings: Settings,
    client: httpx.Client,
    counts: WorkerCounts,
    stop: threading.Event,
) -> None:
    # Claimed deliveries are leased into the future, so this loop ends even if all fail.
    with ThreadPoolExecutor(max_workers=DELIVERY_BATCH_SIZE) as pool:
        while not stop.is_set():
            claimed = claim_due_deliveries(db, lease=delivery_lease(settings))
            if not claimed:
                return
            futures = {
                pool.submit(
                    send_webhook,
                    client,
                    webhook,
                    sent_at=clock.now(),
                    allow_private=settings.webhook_allow_private,
                ): webhook
                for webhook in claimed
            }
            for future in as_completed(futures):
                status = record_delivery_result(db, futures[future], future.result())
                _count(counts, status)


def _count(counts: WorkerCounts, status: str | None) -> None:
    if status == DELIVERED:
        counts.delivered += 1
    elif status == DEAD:
        counts.dead += 1
    elif status is not None:
        counts.retrying += 1


def run_worker(db: Database, settings: Settings, stop_event: threading.Event) -> None:
    """Runs rounds until `stop_event` is set, sleeping `worker_poll_seconds` when idle."""
    log.info("worker started")
    statistics_due = 0.0
    with new_http_client(settings.webhook_timeout_seconds) as client:
        while not stop_event.is_set():
            try:
                statistics_due = _refresh_statistics_when_due(db, statistics_due)
                counts = run_once(db, settings, client=client, stop_event=stop_event)
            except Exception:
                # Keep the worker alive through database outages; the round is retried.
                log.exception("worker round failed; retrying in %ss", ERROR_BACKOFF_SECONDS)
                stop_event.wait(ERROR_BACKOFF_SECONDS)
                continue
            if counts.is_idle:
                stop_event.wait(settings.worker_poll_seconds)
            else:
                log.info("worker round: %s", counts)
    log.info("worker stopped")


def _refresh_statistics_when_due(db: Database, due_at: float) -> float:
    """Refreshes the planner's statistics when due; returns when they are due next."""
    now = time.monotonic()
    if now < due_at:
        return due_at
    db.refresh_statistics()
    return now + STATISTICS_EVERY_SECONDS
