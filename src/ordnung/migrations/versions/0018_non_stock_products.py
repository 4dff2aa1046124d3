"""non-stock products

A product's `stock_policy` may be `non_stock` (services, digital goods, made to order): it
is never reserved, never backordered and has no stock ledger. Its units still travel in a
fulfilment order (they ride along with the order's parcel), on a fulfilment order line
without a stock position — so `fulfillment_order_line.position_id` may be NULL, and every
path that moves stock for a line skips a line without one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite cannot alter a check constraint or a column's nullability: batch mode rebuilds
    # the table (render_as_batch in env.py), as 0017 did for the same constraint.
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_product_stock_policy_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_product_stock_policy_known"),
            "stock_policy IN ('stocked', 'preorder', 'non_stock')",
        )
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.alter_column("position_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Refused rather than guessed: non-stock products and their position-less fulfilment
    # lines have no stocked equivalent to turn back into.
    connection = op.get_bind()
    products = connection.execute(
        sa.text("SELECT count(*) FROM product WHERE stock_policy = 'non_stock'")
    ).scalar_one()
    lines = connection.execute(
        sa.text("SELECT count(*) FROM fulfillment_order_line WHERE position_id IS NULL")
    ).scalar_one()
    if products or lines:
        raise RuntimeError(
            f"{products} non-stock products and {lines} fulfilment lines without a stock "
            "position exist; change them before downgrading below 0018."
        )
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.alter_column("position_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_product_stock_policy_known"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_product_stock_policy_known"), "stock_policy IN ('stocked', 'preorder')"
        )
