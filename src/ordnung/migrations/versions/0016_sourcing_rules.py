"""sourcing rules: versioned rules per channel, and the decision taken for each order

Sourcing (sourcing/): each edit of a channel's rules is a version (draft, active, retired;
one active per channel); each sourced order keeps why it went where (candidates, dropped
locations, allocation, cost); fulfilment orders indexed by creation (daily capacity).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:39:38.416878
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.create_index("ix_fulfillment_order_created", ["created_at"], unique=False)

    op.create_table(
        "sourcing_rule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column(
            "activated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'retired')",
            name=op.f("ck_sourcing_rule_version_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channel.id"],
            name=op.f("fk_sourcing_rule_version_channel_id_sales_channel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sourcing_rule_version")),
    )
    with op.batch_alter_table("sourcing_rule_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sourcing_rule_version_status", ["status", "channel_id"], unique=False
        )
        batch_op.create_index(
            "uq_sourcing_rule_version_active",
            ["channel_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.create_index(
            "uq_sourcing_rule_version_number", ["channel_id", "number"], unique=True
        )

    op.create_table(
        "sourcing_decision",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column(
            "decided_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_order.id"], name=op.f("fk_sourcing_decision_order_id_sales_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sourcing_decision")),
    )
    with op.batch_alter_table("sourcing_decision", schema=None) as batch_op:
        batch_op.create_index("ix_sourcing_decision_order", ["order_id", "id"], unique=False)
        batch_op.create_index("ix_sourcing_decision_outcome", ["outcome", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.drop_index("ix_fulfillment_order_created")

    with op.batch_alter_table("sourcing_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_sourcing_decision_outcome")
        batch_op.drop_index("ix_sourcing_decision_order")

    op.drop_table("sourcing_decision")
    with op.batch_alter_table("sourcing_rule_version", schema=None) as batch_op:
        batch_op.drop_index("uq_sourcing_rule_version_number")
        batch_op.drop_index(
            "uq_sourcing_rule_version_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index("ix_sourcing_rule_version_status")

    op.drop_table("sourcing_rule_version")
