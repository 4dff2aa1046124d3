"""stock transfers and imports; a cause on every ledger row

Transfers between locations (`stock_transfer` with its lines: units on the way are quantity
minus received), stock imports from outside systems (`stock_import` and each line's outcome,
the reconciliation report) and `stock_movement.cause`: why, from a short fixed list per kind.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("refused_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_import")),
    )
    op.create_table(
        "stock_import_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("before", sa.Integer(), nullable=True),
        sa.Column("after", sa.Integer(), nullable=True),
        sa.Column("difference", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["stock_import.id"],
            name=op.f("fk_stock_import_line_import_id_stock_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_import_line")),
    )
    with op.batch_alter_table("stock_import_line", schema=None) as batch_op:
        batch_op.create_index("ix_stock_import_line_import", ["import_id", "id"], unique=False)

    op.create_table(
        "stock_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column(
            "shipped_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "received_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "cancelled_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "from_location_id <> to_location_id",
            name=op.f("ck_stock_transfer_transfer_between_two_places"),
        ),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["location.id"],
            name=op.f("fk_stock_transfer_from_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["to_location_id"],
            ["location.id"],
            name=op.f("fk_stock_transfer_to_location_id_location"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_transfer")),
        sa.UniqueConstraint("number", name=op.f("uq_stock_transfer_number")),
    )
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.create_index("ix_stock_transfer_status", ["status", "id"], unique=False)

    op.create_table(
        "stock_transfer_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_stock_transfer_line_transfer_quantity_positive")
        ),
        sa.CheckConstraint(
            "received_quantity >= 0 AND received_quantity <= quantity",
            name=op.f("ck_stock_transfer_line_transfer_received_within_quantity"),
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["stock_transfer.id"],
            name=op.f("fk_stock_transfer_line_transfer_id_stock_transfer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_transfer_line")),
        sa.UniqueConstraint("transfer_id", "sku", name="uq_stock_transfer_line_sku"),
    )
    with op.batch_alter_table("stock_transfer_line", schema=None) as batch_op:
        batch_op.create_index("ix_stock_transfer_line_sku", ["sku"], unique=False)

    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cause", sa.String(length=30), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.drop_column("cause")

    with op.batch_alter_table("stock_transfer_line", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_transfer_line_sku")

    op.drop_table("stock_transfer_line")
    with op.batch_alter_table("stock_transfer", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_transfer_status")

    op.drop_table("stock_transfer")
    with op.batch_alter_table("stock_import_line", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_import_line_import")

    op.drop_table("stock_import_line")
    op.drop_table("stock_import")
