"""click & collect: pickups

One row per fulfilment order a customer collects at a store: the pickup code once the store
has it ready, the deadline, wrong-code tries, when it was collected or expired
(docs/click-and-collect.md).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pickup",
        sa.Column("id", _ID, nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("ready_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("wrong_codes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("picked_up_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("picked_up_by", sa.String(length=120), nullable=True),
        sa.Column("expired_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("wrong_codes >= 0", name=op.f("ck_pickup_wrong_codes_not_negative")),
        sa.CheckConstraint(
            "(code IS NULL AND ready_at IS NULL AND expires_at IS NULL)"
            " OR (code IS NOT NULL AND ready_at IS NOT NULL AND expires_at IS NOT NULL)",
            name=op.f("ck_pickup_ready_with_code_and_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_pickup_fulfillment_order_id_fulfillment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_pickup_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_order.id"], name=op.f("fk_pickup_order_id_sales_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup")),
        sa.UniqueConstraint("fulfillment_order_id", name=op.f("uq_pickup_fulfillment_order_id")),
    )
    op.create_index("ix_pickup_expires", "pickup", ["expires_at"], unique=False)
    op.create_index("ix_pickup_location", "pickup", ["location_id"], unique=False)
    op.create_index(
        "uq_pickup_location_code",
        "pickup",
        ["location_id", "code"],
        unique=True,
        sqlite_where=sa.text("code IS NOT NULL"),
        postgresql_where=sa.text("code IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_pickup_location_code", table_name="pickup")
    op.drop_index("ix_pickup_location", table_name="pickup")
    op.drop_index("ix_pickup_expires", table_name="pickup")
    op.drop_table("pickup")
