from sqlalchemy import BigInteger, Column, Integer, String, Table

from ordnung.core.schema_base import UTCDateTime, metadata

customer_table = Table(
    "customer",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    # Lower-cased; customers are found by e-mail.
    Column("email", String(254), nullable=False, unique=True),
    Column("first_name", String(120), nullable=False, server_default=""),
    Column("last_name", String(120), nullable=False, server_default=""),
    Column("phone", String(40), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
