"""Promise settings use cases: a location's calendar and pace, a channel's sell scope.

Each is versioned as a whole (0 until first stored, then +1 per write, compare-and-set), so a
person or client who read an older version is refused (409) instead of overwriting someone
else's change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from ordnung.channels.service import find_channels_by_code
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import NotFoundError, StaleVersionError
from ordnung.inventory.locations import location_id_for_code
from ordnung.inventory.tables import location_table as location
from ordnung.promising.model import (
    PromiseSettings,
    SellScope,
    check_promise_settings,
    check_store_buffer,
    invalid,
)
from ordnung.promising.snapshot import forget_snapshots
from ordnung.promising.tables import channel_sell_scope_table as scope_table
from ordnung.promising.tables import location_promise_setting_table as setting_table


def settings_from_row(row: Any) -> PromiseSettings:
    return PromiseSettings(
        federal_state=row.federal_state,
        time_zone=row.time_zone,
        cutoff=time.fromisoformat(row.cutoff),
        handling_days=row.handling_days,
        working_weekdays=frozenset(int(day) for day in row.working_weekdays),
    )


def _settings_dict(code: str, settings: PromiseSettings, version: int) -> dict[str, Any]:
    return {
        "location": code,
        "federal_state": settings.federal_state,
        "time_zone": settings.time_zone,
        "cutoff": settings.cutoff.strftime("%H:%M"),
        "handling_days": settings.handling_days,
        "working_weekdays": sorted(settings.working_weekdays),
        "version": version,
    }


def location_promise_settings(db: Database, code: str) -> dict[str, Any]:
    """A location's promise settings (its defaults with version 0 if never stored)."""

    def read(connection: Connection) -> dict[str, Any]:
        location_id = location_id_for_code(connection, code)
        row = connection.execute(
            select(setting_table).where(setting_table.c.location_id == location_id)
        ).first()
        if row is None:
            return _settings_dict(code, PromiseSettings(), 0)
        return _settings_dict(code, settings_from_row(row), row.version)

    return db.read(read)


def replace_location_promise_settings(
    db: Database,
    code: str,
    settings: PromiseSettings,
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    checked = check_promise_settings(settings)
    values = {
        "federal_state": checked.federal_state,
        "time_zone": checked.time_zone,
        "cutoff": checked.cutoff.strftime("%H:%M"),
        "handling_days": checked.handling_days,
        "working_weekdays": sorted(checked.working_weekdays),
    }

    def work(uow: UnitOfWork) -> int:
        location_id = location_id_for_code(uow.connection, code)
        key = _Key(setting_table, "location_id", location_id, f"Location '{code}'")
        return _store_versioned(uow.connection, key, values, actor, expected_version)

    version = db.write(work, actor=actor)
    forget_snapshots()  # promises made in this process use the new settings at once
    return _settings_dict(code, checked, version)


@dataclass(frozen=True, slots=True)
class _Key:
    table: Table
    column: str
    value: int
    what: str


def _store_versioned(
    connection: Connection,
    key: _Key,
    values: dict[str, Any],
    actor: str,
    expected: int | None,
) -> int:
    """Stores `values` under `key` as the next version; with `expected`, only if the stored
    version (0: no row) is that one. Returns the new version."""
    table, column = key.table, key.table.c[key.column]
    stamped = {**values, "updated_at": clock.now(), "updated_by": actor}
    insert = dialect_insert(connection)
    if expected in (None, 0):
        statement = insert(table).values({key.column: key.value, **stamped, "version": 1})
        if expected is None:
            statement = statement.on_conflict_do_update(
                index_elements=[key.column], set_={**stamped, "version": table.c.version + 1}
            )
        else:
            statement = statement.on_conflict_do_nothing()
        new = connection.execute(statement.returning(table.c.version)).scalar()
    else:
        new = connection.execute(
            update(table)
            .where(column == key.value, table.c.version == expected)
            .values(**stamped, version=table.c.version + 1)
            .returning(table.c.version)
        ).scalar()
    if new is None:
        current = connection.execute(select(table.c.version).where(column == key.value)).scalar()
        raise StaleVersionError(
            f"{key.what}'s settings were changed by someone else (version {current or 0}, not "
            f"{expected}); reload them.",
            current_version=int(current or 0),
        )
    return int(new)


# --- channel sell scope ---------------------------------------------------------------------


def scope_from_row(row: Any) -> SellScope:
    return SellScope(
        location_ids=frozenset(int(i) for i in row.location_ids),
        store_buffer=row.store_buffer,
        is_safety_stock_held=bool(row.is_safety_stock_held),
    )


def _channel_id(connection: Connection, code: str) -> int:
    found = find_channels_by_code(connection, [code]).get(code)
    if found is None:
        raise NotFoundError(f"No channel with code '{code}'.")
    return found.id


def _codes_of(connection: Connection, ids: frozenset[int]) -> list[str]:
    if not ids:
        return []
    rows = connection.execute(
        select(location.c.code).where(location.c.id.in_(sorted(ids))).order_by(location.c.code)
    ).all()
    return [row.code for row in rows]


def channel_sell_scope(db: Database, code: str) -> dict[str, Any]:
    """Where a channel may sell from and what it holds back (defaults, version 0, if unset)."""

    def read(connection: Connection) -> dict[str, Any]:
        channel_id = _channel_id(connection, code)
        row = connection.execute(
            select(scope_table).where(scope_table.c.channel_id == channel_id)
        ).first()
        scope = SellScope() if row is None else scope_from_row(row)
        return _scope_dict(code, scope, _codes_of(connection, scope.location_ids), row)

    return db.read(read)


def _scope_dict(code: str, scope: SellScope, codes: list[str], row: Any) -> dict[str, Any]:
    return {
        "channel": code,
        "locations": codes,
        "store_buffer": scope.store_buffer,
        "is_safety_stock_held": scope.is_safety_stock_held,
        "version": 0 if row is None else int(row.version),
    }


def replace_channel_sell_scope(
    db: Database,
    code: str,
    scope: SellScopeChange,
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Sets the channel's sell scope as a whole; unknown location codes are a 422."""
    buffer = check_store_buffer(scope.store_buffer)
    wanted = sorted(set(scope.location_codes))

    def work(uow: UnitOfWork) -> None:
        connection = uow.connection
        channel_id = _channel_id(connection, code)
        rows = connection.execute(
            select(location.c.id, location.c.code).where(location.c.code.in_(wanted))
        ).all()
        unknown = sorted(set(wanted) - {row.code for row in rows})
        if unknown:
            raise invalid("locations", f"no such location: {', '.join(unknown[:5])}")
        values = {
            "location_ids": sorted(row.id for row in rows),
            "store_buffer": buffer,
            "is_safety_stock_held": scope.is_safety_stock_held,
        }
        key = _Key(scope_table, "channel_id", channel_id, f"Channel '{code}'")
        _store_versioned(connection, key, values, actor, expected_version)

    db.write(work, actor=actor)
    return channel_sell_scope(db, code)


@dataclass(frozen=True, slots=True)
class SellScopeChange:
    location_codes: Sequence[str] = ()
    store_buffer: int = 0
    is_safety_stock_held: bool = True


def location_time_zone(connection: Connection, location_id: int) -> str:
    """The IANA time zone a location's calendar runs in (its default if never set): a
    location's queue counts "late" and "due today" in it."""
    stored = connection.execute(
        select(setting_table.c.time_zone).where(setting_table.c.location_id == location_id)
    ).scalar()
    return str(stored) if stored else PromiseSettings().time_zone
