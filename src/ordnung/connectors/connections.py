"""A sales channel's connection to its shop platform: connect or change it, read it
without its secrets, and what the inbound webhook and the pull need of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from ordnung.channels.service import get_channel
from ordnung.connectors import secrets
from ordnung.connectors.model import (
    SECRET_NAMES,
    ConnectionSettings,
    check_platform,
    check_settings,
)
from ordnung.connectors.tables import channel_connection_table as connection_table
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import NotFoundError, StaleVersionError, ValidationError


@dataclass(frozen=True, slots=True)
class ConnectionView:
    """A connection as people and clients see it: secrets only as set / unset / env:NAME."""

    channel: str
    platform: str
    settings: dict[str, Any]
    secrets: dict[str, str]
    pull_cursor: str | None
    version: int


@dataclass(frozen=True, slots=True)
class ActiveConnection:
    """What inbound work needs: the platform, settings and the secrets' values."""

    channel: str
    channel_currency: str
    platform: str
    settings: ConnectionSettings
    webhook_secret: str | None
    api_key: str | None
    api_secret: str | None
    pull_cursor: str | None


@dataclass(frozen=True, slots=True)
class ConnectionDraft:
    """A connection as a person or client sends it; a secret left out (or empty) keeps the
    stored one."""

    platform: str
    settings: dict[str, Any]
    new_secrets: dict[str, str]


def connect_channel(
    db: Database,
    channel_code: str,
    draft: ConnectionDraft,
    *,
    secret_key: str | None,
    expected_version: int | None = None,
    actor: str = "system",
) -> ConnectionView:
    """Connects the channel to its platform, or changes the connection. Secrets are sealed
    before the transaction (refused without a key)."""
    get_channel(db, channel_code)  # 404 for an unknown channel
    platform = check_platform(draft.platform)
    checked = check_settings(draft.settings)
    new_secrets = draft.new_secrets
    unknown = set(new_secrets) - set(SECRET_NAMES)
    if unknown:
        raise ValidationError(f"Unknown secret {sorted(unknown)[0]!r}.", field="secrets")
    sealed = {name: secrets.seal(value, secret_key) for name, value in new_secrets.items() if value}

    def work(uow: UnitOfWork) -> ConnectionView:
        current = _row(uow.connection, channel_code)
        if current is None:
            insert = dialect_insert(uow.connection)
            uow.connection.execute(
                insert(connection_table)
                .values(
                    channel_code=channel_code,
                    platform=platform,
                    settings=checked.as_dict(),
                    secrets=sealed,
                    created_at=clock.now(),
                )
                .on_conflict_do_nothing(index_elements=["channel_code"])
            )
        else:
            if expected_version is not None and current.version != expected_version:
                raise StaleVersionError(
                    "The connection was changed by someone else; reload it.",
                    current_version=current.version,
                )
            uow.connection.execute(
                update(connection_table)
                .where(connection_table.c.id == current.id)
                .values(
                    platform=platform,
                    settings=checked.as_dict(),
                    secrets={**(current.secrets or {}), **sealed},
                    version=connection_table.c.version + 1,
                )
            )
        found = _row(uow.connection, channel_code)
        assert found is not None
        return _view(found)

    return db.write(work, actor=actor)


def get_connection(db: Database, channel_code: str) -> ConnectionView:
    row = db.read(lambda connection: _row(connection, channel_code))
    if row is None:
        raise NotFoundError(f"The channel '{channel_code}' is not connected to a platform.")
    return _view(row)


def find_connection(db: Database, channel_code: str) -> ConnectionView | None:
    row = db.read(lambda connection: _row(connection, channel_code))
    return None if row is None else _view(row)


def active_connection(db: Database, channel_code: str, secret_key: str | None) -> ActiveConnection:
    """The connection with its secrets' values, for checking signatures and pulling."""
    channel = get_channel(db, channel_code)
    row = db.read(lambda connection: _row(connection, channel_code))
    if row is None:
        raise NotFoundError(f"The channel '{channel_code}' is not connected to a platform.")
    stored = row.secrets or {}
    return ActiveConnection(
        channel=channel_code,
        channel_currency=channel.currency,
        platform=row.platform,
        settings=check_settings(row.settings or {}),
        webhook_secret=secrets.unseal(stored.get("webhook_secret"), secret_key),
        api_key=secrets.unseal(stored.get("api_key"), secret_key),
        api_secret=secrets.unseal(stored.get("api_secret"), secret_key),
        pull_cursor=row.pull_cursor,
    )


def record_pull(db: Database, channel_code: str, cursor: str | None) -> None:
    """Remembers where the last pull got to (kept when nothing newer was fetched)."""

    def work(uow: UnitOfWork) -> None:
        values: dict[str, Any] = {"pulled_at": clock.now()}
        if cursor is not None:
            values["pull_cursor"] = cursor
        uow.connection.execute(
            update(connection_table)
            .where(connection_table.c.channel_code == channel_code)
            .values(**values)
        )

    db.write(work)


def _row(connection: Connection, channel_code: str) -> Row[Any] | None:
    return connection.execute(
        select(connection_table).where(connection_table.c.channel_code == channel_code)
    ).first()


def _view(row: Row[Any]) -> ConnectionView:
    stored = row.secrets or {}
    return ConnectionView(
        channel=row.channel_code,
        platform=row.platform,
        settings=dict(row.settings or {}),
        secrets={name: secrets.describe(stored.get(name)) for name in SECRET_NAMES},
        pull_cursor=row.pull_cursor,
        version=row.version,
    )
