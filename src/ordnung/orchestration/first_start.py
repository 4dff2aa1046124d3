"""The first start of an empty installation: the first admin, the first sales channel and the
first location, in one transaction — either all three exist afterwards or none does.

It runs only while no staff account exists; two first starts at once make one admin (the
second is refused, see `staff.service.add_first_admin`). The back office's setup page and
`ordnung init` both call it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ordnung.channels.model import ChannelDraft, check_channel
from ordnung.channels.service import add_channel
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, ValidationError
from ordnung.inventory.locations import add_location
from ordnung.inventory.model import LocationDraft, check_location
from ordnung.staff.model import ADMIN, NewStaffUser
from ordnung.staff.queries import has_staff_users
from ordnung.staff.service import ALREADY_SET_UP, add_first_admin, prepare_account


@dataclass(frozen=True, slots=True)
class FirstStart:
    admin: NewStaffUser
    channel: ChannelDraft
    location: LocationDraft


@dataclass(frozen=True, slots=True)
class Installation:
    admin_id: int
    admin_email: str
    channel_code: str
    location_code: str


def set_up_installation(db: Database, setup: FirstStart) -> Installation:
    """Creates the first admin (with the password given), channel and location."""
    if setup.admin.password is None:
        raise ValidationError("The first admin needs a password.", field="password")
    # Every field is checked before anything is hashed or written.
    channel = check_channel(setup.channel)
    location = check_location(setup.location)
    if has_staff_users(db):
        raise ConflictError(ALREADY_SET_UP)
    # Hashed outside the transaction: argon2 is slow on purpose and must not hold a lock.
    admin = prepare_account(replace(setup.admin, role=ADMIN, location_code=None))

    def work(uow: UnitOfWork) -> Installation:
        admin_id = add_first_admin(uow, admin)
        add_channel(uow, channel)
        add_location(uow, location)
        return Installation(admin_id, admin.email, channel.code, location.code)

    return db.write(work, actor=f"staff:{admin.email}")
