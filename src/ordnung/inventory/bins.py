"""Bins: where a product lies at a location, so a pick list can walk the shelves in order.

One bin per product and location, set in bulk (the API, the back office); a product without
one has "no bin" and is picked last. A bin is a label the location chooses ("A-01-03").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from ordnung.catalog.service import existing_skus
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.inventory.locations import location_id_for_code
from ordnung.inventory.tables import bin_assignment_table as bins

MAX_BIN_LENGTH = 40


@dataclass(frozen=True, slots=True)
class BinChange:
    """A product's bin at the location; `bin` None takes the product off its bin."""

    sku: str
    bin: str | None


@dataclass(frozen=True, slots=True)
class BinsSet:
    location_code: str
    assigned: int
    cleared: int


def scoped_location_id(connection: Connection, code: str, only_location_id: int | None) -> int:
    """The location's id; another location than the caller's own answers 404, as if it did
    not exist (design.md §8)."""
    location_id = location_id_for_code(connection, code)
    if only_location_id is not None and location_id != only_location_id:
        raise NotFoundError(f"No location with code '{code}'.")
    return location_id


def set_bins(
    db: Database,
    location_code: str,
    changes: Sequence[BinChange],
    *,
    actor: str,
    only_location_id: int | None = None,
) -> BinsSet:
    """Sets (or clears) the bins of these products at the location in one transaction. An
    unknown SKU or one named twice refuses the whole batch (422)."""
    _check(changes)

    def work(uow: UnitOfWork) -> BinsSet:
        location_id = scoped_location_id(uow.connection, location_code, only_location_id)
        unknown = sorted(
            {change.sku for change in changes}
            - existing_skus(uow.connection, [change.sku for change in changes])
        )
        if unknown:
            raise ValidationError(f"Unknown SKUs: {', '.join(unknown)}.", field="bins")
        cleared = [change.sku for change in changes if change.bin is None]
        if cleared:
            uow.connection.execute(
                delete(bins).where(bins.c.location_id == location_id, bins.c.sku.in_(cleared))
            )
        assigned = [change for change in changes if change.bin is not None]
        if assigned:
            _upsert(uow, location_id, assigned)
        return BinsSet(location_code, len(assigned), len(cleared))

    return db.write(work, actor=actor)


def _check(changes: Sequence[BinChange]) -> None:
    seen: set[str] = set()
    for index, change in enumerate(changes):
        if change.sku in seen:
            raise ValidationError(f"SKU {change.sku} is named twice.", field=f"bins.{index}.sku")
        seen.add(change.sku)
        if change.bin is not None and not 1 <= len(change.bin) <= MAX_BIN_LENGTH:
            raise ValidationError(
                f"A bin has 1 to {MAX_BIN_LENGTH} characters.", field=f"bins.{index}.bin"
            )


def _upsert(uow: UnitOfWork, location_id: int, assigned: Sequence[BinChange]) -> None:
    now = clock.now()
    insert = dialect_insert(uow.connection)
    statement = insert(bins).values(
        [
            {
                "location_id": location_id,
                "sku": change.sku,
                "bin": change.bin,
                "updated_at": now,
                "updated_by": uow.actor,
            }
            for change in sorted(assigned, key=lambda change: change.sku)
        ]
    )
    uow.connection.execute(
        statement.on_conflict_do_update(
            index_elements=["location_id", "sku"],
            set_={
                "bin": statement.excluded.bin,
                "updated_at": statement.excluded.updated_at,
                "updated_by": statement.excluded.updated_by,
            },
        )
    )


def list_bins(
    db: Database, location_code: str, *, only_location_id: int | None = None
) -> list[dict[str, Any]]:
    """The location's bins, by bin then SKU."""

    def read(connection: Connection) -> list[dict[str, Any]]:
        location_id = scoped_location_id(connection, location_code, only_location_id)
        rows = connection.execute(
            select(bins.c.sku, bins.c.bin, bins.c.updated_at, bins.c.updated_by)
            .where(bins.c.location_id == location_id)
            .order_by(bins.c.bin, bins.c.sku)
        ).mappings()
        return [
            {
                "sku": row["sku"],
                "bin": row["bin"],
                "updated_at": row["updated_at"].isoformat(),
                "updated_by": row["updated_by"],
            }
            for row in rows
        ]

    return db.read(read)


def bins_of(connection: Connection, location_id: int, skus: Collection[str]) -> dict[str, str]:
    """The bins of these products at the location (products without one are left out), for
    other capabilities' transactions (a pick wave copies them)."""
    if not skus:
        return {}
    rows = connection.execute(
        select(bins.c.sku, bins.c.bin).where(
            bins.c.location_id == location_id, bins.c.sku.in_(sorted(set(skus)))
        )
    )
    return {sku: bin_ for sku, bin_ in rows}
