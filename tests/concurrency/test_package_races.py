"""Two people at the packing bench with the same fulfilment order (PostgreSQL; SQLite runs
one writer at a time): shipping the same package twice at once ships it once, packing the
same units twice at once packs them once; the invariants hold.

Both transactions meet at a barrier right after their first lock, as in test_lock_order.py:
the second queues behind the first and then sees its result. The negative control takes the
guards away — no row locks, no compare-and-set on the lines and the package — and the same
race ships the package twice, taking another order's reserved units: the checks used here
catch it.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, ValidationError
from ordnung.fulfillment import package_shipping, packages
from ordnung.fulfillment import service as fulfillment
from ordnung.fulfillment.package_model import Measures, PackedUnits, Packing
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.fulfillment.tables import (
    fulfillment_order_table,
    package_table,
    shipment_table,
)
from ordnung.inventory import stock
from ordnung.orchestration import package_actions
from ordnung.orchestration.api import OrderIn
from ordnung.orchestration.intake import place_order
from ordnung.orders import repository
from tests.concurrency.test_lock_order import _meeting_after, _run_together
from tests.factories import order_payload, position, put_stock, standard_setup
from tests.invariants.order_stock_checks import read_world

BOX = Measures("parcel_s", 900)


def _draft(n: int) -> ShipmentDraft:
    return ShipmentDraft("dhl", f"0034043416109404255{n}")


@pytest.fixture
def bench(db: Database) -> dict[str, Any]:
    """Two orders of 3 × SKU-1 at A (10 on hand); the first one's fulfilment order is
    accepted, its line id given."""
    if db.is_sqlite:
        pytest.skip("SQLite runs one writer at a time; races are a PostgreSQL matter")
    ids = standard_setup(db)
    put_stock(db, "SKU-1", ids["A"], 10)
    placed = [
        place_order(db, OrderIn.model_validate(order_payload([("SKU-1", 3)])).to_model(), actor="t")
        for _ in range(2)
    ]
    fo = placed[0].order["fulfillment_orders"][0]
    fulfillment.accept_fulfillment_order(db, fo["id"], actor="test")
    return {"fo_id": fo["id"], "line_id": fo["lines"][0]["id"], "location_id": ids["A"]}


def _packed(db: Database, bench: dict[str, Any]) -> int:
    packing = Packing([PackedUnits(bench["line_id"], 3)], BOX)
    return packages.pack(db, bench["fo_id"], packing, actor="test").id


def _shipments(db: Database, fo_id: int) -> int:
    with db.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count())
                .select_from(shipment_table)
                .where(shipment_table.c.fulfillment_order_id == fo_id)
            ).scalar_one()
        )


def _shipped_once(db: Database, bench: dict[str, Any]) -> bool:
    """One shipment, and 3 units left the shelf (10 → 7), the other order's 3 still held."""
    stock_now = position(db, "SKU-1", bench["location_id"])
    return _shipments(db, bench["fo_id"]) == 1 and stock_now == {
        "on_hand": 7,
        "reserved": 3,
        "safety_stock": 0,
    }


def test_shipping_the_same_package_twice_at_once_ships_it_once(
    db: Database, bench: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    package_id = _packed(db, bench)
    meeting = threading.Barrier(2)
    monkeypatch.setattr(
        package_actions, "load_order", _meeting_after(repository.load_order, meeting)
    )
    errors = _run_together(
        *(
            lambda n=n: package_actions.ship_package(db, package_id, _draft(n), actor=f"u{n}")
            for n in (1, 2)
        )
    )
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors
    assert _shipped_once(db, bench)
    assert read_world(db).violations == []


def test_packing_the_same_units_twice_at_once_packs_them_once(
    db: Database, bench: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = threading.Barrier(2)
    monkeypatch.setattr(packages, "load_locked", _meeting_after(fulfillment.load_locked, meeting))
    errors = _run_together(lambda: _packed(db, bench), lambda: _packed(db, bench))
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    with db.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(package_table)).scalar_one()
    assert count == 1


# -- negative control: the guards taken away -------------------------------------------------


def _unlocked_fulfillment_order(connection: Connection, fo_id: int) -> dict[str, Any]:
    row = connection.execute(
        select(
            fulfillment_order_table.c.id,
            fulfillment_order_table.c.order_id,
            fulfillment_order_table.c.location_id,
            fulfillment_order_table.c.status,
        ).where(fulfillment_order_table.c.id == fo_id)
    ).one()
    return dict(row._mapping)


def _unlocked_package(connection: Connection, package_id: int) -> dict[str, Any]:
    row = connection.execute(select(package_table).where(package_table.c.id == package_id)).one()
    return dict(row._mapping)


def _book_out_without_guard(
    uow: UnitOfWork, fo: dict[str, Any], contents: list[dict[str, Any]], now: datetime
) -> None:
    for line in contents:
        stock.ship_out(uow.connection, line["position_id"], line["quantity"], now)


def _mark_without_guard(
    connection: Connection, package_id: int, shipment_id: int, now: datetime
) -> None:
    connection.execute(
        update(package_table)
        .where(package_table.c.id == package_id)
        .values(status="shipped", shipment_id=shipment_id, shipped_at=now)
    )


def test_negative_control_without_the_guards_the_package_ships_twice(
    db: Database, bench: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    package_id = _packed(db, bench)
    meeting = threading.Barrier(2)
    monkeypatch.setattr(package_shipping, "load_locked", _unlocked_fulfillment_order)
    monkeypatch.setattr(
        package_shipping, "locked_package", _meeting_after(_unlocked_package, meeting)
    )
    monkeypatch.setattr(package_shipping, "_book_out", _book_out_without_guard)
    monkeypatch.setattr(package_shipping, "_mark_shipped", _mark_without_guard)

    def ship(n: int) -> None:
        db.write(
            lambda uow: package_shipping.ship_package(uow, bench["fo_id"], package_id, _draft(n)),
            actor=f"u{n}",
        )

    errors = _run_together(lambda: ship(1), lambda: ship(2))
    assert errors == []
    assert not _shipped_once(db, bench)
    assert _shipments(db, bench["fo_id"]) == 2
    # The second shipment took units reserved for the other order.
    assert position(db, "SKU-1", bench["location_id"])["on_hand"] == 4
