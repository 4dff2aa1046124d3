"""partial cancellation requests; versions for channel checks and product substitutes

A cancellation request may name units of one order line (a line cancel while a location
picks them); null names the whole fulfilment order. The channel-check settings and a
product's substitute list get a version each, for If-Match on their PUT.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_line_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("quantity", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cancellation_request_order_line_id_order_line"),
            "order_line",
            ["order_line_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_cancellation_request_units_of_one_line"),
            "(order_line_id IS NULL AND quantity IS NULL)"
            " OR (order_line_id IS NOT NULL AND quantity > 0)",
        )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("substitutes_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "channel_check_version",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channel.id"],
            name=op.f("fk_channel_check_version_channel_id_sales_channel"),
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_check_version")),
    )


def downgrade() -> None:
    op.drop_table("channel_check_version")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("substitutes_version")
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_cancellation_request_units_of_one_line"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_cancellation_request_order_line_id_order_line"), type_="foreignkey"
        )
        batch_op.drop_column("quantity")
        batch_op.drop_column("order_line_id")
