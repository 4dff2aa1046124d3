"""The checks' own tables: rule settings per channel, and the warnings found at intake."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from ordnung.core.schema_base import UTCDateTime, metadata

# A channel without a row for a rule gets the rule's default (checks/model.py DEFAULT_RULES).
channel_check_rule_table = Table(
    "channel_check_rule",
    metadata,
    Column("channel_id", Integer, ForeignKey("sales_channel.id"), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("params", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(120), nullable=False),
    PrimaryKeyConstraint("channel_id", "rule", name="pk_channel_check_rule"),
)

# The version of a channel's rule settings as a whole (If-Match on their PUT); no row: 0.
channel_check_version_table = Table(
    "channel_check_version",
    metadata,
    Column("channel_id", Integer, ForeignKey("sales_channel.id"), nullable=False),
    Column("version", Integer, nullable=False),
    PrimaryKeyConstraint("channel_id", name="pk_channel_check_version"),
)

# What a rule in `warn` mode found: shown on the order page, stops nothing.
order_check_finding_table = Table(
    "order_check_finding",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("message_key", String(64), nullable=False),
    Column("facts", JSON, nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_order_check_finding_order", "order_id"),
)
