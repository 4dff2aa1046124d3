from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection

from ordnung.core.db import sqlalchemy_url
from ordnung.schema import metadata

config = context.config
url = sqlalchemy_url(config.get_main_option("sqlalchemy.url") or "")
connection = config.attributes.get("connection")


# Search indexes that only one backend has and no table model can declare (migration 0007):
# SQLite's FTS5 table with its shadow tables, PostgreSQL's trigram index.
_OUTSIDE_MODELS = ("order_search_fts", "ix_order_search_text_trgm")


def _is_modelled(name: str | None, _type: str, _parent: object) -> bool:
    return not (name or "").startswith(_OUTSIDE_MODELS)


def run(connection_to_use: Connection) -> None:
    context.configure(
        connection=connection_to_use,
        target_metadata=metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        include_name=_is_modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as new_connection:
        run(new_connection)
    engine.dispose()
