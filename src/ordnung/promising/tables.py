"""The promise's own tables: per-location calendar settings, per-channel sell scope, and the
SKUs whose availability changed since it was last announced (debounce)."""

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from ordnung.core.schema_base import UTCDateTime, metadata

# A location without a row runs with the defaults of promising/model.py PromiseSettings.
location_promise_setting_table = Table(
    "location_promise_setting",
    metadata,
    Column("location_id", Integer, ForeignKey("location.id"), primary_key=True),
    Column("federal_state", String(2), nullable=False, server_default=""),
    Column("time_zone", String(64), nullable=False),
    Column("cutoff", String(5), nullable=False),  # HH:MM local time
    Column("handling_days", Integer, nullable=False),
    Column("working_weekdays", JSON, nullable=False),  # ISO weekdays, Monday = 1
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(120), nullable=False),
    CheckConstraint("handling_days >= 0", name="handling_days_not_negative"),
)

# A channel without a row sells from every location that ships and holds back safety stock.
channel_sell_scope_table = Table(
    "channel_sell_scope",
    metadata,
    Column("channel_id", Integer, ForeignKey("sales_channel.id"), primary_key=True),
    Column("location_ids", JSON, nullable=False),  # empty: every location that ships
    Column("store_buffer", Integer, nullable=False),
    Column("is_safety_stock_held", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(120), nullable=False),
    CheckConstraint("store_buffer >= 0", name="store_buffer_not_negative"),
)

# One row per SKU whose stock changed: `is_pending` until the worker announces it; the
# worker announces a SKU at most once per interval after `announced_at`.
availability_signal_table = Table(
    "availability_signal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("is_pending", Boolean, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("announced_at", UTCDateTime, nullable=True),
    Index("ix_availability_signal_pending", "is_pending", "announced_at"),
)
