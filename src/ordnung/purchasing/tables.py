"""Tables of supply: suppliers and what they supply, purchase orders with their lines and
receipts, replenishment rules."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

from ordnung.core.schema_base import UTCDateTime, metadata

supplier_table = Table(
    "supplier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    # Minor units of the supplier's currency; null = no minimum.
    Column("minimum_order_value", BigInteger, nullable=True),
    Column("minimum_order_quantity", Integer, nullable=True),
    # [{name, email, phone}]: a handful per supplier, always read with it.
    Column("contacts", JSON, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The supplier's drop-ship location (type `supplier`, capability `dropship`): fulfilment
    # orders released there become drop-ship purchase orders to this supplier. The link lives
    # here, in purchasing, because inventory sits below purchasing and must not know it.
    Column("dropship_location_id", Integer, ForeignKey("location.id"), nullable=True),
    UniqueConstraint("dropship_location_id", name="uq_supplier_dropship_location_id"),
)

supplier_product_table = Table(
    "supplier_product",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("supplier_sku", String(64), nullable=False, server_default=""),
    Column("unit_price", BigInteger, nullable=False),
    Column("pack_size", Integer, nullable=False, server_default="1"),
    UniqueConstraint("supplier_id", "sku", name="uq_supplier_product_supplier_sku"),
    CheckConstraint("pack_size >= 1", name="pack_size_positive"),
    Index("ix_supplier_product_sku", "sku"),
)

purchase_order_table = Table(
    "purchase_order",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("created_by", String(120), nullable=False),
    # `stock` (goods for our location) or `dropship` (one fulfilment order, shipped by the
    # supplier to the customer; `location_id` is then the supplier's drop-ship location).
    Column("kind", String(20), nullable=False, server_default="stock"),
    # Drop-ship only: the order and fulfilment order it serves (at most one purchase order
    # per fulfilment order — the unique constraint makes "created twice" impossible).
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=True),
    Column("order_number", String(32), nullable=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=True),
    # {name, company, street, street2, postal_code, city, country, email, phone}: a snapshot,
    # so a later change of the order's address is a decision, not a silent rewrite.
    Column("ship_to", JSON, nullable=True),
    Column("expected_ship_on", Date, nullable=True),
    Column("carrier", String(40), nullable=True),
    Column("tracking_number", String(80), nullable=True),
    Column("shipped_at", UTCDateTime, nullable=True),
    CheckConstraint(
        "status IN ('draft', 'sent', 'confirmed', 'partially_received', 'received', 'shipped',"
        " 'cancelled')",
        name="known_status",
    ),
    CheckConstraint("kind IN ('stock', 'dropship')", name="known_kind"),
    CheckConstraint(
        "kind = 'stock' OR (fulfillment_order_id IS NOT NULL AND ship_to IS NOT NULL)",
        name="dropship_has_fulfillment_order",
    ),
    UniqueConstraint("fulfillment_order_id", name="uq_purchase_order_fulfillment_order_id"),
    Index("ix_purchase_order_status", "status", "id"),
    Index("ix_purchase_order_order", "order_id"),
)

# received never exceeds ordered: the database refuses over-receipt even if code were wrong.
purchase_order_line_table = Table(
    "purchase_order_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("purchase_order_id", Integer, ForeignKey("purchase_order.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("received_quantity", Integer, nullable=False, server_default="0"),
    Column("unit_price", BigInteger, nullable=False),
    Column("expected_on", Date, nullable=True),
    Column("confirmed_on", Date, nullable=True),
    UniqueConstraint("purchase_order_id", "line_number", name="uq_purchase_order_line_number"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint(
        "received_quantity >= 0 AND received_quantity <= quantity", name="received_within_ordered"
    ),
    Index("ix_purchase_order_line_sku", "sku"),
)

# Append-only: each receipt of units on one line, who booked it and when.
purchase_receipt_table = Table(
    "purchase_receipt",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("purchase_order_id", Integer, ForeignKey("purchase_order.id"), nullable=False),
    Column("line_id", Integer, ForeignKey("purchase_order_line.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_purchase_receipt_order", "purchase_order_id", "id"),
)

replenishment_rule_table = Table(
    "replenishment_rule",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("reorder_point", Integer, nullable=False),
    Column("minimum", Integer, nullable=False),
    Column("maximum", Integer, nullable=False),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("sku", "location_id", name="uq_replenishment_rule_sku_location"),
    CheckConstraint(
        "minimum >= 0 AND minimum <= reorder_point AND reorder_point < maximum",
        name="levels_in_order",
    ),
)
