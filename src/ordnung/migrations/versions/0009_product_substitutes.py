"""product substitutes

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_substitute",
        sa.Column("product_sku", sa.String(length=64), nullable=False),
        sa.Column("substitute_sku", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "product_sku <> substitute_sku", name=op.f("ck_product_substitute_not_itself")
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_product_substitute_rank_positive")),
        sa.ForeignKeyConstraint(
            ["product_sku"],
            ["product.sku"],
            name=op.f("fk_product_substitute_product_sku_product"),
        ),
        sa.ForeignKeyConstraint(
            ["substitute_sku"],
            ["product.sku"],
            name=op.f("fk_product_substitute_substitute_sku_product"),
        ),
        sa.PrimaryKeyConstraint(
            "product_sku", "substitute_sku", name=op.f("pk_product_substitute")
        ),
        sa.UniqueConstraint("product_sku", "rank", name="uq_product_substitute_rank"),
    )


def downgrade() -> None:
    op.drop_table("product_substitute")
