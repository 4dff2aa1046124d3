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
    text,
)

from ordnung.core.schema_base import UTCDateTime, metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

fulfillment_order_table = Table(
    "fulfillment_order",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    # The order's number, as the location prints it on the packing slip: copied at release
    # (order numbers never change), so a location's work list needs no order tables.
    Column("order_number", String(32), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("reject_reason", String(300), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # What the location needs to ship, copied from the order at release so it never changes
    # under the location (why a copy: fulfillment/queue.py). `ship_to` is the address as the
    # order keeps it (JSON, with the recipient's name and phone); the promised ship date is
    # the earliest of the fulfilment order's lines'.
    Column("ship_to", JSON, nullable=True),
    Column("contact_email", String(254), nullable=True),
    Column("shipping_method", String(64), nullable=False, server_default=""),
    Column("service_level", String(16), nullable=False, server_default="standard"),
    Column("priority", String(16), nullable=False, server_default="normal"),
    Column("gift_note", String(500), nullable=True),
    Column("promised_ship_on", Date, nullable=True),
    Index("ix_fulfillment_order_order", "order_id"),
    Index("ix_fulfillment_order_location_status", "location_id", "status"),
    # Orders given to each location today: the daily capacity of sourcing rules.
    Index("ix_fulfillment_order_created", "created_at"),
)

# An open fulfilment order line *is* the reservation: `quantity - shipped_quantity` units of
# an order line held at the fulfilment order's location (design.md §4).
fulfillment_order_line_table = Table(
    "fulfillment_order_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_line.id"), nullable=False),
    # None for a non-stock product's units (catalog/model.py NON_STOCK): no position, so
    # shipping, cancelling or rejecting them moves no stock and writes no ledger row.
    Column("position_id", Integer, ForeignKey("stock_position.id"), nullable=True),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("shipped_quantity", Integer, nullable=False, server_default="0"),
    # Units in packages not shipped yet (fulfillment/packages.py); the CHECK below is the
    # database's word that no unit is packed twice or packed beyond what is left to ship.
    Column("packed_quantity", Integer, nullable=False, server_default="0"),
    # The product as the location picks it, copied at release: name, GTIN, weight per unit.
    Column("name", String(300), nullable=True),
    Column("gtin", String(14), nullable=True),
    Column("weight_grams", Integer, nullable=True),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint(
        "shipped_quantity >= 0 AND shipped_quantity <= quantity", name="shipped_within_quantity"
    ),
    CheckConstraint(
        "packed_quantity >= 0 AND shipped_quantity + packed_quantity <= quantity",
        name="packed_within_unshipped",
    ),
    Index("ix_fulfillment_order_line_fo", "fulfillment_order_id"),
)

shipment_table = Table(
    "shipment",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("carrier", String(40), nullable=False),
    Column("service", String(60), nullable=False, server_default=""),
    Column("tracking_number", String(80), nullable=False),
    Column("status", String(24), nullable=False),
    Column("shipped_at", UTCDateTime, nullable=False),
    Index("ix_shipment_order", "order_id"),
    Index("ix_shipment_tracking", "tracking_number"),
)

shipment_line_table = Table(
    "shipment_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("shipment_id", BigInteger, ForeignKey("shipment.id"), nullable=False),
    Column(
        "fulfillment_order_line_id",
        BigInteger,
        ForeignKey("fulfillment_order_line.id"),
        nullable=False,
    ),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

# A location is asked to cancel work it has started picking (fulfillment/model.py
# CANCELLATION_NEEDS_CONSENT). At most one undecided request per fulfilment order: the partial
# unique index backs up the code, which creates requests under the order's lock.
cancellation_request_table = Table(
    "cancellation_request",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    # Copied from the fulfilment order (it never changes): the order page reads by order.
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("requested_by", String(120), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("decision", String(16), nullable=True),
    Column("decided_by", String(120), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("note", String(300), nullable=True),
    # A line cancel asks for units of one order line; both null: the whole fulfilment order.
    Column("order_line_id", BigInteger, ForeignKey("order_line.id"), nullable=True),
    Column("quantity", Integer, nullable=True),
    CheckConstraint(
        "decision IS NULL OR decision IN ('accepted', 'declined')", name="known_decision"
    ),
    CheckConstraint(
        "(order_line_id IS NULL AND quantity IS NULL)"
        " OR (order_line_id IS NOT NULL AND quantity > 0)",
        name="units_of_one_line",
    ),
    Index("ix_cancellation_request_order", "order_id"),
    Index(
        "uq_cancellation_request_open",
        "fulfillment_order_id",
        unique=True,
        sqlite_where=text("decided_at IS NULL"),
        postgresql_where=text("decided_at IS NULL"),
    ),
)

# What a location reported missing, one row per fulfilment order line, with what sourcing
# made of it. It is the order's "short pick reported" marker until an agent acknowledges it.
short_pick_report_table = Table(
    "short_pick_report",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_line.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("missing", Integer, nullable=False),
    # Of the missing units: how many sourcing placed again at once, how many wait for stock.
    Column("resourced", Integer, nullable=False),
    Column("backordered", Integer, nullable=False),
    Column("note", String(300), nullable=False, server_default=""),
    Column("reported_by", String(120), nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("acknowledged_by", String(120), nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    CheckConstraint("missing > 0", name="missing_positive"),
    CheckConstraint(
        "resourced >= 0 AND backordered >= 0 AND resourced + backordered = missing",
        name="outcome_splits_missing",
    ),
    Index("ix_short_pick_report_order", "order_id"),
)

# A pick wave: fulfilment orders of one location picked together from one pick list.
pick_wave_table = Table(
    "pick_wave",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('open', 'done')", name="known_status"),
    Index("ix_pick_wave_location", "location_id", "id"),
)

# Which fulfilment orders a wave holds. A fulfilment order is in at most one open wave: the
# partial unique index refuses a second one even when two waves are built at the same time.
pick_wave_order_table = Table(
    "pick_wave_order",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("pick_wave_id", BigInteger, ForeignKey("pick_wave.id"), nullable=False),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("is_open", Boolean, nullable=False),
    Index("ix_pick_wave_order_wave", "pick_wave_id"),
    Index(
        "uq_pick_wave_order_open",
        "fulfillment_order_id",
        unique=True,
        sqlite_where=text("is_open"),
        postgresql_where=text("is_open"),
    ),
)

# What a wave asks to pick, one row per fulfilment order line, with the bin copied when the
# wave was built (the printed list must match the screen). No foreign key to the fulfilment
# order line: a short pick deletes a line left with nothing to ship; the wave keeps its row.
pick_wave_line_table = Table(
    "pick_wave_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("pick_wave_id", BigInteger, ForeignKey("pick_wave.id"), nullable=False),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("fulfillment_order_line_id", BigInteger, nullable=False),
    Column("order_number", String(32), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("bin", String(40), nullable=True),
    Column("quantity", Integer, nullable=False),
    Column("picked_quantity", Integer, nullable=False, server_default="0"),
    Column("short_quantity", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint(
        "picked_quantity >= 0 AND short_quantity >= 0"
        " AND picked_quantity + short_quantity <= quantity",
        name="settled_within_quantity",
    ),
    Index("ix_pick_wave_line_wave", "pick_wave_id"),
)

# A package: units of one fulfilment order put in one box (fulfillment/package_model.py). It is
# `packed` until it leaves with its own shipment (`shipped`, `shipment_id` set). Order and
# location are copied from the fulfilment order (they never change) so a location's and an
# order's packages are read without a join.
package_table = Table(
    "package",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("package_type", String(16), nullable=False),
    Column("weight_grams", Integer, nullable=False),
    Column("length_mm", Integer, nullable=True),
    Column("width_mm", Integer, nullable=True),
    Column("height_mm", Integer, nullable=True),
    Column("status", String(16), nullable=False),
    Column("shipment_id", BigInteger, ForeignKey("shipment.id"), nullable=True),
    Column("created_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("shipped_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('packed', 'shipped')", name="known_status"),
    CheckConstraint("weight_grams > 0", name="weight_positive"),
    CheckConstraint(
        "(length_mm IS NULL OR length_mm > 0) AND (width_mm IS NULL OR width_mm > 0)"
        " AND (height_mm IS NULL OR height_mm > 0)",
        name="dimensions_positive",
    ),
    # A shipped package names its shipment; a packed one has none yet.
    CheckConstraint(
        "(status = 'shipped') = (shipment_id IS NOT NULL AND shipped_at IS NOT NULL)",
        name="shipped_has_shipment",
    ),
    Index("ix_package_fulfillment_order", "fulfillment_order_id"),
    Index("ix_package_order", "order_id"),
)

# Units of one fulfilment order line in one package; a line appears at most once per package.
# The sum over a line's unshipped packages is kept on `fulfillment_order_line.packed_quantity`
# (migration 0025), where a CHECK guards `shipped + packed <= quantity`.
package_line_table = Table(
    "package_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("package_id", BigInteger, ForeignKey("package.id"), nullable=False),
    Column(
        "fulfillment_order_line_id",
        BigInteger,
        ForeignKey("fulfillment_order_line.id"),
        nullable=False,
    ),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("uq_package_line", "package_id", "fulfillment_order_line_id", unique=True),
)

# A parcel that came back to the location it left from (returned to sender): work in that
# location's queue until each unit is restocked or written off. One per shipment — the unique
# shipment id refuses a second record even when two arrive at the same time.
returned_parcel_table = Table(
    "returned_parcel",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("shipment_id", BigInteger, ForeignKey("shipment.id"), nullable=False, unique=True),
    Column("fulfillment_order_id", BigInteger, ForeignKey("fulfillment_order.id"), nullable=False),
    # Copied from the shipment's fulfilment order (they never change): the queue reads by
    # location, the order page by order, neither joins.
    Column("order_id", BigInteger, ForeignKey("sales_order.id"), nullable=False),
    Column("order_number", String(32), nullable=False),
    Column("location_id", Integer, ForeignKey("location.id"), nullable=False),
    Column("tracking_number", String(80), nullable=False),
    Column("reason", String(40), nullable=False),
    Column("note", String(300), nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("processed_by", String(120), nullable=True),
    Column("processed_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('waiting', 'processed')", name="known_status"),
    CheckConstraint(
        "(status = 'waiting' AND processed_at IS NULL)"
        " OR (status = 'processed' AND processed_at IS NOT NULL)",
        name="processed_has_time",
    ),
    Index("ix_returned_parcel_location_status", "location_id", "status"),
    Index("ix_returned_parcel_order", "order_id"),
)

# One row per shipment line: the units that came back and, once processed, how many went
# back on the shelf and how many were written off (together: all of them).
returned_parcel_line_table = Table(
    "returned_parcel_line",
    metadata,
    Column("id", _ID, primary_key=True),
    Column("returned_parcel_id", BigInteger, ForeignKey("returned_parcel.id"), nullable=False),
    Column("shipment_line_id", BigInteger, ForeignKey("shipment_line.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("name", String(300), nullable=True),
    Column("units", Integer, nullable=False),
    Column("restocked", Integer, nullable=False, server_default="0"),
    Column("written_off", Integer, nullable=False, server_default="0"),
    CheckConstraint("units > 0", name="units_positive"),
    CheckConstraint(
        "restocked >= 0 AND written_off >= 0 AND restocked + written_off <= units",
        name="settled_within_units",
    ),
    Index("ix_returned_parcel_line_parcel", "returned_parcel_id"),
)
