"""order search keys (trigram indexes), order tags and staff comments

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from ordnung.core.schema_base import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")

# SQLite: an FTS5 trigram index over order_search.text, kept in step by triggers (external
# content: the text is stored once, in order_search).
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE order_search_fts USING fts5("
    "text, content='order_search', content_rowid='order_id', tokenize='trigram')",
    "CREATE TRIGGER order_search_added AFTER INSERT ON order_search BEGIN"
    " INSERT INTO order_search_fts(rowid, text) VALUES (new.order_id, new.text); END",
    "CREATE TRIGGER order_search_removed AFTER DELETE ON order_search BEGIN"
    " INSERT INTO order_search_fts(order_search_fts, rowid, text)"
    " VALUES ('delete', old.order_id, old.text); END",
    "CREATE TRIGGER order_search_changed AFTER UPDATE ON order_search BEGIN"
    " INSERT INTO order_search_fts(order_search_fts, rowid, text)"
    " VALUES ('delete', old.order_id, old.text);"
    " INSERT INTO order_search_fts(rowid, text) VALUES (new.order_id, new.text); END",
)
_BATCH = 5000


def upgrade() -> None:
    op.create_table(
        "order_search",
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "order_tag",
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"]),
        sa.PrimaryKeyConstraint("order_id", "tag"),
    )
    op.create_index("ix_order_tag_tag", "order_tag", ["tag", "order_id"], unique=False)
    op.create_table(
        "order_comment",
        sa.Column("id", _ID, nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_comment_order", "order_comment", ["order_id", "id"], unique=False)
    op.create_index(
        "ix_sales_order_channel_created",
        "sales_order",
        ["channel_id", "created_at", "id"],
        unique=False,
    )
    _create_text_index()
    _backfill()


def _create_text_index() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_order_search_text_trgm ON order_search USING gin (text gin_trgm_ops)"
        )
    else:
        for statement in _SQLITE_FTS:
            op.execute(statement)


def _backfill() -> None:
    """Search keys for the orders there are, a batch at a time (`ordnung db reindex-search`
    rebuilds them with progress shown, for very large tables)."""
    from ordnung.orders.search_index import all_order_ids, reindex_orders

    connection = op.get_bind()
    after = 0
    while ids := all_order_ids(connection, after, _BATCH):
        reindex_orders(connection, ids)
        after = ids[-1]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_order_search_text_trgm")
    else:
        for trigger in ("order_search_added", "order_search_removed", "order_search_changed"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS order_search_fts")
    op.drop_index("ix_sales_order_channel_created", table_name="sales_order")
    op.drop_index("ix_order_comment_order", table_name="order_comment")
    op.drop_table("order_comment")
    op.drop_index("ix_order_tag_tag", table_name="order_tag")
    op.drop_table("order_tag")
    op.drop_table("order_search")
