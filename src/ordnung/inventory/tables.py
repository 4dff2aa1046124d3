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
    Text,
    UniqueConstraint,
)

from ordnung.core.schema_base import UTCDateTime, metadata

location_table = Table(
    "location",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("address", JSON, nullable=False),
    Column("capabilities", JSON, nullable=False),
    # Lower number = asked first by sourcing.
    Column("priority", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Optimistic concurrency for edits by people: a stale form is refused, not overwritten.
    Column("version", Integer, nullable=False, server_default="1"),
)

# The database itself refuses oversell (invariant 2) even if code were wrong:
# reserved never exceeds on_hand, and nothing goes negative.
stock_position_table = Table(
    "stock_position",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("on_hand", Integer, nullable=False, server_default="0"),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("safety_stock", Integer, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("sku", "location_id", name="uq_stock_position_sku_location"),
    CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    CheckConstraint("safety_stock >= 0", name="safety_stock_not_negative"),
)

# Append-only stock ledger: per position, the sums of the deltas equal on_hand and reserved.
stock_movement_table = Table(
    "stock_movement",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("position_id", Integer, ForeignKey("stock_position.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("on_hand_delta", Integer, nullable=False),
    Column("reserved_delta", Integer, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    # Why, from a short fixed list per kind (inventory/operations.py CAUSES); `reason` is the
    # free note. Empty for the order flow's own rows (reservation, release, shipment).
    Column("cause", String(30), nullable=False, server_default=""),
    Column("order_id", BigInteger, nullable=True),
    Column("fulfillment_order_id", BigInteger, nullable=True),
    Column("actor", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_stock_movement_position", "position_id", "id"),
)

# Checkout holds (inventory/checkout_holds.py): units held for a cart for a short time. Their
# units count in `stock_position.reserved` (ledger kinds checkout_hold / checkout_release).
checkout_hold_table = Table(
    "checkout_hold",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=True),
    # Who placed it (the API key's actor): only they see it, release it or convert it.
    Column("created_by", String(120), nullable=False),
    Column("order_id", BigInteger, nullable=True),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    CheckConstraint(
        "status IN ('active', 'converted', 'expired', 'released')", name="checkout_hold_status"
    ),
    Index("ix_checkout_hold_status_expires", "status", "expires_at"),
)

checkout_hold_line_table = Table(
    "checkout_hold_line",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("hold_id", BigInteger, ForeignKey("checkout_hold.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("position_id", Integer, ForeignKey("stock_position.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="checkout_hold_line_quantity_positive"),
    Index("ix_checkout_hold_line_hold", "hold_id"),
)

# Where a product lies at a location: the pick list walks a location's bins in order. One bin
# per product and location; a product without a row has no bin (it sorts last).
bin_assignment_table = Table(
    "bin_assignment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("bin", String(40), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(120), nullable=False),
    UniqueConstraint("location_id", "sku", name="uq_bin_assignment_location_sku"),
    CheckConstraint("length(bin) > 0", name="bin_not_empty"),
)
