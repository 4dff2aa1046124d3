"""returned parcels: shipments that came back to the location they left from

A parcel refused or returned to sender waits in its location's queue until each unit is
restocked or written off; one parcel per shipment (unique shipment id).

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-01 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "returned_parcel",
        sa.Column("id", _ID, nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=300), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_by", sa.String(length=120), nullable=True),
        sa.Column("processed_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('waiting', 'processed')", name=op.f("ck_returned_parcel_known_status")
        ),
        sa.CheckConstraint(
            "(status = 'waiting' AND processed_at IS NULL)"
            " OR (status = 'processed' AND processed_at IS NOT NULL)",
            name=op.f("ck_returned_parcel_processed_has_time"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipment.id"], name=op.f("fk_returned_parcel_shipment_id_shipment")
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_returned_parcel_fulfillment_order_id_fulfillment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_order.id"], name=op.f("fk_returned_parcel_order_id_sales_order")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_returned_parcel_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returned_parcel")),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_returned_parcel_shipment_id")),
    )
    op.create_index(
        "ix_returned_parcel_location_status", "returned_parcel", ["location_id", "status"]
    )
    op.create_index("ix_returned_parcel_order", "returned_parcel", ["order_id"])
    op.create_table(
        "returned_parcel_line",
        sa.Column("id", _ID, nullable=False),
        sa.Column("returned_parcel_id", sa.BigInteger(), nullable=False),
        sa.Column("shipment_line_id", sa.BigInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("restocked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("written_off", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("units > 0", name=op.f("ck_returned_parcel_line_units_positive")),
        sa.CheckConstraint(
            "restocked >= 0 AND written_off >= 0 AND restocked + written_off <= units",
            name=op.f("ck_returned_parcel_line_settled_within_units"),
        ),
        sa.ForeignKeyConstraint(
            ["returned_parcel_id"],
            ["returned_parcel.id"],
            name=op.f("fk_returned_parcel_line_returned_parcel_id_returned_parcel"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_line_id"],
            ["shipment_line.id"],
            name=op.f("fk_returned_parcel_line_shipment_line_id_shipment_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returned_parcel_line")),
    )
    op.create_index(
        "ix_returned_parcel_line_parcel", "returned_parcel_line", ["returned_parcel_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_returned_parcel_line_parcel", table_name="returned_parcel_line")
    op.drop_table("returned_parcel_line")
    op.drop_index("ix_returned_parcel_order", table_name="returned_parcel")
    op.drop_index("ix_returned_parcel_location_status", table_name="returned_parcel")
    op.drop_table("returned_parcel")
