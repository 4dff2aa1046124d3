"""Running Alembic from code, without an alembic.ini on disk."""

from importlib.resources import files

from alembic import command
from alembic.config import Config


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
