"""Location use cases: the warehouses, stores, suppliers and 3PLs stock is kept at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.driver import driver_of
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory.model import LocationDraft, check_location
from ordnung.inventory.tables import location_table as location

_LOCATION_COLUMNS = (
    location.c.id,
    location.c.code,
    location.c.name,
    location.c.type,
    location.c.address,
    location.c.capabilities,
    location.c.priority,
    location.c.created_at,
    location.c.version,
)
_UPSERT_BATCH = 500


def _location_dict(row: Row[*tuple[Any, ...]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "type": row.type,
        "address": row.address,
        "capabilities": row.capabilities,
        "priority": row.priority,
        "created_at": row.created_at,
        "version": row.version,
    }


def _location_values(draft: LocationDraft) -> dict[str, Any]:
    values = asdict(draft)
    values["capabilities"] = list(draft.capabilities)
    return values


def create_location(
    db: Database,
    draft: LocationDraft,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Adds a warehouse, store, supplier or 3PL; 409 if the code is taken."""
    checked = check_location(draft)
    return db.write(
        lambda uow: _insert_location(uow, checked), actor=actor, idempotency=idempotency
    )


def add_location(uow: UnitOfWork, draft: LocationDraft) -> dict[str, Any]:
    """Adds a location inside the caller's transaction (the first start); 409 if the code is
    taken."""
    return _insert_location(uow, check_location(draft))


def _insert_location(uow: UnitOfWork, checked: LocationDraft) -> dict[str, Any]:
    insert = dialect_insert(uow.connection)
    row = uow.connection.execute(
        insert(location)
        .values(**_location_values(checked), created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(*_LOCATION_COLUMNS)
    ).first()
    if row is None:
        raise ConflictError(f"A location with code '{checked.code}' already exists.")
    return _location_dict(row)


def upsert_locations(
    db: Database, drafts: Sequence[LocationDraft], *, actor: str = "system"
) -> int:
    """Creates or overwrites many locations in one transaction (demo data, imports)."""
    checked = list({draft.code: draft for draft in map(check_location, drafts)}.values())

    def work(uow: UnitOfWork) -> int:
        insert = dialect_insert(uow.connection)
        now = clock.now()
        for start in range(0, len(checked), _UPSERT_BATCH):
            rows = [
                {**_location_values(draft), "created_at": now}
                for draft in checked[start : start + _UPSERT_BATCH]
            ]
            statement = insert(location).values(rows)
            changed = ("name", "type", "address", "capabilities", "priority")
            uow.connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["code"],
                    set_={
                        **{name: statement.excluded[name] for name in changed},
                        "version": location.c.version + 1,
                    },
                )
            )
        return len(checked)

    return db.write(work, actor=actor)


def list_locations(db: Database) -> list[dict[str, Any]]:
    """All locations in sourcing order (priority, then code); merchants have dozens, not more."""
    query = select(*_LOCATION_COLUMNS).order_by(location.c.priority, location.c.code)
    rows = db.read(lambda connection: connection.execute(query).all())
    return [_location_dict(row) for row in rows]


def get_location(db: Database, code: str) -> dict[str, Any]:
    query = select(*_LOCATION_COLUMNS).where(location.c.code == code)
    row = db.read(lambda connection: connection.execute(query).first())
    if row is None:
        raise NotFoundError(f"No location with code '{code}'.")
    return _location_dict(row)


def update_location(
    db: Database,
    code: str,
    changes: LocationDraft,
    *,
    actor: str = "system",
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Changes name, type, address, capabilities and priority; the code never changes (API
    keys, stock URLs and connectors name it). Sourcing reads the new capabilities and
    priority from the next decision on; what is reserved stays reserved. With
    `expected_version` a form shown before someone else's change gets 409."""
    checked = check_location(replace(changes, code=code))
    values = _location_values(checked)
    del values["code"]

    def work(uow: UnitOfWork) -> dict[str, Any]:
        statement = update(location).where(location.c.code == code)
        if expected_version is not None:
            statement = statement.where(location.c.version == expected_version)
        row = uow.connection.execute(
            statement.values(**values, version=location.c.version + 1).returning(*_LOCATION_COLUMNS)
        ).first()
        if row is None:
            raise _why_unchanged(uow.connection, code)
        return _location_dict(row)

    return db.write(work, actor=actor)


def _why_unchanged(connection: Connection, code: str) -> NotFoundError | StaleVersionError:
    found = connection.execute(select(location.c.version).where(location.c.code == code)).scalar()
    if found is None:
        return NotFoundError(f"No location with code '{code}'.")
    return StaleVersionError(
        f"Location '{code}' was changed by someone else (now version {found}).", version=found
    )


def location_id_for_code(connection: Connection, code: str) -> int:
    """For other transactions (stock changes); 404 if there is no such location."""
    found = connection.execute(select(location.c.id).where(location.c.code == code)).scalar()
    if found is None:
        raise NotFoundError(f"No location with code '{code}'.")
    return int(found)


def location_names(connection: Connection, ids: set[int]) -> dict[int, dict[str, str]]:
    """Code and name of these locations (for the answer to a new order: one query a batch)."""
    if not ids:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(ids)], ("integer",))
    rows = driver.fetch_all(_LOCATION_NAMES.format(ids=source), parameters)
    return {location_id: {"code": code, "name": name} for location_id, code, name in rows}


_LOCATION_NAMES = "SELECT id, code, name FROM location WHERE id IN ({ids})"


def capabilities_by_code(
    connection: Connection, codes: set[str]
) -> dict[str, tuple[int, frozenset[str]]]:
    """Id and capabilities of the locations with these codes (intake's click & collect
    stores: one statement a batch, none without)."""
    if not codes:
        return {}
    rows = connection.execute(
        select(location.c.code, location.c.id, location.c.capabilities).where(
            location.c.code.in_(sorted(codes))
        )
    ).all()
    return {code: (int(location_id), frozenset(caps)) for code, location_id, caps in rows}


def shipping_locations(connection: Connection) -> list[dict[str, Any]]:
    """Every location with what sourcing rules look at: type, address, capabilities,
    priority. Read once per intake batch that has rules, so through the driver."""
    driver = driver_of(connection)
    rows = driver.fetch_all(_SHIPPING_LOCATIONS)
    found = []
    for location_id, code, kind, address, capabilities, priority in rows:
        place = driver.json_result(address)
        found.append(
            {
                "id": location_id,
                "code": code,
                "type": kind,
                "country": str(place.get("country", "")),
                "postal_code": str(place.get("postal_code", "")),
                "capabilities": frozenset(driver.json_result(capabilities)),
                "priority": priority,
            }
        )
    return found


_SHIPPING_LOCATIONS = (
    "SELECT id, code, type, address, capabilities, priority FROM location ORDER BY id"
)


def location_sender(connection: Connection, location_id: int) -> tuple[str, dict[str, str]]:
    """The location's name and address, as a document's sender block prints them."""
    row = connection.execute(
        select(location.c.name, location.c.address).where(location.c.id == location_id)
    ).one()
    return row.name, dict(row.address)
