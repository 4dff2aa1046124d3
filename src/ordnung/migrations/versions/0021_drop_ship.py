"""drop-ship purchase orders

A supplier's drop-ship location (`supplier.dropship_location_id`, unique). Purchase orders
get a kind (`stock`, `dropship`); a drop-ship one names its order and fulfilment order (unique:
one purchase order per fulfilment order), carries the ship-to snapshot, an expected ship date
and, once shipped, carrier and tracking number. New status `shipped`.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = ordnung.core.schema_base.UTCDateTime(timezone=True)
_OLD_STATUSES = "('draft', 'sent', 'confirmed', 'partially_received', 'received', 'cancelled')"
_NEW_STATUSES = (
    "('draft', 'sent', 'confirmed', 'partially_received', 'received', 'shipped', 'cancelled')"
)


def upgrade() -> None:
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dropship_location_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_supplier_dropship_location_id"), ["dropship_location_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_supplier_dropship_location_id_location"),
            "location",
            ["dropship_location_id"],
            ["id"],
        )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), server_default="stock", nullable=False)
        )
        batch_op.add_column(sa.Column("order_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("order_number", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("ship_to", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("expected_ship_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("carrier", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("tracking_number", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("shipped_at", _WHEN, nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_purchase_order_known_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_purchase_order_known_status"), f"status IN {_NEW_STATUSES}"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_purchase_order_known_kind"), "kind IN ('stock', 'dropship')"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_purchase_order_dropship_has_fulfillment_order"),
            "kind = 'stock' OR (fulfillment_order_id IS NOT NULL AND ship_to IS NOT NULL)",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_purchase_order_fulfillment_order_id"), ["fulfillment_order_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_purchase_order_order_id_sales_order"),
            "sales_order",
            ["order_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_purchase_order_fulfillment_order_id_fulfillment_order"),
            "fulfillment_order",
            ["fulfillment_order_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_purchase_order_order"), ["order_id"], unique=False)


def downgrade() -> None:
    op.execute(
        "DELETE FROM purchase_receipt WHERE purchase_order_id IN"
        " (SELECT id FROM purchase_order WHERE kind = 'dropship')"
    )
    op.execute(
        "DELETE FROM purchase_order_line WHERE purchase_order_id IN"
        " (SELECT id FROM purchase_order WHERE kind = 'dropship')"
    )
    op.execute("DELETE FROM purchase_order WHERE kind = 'dropship'")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_order"))
        batch_op.drop_constraint(
            batch_op.f("fk_purchase_order_fulfillment_order_id_fulfillment_order"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_purchase_order_order_id_sales_order"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_purchase_order_fulfillment_order_id"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("ck_purchase_order_dropship_has_fulfillment_order"), type_="check"
        )
        batch_op.drop_constraint(batch_op.f("ck_purchase_order_known_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_purchase_order_known_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_purchase_order_known_status"), f"status IN {_OLD_STATUSES}"
        )
        for column in (
            "shipped_at",
            "tracking_number",
            "carrier",
            "expected_ship_on",
            "ship_to",
            "fulfillment_order_id",
            "order_number",
            "order_id",
            "kind",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_supplier_dropship_location_id_location"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_supplier_dropship_location_id"), type_="unique")
        batch_op.drop_column("dropship_location_id")
