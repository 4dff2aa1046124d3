"""packages: units of a fulfilment order packed into boxes, shipped one box at a time

A package holds units of one fulfilment order's lines (`package_line`); it is `packed` until
it leaves with its own shipment (`shipped`). Each fulfilment order line counts the units in
its unshipped packages (`packed_quantity`), and a CHECK keeps `shipped + packed <= quantity`:
no unit is in two packages, none is packed beyond what is left to ship. An order gets its
language (`de` or `en`, default `de`) for the delivery note.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="de", nullable=False)
        )
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("packed_quantity", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_fulfillment_order_line_packed_within_unshipped"),
            "packed_quantity >= 0 AND shipped_quantity + packed_quantity <= quantity",
        )
    op.create_table(
        "package",
        sa.Column("id", _ID, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("package_type", sa.String(length=16), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("length_mm", sa.Integer(), nullable=True),
        sa.Column("width_mm", sa.Integer(), nullable=True),
        sa.Column("height_mm", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("shipped_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('packed', 'shipped')", name=op.f("ck_package_known_status")),
        sa.CheckConstraint("weight_grams > 0", name=op.f("ck_package_weight_positive")),
        sa.CheckConstraint(
            "(length_mm IS NULL OR length_mm > 0) AND (width_mm IS NULL OR width_mm > 0)"
            " AND (height_mm IS NULL OR height_mm > 0)",
            name=op.f("ck_package_dimensions_positive"),
        ),
        sa.CheckConstraint(
            "(status = 'shipped') = (shipment_id IS NOT NULL AND shipped_at IS NOT NULL)",
            name=op.f("ck_package_shipped_has_shipment"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_package_fulfillment_order_id_fulfillment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_order.id"], name=op.f("fk_package_order_id_sales_order")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_package_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipment.id"], name=op.f("fk_package_shipment_id_shipment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package")),
        sa.UniqueConstraint("number", name=op.f("uq_package_number")),
    )
    op.create_index("ix_package_fulfillment_order", "package", ["fulfillment_order_id"])
    op.create_index("ix_package_order", "package", ["order_id"])
    op.create_table(
        "package_line",
        sa.Column("id", _ID, nullable=False),
        sa.Column("package_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfillment_order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_package_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["package_id"], ["package.id"], name=op.f("fk_package_line_package_id_package")
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_line_id"],
            ["fulfillment_order_line.id"],
            name=op.f("fk_package_line_fulfillment_order_line_id_fulfillment_order_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_line")),
    )
    op.create_index(
        "uq_package_line", "package_line", ["package_id", "fulfillment_order_line_id"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_package_line", table_name="package_line")
    op.drop_table("package_line")
    op.drop_index("ix_package_order", table_name="package")
    op.drop_index("ix_package_fulfillment_order", table_name="package")
    op.drop_table("package")
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("ck_fulfillment_order_line_packed_within_unshipped"), type_="check"
        )
        batch_op.drop_column("packed_quantity")
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.drop_column("language")
