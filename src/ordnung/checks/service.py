"""Running the checks: set-wise loading for an intake batch, the verdict per order, the
warnings stored, and running the rules again for one stored order.

Intake (orchestration/intake.py) calls `load_intake_checks` once per batch with what it knows
before the orders are built (`CheckSubject`), then `IntakeChecks.judge` for each order in
arrival order — which also remembers the order, so the next one of the batch sees it — and
`store_warnings` once the orders have ids. The reads are a handful of statements per batch,
each on an index (orders/history.py, catalog/tax_classes.py, settings.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from ordnung.catalog.tax_classes import product_tax_classes
from ordnung.checks.facts import BatchHistory, OrderFacts, RecentOrder
from ordnung.checks.findings import Finding
from ordnung.checks.model import DEFAULT_DUPLICATE_MINUTES, Verdict, run_rules
from ordnung.checks.settings import ChannelSettings, settings_of_channels
from ordnung.checks.tables import order_check_finding_table as finding_table
from ordnung.core.db import Database, UnitOfWork
from ordnung.orders import history
from ordnung.orders.history import VelocityKey
from ordnung.orders.model import Order

B2B_CHANNEL_TYPE = "b2b"


@dataclass(frozen=True, slots=True)
class CheckSubject:
    """What the loader needs of one new order before it is built."""

    channel_id: int
    customer_id: int
    email: str
    ship_to_key: str
    card_fingerprint: str | None
    skus: frozenset[str]


@dataclass(slots=True)
class IntakeChecks:
    """Everything the rules need for one intake batch, loaded set-wise."""

    settings: dict[int, ChannelSettings]
    tax_classes: dict[str, str]
    velocity: dict[VelocityKey, int]
    recent: list[RecentOrder]
    ordered_before: set[int]
    fraud_history: dict[int, int]
    now: datetime
    batch: BatchHistory = field(default_factory=BatchHistory)
    warnings: list[tuple[Order, list[Finding]]] = field(default_factory=list)

    def judge(self, order: Order, channel_type: str) -> Verdict:
        """The holds and warnings for this order; remembers it for the rest of the batch."""
        settings = self.settings[order.channel_id]
        since = self.now - timedelta(hours=_velocity_hours(settings))
        ship_to = order.shipping_address.key()
        stored = self._stored_facts(order, channel_type, ship_to, since)
        facts = self.batch.add_to(stored, order, ship_to, since)
        verdict = run_rules(order, facts, settings, self.now)
        self.batch.remember(order, ship_to, self.now)
        if verdict.warnings:
            self.warnings.append((order, verdict.warnings))
        return verdict

    def _stored_facts(
        self, order: Order, channel_type: str, ship_to: str, since: datetime
    ) -> OrderFacts:
        card = order.card_fingerprint
        return OrderFacts(
            is_b2b=channel_type == B2B_CHANNEL_TYPE or bool(order.vat_id),
            ship_to_key=ship_to,
            tax_classes=self.tax_classes,
            orders_by_email=self.velocity.get(("email", order.email, since), 0),
            orders_by_address=self.velocity.get(("address", ship_to, since), 0),
            orders_by_card=0 if card is None else self.velocity.get(("card", card, since), 0),
            recent_orders=[r for r in self.recent if r.customer_id == order.customer_id],
            is_first_order=order.customer_id not in self.ordered_before,
            fraud_history=self.fraud_history.get(order.customer_id, 0),
        )


def load_intake_checks(
    connection: Connection,
    subjects: Sequence[CheckSubject],
    now: datetime,
    tax_classes: dict[str, str] | None = None,
) -> IntakeChecks:
    """What the rules need for these new orders, in a few indexed statements. Intake passes
    the products' tax classes it read with their names (one statement fewer per batch)."""
    if tax_classes is None:
        tax_classes = product_tax_classes(connection, {sku for s in subjects for sku in s.skus})
    settings = settings_of_channels(connection, {s.channel_id for s in subjects})
    earlier = history.intake_history(
        connection, _velocity_keys(subjects, settings, now), {s.customer_id for s in subjects}
    )
    # Only customers who ordered before can have recent orders or a fraud history: a batch
    # of new customers (common) skips those two reads.
    returning = earlier.ordered_before
    return IntakeChecks(
        settings=settings,
        tax_classes=tax_classes,
        velocity=earlier.velocity,
        recent=_recent(connection, returning, settings, now),
        ordered_before=returning,
        fraud_history=history.fraud_cancellations(connection, returning),
        now=now,
    )


def store_warnings(uow: UnitOfWork, checks: IntakeChecks) -> None:
    """The findings of rules in `warn` mode, for the order page (orders have ids by now)."""
    rows = [
        {
            "order_id": order.id,
            "rule": finding.rule,
            "message_key": finding.message_key,
            "facts": finding.as_fact(),
            "detail": finding.text,
            "created_at": checks.now,
        }
        for order, findings in checks.warnings
        for finding in findings
    ]
    if rows:
        uow.connection.execute(finding_table.insert(), rows)


def check_order_again(uow: UnitOfWork, order: Order, channel_type: str = "") -> Verdict:
    """Runs the channel's rules again for one stored, loaded order — for actions that change
    an order after intake (address or line edits). The order itself is not counted as an
    earlier order. Returns the verdict; putting holds on and storing warnings is the
    caller's decision (nothing is written here)."""
    assert order.id is not None
    subject = CheckSubject(
        order.channel_id,
        order.customer_id,
        order.email,
        order.shipping_address.key(),
        order.card_fingerprint,
        frozenset(order.skus()),
    )
    # Judged as of its intake time, so the velocity and duplicate windows mean the same.
    checks = load_intake_checks(uow.connection, [subject], order.created_at)
    checks.velocity = {key: max(0, n - 1) for key, n in checks.velocity.items()}
    if history.count_customer_orders(uow.connection, order.customer_id) <= 1:
        checks.ordered_before.discard(order.customer_id)
    checks.recent = [r for r in checks.recent if r.external_id != order.external_id]
    return checks.judge(order, channel_type)


def check_warnings_of_order(db: Database, order_id: int) -> list[dict[str, Any]]:
    """The warnings stored for an order, oldest first (the order page shows them)."""
    query = (
        finding_table.select()
        .where(finding_table.c.order_id == order_id)
        .order_by(finding_table.c.id)
    )
    return db.read(lambda connection: [dict(r) for r in connection.execute(query).mappings()])


def _velocity_hours(settings: ChannelSettings) -> int:
    return int(settings["fraud_score"].params.get("velocity_hours", 24))


def _velocity_keys(
    subjects: Sequence[CheckSubject], settings: dict[int, ChannelSettings], now: datetime
) -> list[VelocityKey]:
    keys: list[VelocityKey] = []
    for subject in subjects:
        fraud = settings[subject.channel_id]["fraud_score"]
        if fraud.mode == "off":
            continue
        since = now - timedelta(hours=_velocity_hours(settings[subject.channel_id]))
        keys += [("email", subject.email, since), ("address", subject.ship_to_key, since)]
        if subject.card_fingerprint:
            keys.append(("card", subject.card_fingerprint, since))
    return keys


def _recent(
    connection: Connection,
    customer_ids: set[int],
    settings: dict[int, ChannelSettings],
    now: datetime,
) -> list[RecentOrder]:
    windows = [
        int(rules["duplicate_order"].params.get("window_minutes", DEFAULT_DUPLICATE_MINUTES))
        for rules in settings.values()
        if rules["duplicate_order"].mode != "off"
    ]
    if not windows:
        return []
    since = now - timedelta(minutes=max(windows))
    rows = history.recent_orders_of_customers(connection, customer_ids, since)
    return [
        RecentOrder(
            r.channel_id, r.external_id, r.customer_id, r.ship_to_key, r.created_at, r.lines
        )
        for r in rows
    ]
