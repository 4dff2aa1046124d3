"""fulfilment orders carry their order's number

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_number", sa.String(length=32), nullable=True))
    # Order numbers never change, so the copy is filled once from the order.
    op.execute(
        "UPDATE fulfillment_order SET order_number ="
        " (SELECT number FROM sales_order WHERE sales_order.id = fulfillment_order.order_id)"
    )
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.alter_column("order_number", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.drop_column("order_number")
