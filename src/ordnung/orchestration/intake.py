"""Order intake: every order of every channel taken exactly once, checked and sourced.

Orders come one at a time (`place_order`: CLI, demo, tests) or as a batch that the API's
writer collected while the previous batch was being committed (`place_orders`; see
`core/batching.py`). A batch is one transaction and one commit, but each order in it gets the
answer it would have got alone:

- a repeated Idempotency-Key replays the stored answer, or is refused (another body);
- a repeated `(channel, external_id)` answers 200 with the order stored first;
- an order that is invalid (unknown channel, amounts finer than the currency) gets its own
  error and writes nothing — not even its Idempotency-Key;
- two requests of one batch with the same key or the same order run in successive waves, so
  the second sees the first exactly as if it had come later;
- if the batch fails as a whole (say a concurrent transaction stored one of its orders
  first), every request runs again alone, so no request can fail its neighbours.

New orders go through three visible steps (`_place_new`):

1. **load** what the whole batch needs, set-wise: product names, customers (found or
   created), order numbers, and the available stock, locked;
2. **decide** each order with pure functions — the `Order` aggregate, the hold rules
   (`orders/holds.py`) and the sourcing plan (`sourcing/model.py`), first come first served;
3. **store** the batch set-wise: the orders (`orders/repository.py`, the only writer of order
   tables), then the reservations and fulfilment orders (`sourcing/service.py`).

A non-stock product's lines (services, digital goods, made to order; docs/stock-policy.md)
take no stock: intake neither reads nor locks stock for them, never holds an order for them
(`allow_backorder`, pre-order cap) and never leaves them waiting — they ride along with the
order's goods (`BatchRouting.route_needs`, `riding`), on fulfilment lines without a position.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection

from ordnung.catalog.model import NON_STOCK
from ordnung.catalog.service import SellableProduct, sellable_products
from ordnung.channels.service import ChannelRef, find_channels_by_code
from ordnung.checks.service import CheckSubject, IntakeChecks, load_intake_checks, store_warnings
from ordnung.core import clock, idempotency
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import OrdnungError, ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.customers.model import normalise_email
from ordnung.customers.service import Person, find_or_create_customers
from ordnung.fulfillment.pickup import register_pickups
from ordnung.inventory import checkout_holds, stock
from ordnung.inventory.checkout_hold_model import HeldUnit, TakenUnit, take_held_units
from ordnung.inventory.checkout_holds import ActiveHold, Conversion
from ordnung.inventory.locations import capabilities_by_code
from ordnung.orders import repository
from ordnung.orders.draft import NewOrder, PricedOrder, check_requested_dates, price_new_order
from ordnung.orders.holds import HoldContext, holds_for
from ordnung.orders.model import Order
from ordnung.orders.queries import OrderView, detail_of_new_order, load_order_detail
from ordnung.orders.stock_policy import (
    SkuPolicy,
    backorder_hold,
    non_stock_skus,
    preorder_cap_hold,
    waiting_for_release,
)
from ordnung.sourcing.decisions import BatchRouting, load_routing, store_decisions
from ordnung.sourcing.line_promises import LineDating, promise_lines
from ordnung.sourcing.model import (
    Allocation,
    Need,
    StockPlanner,
    can_ship_parcels,
    needs_of,
    units_by_line,
)
from ordnung.sourcing.service import SourcedOrder, allocate_backorders, commit_plans


class PlacedOrder:
    """The answer to an order sent: the order as stored, and whether this request stored it
    (False: it was there already, under the same channel and external id).

    A new order's answer is shaped from the rows intake wrote only when someone reads
    `order` — for the API that is after the batch has committed and left the intake turn,
    so the next batch need not wait for the shaping (a keyed request's answer is stored
    with its key, and so shaped inside)."""

    __slots__ = ("_order", "_shape", "is_new")

    def __init__(self, order: OrderView | Callable[[], OrderView], *, is_new: bool) -> None:
        self._order: OrderView | None = None if callable(order) else order
        self._shape: Callable[[], OrderView] | None = order if callable(order) else None
        self.is_new = is_new

    @property
    def order(self) -> OrderView:
        if self._order is None:
            assert self._shape is not None
            self._order, self._shape = self._shape(), None
        return self._order


@dataclass(frozen=True, slots=True)
class IntakeRequest:
    """One order sent, priced where the request is made — for the API on its event loop,
    outside the intake turn (see core/batching.py): an order's amounts need no database."""

    order: NewOrder
    actor: str
    idempotency: IdempotentRequest[PlacedOrder] | None = None
    priced: PricedOrder | OrdnungError = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            priced: PricedOrder | OrdnungError = price_new_order(self.order)
        except OrdnungError as error:  # answered as this request's error, after the channel's
            priced = error
        object.__setattr__(self, "priced", priced)


# What one request gets: its placed order, or the exception to raise for it instead (an
# error, or `ReplayedAnswer` for a repeated Idempotency-Key).
IntakeResult = PlacedOrder | Exception


def place_order(
    db: Database,
    order: NewOrder,
    *,
    actor: str,
    idempotency: IdempotentRequest[PlacedOrder] | None = None,
) -> PlacedOrder:
    """Takes one order from a channel exactly once and sources it (see the module docs)."""
    result = place_orders(db, [IntakeRequest(order, actor, idempotency)])[0]
    if isinstance(result, Exception):
        raise result
    return result


def place_orders(db: Database, requests: Sequence[IntakeRequest]) -> list[IntakeResult]:
    """Takes a batch of orders in one transaction; one result per request, in order."""
    if not requests:
        return []
    try:
        return db.write(lambda uow: _take_in_waves(uow, requests))
    except Exception as error:
        if len(requests) == 1:
            return [error]
    return [place_orders(db, [request])[0] for request in requests]


def _take_in_waves(uow: UnitOfWork, requests: Sequence[IntakeRequest]) -> list[IntakeResult]:
    results: dict[int, IntakeResult] = {}
    waiting = list(range(len(requests)))
    while waiting:
        wave, waiting = _split_repeats(requests, waiting)
        answered = _take_wave(uow, [requests[index] for index in wave])
        results.update(zip(wave, answered, strict=True))
    return [results[index] for index in range(len(requests))]


def _split_repeats(
    requests: Sequence[IntakeRequest], indexes: list[int]
) -> tuple[list[int], list[int]]:
    """The first request of each Idempotency-Key and of each order, and the repeats."""
    seen: set[tuple[str, str, str]] = set()
    first, repeats = [], []
    for index in indexes:
        request = requests[index]
        keys = {("order", request.order.channel, request.order.external_id)}
        if request.idempotency is not None:
            claim = request.idempotency.claim
            keys.add(("key", claim.scope, claim.key))
        if keys & seen:
            repeats.append(index)
        else:
            seen |= keys
            first.append(index)
    return first, repeats


@dataclass(slots=True)  # not frozen: built per order on the intake hot path
class _CheckedOrder:
    """A request whose order can be taken: amounts exact, channel known."""

    priced: PricedOrder
    channel: ChannelRef
    actor: str
    pickup_location_id: int | None = None  # click & collect: the customer's store


def _take_wave(uow: UnitOfWork, requests: list[IntakeRequest]) -> list[IntakeResult]:
    connection = uow.connection
    now = clock.now()
    results: list[IntakeResult | None] = _replays(connection, requests)
    unanswered = [r for r, result in zip(requests, results, strict=True) if result is None]
    channels = find_channels_by_code(connection, {r.order.channel for r in unanswered})
    stores = capabilities_by_code(
        connection, {code for r in unanswered if (code := r.order.pickup_location) is not None}
    )
    checked: dict[int, _CheckedOrder] = {}
    for index, request in enumerate(requests):
        if results[index] is None:
            try:
                checked[index] = _check(request, channels, stores, now.date())
            except OrdnungError as error:
                results[index] = error
    claims = [r.idempotency.claim for i in checked if (r := requests[i]).idempotency]
    idempotency.claim_keys(connection, claims, now)
    existing = repository.find_order_ids(
        connection, {(c.channel.id, c.priced.draft.external_id) for c in checked.values()}
    )
    placed: dict[int, PlacedOrder] = {}
    for index, order in checked.items():
        order_id = existing.get((order.channel.id, order.priced.draft.external_id))
        if order_id is not None:
            placed[index] = PlacedOrder(load_order_detail(connection, order_id), is_new=False)
    new = [index for index in checked if index not in placed]
    placed.update(zip(new, _place_new(uow, [checked[index] for index in new], now), strict=True))
    _store_answers(connection, requests, placed, now)
    results = [placed.get(index, result) for index, result in enumerate(results)]
    if any(result is None for result in results):
        raise RuntimeError("order intake left a request without an answer")
    return [result for result in results if result is not None]


def _replays(connection: Connection, requests: list[IntakeRequest]) -> list[IntakeResult | None]:
    """For each request whose Idempotency-Key was used before: the stored answer (raised as
    `ReplayedAnswer`) or the error that using the key again is."""
    claims = [r.idempotency.claim for r in requests if r.idempotency is not None]
    answers = idempotency.find_answers(connection, claims)
    results: list[IntakeResult | None] = []
    for request in requests:
        found = None
        if request.idempotency is not None:
            claim = request.idempotency.claim
            found = answers.get((claim.scope, claim.key))
        if isinstance(found, idempotency.Answer):
            found = idempotency.ReplayedAnswer(found)
        results.append(found)
    return results


def _check(
    request: IntakeRequest,
    channels: dict[str, ChannelRef],
    stores: dict[str, tuple[int, frozenset[str]]],
    today: date,
) -> _CheckedOrder:
    order = request.order
    channel = channels.get(order.channel)
    if channel is None:
        raise ValidationError(f"Unknown sales channel {order.channel!r}.", field="channel")
    if order.currency != channel.currency:
        raise ValidationError(
            f"Channel {channel.code!r} sells in {channel.currency}, not {order.currency}.",
            field="currency",
        )
    if isinstance(request.priced, OrdnungError):
        raise request.priced
    check_requested_dates(order, today)
    return _CheckedOrder(request.priced, channel, request.actor, _pickup_store(order, stores))


def _pickup_store(order: NewOrder, stores: dict[str, tuple[int, frozenset[str]]]) -> int | None:
    """The click & collect store's id: it must exist and do pickups (else 422)."""
    if order.pickup_location is None:
        return None
    store = stores.get(order.pickup_location)
    if store is None:
        raise ValidationError(
            f"Unknown location {order.pickup_location!r}.", field="pickup_location"
        )
    if "pickup" not in store[1]:
        raise ValidationError(
            f"Location {order.pickup_location!r} does not hand orders over to customers"
            " (no pickup capability).",
            field="pickup_location",
        )
    return store[0]


def _store_answers(
    connection: Connection,
    requests: list[IntakeRequest],
    placed: dict[int, PlacedOrder],
    now: datetime,
) -> None:
    """The answers of keyed requests, stored with their keys in the same transaction."""
    answered = [
        (keyed.claim, keyed.answer_for(result))
        for index, result in placed.items()
        if (keyed := requests[index].idempotency) is not None
    ]
    idempotency.store_answers(connection, answered, now)


# -- new orders: load, decide, store -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _BatchContext:
    """Everything a batch of new orders needs, loaded set-wise (step 1)."""

    product_names: dict[str, str]
    customer_ids: dict[str, int]
    numbers: list[str]
    stock: StockPlanner
    checks: IntakeChecks
    # Checkout holds the batch's orders name, locked; an order taking one removes it.
    holds: dict[int, ActiveHold]
    policy: _PolicyTally
    routing: BatchRouting  # the channels' sourcing rules; collects each order's decision
    dating: LineDating  # the promised dates of sourced lines (read only when first asked)


@dataclass(slots=True)
class _PolicyTally:
    """Product stock policies of the batch's SKUs and the running counts their rules need:
    free units per SKU (what sourcing could still give) and open pre-ordered units."""

    today: date
    policies: dict[str, SkuPolicy]
    waiting: frozenset[str]  # pre-order SKUs before their release day: not sourced
    free: dict[str, int]
    preordered: dict[str, int]
    non_stock: frozenset[str] = frozenset()  # never reserved, never backordered: ride along


@dataclass(slots=True)
class _Decided:
    """One new order as decided (step 2), and the checkout hold it took over, if any."""

    sourced: SourcedOrder
    hold_id: int | None = None
    pickup_location_id: int | None = None
    taken: list[TakenUnit] = field(default_factory=list)
    leftover: list[HeldUnit] = field(default_factory=list)


def _place_new(uow: UnitOfWork, orders: list[_CheckedOrder], now: datetime) -> list[PlacedOrder]:
    """Stores and sources orders known to be new and valid; answers each with its detail."""
    if not orders:
        return []
    context = _load(uow, orders, now)
    decided = [
        _decide(order, number, context, now)
        for order, number in zip(orders, context.numbers, strict=True)
    ]
    return _store(uow, orders, decided, context, now)


def _load(uow: UnitOfWork, orders: list[_CheckedOrder], now: datetime) -> _BatchContext:
    """Locks are taken in one order by every batch — customers, then stock positions, then
    the new rows — so concurrent batches queue instead of deadlocking."""
    connection = uow.connection
    products = sellable_products(connection, {ln.sku for o in orders for ln in o.priced.lines})
    names = {sku: product.name for sku, product in products.items()}
    people = [
        Person(draft.email, draft.first_name, draft.last_name, draft.phone)
        for draft in (o.priced.draft for o in orders)
    ]
    customer_ids = find_or_create_customers(connection, people, now)
    numbers = repository.next_order_numbers(connection, len(orders))
    tax_classes = {sku: product.tax_class for sku, product in products.items()}
    checks = load_intake_checks(connection, _check_subjects(orders, customer_ids), now, tax_classes)
    holds = _lock_holds(uow, orders, set(names), now)
    non_stock = {sku for sku, p in products.items() if p.stock_policy == NON_STOCK}
    # Read with row locks in id order (as sourcing.service.stock_planner does); the free
    # units per SKU feed the no-backorder rule. Non-stock SKUs have no stock to read.
    rows = stock.available_stock(connection, set(names) - non_stock)
    policy = _policy_tally(connection, products, rows, now)
    channel_ids = {o.channel.id for o in orders}
    routing = load_routing(connection, channel_ids, set(names), now, non_stock=non_stock)
    planner = StockPlanner(rows)
    dating = LineDating(connection, now, set(names))
    return _BatchContext(
        names, customer_ids, numbers, planner, checks, holds, policy, routing, dating
    )


def _policy_tally(
    connection: Connection,
    products: dict[str, SellableProduct],
    rows: list[stock.AvailableStock],
    now: datetime,
) -> _PolicyTally:
    """The policies of the batch's products; open pre-ordered units are read (one statement)
    only for capped pre-order SKUs."""
    policies = {
        sku: SkuPolicy(p.stock_policy, p.allow_backorder, p.release_on, p.preorder_cap)
        for sku, p in products.items()
        if p.stock_policy != "stocked" or not p.allow_backorder
    }
    today = now.date()
    waiting = waiting_for_release(policies, today)
    capped = {sku for sku in waiting if policies[sku].preorder_cap is not None}
    preordered = repository.open_units_by_sku(connection, capped) if capped else {}
    free: dict[str, int] = defaultdict(int)
    if any(not p.allow_backorder for p in policies.values()):
        for row in rows:
            if can_ship_parcels(row.capabilities):
                free[row.sku] += row.available
    return _PolicyTally(today, policies, waiting, free, preordered, non_stock_skus(policies))


def _lock_holds(
    uow: UnitOfWork, orders: list[_CheckedOrder], skus: set[str], now: datetime
) -> dict[int, ActiveHold]:
    """The active checkout holds the orders name, locked before the stock (the lock order of
    inventory/checkout_holds.py); then every position of their SKUs and the orders' SKUs, in
    id order, since a hold's leftover units go back at positions the planner may not lock.
    No statement at all for a batch without holds."""
    wanted = {hold_id for o in orders if (hold_id := o.priced.draft.reservation_id) is not None}
    if not wanted:
        return {}
    holds = checkout_holds.lock_active_holds(uow.connection, wanted, now)
    held_skus = {unit.sku for hold in holds.values() for unit in hold.units}
    stock.lock_positions(uow.connection, skus | held_skus)
    return holds


def _check_subjects(
    orders: list[_CheckedOrder], customer_ids: dict[str, int]
) -> list[CheckSubject]:
    return [
        CheckSubject(
            order.channel.id,
            customer_ids[normalise_email(draft.email)],
            draft.email.lower(),
            draft.shipping_address.key(),
            draft.card_fingerprint,
            frozenset(line.sku for line in draft.lines),
        )
        for order in orders
        if (draft := order.priced.draft)
    ]


def _decide(checked: _CheckedOrder, number: str, context: _BatchContext, now: datetime) -> _Decided:
    """One order, decided with pure functions: the aggregate, the hold rules, the plan."""
    draft = checked.priced.draft
    order = Order.receive(
        checked.priced,
        number=number,
        channel_id=checked.channel.id,
        customer_id=context.customer_ids[normalise_email(draft.email)],
        catalogue_names=context.product_names,
        now=now,
    )
    rules_context = HoldContext(frozenset(context.product_names), draft.expected)
    for decision in holds_for(order, rules_context):
        order.hold(decision.reason, decision.detail, at=now, facts=decision.facts)
    for verdict in context.checks.judge(order, checked.channel.type).holds:
        order.hold(verdict.reason, verdict.detail, at=now, facts=verdict.facts)
    tally = context.policy
    if order.can_be_sourced and tally.policies:
        capped = preorder_cap_hold(order, tally.policies, tally.today, tally.preordered)
        if capped is not None:
            order.hold(capped.reason, capped.detail, at=now)
    if not order.can_be_sourced:
        # A held order takes no stock; its checkout hold (if any) runs out by itself.
        return _Decided(SourcedOrder(order, [], checked.actor))
    if checked.pickup_location_id is not None:
        return _source_pickup(order, checked, context, now)
    decided = _take_hold(order, checked, context)
    if tally.policies and _is_short_without_backorders(order, decided, tally, now):
        return _Decided(SourcedOrder(order, [], checked.actor))
    return _source(decided, context)


def _source_pickup(
    order: Order, checked: _CheckedOrder, context: _BatchContext, now: datetime
) -> _Decided:
    """Click & collect: every unit reserved at the customer's store, or the order is held
    for a person (the store lacks some); never routed elsewhere by the channel's rules. A
    checkout hold is not taken over (it may sit at another location): it runs out."""
    store_id = checked.pickup_location_id
    assert store_id is not None
    tally = context.policy
    needs = [n for n in needs_of(order) if n.sku not in tally.waiting]
    stocked = [n for n in needs if n.sku not in tally.non_stock]
    riding = [
        Allocation(n.line_key, n.sku, store_id, None, n.quantity)
        for n in needs
        if n.sku in tally.non_stock
    ]
    plan = context.stock.plan_pickup(stocked, store_id)
    if plan is None:
        order.hold(
            "manual",
            f"Click & collect at {checked.priced.draft.pickup_location}: the store lacks units;"
            " move the order to another store, ship it or cancel it.",
            at=now,
        )
        return _Decided(SourcedOrder(order, [], checked.actor))
    plan += riding
    order.allocate(units_by_line(plan))
    promise_lines(context.dating, order, plan, waiting_skus=tally.waiting)
    return _Decided(SourcedOrder(order, plan, checked.actor), pickup_location_id=store_id)


def _is_short_without_backorders(
    order: Order, decided: _Decided, tally: _PolicyTally, now: datetime
) -> bool:
    """Holds the order (and says so) if a SKU that may not be backordered cannot give it
    every unit now: free units plus those its checkout hold brings."""
    free = dict(tally.free)
    for taken in decided.taken:
        free[taken.unit.sku] = free.get(taken.unit.sku, 0) + taken.unit.quantity
    short = backorder_hold(order, tally.policies, free, tally.today)
    if short is not None:
        order.hold(short.reason, short.detail, at=now)
    return short is not None


def _source(decided: _Decided, context: _BatchContext) -> _Decided:
    """The plan: held units taken over, the rest from free stock; pre-order units before
    their release day wait; non-stock units ride along with the goods."""
    order, tally = decided.sourced.order, context.policy
    needs = [n for n in needs_of(order) if n.sku not in tally.waiting]
    stocked = [n for n in needs if n.sku not in tally.non_stock]
    riding = [n for n in needs if n.sku in tally.non_stock]
    planned = context.routing.route_needs(
        context.stock, order, _still_needed(stocked, decided.taken), riding=riding
    )
    if tally.free:
        for allocation in planned:
            if allocation.position_id is not None:
                tally.free[allocation.sku] -= allocation.quantity
    plan = [_as_allocation(t) for t in decided.taken] + planned
    order.allocate(units_by_line(plan))
    promise_lines(context.dating, order, plan, waiting_skus=tally.waiting)
    decided.sourced.plan = plan
    return decided


def _take_hold(order: Order, checked: _CheckedOrder, context: _BatchContext) -> _Decided:
    """The order's checkout hold, if it is active and the same caller placed it (anyone
    else's counts as unknown); a hold serves one order only."""
    decided = _Decided(SourcedOrder(order, [], checked.actor))
    hold_id = checked.priced.draft.reservation_id
    hold = None if hold_id is None else context.holds.get(hold_id)
    if hold is None or hold.created_by != checked.actor:
        return decided
    del context.holds[hold.id]
    decided.hold_id = hold.id
    skipped = context.policy.waiting | context.policy.non_stock  # no stock to take over
    open_units = [u for u in order.open_units() if u[1] not in skipped]
    decided.taken, decided.leftover = take_held_units(hold.units, open_units)
    return decided


def _still_needed(needs: list[Need], taken: list[TakenUnit]) -> list[Need]:
    got: dict[int, int] = defaultdict(int)
    for t in taken:
        got[t.line_key] += t.unit.quantity
    return [
        Need(n.line_key, n.sku, n.quantity - got[n.line_key])
        for n in needs
        if n.quantity > got[n.line_key]
    ]


def _as_allocation(taken: TakenUnit) -> Allocation:
    unit = taken.unit
    return Allocation(taken.line_key, unit.sku, unit.location_id, unit.position_id, unit.quantity)


def _store(
    uow: UnitOfWork,
    orders: list[_CheckedOrder],
    decided: list[_Decided],
    context: _BatchContext,
    now: datetime,
) -> list[PlacedOrder]:
    """Orders first, then their reservations and fulfilment orders (units taken from a
    checkout hold are reserved already: the planner never handed them out, so they are not
    reserved twice), then the holds they took over; answers are built from what was written."""
    sourced = [d.sourced for d in decided]
    rows = repository.add_orders(uow, [s.order for s in sourced], [o.actor for o in orders])
    store_warnings(uow, context.checks)
    released = commit_plans(uow, context.stock, sourced)
    collected = {d.sourced.order.id for d in decided if d.pickup_location_id is not None}
    if collected:
        register_pickups(uow, [fo for fo in released.orders if fo["order_id"] in collected])
    store_decisions(uow.connection, context.routing, now)
    _convert_holds(uow, decided, now)
    fos_by_order: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for fo in released.orders:
        fos_by_order[fo["order_id"]].append(fo)
    lines_by_fo: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in released.lines:
        lines_by_fo[line["fulfillment_order_id"]].append(line)
    events_by_order: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in uow.flush_events(now):
        events_by_order[event["order_id"]].append(event)
    placed = []
    for index, checked in enumerate(orders):
        order_id = rows.orders[index]["id"]
        fos = fos_by_order[order_id]
        fo_lines = [line for fo in fos for line in lines_by_fo[fo["id"]]]
        detail = partial(
            detail_of_new_order,
            (rows.orders[index], rows.lines[index], rows.holds[index]),
            (checked.channel.code, checked.channel.name),
            (fos, fo_lines),
            events_by_order[order_id],
        )
        placed.append(PlacedOrder(detail, is_new=True))
    return placed


def _convert_holds(uow: UnitOfWork, decided: list[_Decided], now: datetime) -> None:
    """The checkout holds the orders took over become `converted`; held units no order
    needed go back and, like every release of stock, to the orders waiting for them (none of
    this batch's: those are being stored here)."""
    conversions = [
        Conversion(d.hold_id, d.sourced.order.id, d.taken, d.leftover)
        for d in decided
        if d.hold_id is not None and d.sourced.order.id is not None
    ]
    checkout_holds.convert_holds(uow, conversions, now)
    freed = {unit.sku for c in conversions for unit in c.leftover}
    if freed:
        batch = {order_id for d in decided if (order_id := d.sourced.order.id) is not None}
        allocate_backorders(uow, freed, skip_order_ids=batch)
