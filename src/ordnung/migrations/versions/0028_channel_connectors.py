"""channel connectors: connections to shop platforms, the import queue, SKU mappings

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0028"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "channel_connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_code", sa.String(length=40), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("secrets", sa.JSON(), nullable=False),
        sa.Column("pull_cursor", sa.String(length=40), nullable=True),
        sa.Column("pulled_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_code"),
    )
    op.create_table(
        "inbound_payload",
        sa.Column("id", _ID, nullable=False),
        sa.Column("channel_code", sa.String(length=40), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=True),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fixed_body", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("error_field", sa.String(length=200), nullable=True),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_inbound_payload_channel_status", "inbound_payload", ["channel_code", "status", "id"]
    )
    op.create_index("ix_inbound_payload_status", "inbound_payload", ["status", "id"])
    op.create_index(
        "ix_inbound_payload_delivery", "inbound_payload", ["channel_code", "delivery_id"]
    )
    op.create_table(
        "channel_sku_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_code", sa.String(length=40), nullable=False),
        sa.Column("platform_sku", sa.String(length=200), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_code", "platform_sku", name="uq_channel_sku_mapping"),
    )


def downgrade() -> None:
    op.drop_table("channel_sku_mapping")
    op.drop_index("ix_inbound_payload_delivery", table_name="inbound_payload")
    op.drop_index("ix_inbound_payload_status", table_name="inbound_payload")
    op.drop_index("ix_inbound_payload_channel_status", table_name="inbound_payload")
    op.drop_table("inbound_payload")
    op.drop_table("channel_connection")
