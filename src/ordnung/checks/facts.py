"""What the rules know about an order besides the order itself, and the intake history that
lets a batch see its own earlier orders. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ordnung.orders.model import Order

LineSignature = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RecentOrder:
    """An order taken in shortly before (stored, or earlier in the same batch), as far as the
    duplicate check needs it."""

    channel_id: int
    external_id: str
    customer_id: int
    ship_to_key: str
    created_at: datetime
    lines: LineSignature


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the rules may know about an order besides the order itself."""

    is_b2b: bool = False
    ship_to_key: str = ""  # the order's `Address.key()`, computed once
    tax_classes: Mapping[str, str] = field(default_factory=dict)
    # Earlier orders in the channel's velocity window with the same e-mail / shipping
    # address / card (this order not counted).
    orders_by_email: int = 0
    orders_by_address: int = 0
    orders_by_card: int = 0
    recent_orders: Sequence[RecentOrder] = ()  # the same customer's, for duplicates
    is_first_order: bool = True
    # Earlier chargebacks and cancellations for fraud of the same customer. Chargebacks come
    # with the payments capability; today this counts cancellations with reason `fraud`.
    fraud_history: int = 0
    # Failed payment attempts for this order; fed by the payments capability (0 until then).
    failed_payments: int = 0


def line_signature(order: Order) -> LineSignature:
    """What was bought, regardless of line order: (SKU, units) sorted."""
    units: dict[str, int] = {}
    for line in order.lines:
        units[line.sku] = units.get(line.sku, 0) + line.quantity
    return tuple(sorted(units.items()))


@dataclass(slots=True)
class BatchHistory:
    """The orders of the running intake batch decided so far: the velocity and duplicate
    checks count them as if they had come one by one and were stored already."""

    decided: list[tuple[Order, RecentOrder]] = field(default_factory=list)

    def remember(self, order: Order, ship_to_key: str, at: datetime) -> None:
        self.decided.append((order, _recent(order, ship_to_key, at)))

    def add_to(
        self, facts: OrderFacts, order: Order, ship_to: str, velocity_since: datetime
    ) -> OrderFacts:
        """`facts` loaded from the database, plus what this batch's earlier orders add."""
        by_email = by_address = by_card = 0
        recent = list(facts.recent_orders)
        for earlier, seen in self.decided:
            if seen.created_at >= velocity_since:
                by_email += earlier.email == order.email
                by_address += seen.ship_to_key == ship_to
                by_card += order.card_fingerprint is not None and (
                    earlier.card_fingerprint == order.card_fingerprint
                )
            if earlier.customer_id == order.customer_id:
                recent.append(seen)
        is_first = facts.is_first_order and all(
            earlier.customer_id != order.customer_id for earlier, _seen in self.decided
        )
        return OrderFacts(
            is_b2b=facts.is_b2b,
            ship_to_key=ship_to,
            tax_classes=facts.tax_classes,
            orders_by_email=facts.orders_by_email + by_email,
            orders_by_address=facts.orders_by_address + by_address,
            orders_by_card=facts.orders_by_card + by_card,
            recent_orders=recent,
            is_first_order=is_first,
            fraud_history=facts.fraud_history,
            failed_payments=facts.failed_payments,
        )


def _recent(order: Order, ship_to_key: str, at: datetime) -> RecentOrder:
    return RecentOrder(
        order.channel_id,
        order.external_id,
        order.customer_id,
        ship_to_key,
        at,
        line_signature(order),
    )


def velocity_since(now: datetime, hours: int) -> datetime:
    return now - timedelta(hours=hours)
