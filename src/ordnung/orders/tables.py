from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from ordnung.core.schema_base import UTCDateTime, metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

sales_order_table = Table(
    "sales_order",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("channel_id", Integer, ForeignKey("sales_channel.id"), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customer.id"), nullable=False),
    Column("email", String(254), nullable=False),
    Column("customer_name", String(250), nullable=False),
    Column("status", String(24), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("prices_include_tax", Integer, nullable=False),
    Column("billing_address", JSON, nullable=False),
    Column("shipping_address", JSON, nullable=False),
    Column("shipping_method", String(64), nullable=False, server_default=""),
    Column("shipping_amount", BigInteger, nullable=False),
    Column("shipping_tax_rate", String(8), nullable=False),
    Column("subtotal_amount", BigInteger, nullable=False),
    Column("tax_amount", BigInteger, nullable=False),
    Column("total_amount", BigInteger, nullable=False),
    Column("placed_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    # Intake checks: a business customer's VAT id, how the order is paid, and the place it
    # goes to written one way (`Address.key`) — what velocity checks count orders by.
    Column("vat_id", String(32), nullable=True),
    Column("payment_method", String(32), nullable=True),
    Column("card_fingerprint", String(128), nullable=True),
    Column("ship_to_key", String(200), nullable=True),
    # How the channel wants it shipped and how urgent it is (orders/model.py SERVICE_LEVELS,
    # PRIORITIES), and a note for the parcel: copied onto each fulfilment order at release.
    Column("service_level", String(16), nullable=False, server_default="standard"),
    Column("priority", String(16), nullable=False, server_default="normal"),
    Column("gift_note", String(500), nullable=True),
    # The language the customer reads (`de` or `en`): the delivery note is printed in it.
    Column("language", String(2), nullable=False, server_default="de"),
    UniqueConstraint("channel_id", "external_id", name="uq_sales_order_channel_external"),
    Index("ix_sales_order_created", "created_at", "id"),
    # The list filtered by channel and time range, without sorting all of a channel's orders.
    Index("ix_sales_order_channel_created", "channel_id", "created_at", "id"),
    Index("ix_sales_order_status", "status", "id"),
    Index("ix_sales_order_email", "email", "created_at"),
    Index("ix_sales_order_customer", "customer_id"),
    Index("ix_sales_order_ship_to", "ship_to_key", "created_at"),
    Index(
        "ix_sales_order_card",
        "card_fingerprint",
        "created_at",
        sqlite_where=text("card_fingerprint IS NOT NULL"),
        postgresql_where=text("card_fingerprint IS NOT NULL"),
    ),
)

# Each unit of a line is in exactly one bucket (invariant 3); the database checks the sum.
order_line_table = Table(
    "order_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("sku", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("discount_amount", BigInteger, nullable=False),
    Column("tax_rate", String(8), nullable=False),
    Column("line_total", BigInteger, nullable=False),
    Column("open_quantity", Integer, nullable=False),
    Column("allocated_quantity", Integer, nullable=False),
    Column("shipped_quantity", Integer, nullable=False),
    Column("cancelled_quantity", Integer, nullable=False),
    Column("returned_quantity", Integer, nullable=False, server_default="0"),
    # The delivery date the channel asked for (as sent), and the ship and delivery dates
    # promised when sourcing placed the line's units (docs/promise.md); all may be empty.
    Column("requested_delivery_on", Date, nullable=True),
    Column("promised_ship_on", Date, nullable=True),
    Column("promised_delivery_on", Date, nullable=True),
    UniqueConstraint("order_id", "line_number", name="uq_order_line_order_number"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint(
        "open_quantity >= 0 AND allocated_quantity >= 0 AND shipped_quantity >= 0"
        " AND cancelled_quantity >= 0",
        name="buckets_not_negative",
    ),
    CheckConstraint(
        "open_quantity + allocated_quantity + shipped_quantity + cancelled_quantity = quantity",
        name="buckets_sum_to_quantity",
    ),
    CheckConstraint(
        "returned_quantity >= 0 AND returned_quantity <= shipped_quantity",
        name="returned_within_shipped",
    ),
    # The lines still waiting for stock, by SKU: what stock that arrives or becomes free is
    # offered to (sourcing's backorder allocation), without reading every line ever sold.
    Index(
        "ix_order_line_waiting_sku",
        "sku",
        "order_id",
        sqlite_where=text("open_quantity > 0"),
        postgresql_where=text("open_quantity > 0"),
    ),
)

order_hold_table = Table(
    "order_hold",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("released_at", UTCDateTime, nullable=True),
    Column("released_by", String(120), nullable=True),
    Column("release_note", Text, nullable=True),
    # What the rule found (checks/findings.py), for the back office to show in its language.
    Column("facts", JSON, nullable=True),
    Index("ix_order_hold_order", "order_id"),
    # The hold queue: active holds, oldest first.
    Index(
        "ix_order_hold_active",
        "id",
        sqlite_where=text("released_at IS NULL"),
        postgresql_where=text("released_at IS NULL"),
    ),
)

# PostgreSQL hands out order numbers from a sequence (no hot counter row under concurrent
# intake); SQLite serialises writers anyway and uses the `counter` table.
order_number_sequence = Sequence("order_number_seq", metadata=metadata)

# The folded words each order is found by (orders/search_terms.py), kept with every change
# that affects them. PostgreSQL indexes the text with trigrams (pg_trgm, migration 0007);
# SQLite with an FTS5 trigram table `order_search_fts` that triggers keep in step — both
# live only in the migration, as neither can be declared here.
order_search_table = Table(
    "order_search",
    metadata,
    Column("order_id", _ID, ForeignKey("sales_order.id"), primary_key=True),
    Column("text", Text, nullable=False),
)

# Tags a person puts on an order (normalised by orders/notes_model.py); each at most once.
order_tag_table = Table(
    "order_tag",
    metadata,
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), primary_key=True),
    Column("tag", String(40), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(120), nullable=False),
    Index("ix_order_tag_tag", "tag", "order_id"),
)

# Comments by staff on an order's timeline; never edited (history is append-only).
order_comment_table = Table(
    "order_comment",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("author", String(120), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_order_comment_order", "order_id", "id"),
)
