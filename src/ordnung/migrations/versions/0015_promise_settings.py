"""promise settings: per-location calendar, per-channel sell scope, availability signals

The delivery promise (promising/): each location's federal state, time zone, cut-off,
handling days and working weekdays; each channel's sell scope, store buffer and safety-stock
handling; and the SKUs whose availability awaits a (debounced) `availability.changed`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "availability_signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("is_pending", sa.Boolean(), nullable=False),
        sa.Column(
            "changed_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "announced_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_signal")),
        sa.UniqueConstraint("sku", name=op.f("uq_availability_signal_sku")),
    )
    with op.batch_alter_table("availability_signal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_availability_signal_pending", ["is_pending", "announced_at"], unique=False
        )

    op.create_table(
        "channel_sell_scope",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("location_ids", sa.JSON(), nullable=False),
        sa.Column("store_buffer", sa.Integer(), nullable=False),
        sa.Column("is_safety_stock_held", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "store_buffer >= 0", name=op.f("ck_channel_sell_scope_store_buffer_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channel.id"],
            name=op.f("fk_channel_sell_scope_channel_id_sales_channel"),
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_sell_scope")),
    )
    op.create_table(
        "location_promise_setting",
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("federal_state", sa.String(length=2), server_default="", nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("cutoff", sa.String(length=5), nullable=False),
        sa.Column("handling_days", sa.Integer(), nullable=False),
        sa.Column("working_weekdays", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "handling_days >= 0",
            name=op.f("ck_location_promise_setting_handling_days_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_location_promise_setting_location_id_location"),
        ),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_location_promise_setting")),
    )


def downgrade() -> None:
    op.drop_table("location_promise_setting")
    op.drop_table("channel_sell_scope")
    with op.batch_alter_table("availability_signal", schema=None) as batch_op:
        batch_op.drop_index("ix_availability_signal_pending")

    op.drop_table("availability_signal")
