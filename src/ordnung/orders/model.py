"""The order aggregate: lines with their price snapshots and unit buckets, holds, the status
derived from them, and the events every change raises. Pure Python (no database, no HTTP).

Every business action on an order is a method here; the services only load an order, call the
method, and save it. The status is never set from outside: `settle_status` derives it from the
lines and holds after each action, checks the move against `ORDER_TRANSITIONS` and records
exactly one event for it (`events.py`). Going on hold and being cancelled are recorded by the
action itself (`hold`, `cancel`), with the change in the event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ordnung.core.errors import (
    ConflictError,
    InvalidTransitionError,
    NotFoundError,
    StaleVersionError,
)
from ordnung.orders import events
from ordnung.orders.draft import Address, PricedOrder
from ordnung.orders.totals import Totals, compute_totals, line_total

RECEIVED = "received"
VALIDATED = "validated"
ON_HOLD = "on_hold"
BACKORDERED = "backordered"
ALLOCATED = "allocated"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"

ORDER_STATUSES = (
    RECEIVED,
    VALIDATED,
    ON_HOLD,
    BACKORDERED,
    ALLOCATED,
    PARTIALLY_SHIPPED,
    SHIPPED,
    DELIVERED,
    COMPLETED,
    CANCELLED,
)

# The status is derived from lines and holds (never set by hand); this table says which
# derived changes are legal, so a bug that would jump e.g. from shipped back to allocated
# raises instead of silently rewriting history.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({VALIDATED, ON_HOLD, BACKORDERED, ALLOCATED, CANCELLED}),
    VALIDATED: frozenset({ON_HOLD, BACKORDERED, ALLOCATED, CANCELLED}),
    # A location may ship what it held before the hold came: the fact is recorded.
    ON_HOLD: frozenset({VALIDATED, BACKORDERED, ALLOCATED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED}),
    BACKORDERED: frozenset({ALLOCATED, ON_HOLD, PARTIALLY_SHIPPED, SHIPPED, CANCELLED}),
    ALLOCATED: frozenset({BACKORDERED, ON_HOLD, PARTIALLY_SHIPPED, SHIPPED, CANCELLED}),
    PARTIALLY_SHIPPED: frozenset({SHIPPED}),
    SHIPPED: frozenset({DELIVERED}),
    DELIVERED: frozenset({COMPLETED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}

# The event a change of the derived status records, by the status reached. On hold and
# cancelled are recorded by `hold` and `cancel`, which know the reason.
STATUS_EVENTS: dict[str, type[events.OrderStatusChanged]] = {
    BACKORDERED: events.OrderBackordered,
    ALLOCATED: events.OrderAllocated,
    PARTIALLY_SHIPPED: events.OrderPartiallyShipped,
    SHIPPED: events.OrderShipped,
}

HOLD_REASONS = frozenset(
    {
        "address",
        "payment",
        "fraud",
        "credit",
        "totals_mismatch",
        "unknown_sku",
        "manual",
        "stock_policy",
    }
    | {"tax", "duplicate", "approval", "contact"}  # intake checks (checks/model.py)
)

# Units per line, by line number: what sourcing reserved, a location shipped or gave back.
UnitsByLine = Mapping[int, int]


def check_transition(current: str, new: str) -> None:
    if new != current and new not in ORDER_TRANSITIONS[current]:
        raise InvalidTransitionError(f"An order cannot go from {current} to {new}.")


@dataclass(slots=True)
class LineBuckets:
    """Every unit of a line sits in exactly one bucket (invariant 3)."""

    quantity: int
    open: int
    allocated: int = 0
    shipped: int = 0
    cancelled: int = 0
    returned: int = 0

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        buckets = (self.open, self.allocated, self.shipped, self.cancelled, self.returned)
        if min(buckets) < 0:
            raise ValueError(f"negative bucket in {self}")
        if self.open + self.allocated + self.shipped + self.cancelled != self.quantity:
            raise ValueError(f"buckets do not add up to {self.quantity}: {self}")
        if self.returned > self.shipped:
            raise ValueError(f"more returned than shipped: {self}")

    # Each move keeps the sum by construction (one bucket down, another up by the same
    # units), so only the bucket it takes from is checked.

    def allocate(self, units: int) -> None:
        self._check_move(units, self.open, "open")
        self.open -= units
        self.allocated += units

    def deallocate(self, units: int) -> None:
        self._check_move(units, self.allocated, "allocated")
        self.allocated -= units
        self.open += units

    def ship(self, units: int) -> None:
        self._check_move(units, self.allocated, "allocated")
        self.allocated -= units
        self.shipped += units

    def cancel_open(self, units: int) -> None:
        """Open units are not wanted any more (allocated ones are deallocated first)."""
        self._check_move(units, self.open, "open")
        self.open -= units
        self.cancelled += units

    @property
    def unshipped(self) -> int:
        return self.open + self.allocated

    def cancel_unshipped(self) -> None:
        """Cancels every open and allocated unit (their stock was given back first)."""
        self.cancelled += self.open + self.allocated
        self.open = self.allocated = 0

    def cancel_all_but(self, kept: int) -> None:
        """Cancels every open and allocated unit except `kept` allocated ones: a location is
        picking those and decides on their cancellation itself."""
        if not 0 <= kept <= self.allocated:
            raise ValueError(f"cannot keep {kept} allocated units in {self}")
        self.cancelled += self.open + self.allocated - kept
        self.open, self.allocated = 0, kept

    def cancel_allocated(self, units: int) -> None:
        self._check_move(units, self.allocated, "allocated")
        self.allocated -= units
        self.cancelled += units

    def _check_move(self, units: int, available: int, source: str) -> None:
        if units <= 0 or available < units:
            raise ValueError(f"cannot move {units} units from {source} in {self}")


def derive_status(lines: list[LineBuckets], *, has_active_hold: bool) -> str:
    """The order status from its lines and holds (design.md §4)."""
    quantity = sum(line.quantity for line in lines)
    cancelled = sum(line.cancelled for line in lines)
    shipped = sum(line.shipped for line in lines)
    if cancelled == quantity:
        return CANCELLED
    if has_active_hold:
        return ON_HOLD
    if shipped == quantity - cancelled:
        return SHIPPED
    if shipped > 0:
        return PARTIALLY_SHIPPED
    if any(line.open for line in lines):
        return BACKORDERED
    return ALLOCATED


def is_promise_after_request(requested_on: date | None, promised_on: date | None) -> bool:
    """A line asked for earlier than Ordnung promised to deliver (either unknown: no)."""
    return requested_on is not None and promised_on is not None and promised_on > requested_on


@dataclass(slots=True)
class OrderLine:
    """What was bought, as bought: SKU, name, price and tax rate are copied at placement, so a
    catalogue change never rewrites an order (conventions §7). Amounts in minor units."""

    line_number: int
    sku: str
    name: str
    unit_price: int
    discount: int
    tax_rate: Decimal
    buckets: LineBuckets
    id: int | None = None
    # The delivery date the channel asked for (kept as sent), and what Ordnung promised when
    # sourcing last placed units of the line (None: no promise; docs/promise.md).
    requested_delivery_on: date | None = None
    promised_ship_on: date | None = None
    promised_delivery_on: date | None = None

    def promise(self, ship_on: date | None, delivery_on: date | None) -> None:
        """The dates sourcing worked out for the line; both None when it can promise none."""
        self.promised_ship_on = ship_on
        self.promised_delivery_on = delivery_on if ship_on is not None else None

    @property
    def is_promised_after_requested(self) -> bool:
        """Asked for earlier than Ordnung can deliver: kept, not refused, and shown."""
        return is_promise_after_request(self.requested_delivery_on, self.promised_delivery_on)

    @property
    def quantity(self) -> int:
        return self.buckets.quantity

    @property
    def total(self) -> int:
        return line_total(self.billed)

    @property
    def billed(self) -> BilledUnits:
        """What the customer still pays for: cancelled units drop out, and the line's
        discount shrinks with them (pro rata, half up) — so totals follow every cancel."""
        units = self.buckets.quantity - self.buckets.cancelled
        discount = self.discount
        if units != self.buckets.quantity:
            share = Decimal(self.discount * units) / Decimal(self.buckets.quantity)
            discount = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return BilledUnits(units, self.unit_price, discount, self.tax_rate)


@dataclass(frozen=True, slots=True)
class BilledUnits:
    """A line as totals see it (orders/totals.py `PricedItem`)."""

    quantity: int
    unit_price: int
    discount: int
    tax_rate: Decimal


@dataclass(slots=True)
class Hold:
    """A reason the order may not proceed, until a person or a rule releases it."""

    reason: str
    detail: str
    created_at: datetime
    id: int | None = None
    released_at: datetime | None = None
    released_by: str | None = None
    release_note: str | None = None
    # What the rule found, for people to read in their language (checks/findings.py).
    facts: dict[str, Any] | None = None

    @property
    def is_active(self) -> bool:
        return self.released_at is None


@dataclass(slots=True)
class Order:
    """One order: the aggregate every order rule lives on."""

    number: str
    channel_id: int
    external_id: str
    customer_id: int
    email: str
    customer_name: str
    currency: str
    prices_include_tax: bool
    billing_address: Address
    shipping_address: Address
    shipping_method: str
    shipping_amount: int
    shipping_tax_rate: Decimal
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    lines: list[OrderLine]
    holds: list[Hold] = field(default_factory=list)
    status: str = RECEIVED
    version: int = 1
    id: int | None = None
    vat_id: str | None = None
    payment_method: str | None = None
    card_fingerprint: str | None = None
    service_level: str = "standard"
    priority: str = "normal"
    gift_note: str | None = None
    language: str = "de"
    _events: list[events.OrderEvent] = field(default_factory=list)

    @classmethod
    def receive(
        cls,
        priced: PricedOrder,
        *,
        number: str,
        channel_id: int,
        customer_id: int,
        catalogue_names: Mapping[str, str],
        now: datetime,
    ) -> Order:
        """A new order from a checked draft; records `order.received`."""
        draft = priced.draft
        order = cls(
            number=number,
            channel_id=channel_id,
            external_id=draft.external_id,
            customer_id=customer_id,
            email=draft.email.lower(),
            customer_name=f"{draft.first_name} {draft.last_name}".strip(),
            currency=draft.currency,
            prices_include_tax=draft.prices_include_tax,
            billing_address=draft.billing_address,
            shipping_address=draft.shipping_address,
            shipping_method=draft.shipping_method,
            shipping_amount=priced.shipping_amount,
            shipping_tax_rate=draft.shipping_tax_rate,
            placed_at=draft.placed_at or now,
            vat_id=draft.vat_id,
            payment_method=draft.payment_method,
            card_fingerprint=draft.card_fingerprint,
            service_level=draft.service_level,
            priority=draft.priority,
            gift_note=draft.gift_note,
            language=draft.language,
            created_at=now,
            updated_at=now,
            lines=[
                OrderLine(
                    line_number=index,
                    sku=line.sku,
                    name=line.name or catalogue_names.get(line.sku, line.sku),
                    unit_price=line.unit_price,
                    discount=line.discount,
                    tax_rate=line.tax_rate,
                    buckets=LineBuckets(line.quantity, open=line.quantity),
                    requested_delivery_on=line.requested_delivery_on,
                )
                for index, line in enumerate(priced.lines, start=1)
            ],
        )
        order._events.append(events.OrderReceived(number, draft.channel, draft.external_id))
        return order

    # -- what the order is --------------------------------------------------------------

    @property
    def is_on_hold(self) -> bool:
        return any(hold.is_active for hold in self.holds)

    @property
    def has_shipped_units(self) -> bool:
        return any(line.buckets.shipped for line in self.lines)

    @property
    def can_be_sourced(self) -> bool:
        """Sourcing may reserve stock for it: no hold stops it, and units wait for stock.
        The one home of "a held order is not sourced"."""
        if self.is_on_hold or self.status == CANCELLED:
            return False
        return any(line.buckets.open for line in self.lines)

    def open_units(self) -> list[tuple[int, str, int]]:
        """(line number, SKU, open units) of every line still waiting for stock."""
        return [(ln.line_number, ln.sku, ln.buckets.open) for ln in self.lines if ln.buckets.open]

    def skus(self) -> set[str]:
        return {line.sku for line in self.lines}

    def check_version(self, expected: int | None) -> None:
        """A person's change carries the version they saw; a newer order is a conflict,
        not a silent overwrite (design.md §6)."""
        if expected is not None and expected != self.version:
            raise StaleVersionError(
                f"Order {self.number} is at version {self.version}, not {expected}.",
                current_version=self.version,
            )

    def line(self, line_number: int) -> OrderLine:
        for line in self.lines:
            if line.line_number == line_number:
                return line
        raise NotFoundError(f"Order {self.number} has no line {line_number}.")

    def line_number_of(self, line_id: int) -> int:
        for line in self.lines:
            if line.id == line_id:
                return line.line_number
        raise NotFoundError(f"Order {self.number} has no line with id {line_id}.")

    def totals(self) -> Totals:
        return compute_totals(
            [line.billed for line in self.lines],
            shipping=self.shipping_amount,
            shipping_tax_rate=self.shipping_tax_rate,
            prices_include_tax=self.prices_include_tax,
        )

    # -- actions --------------------------------------------------------------------------

    def hold(
        self, reason: str, detail: str, *, at: datetime, facts: dict[str, Any] | None = None
    ) -> None:
        """Puts a hold on: the order stops until it is released. Records `order.held`."""
        if reason not in HOLD_REASONS:
            raise ValueError(f"unknown hold reason {reason!r}")
        self.holds.append(Hold(reason, detail, created_at=at, facts=facts))
        before = self.status
        self._move_to(derive_status(self._buckets(), has_active_hold=True))
        self._events.append(events.OrderHeld(self.number, reason, detail, before, self.status))

    def release_hold(self, hold_id: int, *, note: str, by: str, at: datetime) -> None:
        """A person (or a rule) lets the order go on. The status follows once sourcing has
        looked at it (`allocate`, then `settle_status`)."""
        hold = next((h for h in self.holds if h.id == hold_id and h.is_active), None)
        if hold is None:
            raise NotFoundError(f"Order {self.number} has no active hold {hold_id}.")
        hold.released_at, hold.released_by, hold.release_note = at, by, note
        self._events.append(events.OrderHoldReleased(self.number, hold_id, note))

    def allocate(self, units: UnitsByLine) -> None:
        """Open units become allocated: sourcing reserved them at a location."""
        for line_number, count in units.items():
            self.line(line_number).buckets.allocate(count)

    def units_by_line_number(self, units_by_line_id: Mapping[int, int]) -> dict[int, int]:
        """Units keyed by stored line id (as fulfilment reports them) → by line number."""
        return {self.line_number_of(line_id): n for line_id, n in units_by_line_id.items()}

    def deallocate(self, units: UnitsByLine) -> None:
        """Allocated units wait again: their location gave the reservation back."""
        for line_number, count in units.items():
            self.line(line_number).buckets.deallocate(count)

    def ship(self, units: UnitsByLine) -> None:
        """Allocated units left their location."""
        for line_number, count in units.items():
            self.line(line_number).buckets.ship(count)

    def cancel(self, reason: str, *, reason_code: str = "other", note: str = "") -> None:
        """Cancels every unit not shipped; only before anything shipped. Records
        `order.cancelled` with the reason code and note (orders/changes.py). The caller has
        given the allocated units' stock back."""
        if self.has_shipped_units:
            raise ConflictError(
                f"Order {self.number} has shipped units; it can no longer be cancelled whole."
            )
        for line in self.lines:
            line.buckets.cancel_unshipped()
        before = self.status
        self._move_to(CANCELLED)
        self._events.append(
            events.OrderCancelled(self.number, before, CANCELLED, reason, reason_code, note)
        )

    def cancel_except(
        self, kept: UnitsByLine, reason: str, *, reason_code: str = "other", note: str = ""
    ) -> None:
        """Cancels every unit not shipped except `kept` (by line number): units a location
        is picking, which it has been asked to give back. Nothing kept is `cancel`; with
        units kept the order goes on with them until the locations decide."""
        if not any(kept.values()):
            self.cancel(reason, reason_code=reason_code, note=note)
            return
        if self.has_shipped_units:
            raise ConflictError(
                f"Order {self.number} has shipped units; it can no longer be cancelled whole."
            )
        for line in self.lines:
            line.buckets.cancel_all_but(kept.get(line.line_number, 0))

    def cancel_allocated(self, units: UnitsByLine, reason: str) -> None:
        """Allocated units are cancelled after all (their location accepted a cancellation
        request); with no unit left, the order is cancelled with the agent's reason."""
        for line_number, count in units.items():
            self.line(line_number).buckets.cancel_allocated(count)
        if derive_status(self._buckets(), has_active_hold=self.is_on_hold) == CANCELLED:
            before = self.status
            self._move_to(CANCELLED)
            self._events.append(events.OrderCancelled(self.number, before, CANCELLED, reason))

    def settle_status(self) -> None:
        """Derives the status after an action; a change records its one event."""
        derived = derive_status(self._buckets(), has_active_hold=self.is_on_hold)
        if derived == self.status:
            return
        before = self.status
        self._move_to(derived)
        self._events.append(self._status_event(before, derived))

    def record(self, event: events.OrderEvent) -> None:
        """An edit (orders/changes.py) records its one event on the order."""
        self._events.append(event)

    def pull_events(self) -> list[events.OrderEvent]:
        """The events raised since the last pull, for the outbox (the repository pulls)."""
        raised, self._events = self._events, []
        return raised

    def _status_event(self, before: str, derived: str) -> events.OrderEvent:
        if derived == CANCELLED:  # every line cancelled one by one
            return events.OrderCancelled(self.number, before, derived, "every line cancelled")
        if derived == ON_HOLD:  # a hold loaded with the order; `hold` records its own
            hold = next(h for h in reversed(self.holds) if h.is_active)
            return events.OrderHeld(self.number, hold.reason, hold.detail, before, derived)
        return STATUS_EVENTS[derived](self.number, before, derived)

    def _move_to(self, status: str) -> None:
        check_transition(self.status, status)
        self.status = status

    def _buckets(self) -> list[LineBuckets]:
        return [line.buckets for line in self.lines]
