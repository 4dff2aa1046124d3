"""suppliers and purchase orders

Supply (issue 9): suppliers and the SKUs they supply, purchase orders with lines and
receipts, replenishment rules per SKU and location.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:58:47.627537
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("minimum_order_value", sa.BigInteger(), nullable=True),
        sa.Column("minimum_order_quantity", sa.Integer(), nullable=True),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("code", name=op.f("uq_supplier_code")),
    )
    op.create_table(
        "purchase_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'sent', 'confirmed', 'partially_received', 'received', 'cancelled')",
            name=op.f("ck_purchase_order_known_status"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_purchase_order_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_purchase_order_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_order_number")),
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_order_status", ["status", "id"], unique=False)

    op.create_table(
        "replenishment_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "updated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint(
            "minimum >= 0 AND minimum <= reorder_point AND reorder_point < maximum",
            name=op.f("ck_replenishment_rule_levels_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_replenishment_rule_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_replenishment_rule_supplier_id_supplier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replenishment_rule")),
        sa.UniqueConstraint("sku", "location_id", name="uq_replenishment_rule_sku_location"),
    )
    op.create_table(
        "supplier_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("supplier_sku", sa.String(length=64), server_default="", nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("pack_size", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("pack_size >= 1", name=op.f("ck_supplier_product_pack_size_positive")),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_supplier_product_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_product")),
        sa.UniqueConstraint("supplier_id", "sku", name="uq_supplier_product_supplier_sku"),
    )
    with op.batch_alter_table("supplier_product", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_product_sku", ["sku"], unique=False)

    op.create_table(
        "purchase_order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_purchase_order_line_quantity_positive")),
        sa.CheckConstraint(
            "received_quantity >= 0 AND received_quantity <= quantity",
            name=op.f("ck_purchase_order_line_received_within_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_order.id"],
            name=op.f("fk_purchase_order_line_purchase_order_id_purchase_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_line")),
        sa.UniqueConstraint(
            "purchase_order_id", "line_number", name="uq_purchase_order_line_number"
        ),
    )
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_order_line_sku", ["sku"], unique=False)

    op.create_table(
        "purchase_receipt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column(
            "received_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_purchase_receipt_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["purchase_order_line.id"],
            name=op.f("fk_purchase_receipt_line_id_purchase_order_line"),
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_order.id"],
            name=op.f("fk_purchase_receipt_purchase_order_id_purchase_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_receipt")),
    )
    with op.batch_alter_table("purchase_receipt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchase_receipt_order", ["purchase_order_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("purchase_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_receipt_order")

    op.drop_table("purchase_receipt")
    with op.batch_alter_table("purchase_order_line", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_order_line_sku")

    op.drop_table("purchase_order_line")
    with op.batch_alter_table("supplier_product", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_product_sku")

    op.drop_table("supplier_product")
    op.drop_table("replenishment_rule")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_order_status")

    op.drop_table("purchase_order")
    op.drop_table("supplier")
