"""Back-office accounts of every role, and signing in as one of them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ordnung.core.db import Database
from ordnung.staff.model import NewStaffUser
from ordnung.staff.service import add_staff_user
from tests.web.conftest import log_in

PASSWORD = "richtig-langes-passwort"


def email_of(role: str) -> str:
    return f"{role.replace('_', '-')}@example.de"


def add_account(db: Database, role: str, location: str | None = None) -> int:
    """An account named after its role (`warehouse@example.de`, …) with `PASSWORD`."""
    name = role.replace("_", " ").title()
    new = NewStaffUser(email_of(role), name, "de", role, location, PASSWORD)
    return add_staff_user(db, new).id


def sign_in_as(client: TestClient, db: Database, role: str, location: str | None = None) -> int:
    staff_id = add_account(db, role, location)
    log_in(client, email_of(role), PASSWORD)
    return staff_id
