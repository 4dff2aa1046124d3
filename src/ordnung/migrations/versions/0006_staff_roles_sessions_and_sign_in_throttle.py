"""staff roles, sessions and sign-in throttle

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 05:15:42.814343
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ordnung.core.schema_base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "last_failure_at", ordnung.core.schema_base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("kind", "subject", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_throttle_last_failure_at", ["last_failure_at"], unique=False
        )

    # Every account from before roles existed could do everything: they become admins.
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=32), server_default="admin", nullable=False)
        )
        batch_op.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("password_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column(
                "password_token_expires_at",
                ordnung.core.schema_base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_staff_user_password_token_hash"), ["password_token_hash"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_user_location_id_location"), "location", ["location_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_staff_user_location_id_location"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_staff_user_password_token_hash"), type_="unique")
        batch_op.drop_column("password_token_expires_at")
        batch_op.drop_column("password_token_hash")
        batch_op.drop_column("session_version")
        batch_op.drop_column("location_id")
        batch_op.drop_column("role")

    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index("ix_login_throttle_last_failure_at")

    op.drop_table("login_throttle")
