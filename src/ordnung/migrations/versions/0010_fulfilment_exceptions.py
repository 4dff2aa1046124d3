"""fulfilment exceptions: cancellation requests and short-pick reports

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-01 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, *, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cancellation_request",
        sa.Column("id", _ID, nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        _at("requested_at", nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        _at("decided_at", nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('accepted', 'declined')",
            name=op.f("ck_cancellation_request_known_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_cancellation_request_fulfillment_order_id_fulfillment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_order.id"],
            name=op.f("fk_cancellation_request_order_id_sales_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation_request")),
    )
    with op.batch_alter_table("cancellation_request", schema=None) as batch_op:
        batch_op.create_index("ix_cancellation_request_order", ["order_id"])
        batch_op.create_index(
            "uq_cancellation_request_open",
            ["fulfillment_order_id"],
            unique=True,
            sqlite_where=sa.text("decided_at IS NULL"),
            postgresql_where=sa.text("decided_at IS NULL"),
        )
    op.create_table(
        "short_pick_report",
        sa.Column("id", _ID, nullable=False),
        sa.Column("fulfillment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("resourced", sa.Integer(), nullable=False),
        sa.Column("backordered", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), server_default="", nullable=False),
        sa.Column("reported_by", sa.String(length=120), nullable=False),
        _at("reported_at", nullable=False),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=True),
        _at("acknowledged_at", nullable=True),
        sa.CheckConstraint("missing > 0", name=op.f("ck_short_pick_report_missing_positive")),
        sa.CheckConstraint(
            "resourced >= 0 AND backordered >= 0 AND resourced + backordered = missing",
            name=op.f("ck_short_pick_report_outcome_splits_missing"),
        ),
        sa.ForeignKeyConstraint(
            ["fulfillment_order_id"],
            ["fulfillment_order.id"],
            name=op.f("fk_short_pick_report_fulfillment_order_id_fulfillment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_short_pick_report_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_order.id"], name=op.f("fk_short_pick_report_order_id_sales_order")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_line.id"],
            name=op.f("fk_short_pick_report_order_line_id_order_line"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_short_pick_report")),
    )
    with op.batch_alter_table("short_pick_report", schema=None) as batch_op:
        batch_op.create_index("ix_short_pick_report_order", ["order_id"])


def downgrade() -> None:
    op.drop_table("short_pick_report")
    op.drop_table("cancellation_request")
