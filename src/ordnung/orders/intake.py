"""Order intake: every order of every channel taken exactly once, validated and sourced.

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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from sqlalchemy.engine import Connection

from ordnung.channels.service import ChannelRef, find_channels_by_code
from ordnung.core import clock, idempotency
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.driver import driver_of
from ordnung.core.errors import OrdnungError, ValidationError
from ordnung.core.idempotency import IdempotencyClaim, Outcome, StoredResponse
from ordnung.orders import model
from ordnung.orders.new_orders import NewOrderToStore, store_new_orders
from ordnung.orders.queries import load_order_detail


@dataclass(frozen=True, slots=True)
class IntakeRequest:
    order: model.NewOrder
    actor: str
    idempotency: IdempotencyClaim | None = None


# What one request gets: the answer to send, or the error to send instead.
IntakeResult = StoredResponse | Exception


def place_order(
    db: Database,
    order: model.NewOrder,
    *,
    actor: str,
    idempotency: IdempotencyClaim | None = None,
) -> StoredResponse:
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
            keys.add(("key", request.idempotency.scope, request.idempotency.key))
        if keys & seen:
            repeats.append(index)
        else:
            seen |= keys
            first.append(index)
    return first, repeats


def _take_wave(uow: UnitOfWork, requests: list[IntakeRequest]) -> list[IntakeResult]:
    connection = uow.connection
    now = clock.now()
    results: list[IntakeResult | None] = _replays(connection, requests)
    unanswered = [r for r, result in zip(requests, results, strict=True) if result is None]
    channels = find_channels_by_code(connection, {r.order.channel for r in unanswered})
    checked: dict[int, NewOrderToStore] = {}
    for index, request in enumerate(requests):
        if results[index] is None:
            try:
                checked[index] = _check(request, channels)
            except OrdnungError as error:
                results[index] = error
    claims = [claim for i in checked if (claim := requests[i].idempotency) is not None]
    idempotency.claim_keys(connection, claims, now)
    existing = _existing_order_ids(connection, list(checked.values()))
    outcomes: dict[int, Outcome] = {}
    for index, order in checked.items():
        order_id = existing.get((order.channel.id, order.order.external_id))
        if order_id is not None:
            outcomes[index] = Outcome(load_order_detail(connection, order_id), created=False)
    new = [index for index in checked if index not in outcomes]
    stored = store_new_orders(uow, [checked[index] for index in new], now)
    outcomes.update(zip(new, stored, strict=True))
    for index, response in _answers(connection, requests, outcomes).items():
        results[index] = response
    if any(result is None for result in results):
        raise RuntimeError("order intake left a request without an answer")
    return [result for result in results if result is not None]


def _replays(connection: Connection, requests: list[IntakeRequest]) -> list[IntakeResult | None]:
    """For each request whose Idempotency-Key was used before: the stored answer or error."""
    claims = [r.idempotency for r in requests if r.idempotency is not None]
    answers = idempotency.find_answers(connection, claims)
    return [
        None if r.idempotency is None else answers.get((r.idempotency.scope, r.idempotency.key))
        for r in requests
    ]


def _check(request: IntakeRequest, channels: dict[str, ChannelRef]) -> NewOrderToStore:
    order = request.order
    channel = channels.get(order.channel)
    if channel is None:
        raise ValidationError(f"Unknown sales channel {order.channel!r}.", field="channel")
    return NewOrderToStore(order, request.actor, channel, model.compute_totals(order))


def _existing_order_ids(
    connection: Connection, orders: list[NewOrderToStore]
) -> dict[tuple[int, str], int]:
    if not orders:
        return {}
    driver = driver_of(connection)
    pairs = sorted({(o.channel.id, o.order.external_id) for o in orders})
    wanted, parameters = driver.with_rows(
        "wanted", ("channel_id", "external_id"), pairs, ("bigint", "text")
    )
    rows = driver.fetch_all(wanted + _EXISTING_ORDERS, parameters)
    return {(channel_id, external_id): order_id for order_id, channel_id, external_id in rows}


def _answers(
    connection: Connection, requests: list[IntakeRequest], outcomes: dict[int, Outcome]
) -> dict[int, StoredResponse]:
    """The responses to send, stored with their Idempotency-Keys in the same transaction."""
    keyed = [(i, claim) for i in outcomes if (claim := requests[i].idempotency) is not None]
    answered = [(claim, outcomes[index]) for index, claim in keyed]
    bodies = idempotency.store_answers(connection, answered, clock.now())
    body_by_index = {index: body for (index, _), body in zip(keyed, bodies, strict=True)}
    return {
        index: StoredResponse(
            outcome.status_code, body_by_index.get(index) or orjson.dumps(outcome.body)
        )
        for index, outcome in outcomes.items()
    }


_EXISTING_ORDERS = (
    " SELECT o.id, o.channel_id, o.external_id FROM wanted JOIN sales_order o"
    " ON o.channel_id = wanted.channel_id AND o.external_id = wanted.external_id"
)
