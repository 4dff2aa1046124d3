"""fulfilment order details: what a location needs to ship, copied at release

An order gets its service level, priority and gift note (sent by the channel at intake). A
fulfilment order gets a copy of what its location needs to ship without reading the order:
ship-to address, contact e-mail, shipping method, service level, priority, gift note and the
promised ship date (the earliest of its lines'); its lines get the product's name, GTIN and
weight per unit. Why a copy and not a join: `fulfillment/queue.py`.

Existing rows are filled set-wise from the orders, order lines and products they came from.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL_ORDERS = """
UPDATE fulfillment_order SET
    ship_to = (SELECT o.shipping_address FROM sales_order o WHERE o.id = fulfillment_order.order_id),
    contact_email = (SELECT o.email FROM sales_order o WHERE o.id = fulfillment_order.order_id),
    shipping_method = (
        SELECT o.shipping_method FROM sales_order o WHERE o.id = fulfillment_order.order_id
    ),
    promised_ship_on = (
        SELECT MIN(ol.promised_ship_on)
        FROM fulfillment_order_line fl JOIN order_line ol ON ol.id = fl.order_line_id
        WHERE fl.fulfillment_order_id = fulfillment_order.id
    )
"""

_BACKFILL_LINES = """
UPDATE fulfillment_order_line SET
    name = (SELECT ol.name FROM order_line ol WHERE ol.id = fulfillment_order_line.order_line_id),
    gtin = (SELECT p.gtin FROM product p WHERE p.sku = fulfillment_order_line.sku),
    weight_grams = (SELECT p.weight_grams FROM product p WHERE p.sku = fulfillment_order_line.sku)
"""


def upgrade() -> None:
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "service_level", sa.String(length=16), server_default="standard", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("priority", sa.String(length=16), server_default="normal", nullable=False)
        )
        batch_op.add_column(sa.Column("gift_note", sa.String(length=500), nullable=True))
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ship_to", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column("shipping_method", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "service_level", sa.String(length=16), server_default="standard", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("priority", sa.String(length=16), server_default="normal", nullable=False)
        )
        batch_op.add_column(sa.Column("gift_note", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("promised_ship_on", sa.Date(), nullable=True))
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("gtin", sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column("weight_grams", sa.Integer(), nullable=True))
    op.execute(_BACKFILL_ORDERS)
    op.execute(_BACKFILL_LINES)


def downgrade() -> None:
    with op.batch_alter_table("fulfillment_order_line", schema=None) as batch_op:
        batch_op.drop_column("weight_grams")
        batch_op.drop_column("gtin")
        batch_op.drop_column("name")
    with op.batch_alter_table("fulfillment_order", schema=None) as batch_op:
        batch_op.drop_column("promised_ship_on")
        batch_op.drop_column("gift_note")
        batch_op.drop_column("priority")
        batch_op.drop_column("service_level")
        batch_op.drop_column("shipping_method")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("ship_to")
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.drop_column("gift_note")
        batch_op.drop_column("priority")
        batch_op.drop_column("service_level")
