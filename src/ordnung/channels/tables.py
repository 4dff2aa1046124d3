from sqlalchemy import Column, Integer, String, Table

from ordnung.core.schema_base import UTCDateTime, metadata

sales_channel_table = Table(
    "sales_channel",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("currency", String(3), nullable=False),
    # Optimistic concurrency for edits by people: a stale form is refused, not overwritten.
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
)
