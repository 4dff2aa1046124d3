"""A channel's sourcing rules, versioned: every edit is a new version; a draft is changed
(If-Match on its `version`) until someone activates it; the version it replaces is retired.
Intake reads the active versions of a batch's channels in one statement (`active_rulings`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.channels.service import get_channel
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.driver import driver_of
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.sourcing.events import SourcingRulesActivated
from ordnung.sourcing.routing import Ruling
from ordnung.sourcing.rules import RuleSet, parse_rules
from ordnung.sourcing.tables import sourcing_rule_version_table as versions

DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"

_COLUMNS = (
    versions.c.id,
    versions.c.channel_id,
    versions.c.number,
    versions.c.status,
    versions.c.rules,
    versions.c.version,
    versions.c.created_at,
    versions.c.created_by,
    versions.c.activated_at,
)


def _plain(row: Row[*tuple[Any, ...]], channel_code: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "channel": channel_code,
        "number": row.number,
        "status": row.status,
        "rules": parse_rules(row.rules).as_plain(),
        "version": row.version,
        "created_at": row.created_at,
        "created_by": row.created_by,
        "activated_at": row.activated_at,
    }


def list_rule_versions(db: Database, channel_code: str) -> list[dict[str, Any]]:
    """Every version of the channel's rules, newest first."""
    channel = get_channel(db, channel_code)
    rows = db.read(
        lambda connection: connection.execute(
            select(*_COLUMNS)
            .where(versions.c.channel_id == channel.id)
            .order_by(versions.c.number.desc())
        ).all()
    )
    return [_plain(row, channel_code) for row in rows]


def get_rule_version(db: Database, channel_code: str, number: int) -> dict[str, Any]:
    channel = get_channel(db, channel_code)
    row = db.read(lambda connection: _row(connection, channel.id, number))
    return _plain(row, channel_code)


def _row(connection: Connection, channel_id: int, number: int) -> Row[*tuple[Any, ...]]:
    row = connection.execute(
        select(*_COLUMNS).where(versions.c.channel_id == channel_id, versions.c.number == number)
    ).first()
    if row is None:
        raise NotFoundError(f"No version {number} of this channel's sourcing rules.")
    return row


def create_rule_draft(
    db: Database,
    channel_code: str,
    rules: RuleSet,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A new draft version of the channel's rules (the next number)."""
    channel = get_channel(db, channel_code)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        last = connection.execute(
            select(func.max(versions.c.number)).where(versions.c.channel_id == channel.id)
        ).scalar()
        number = int(last or 0) + 1
        connection.execute(
            insert(versions).values(
                channel_id=channel.id,
                number=number,
                status=DRAFT,
                rules=rules.as_plain(),
                version=1,
                created_at=clock.now(),
                created_by=actor,
            )
        )
        return _plain(_row(connection, channel.id, number), channel_code)

    return db.write(work, actor=actor, idempotency=idempotency)


def update_rule_draft(
    db: Database,
    channel_code: str,
    number: int,
    rules: RuleSet,
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Changes a draft; a version someone changed since (`expected_version`) is a 409, and so
    is an active or retired one (edit by creating a new draft)."""
    channel = get_channel(db, channel_code)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        _compare_and_set(connection, channel.id, number, DRAFT, expected_version, rules=rules)
        return _plain(_row(connection, channel.id, number), channel_code)

    return db.write(work, actor=actor)


def activate_rule_version(
    db: Database,
    channel_code: str,
    number: int,
    *,
    actor: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Makes a draft the channel's active rules; the one active before is retired. Orders
    taken in from the commit on are sourced under it."""
    channel = get_channel(db, channel_code)

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        _row(connection, channel.id, number)
        retired = connection.execute(
            update(versions)
            .where(versions.c.channel_id == channel.id, versions.c.status == ACTIVE)
            .values(status=RETIRED, version=versions.c.version + 1)
            .returning(versions.c.number)
        ).scalar()
        _compare_and_set(connection, channel.id, number, DRAFT, expected_version, activate=True)
        activated = _plain(_row(connection, channel.id, number), channel_code)
        event = SourcingRulesActivated(channel_code, number, retired, activated["rules"])
        uow.record(event, aggregate_id=activated["id"])
        return activated

    return db.write(work, actor=actor)


def _compare_and_set(  # noqa: PLR0913 — the row, its expected state and the change
    connection: Connection,
    channel_id: int,
    number: int,
    status: str,
    expected_version: int | None,
    *,
    rules: RuleSet | None = None,
    activate: bool = False,
) -> None:
    row = _row(connection, channel_id, number)
    if row.status != status:
        raise ConflictError(f"Version {number} is {row.status}; only a draft can change.")
    if expected_version is not None and expected_version != row.version:
        raise StaleVersionError(
            f"Version {number} was changed meanwhile.", current_version=row.version
        )
    values: dict[str, Any] = {"version": row.version + 1}
    if rules is not None:
        values["rules"] = rules.as_plain()
    if activate:
        values.update(status=ACTIVE, activated_at=clock.now())
    changed = connection.execute(
        update(versions)
        .where(versions.c.id == row.id, versions.c.version == row.version)
        .values(**values)
    ).rowcount
    if changed != 1:
        raise StaleVersionError(f"Version {number} was changed meanwhile.")


def active_rulings(connection: Connection, channel_ids: Collection[int]) -> dict[int, Ruling]:
    """The active rules of these channels (one statement per intake batch); a channel
    without any is missing from the answer (it gets the default, priority)."""
    if not channel_ids:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(i,) for i in sorted(channel_ids)], ("integer",))
    rows = driver.fetch_all(_ACTIVE.format(channels=source), parameters)
    return {
        channel_id: Ruling(parse_rules(driver.json_result(rules)), number)
        for channel_id, number, rules in rows
    }


# Through the bare driver: order intake asks once per batch (core/driver.py says why).
_ACTIVE = (
    "SELECT channel_id, number, rules FROM sourcing_rule_version"
    " WHERE status = 'active' AND channel_id IN ({channels})"
)
