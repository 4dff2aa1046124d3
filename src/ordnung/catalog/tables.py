from sqlalchemy import Column, Integer, String, Table

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
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
