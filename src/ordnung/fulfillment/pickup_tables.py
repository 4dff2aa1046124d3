"""Click & collect: one row per fulfilment order a customer collects at a store."""

from sqlalchemy import (
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

_ID = BigInteger().with_variant(Integer, "sqlite")

# Written at intake for each fulfilment order of an order the customer collects (its store is
# the fulfilment order's location); the code and dates once the store has it ready. The code
# is kept readable, not hashed: the store reprints the customer's slip (with its QR) from it.
# It is a credential for this fulfilment order only, unique among its store's codes, and
# locked after fulfillment/pickup_model.py MAX_WRONG_CODES wrong tries.
pickup_table = Table(
    "pickup",
    metadata,
    Column("id", _ID, primary_key=True),
    Column(
        "fulfillment_order_id",
        BigInteger,
        ForeignKey("fulfillment_order.id"),
        nullable=False,
        unique=True,
    ),
    # Copied from the fulfilment order (they never change): the store's list reads no other.
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("order_number", String(32), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("code", String(16), nullable=True),
    Column("ready_at", UTCDateTime, nullable=True),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("wrong_codes", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("picked_up_at", UTCDateTime, nullable=True),
    Column("picked_up_by", String(120), nullable=True),
    Column("expired_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("wrong_codes >= 0", name="wrong_codes_not_negative"),
    CheckConstraint(
        "(code IS NULL AND ready_at IS NULL AND expires_at IS NULL)"
        " OR (code IS NOT NULL AND ready_at IS NOT NULL AND expires_at IS NOT NULL)",
        name="ready_with_code_and_dates",
    ),
    Index(
        "uq_pickup_location_code",
        "location_id",
        "code",
        unique=True,
        sqlite_where=text("code IS NOT NULL"),
        postgresql_where=text("code IS NOT NULL"),
    ),
    # The worker's sweep: ready, neither collected nor expired, past the deadline.
    Index("ix_pickup_expires", "expires_at"),
    Index("ix_pickup_location", "location_id"),
)
