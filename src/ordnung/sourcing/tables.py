"""Sourcing's own tables: rule versions per channel, and the decision taken for each order."""

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    text,
)

from ordnung.core.schema_base import UTCDateTime, metadata

# Each edit of a channel's rules is a new row (`number` counts per channel). A draft may be
# changed (`version`: If-Match) until it is activated; then it is `active` and the channel's
# previously active row `retired`. At most one active row per channel (index below).
sourcing_rule_version_table = Table(
    "sourcing_rule_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", Integer, ForeignKey("sales_channel.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("rules", JSON, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("activated_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('draft', 'active', 'retired')", name="status_known"),
    Index("uq_sourcing_rule_version_number", "channel_id", "number", unique=True),
    Index("ix_sourcing_rule_version_status", "status", "channel_id"),
    Index(
        "uq_sourcing_rule_version_active",
        "channel_id",
        unique=True,
        sqlite_where=text("status = 'active'"),
        postgresql_where=text("status = 'active'"),
    ),
)

# Why an order was sourced as it was: candidates, locations dropped and by which filter, the
# allocation and its cost (routing.py). Append-only; one row per order per decision.
sourcing_decision_table = Table(
    "sourcing_decision",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("outcome", String(30), nullable=False),
    Column("details", JSON, nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Index("ix_sourcing_decision_order", "order_id", "id"),
    Index("ix_sourcing_decision_outcome", "outcome", "id"),
)
