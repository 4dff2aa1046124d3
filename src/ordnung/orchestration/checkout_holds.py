"""Checkout holds as business actions: holding a cart's units (sourcing picks the positions,
inventory reserves them), letting a hold go, and the worker's expiry — the last two give the
units to orders waiting for them at once, like every other release of stock.

The rules of a hold are in `inventory/checkout_hold_model.py`; how an order takes a hold over
is in `orchestration/intake.py` (set-wise, inside the intake batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ordnung.catalog.service import non_stock_skus
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import InsufficientStockError, NotFoundError, ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory import checkout_holds, stock
from ordnung.inventory.checkout_hold_model import (
    EXPIRED,
    HOLDS_PER_EXPIRY,
    MAX_TTL_SECONDS,
    MIN_TTL_SECONDS,
    RELEASED,
    HeldUnit,
    check_transition,
)
from ordnung.inventory.locations import location_id_for_code
from ordnung.sourcing.model import Need, StockPlanner
from ordnung.sourcing.service import allocate_backorders, lock_stock


@dataclass(frozen=True, slots=True)
class CartLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Cart:
    """What a checkout asks to hold: lines, optionally all at one location, for a while."""

    lines: tuple[CartLine, ...]
    ttl_seconds: int
    location: str | None = None


def place_checkout_hold(
    db: Database,
    cart: Cart,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Holds every unit of the cart, or nothing: a 409 `insufficient-stock` names the SKUs
    that are short. Positions are chosen as for an order (sourcing's planner). Lines of a
    non-stock product hold nothing (there is no stock to hold)."""
    if not MIN_TTL_SECONDS <= cart.ttl_seconds <= MAX_TTL_SECONDS:
        raise ValidationError(
            f"ttl_seconds must lie between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS}.",
            field="ttl_seconds",
        )

    def work(uow: UnitOfWork) -> dict[str, Any]:
        now = clock.now()
        location_id = _location_id(uow, cart.location)
        # A non-stock product (a service, a gift card) has nothing to hold: its lines are
        # left out, and the order takes them whatever stock says.
        non_stock = non_stock_skus(uow.connection, {line.sku for line in cart.lines})
        lines = [(n, line) for n, line in enumerate(cart.lines, 1) if line.sku not in non_stock]
        rows = stock.available_stock(uow.connection, {line.sku for _, line in lines})
        if location_id is not None:
            rows = [row for row in rows if row.location_id == location_id]
        needs = [Need(n, line.sku, line.quantity) for n, line in lines]
        plan = StockPlanner(rows).plan(needs)
        _check_complete(needs, plan)
        units = [
            HeldUnit(a.position_id, a.location_id, a.sku, a.quantity)
            for a in plan
            if a.position_id is not None  # always so: the planner plans stock positions
        ]
        hold_id = checkout_holds.place_hold(
            uow, units, location_id=location_id, ttl_seconds=cart.ttl_seconds, now=now
        )
        return checkout_holds.hold_detail(uow.connection, hold_id, uow.actor)

    return db.write(work, actor=actor, idempotency=idempotency)


def _location_id(uow: UnitOfWork, code: str | None) -> int | None:
    if code is None:
        return None
    try:
        return location_id_for_code(uow.connection, code)
    except NotFoundError as error:
        raise ValidationError(error.detail, field="location") from error


def _check_complete(needs: Sequence[Need], plan: Sequence[Any]) -> None:
    got: dict[int, int] = {}
    for allocation in plan:
        got[allocation.line_key] = got.get(allocation.line_key, 0) + allocation.quantity
    short = sorted({need.sku for need in needs if got.get(need.line_key, 0) < need.quantity})
    if short:
        raise InsufficientStockError(f"Not enough stock to hold: {', '.join(short)}.", skus=short)


def release_checkout_hold(db: Database, hold_id: int, *, actor: str) -> dict[str, Any]:
    """The shop lets an active hold go: its units are free and go to waiting orders. A hold
    that was converted, expired or released already is a 409 (`invalid-transition`)."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        found = checkout_holds.find_hold(uow.connection, hold_id, actor, lock=True)
        check_transition(hold_id, found["status"], RELEASED)
        _end(uow, [hold_id], RELEASED)
        return checkout_holds.hold_detail(uow.connection, hold_id, actor)

    return db.write(work, actor=actor)


def find_checkout_hold(db: Database, hold_id: int, *, actor: str) -> dict[str, Any]:
    return db.read(lambda connection: checkout_holds.hold_detail(connection, hold_id, actor))


def expire_checkout_holds(db: Database, *, actor: str = "system:holds") -> int:
    """The worker's step: ends every active hold past its time, a bounded number per
    transaction, and gives the units to waiting orders. Returns how many holds expired."""
    expired = 0
    while True:

        def work(uow: UnitOfWork) -> int:
            due = checkout_holds.due_hold_ids(uow.connection, clock.now(), HOLDS_PER_EXPIRY)
            _end(uow, due, EXPIRED)
            return len(due)

        ended = db.write(work, actor=actor)
        expired += ended
        if ended < HOLDS_PER_EXPIRY:
            return expired


def _end(uow: UnitOfWork, hold_ids: list[int], target: str) -> None:
    """Hold rows are locked; then the positions of their SKUs (id order), then the units go
    back and waiting orders take them."""
    if not hold_ids:
        return
    skus = checkout_holds.hold_skus(uow.connection, hold_ids)
    lock_stock(uow, skus)
    freed = checkout_holds.end_holds(uow, hold_ids, target, clock.now())
    allocate_backorders(uow, freed)


def list_active_holds(db: Database, *, limit: int = 200) -> list[dict[str, Any]]:
    """Active checkout holds of every caller, soonest to run out first (back office)."""
    return db.read(lambda connection: checkout_holds.active_holds(connection, limit))
