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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection

from ordnung.catalog.service import sellable_products
from ordnung.channels.service import ChannelRef, find_channels_by_code
from ordnung.checks.service import CheckSubject, IntakeChecks, load_intake_checks, store_warnings
from ordnung.core import clock, idempotency
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import OrdnungError, ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.customers.model import normalise_email
from ordnung.customers.service import Person, find_or_create_customers
from ordnung.orders import repository
from ordnung.orders.draft import NewOrder, PricedOrder, price_new_order
from ordnung.orders.holds import HoldContext, holds_for
from ordnung.orders.model import Order
from ordnung.orders.queries import OrderView, detail_of_new_order, load_order_detail
from ordnung.sourcing.decisions import BatchRouting, load_routing, store_decisions
from ordnung.sourcing.model import StockPlanner, units_by_line
from ordnung.sourcing.service import SourcedOrder, commit_plans, stock_planner


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


def _take_wave(uow: UnitOfWork, requests: list[IntakeRequest]) -> list[IntakeResult]:
    connection = uow.connection
    now = clock.now()
    results: list[IntakeResult | None] = _replays(connection, requests)
    unanswered = [r for r, result in zip(requests, results, strict=True) if result is None]
    channels = find_channels_by_code(connection, {r.order.channel for r in unanswered})
    checked: dict[int, _CheckedOrder] = {}
    for index, request in enumerate(requests):
        if results[index] is None:
            try:
                checked[index] = _check(request, channels)
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


def _check(request: IntakeRequest, channels: dict[str, ChannelRef]) -> _CheckedOrder:
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
    return _CheckedOrder(request.priced, channel, request.actor)


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
    routing: BatchRouting  # the channels' sourcing rules; collects each order's decision


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
    routing = load_routing(connection, {o.channel.id for o in orders}, set(names), now)
    planner = stock_planner(uow, set(names))
    return _BatchContext(names, customer_ids, numbers, planner, checks, routing)


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


def _decide(
    checked: _CheckedOrder, number: str, context: _BatchContext, now: datetime
) -> SourcedOrder:
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
    plan = context.routing.route(context.stock, order) if order.can_be_sourced else []
    order.allocate(units_by_line(plan))
    return SourcedOrder(order, plan, checked.actor)


def _store(
    uow: UnitOfWork,
    orders: list[_CheckedOrder],
    decided: list[SourcedOrder],
    context: _BatchContext,
    now: datetime,
) -> list[PlacedOrder]:
    """Orders first, then their reservations and fulfilment orders; answers are built from
    what was written."""
    rows = repository.add_orders(uow, [d.order for d in decided], [o.actor for o in orders])
    store_warnings(uow, context.checks)
    released = commit_plans(uow, context.stock, decided)
    store_decisions(uow.connection, context.routing, now)
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
