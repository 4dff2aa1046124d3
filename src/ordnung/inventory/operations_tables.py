"""Tables of stock operations: transfers between locations and stock imports from outside
systems (owned by inventory, beside `tables.py`)."""

from sqlalchemy import (
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

stock_transfer_table = Table(
    "stock_transfer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("from_location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("to_location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("cause", String(30), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_by", String(120), nullable=False),
    Column("shipped_at", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=True),
    Column("cancelled_at", UTCDateTime, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    CheckConstraint("from_location_id <> to_location_id", name="transfer_between_two_places"),
    Index("ix_stock_transfer_status", "status", "id"),
)

# Units still on the way = quantity - received_quantity (cancelled transfers: none).
stock_transfer_line_table = Table(
    "stock_transfer_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("transfer_id", Integer, ForeignKey("stock_transfer.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("received_quantity", Integer, nullable=False, server_default="0"),
    UniqueConstraint("transfer_id", "sku", name="uq_stock_transfer_line_sku"),
    CheckConstraint("quantity > 0", name="transfer_quantity_positive"),
    CheckConstraint(
        "received_quantity >= 0 AND received_quantity <= quantity",
        name="transfer_received_within_quantity",
    ),
    Index("ix_stock_transfer_line_sku", "sku"),
)

stock_import_table = Table(
    "stock_import",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(120), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("changed_count", Integer, nullable=False),
    Column("unchanged_count", Integer, nullable=False),
    Column("refused_count", Integer, nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

stock_import_line_table = Table(
    "stock_import_line",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("import_id", Integer, ForeignKey("stock_import.id"), nullable=False),
    # The row in the file; null for a position a snapshot did not name (counted as 0).
    Column("line_number", Integer, nullable=True),
    Column("sku", String(64), nullable=False),
    Column("location", String(40), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("before", Integer, nullable=True),
    Column("after", Integer, nullable=True),
    Column("difference", Integer, nullable=False),
    Column("reserved", Integer, nullable=True),
    Column("outcome", String(20), nullable=False),
    Index("ix_stock_import_line_import", "import_id", "id"),
)
