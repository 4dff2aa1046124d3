"""Connections of sales channels to shop platforms, the import queue, and each channel's
mapping of platform SKUs to catalogue SKUs. Written only by `connectors/`."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ordnung.core.schema_base import UTCDateTime, metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

# One per sales channel (by its code, which never changes). `secrets` holds per name either
# {"sealed": Fernet token} or {"env": NAME} (connectors/secrets.py), never a plain value.
channel_connection_table = Table(
    "channel_connection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_code", String(40), nullable=False, unique=True),
    Column("platform", String(20), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("secrets", JSON, nullable=False),
    # Where the last pull got to: the platform's `updated_at` of the newest order fetched.
    Column("pull_cursor", String(40), nullable=True),
    Column("pulled_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
)

# Every signed payload, stored raw before it is mapped, so nothing a platform sent is lost.
# No unique key on the delivery id: a repeat is stored too and shown as a duplicate.
inbound_payload_table = Table(
    "inbound_payload",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("channel_code", String(40), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("topic", String(64), nullable=False),
    Column("source", String(10), nullable=False),  # webhook | pull
    Column("delivery_id", String(128), nullable=True),
    Column("external_id", String(128), nullable=True),
    Column("body", Text, nullable=False),
    # A person's correction of the body (a field edited in the queue); the raw body stays.
    Column("fixed_body", Text, nullable=True),
    Column("status", String(12), nullable=False),
    Column("error", String(1000), nullable=True),
    Column("error_field", String(200), nullable=True),
    Column("order_id", BigInteger, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("received_at", UTCDateTime, nullable=False),
    Column("processed_at", UTCDateTime, nullable=True),
    Index("ix_inbound_payload_channel_status", "channel_code", "status", "id"),
    Index("ix_inbound_payload_status", "status", "id"),
    Index("ix_inbound_payload_delivery", "channel_code", "delivery_id"),
)

channel_sku_mapping_table = Table(
    "channel_sku_mapping",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_code", String(40), nullable=False),
    Column("platform_sku", String(200), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("channel_code", "platform_sku", name="uq_channel_sku_mapping"),
)
