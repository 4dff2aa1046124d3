"""checkout holds and product stock policy

Checkout holds (inventory/checkout_holds.py): units held for a cart for a short time, with
their lines at stock positions. Product stock policy (catalog): `stock_policy` (stocked,
preorder), `allow_backorder`, `release_on`, `preorder_cap`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = ordnung.core.schema_base.UTCDateTime(timezone=True)
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stock_policy", sa.String(length=20), server_default="stocked", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("allow_backorder", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("release_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("preorder_cap", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_product_stock_policy_known"), "stock_policy IN ('stocked', 'preorder')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_product_preorder_cap_not_negative"),
            "preorder_cap IS NULL OR preorder_cap >= 0",
        )
    op.create_table(
        "checkout_hold",
        sa.Column("id", _ID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("ended_at", _WHEN, nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'converted', 'expired', 'released')",
            name=op.f("ck_checkout_hold_checkout_hold_status"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_checkout_hold_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_hold")),
    )
    op.create_index(
        "ix_checkout_hold_status_expires", "checkout_hold", ["status", "expires_at"], unique=False
    )
    op.create_table(
        "checkout_hold_line",
        sa.Column("id", _ID, nullable=False),
        sa.Column("hold_id", sa.BigInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_checkout_hold_line_checkout_hold_line_quantity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"],
            ["checkout_hold.id"],
            name=op.f("fk_checkout_hold_line_hold_id_checkout_hold"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_checkout_hold_line_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["stock_position.id"],
            name=op.f("fk_checkout_hold_line_position_id_stock_position"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_hold_line")),
    )
    op.create_index("ix_checkout_hold_line_hold", "checkout_hold_line", ["hold_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_checkout_hold_line_hold", table_name="checkout_hold_line")
    op.drop_table("checkout_hold_line")
    op.drop_index("ix_checkout_hold_status_expires", table_name="checkout_hold")
    op.drop_table("checkout_hold")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_product_preorder_cap_not_negative"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_product_stock_policy_known"), type_="check")
        batch_op.drop_column("preorder_cap")
        batch_op.drop_column("release_on")
        batch_op.drop_column("allow_backorder")
        batch_op.drop_column("stock_policy")
