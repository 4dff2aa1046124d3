"""Alembic migrations, run by `ordnung db upgrade` (and by `demo` and `serve`)."""
