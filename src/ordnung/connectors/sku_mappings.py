"""Per channel: which catalogue SKU a platform's SKU (or `variant:<id>` for a line without
one) stands for. Set by a person when an import failed on an unknown SKU."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import product_exists
from ordnung.connectors.tables import channel_sku_mapping_table as mapping
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.core.errors import NotFoundError, ValidationError
from ordnung.core.idempotency import IdempotentRequest


@dataclass(frozen=True, slots=True)
class SkuMapping:
    channel: str
    platform_sku: str
    sku: str


def map_sku(
    db: Database,
    channel: str,
    platform_sku: str,
    sku: str,
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, str]] | None = None,
) -> dict[str, str]:
    """Maps (or re-maps) a platform SKU to a product of the catalogue; 404 for an SKU the
    catalogue does not have."""
    platform_sku, sku = platform_sku.strip(), sku.strip()
    if not platform_sku or len(platform_sku) > 200:
        raise ValidationError("The platform's SKU, 1 to 200 characters.", field="platform_sku")

    def work(uow: UnitOfWork) -> dict[str, str]:
        if not product_exists(uow.connection, sku):
            raise NotFoundError(f"The catalogue has no product {sku!r}.", field="sku")
        insert = dialect_insert(uow.connection)
        inserted = uow.connection.execute(
            insert(mapping)
            .values(
                channel_code=channel, platform_sku=platform_sku, sku=sku, created_at=clock.now()
            )
            .on_conflict_do_nothing(index_elements=["channel_code", "platform_sku"])
        )
        if inserted.rowcount == 0:
            uow.connection.execute(
                update(mapping)
                .where(mapping.c.channel_code == channel, mapping.c.platform_sku == platform_sku)
                .values(sku=sku)
            )
        return asdict(SkuMapping(channel, platform_sku, sku))

    return db.write(work, actor=actor, idempotency=idempotency)


def mapped_skus(
    connection: Connection, channel: str, platform_skus: Collection[str]
) -> dict[str, str]:
    if not platform_skus:
        return {}
    rows = connection.execute(
        select(mapping.c.platform_sku, mapping.c.sku).where(
            mapping.c.channel_code == channel,
            mapping.c.platform_sku.in_(sorted(set(platform_skus))),
        )
    ).all()
    return {row.platform_sku: row.sku for row in rows}


def list_mappings(db: Database, channel: str) -> list[SkuMapping]:
    rows = db.read(
        lambda connection: connection.execute(
            select(mapping.c.platform_sku, mapping.c.sku)
            .where(mapping.c.channel_code == channel)
            .order_by(mapping.c.platform_sku)
        ).all()
    )
    return [SkuMapping(channel, row.platform_sku, row.sku) for row in rows]
