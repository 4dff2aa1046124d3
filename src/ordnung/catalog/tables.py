from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    true,
)

from ordnung.core.schema_base import UTCDateTime, metadata

product_table = Table(
    "product",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(64), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("gtin", String(14), nullable=True),
    Column("weight_grams", Integer, nullable=True),
    Column("tax_class", String(16), nullable=False),
    # Inactive products stay for history (order lines, stock ledger) but are not sold: intake
    # treats them as unknown, and the back office hides them from its default list.
    Column("is_active", Boolean, nullable=False, server_default=true()),
    # Stock policy (catalog/model.py STOCK_POLICIES): `stocked` is sourced as always;
    # `preorder` waits until `release_on` and is held beyond `preorder_cap` open units.
    # `allow_backorder` false: an order that cannot get every unit of the SKU is held.
    # `non_stock` (services, digital goods, made to order): no stock, never reserved.
    Column("stock_policy", String(20), nullable=False, server_default="stocked"),
    Column("allow_backorder", Boolean, nullable=False, server_default=true()),
    Column("release_on", Date, nullable=True),
    Column("preorder_cap", Integer, nullable=True),
    CheckConstraint(
        "stock_policy IN ('stocked', 'preorder', 'non_stock')", name="stock_policy_known"
    ),
    CheckConstraint("preorder_cap IS NULL OR preorder_cap >= 0", name="preorder_cap_not_negative"),
    # Optimistic concurrency for edits by people: a stale form is refused, not overwritten.
    Column("version", Integer, nullable=False, server_default="1"),
    # The substitute list's own version (If-Match on its PUT): a list change is not a product
    # edit, so neither makes the other's form stale.
    Column("substitutes_version", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Products that may stand in for another (a successor model, the same article from another
# maker), in the order an agent should offer them (rank 1 first).
product_substitute_table = Table(
    "product_substitute",
    metadata,
    Column("product_sku", String(64), ForeignKey("product.sku"), primary_key=True),
    Column("substitute_sku", String(64), ForeignKey("product.sku"), primary_key=True),
    Column("rank", Integer, nullable=False),
    CheckConstraint("product_sku <> substitute_sku", name="not_itself"),
    CheckConstraint("rank >= 1", name="rank_positive"),
    UniqueConstraint("product_sku", "rank", name="uq_product_substitute_rank"),
)
