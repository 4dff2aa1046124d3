"""Sixty-four checkout clients race for two scarce SKUs at three locations while holds expire
and orders take holds over (PostgreSQL): carts of one or two lines, some pinned to one
location; nothing is ever held or reserved beyond what is there, no client gets an error other
than "not enough stock", and ledger = positions at the end. The
negative control runs the same race with the guard removed (an unlocked read, then an
unconditional `reserved = reserved + q`) and shows it holds more than exists."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.core.errors import InsufficientStockError
from ordnung.inventory import stock
from ordnung.inventory.tables import checkout_hold_table as checkout_hold
from ordnung.inventory.tables import stock_position_table as positions
from ordnung.orchestration import checkout_holds as holds_module
from ordnung.orchestration.checkout_holds import (
    Cart,
    CartLine,
    expire_checkout_holds,
    place_checkout_hold,
)
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.schemas import OrderIn
from tests.factories import add_location, order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

CLIENTS = 64
ROUNDS = 5
SHOP = "api:webshop"
SHIPPING = ("A", "B", "D")
STOCKED = (("A", "SKU-1"), ("B", "SKU-1"), ("D", "SKU-1"), ("A", "SKU-2"), ("D", "SKU-2"))


@pytest.fixture
def scarce(db: Database) -> Iterator[dict[str, int]]:
    if db.is_sqlite:
        pytest.skip("row-lock races are a PostgreSQL matter; SQLite serialises writers")
    fixed = clock.FixedClock(datetime(2030, 3, 4, 9, 0, tzinfo=UTC))
    previous = clock.use_clock(fixed)
    locations = standard_setup(db)
    locations["D"] = add_location(db, "D", 4)
    # 6 + 4 + 4 units of SKU-1 and 3 + 3 of SKU-2 to give; the safety stock is what the
    # CHECK constraint cannot protect.
    put_stock(db, "SKU-1", locations["A"], 9, safety=3)
    put_stock(db, "SKU-1", locations["B"], 6, safety=2)
    put_stock(db, "SKU-1", locations["D"], 5, safety=1)
    put_stock(db, "SKU-2", locations["A"], 4, safety=1)
    put_stock(db, "SKU-2", locations["D"], 3)
    yield locations
    clock.use_clock(previous)


@pytest.fixture
def wide_db(db: Database) -> Iterator[Database]:
    """A pool as wide as the crowd, as a server with 64 request threads would have: the
    clients race for rows, not for connections."""
    wide = Database(db.url, pool_size=CLIENTS)
    yield wide
    wide.engine.dispose()


def _cart(number: int, attempt: int) -> Cart:
    """One or two lines; every fifth cart insists on one location (a store's web shop)."""
    turn = number + attempt
    lines = [CartLine("SKU-1", 1 + turn % 2)]
    if turn % 3 == 0:
        lines.append(CartLine("SKU-2", 1))
    pinned = SHIPPING[turn % len(SHIPPING)] if turn % 5 == 0 else None
    # Carts that will order (even turns, see _client) hold for an hour of the racing clock,
    # so a loaded machine still converts some; the others hold a minute and run out.
    ttl = 3600 if turn % 2 == 0 else 60
    return Cart(tuple(lines), ttl, location=pinned)


def _client(db: Database, number: int, errors: list[BaseException]) -> None:
    for attempt in range(ROUNDS):
        cart = _cart(number, attempt)
        try:
            hold = place_checkout_hold(db, cart, actor=SHOP)
        except InsufficientStockError:
            continue
        except BaseException as error:
            errors.append(error)
            return
        if (number + attempt) % 2 == 0:
            wanted = [(line.sku, line.quantity) for line in cart.lines]
            body = order_payload(wanted, reservation_id=hold["id"])
            try:
                place_order(db, OrderIn.model_validate(body).to_model(), actor=SHOP)
            except BaseException as error:
                errors.append(error)
                return


def _expirer(db: Database, stop: threading.Event, errors: list[BaseException]) -> None:
    fixed = clock._clock
    assert isinstance(fixed, clock.FixedClock)
    # A hold lives about three rounds: long enough for some orders to take theirs over.
    while not stop.wait(0.01):
        fixed.set(fixed.now() + timedelta(seconds=20))
        try:
            expire_checkout_holds(db)
        except BaseException as error:
            errors.append(error)
            return


def _race(db: Database) -> list[BaseException]:
    errors: list[BaseException] = []
    stop = threading.Event()
    expirer = threading.Thread(target=_expirer, args=(db, stop, errors))
    clients = [threading.Thread(target=_client, args=(db, n, errors)) for n in range(CLIENTS)]
    expirer.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop.set()
    expirer.join()
    return errors


def _oversold(db: Database, locations: dict[str, int]) -> list[str]:
    found = []
    for code, sku in STOCKED:
        p = position(db, sku, locations[code])
        if p["reserved"] > p["on_hand"] - p["safety_stock"]:
            found.append(
                f"{code}/{sku}: reserved {p['reserved']} of {p['on_hand']} "
                f"(safety {p['safety_stock']})"
            )
    return found


def test_sixty_four_checkout_clients_with_expiring_holds_never_oversell(
    wide_db: Database, scarce: dict[str, int]
) -> None:
    db = wide_db
    errors = _race(db)
    assert errors == []
    assert _oversold(db, scarce) == []
    expire_checkout_holds(db)
    assert read_world(db).violations == []
    # The race did what it says: holds were both taken over by orders and ran out.
    statuses = _hold_statuses(db)
    assert statuses.get("converted", 0) > 0 and statuses.get("expired", 0) > 0


def _hold_statuses(db: Database) -> dict[str, int]:
    query = select(checkout_hold.c.status, func.count()).group_by(checkout_hold.c.status)
    return db.read(lambda connection: {s: int(n) for s, n in connection.execute(query)})


def test_without_the_guard_the_same_race_holds_more_than_there_is(
    wide_db: Database, scarce: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = wide_db
    barrier = threading.Barrier(CLIENTS, timeout=30)
    read = stock.available_stock

    def unlocked_read(connection: Any, skus: Any, *, lock: bool = True) -> list[Any]:
        rows = read(connection, skus, lock=False)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # every client has seen the same free units
        return rows

    def unconditional(connection: Any, quantities: Any, now: datetime) -> bool:
        for position_id, quantity in sorted(quantities.items()):
            connection.execute(
                update(positions)
                .where(positions.c.id == position_id)
                .values(reserved=positions.c.reserved + quantity)
            )
        return True

    monkeypatch.setattr(holds_module.stock, "available_stock", unlocked_read)
    monkeypatch.setattr(stock, "reserve_all", unconditional)
    errors: list[BaseException] = []
    clients = [threading.Thread(target=_hold_once, args=(db, errors)) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    # Only the CHECK backstop (reserved <= on_hand) stops some; the safety stock is gone.
    assert all(isinstance(error, IntegrityError) for error in errors)
    assert _oversold(db, scarce) != []


def _hold_once(db: Database, errors: list[BaseException]) -> None:
    try:
        place_checkout_hold(db, Cart((CartLine("SKU-1", 1),), 600), actor=SHOP)
    except InsufficientStockError:
        pass
    except BaseException as error:
        errors.append(error)
