"""bins and pick waves

A bin per product and location (`bin_assignment`), and pick waves: fulfilment orders of one
location picked together (`pick_wave`, `pick_wave_order` with at most one open wave per
fulfilment order, `pick_wave_line` with what is picked or reported short per line).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "bin_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("bin", sa.String(length=40), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint("length(bin) > 0", name=op.f("ck_bin_assignment_bin_not_empty")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_bin_assignment_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bin_assignment")),
        sa.UniqueConstraint("location_id", "sku", name="uq_bin_assignment_location_sku"),
    )
    op.create_table(
        "pick_wave",
        sa.Column("id", _ID, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_pick_wave_known_status")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_pick_wave_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_wave")),
        sa.UniqueConstraint("number", name=op.f("uq_pick_wave_number")),
    )
    op.create_index("ix_pick_wave_location", "pick_wave", ["location_id", "id"])
    op.create_table(
        "pick_wave_order",
        sa.Column("id", _ID, nullable=False),
        sa.Column("pick_wave_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pick_wave_id"],
            ["pick_wave.id"],
            name=op.f("fk_pick_wave_order_pick_wave_id_pick_wave"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_pick_wave_order_fulfillment_order_id_fulfillment_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_wave_order")),
    )
    op.create_index("ix_pick_wave_order_wave", "pick_wave_order", ["pick_wave_id"])
    op.create_index(
        "uq_pick_wave_order_open",
        "pick_wave_order",
        ["fulfillment_order_id"],
        unique=True,
        sqlite_where=sa.text("is_open"),
        postgresql_where=sa.text("is_open"),
    )
    op.create_table(
        "pick_wave_line",
        sa.Column("id", _ID, nullable=False),
        sa.Column("pick_wave_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfillment_order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("bin", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("short_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_pick_wave_line_quantity_positive")),
        sa.CheckConstraint(
            "picked_quantity >= 0 AND short_quantity >= 0"
            " AND picked_quantity + short_quantity <= quantity",
            name=op.f("ck_pick_wave_line_settled_within_quantity"),
        ),
        sa.ForeignKeyConstraint(
            ["pick_wave_id"],
            ["pick_wave.id"],
            name=op.f("fk_pick_wave_line_pick_wave_id_pick_wave"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_pick_wave_line_fulfillment_order_id_fulfillment_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_wave_line")),
    )
    op.create_index("ix_pick_wave_line_wave", "pick_wave_line", ["pick_wave_id"])


def downgrade() -> None:
    op.drop_index("ix_pick_wave_line_wave", table_name="pick_wave_line")
    op.drop_table("pick_wave_line")
    op.drop_index("uq_pick_wave_order_open", table_name="pick_wave_order")
    op.drop_index("ix_pick_wave_order_wave", table_name="pick_wave_order")
    op.drop_table("pick_wave_order")
    op.drop_index("ix_pick_wave_location", table_name="pick_wave")
    op.drop_table("pick_wave")
    op.drop_table("bin_assignment")
