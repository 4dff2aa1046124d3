"""order line dates: requested and promised

Each order line keeps the delivery date its channel asked for (`requested_delivery_on`, as
sent) and the ship and delivery dates Ordnung promised when sourcing placed its units
(`promised_ship_on`, `promised_delivery_on`; docs/promise.md). All three may be empty.

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requested_delivery_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("promised_ship_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("promised_delivery_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_column("promised_delivery_on")
        batch_op.drop_column("promised_ship_on")
        batch_op.drop_column("requested_delivery_on")
