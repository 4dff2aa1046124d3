from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection

from ordnung.core.db import sqlalchemy_url
from ordnung.schema import metadata

config = context.config
url = sqlalchemy_url(config.get_main_option("sqlalchemy.url") or "")
connection = config.attributes.get("connection")


def run(connection_to_use: Connection) -> None:
    context.configure(
        connection=connection_to_use,
        target_metadata=metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
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
