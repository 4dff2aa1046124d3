"""index of the order lines still waiting for stock, by SKU

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_line_waiting_sku",
            ["sku", "order_id"],
            unique=False,
            sqlite_where=sa.text("open_quantity > 0"),
            postgresql_where=sa.text("open_quantity > 0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_order_line_waiting_sku",
            sqlite_where=sa.text("open_quantity > 0"),
            postgresql_where=sa.text("open_quantity > 0"),
        )
