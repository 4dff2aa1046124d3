"""Running Alembic from code, without an alembic.ini on disk."""

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("ordnung") / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade_database(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def check_database(database_url: str) -> None:
    """Raises if the models and the migrations disagree (run by the test suite)."""
    command.check(alembic_config(database_url))


def schema_problem(engine: Engine, database_url: str) -> str | None:
    """What keeps this code from working on the database's schema, in words that say what to
    do; None when the schema is the one the migrations end in."""
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    scripts = ScriptDirectory.from_config(alembic_config(database_url))
    heads = set(scripts.get_heads())
    if current == heads:
        return None
    if not current:
        return (
            "the database has no Ordnung tables yet: run `ordnung db upgrade` "
            "(or `ordnung init` to set up a new installation)"
        )
    known = {script.revision for script in scripts.walk_revisions()}
    if not current <= known:
        return (
            f"the database is at schema {', '.join(sorted(current))}, which this version of "
            "Ordnung does not know: it was migrated by a newer version; run that version"
        )
    return (
        f"the database is at schema {', '.join(sorted(current))}, this version needs "
        f"{', '.join(sorted(heads))}: run `ordnung db upgrade`"
    )
