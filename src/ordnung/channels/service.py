"""Sales channel use cases, and the lookup order intake uses inside its own transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.engine import Connection

from ordnung.channels.model import Channel, ChannelDraft, check_channel
from ordnung.channels.tables import sales_channel_table as channel
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.driver import driver_of
from ordnung.core.errors import ConflictError, NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest

_COLUMNS = (
    channel.c.id,
    channel.c.code,
    channel.c.name,
    channel.c.type,
    channel.c.currency,
    channel.c.created_at,
    channel.c.version,
)


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """What order intake needs to know about a channel."""

    id: int
    code: str
    name: str
    currency: str
    type: str = ""  # webshop, marketplace, store, phone, b2b


def _channel(row: Row[*tuple[Any, ...]]) -> Channel:
    return Channel(
        id=row.id,
        code=row.code,
        name=row.name,
        type=row.type,
        currency=row.currency,
        created_at=row.created_at,
        version=row.version,
    )


def create_channel(
    db: Database,
    draft: ChannelDraft,
    *,
    actor: str = "system",
    idempotency: IdempotentRequest[Channel] | None = None,
) -> Channel:
    """Adds a sales channel; 409 if the code is taken. A repeat of a request that already
    created it raises `ReplayedAnswer`."""
    checked = check_channel(draft)
    return db.write(lambda uow: _insert_channel(uow, checked), actor=actor, idempotency=idempotency)


def add_channel(uow: UnitOfWork, draft: ChannelDraft) -> Channel:
    """Adds a sales channel inside the caller's transaction (the first start); 409 if the
    code is taken."""
    return _insert_channel(uow, check_channel(draft))


def _insert_channel(uow: UnitOfWork, checked: ChannelDraft) -> Channel:
    insert = dialect_insert(uow.connection)
    # DO NOTHING rather than catching IntegrityError, which would abort a PostgreSQL
    # transaction that also holds the idempotency claim.
    row = uow.connection.execute(
        insert(channel)
        .values(**asdict(checked), created_at=clock.now())
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(*_COLUMNS)
    ).first()
    if row is None:
        raise ConflictError(f"A channel with code '{checked.code}' already exists.")
    return _channel(row)


def list_channels(db: Database) -> list[dict[str, Any]]:
    """All channels by code; a merchant has a handful, so there is no paging. As mappings,
    which the back office's order list reads them as."""
    rows = db.read(
        lambda connection: connection.execute(select(*_COLUMNS).order_by(channel.c.code)).all()
    )
    return [asdict(_channel(row)) for row in rows]


def get_channel(db: Database, code: str) -> Channel:
    row = db.read(
        lambda connection: connection.execute(
            select(*_COLUMNS).where(channel.c.code == code)
        ).first()
    )
    if row is None:
        raise NotFoundError(f"No sales channel with code '{code}'.")
    return _channel(row)


def update_channel(
    db: Database,
    code: str,
    changes: ChannelDraft,
    *,
    actor: str = "system",
    expected_version: int | None = None,
) -> Channel:
    """Changes name, type and currency; the code never changes (connectors, order numbers and
    URLs use it). A new currency applies to orders taken from now on; placed orders keep
    theirs. With `expected_version` a form shown before someone else's change gets 409."""
    checked = check_channel(replace(changes, code=code))

    def work(uow: UnitOfWork) -> Channel:
        statement = update(channel).where(channel.c.code == code)
        if expected_version is not None:
            statement = statement.where(channel.c.version == expected_version)
        row = uow.connection.execute(
            statement.values(
                name=checked.name,
                type=checked.type,
                currency=checked.currency,
                version=channel.c.version + 1,
            ).returning(*_COLUMNS)
        ).first()
        if row is None:
            raise _why_unchanged(uow.connection, code)
        return _channel(row)

    return db.write(work, actor=actor)


def _why_unchanged(connection: Connection, code: str) -> NotFoundError | StaleVersionError:
    found = connection.execute(select(channel.c.version).where(channel.c.code == code)).scalar()
    if found is None:
        return NotFoundError(f"No sales channel with code '{code}'.")
    return StaleVersionError(
        f"Sales channel '{code}' was changed by someone else (now version {found}).",
        version=found,
    )


def find_channels_by_code(connection: Connection, codes: Collection[str]) -> dict[str, ChannelRef]:
    """The channels with these codes (unknown codes are left out), inside the caller's
    transaction: order intake asks once per batch of orders."""
    if not codes:
        return {}
    driver = driver_of(connection)
    source, parameters = driver.row_source([(code,) for code in sorted(set(codes))], ("text",))
    rows = driver.fetch_all(_CHANNELS_BY_CODE.format(codes=source), parameters)
    return {
        code: ChannelRef(id=channel_id, code=code, name=name, currency=currency, type=kind)
        for channel_id, code, name, currency, kind in rows
    }


_CHANNELS_BY_CODE = (
    "SELECT id, code, name, currency, type FROM sales_channel WHERE code IN ({codes})"
)


def channel_type_of(connection: Connection, channel_id: int) -> str:
    """The type of the channel an order came from (the checks treat B2B differently)."""
    type_ = connection.execute(
        select(channel.c.type).where(channel.c.id == channel_id)
    ).scalar_one_or_none()
    return type_ or ""
