"""Tables of the staff capability beside the accounts themselves (those live in
`ordnung.core.tables`, which the API's key check reads): the sign-in throttle."""

from sqlalchemy import Column, Index, Integer, String, Table

from ordnung.core.schema_base import UTCDateTime, metadata

# Failed sign-ins per account (the e-mail typed, whether or not it exists) and per client
# address. In the database rather than in memory so the limit holds across every worker
# process and machine serving the back office.
login_throttle_table = Table(
    "login_throttle",
    metadata,
    Column("kind", String(16), primary_key=True),  # "account" | "address"
    Column("subject", String(254), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", UTCDateTime, nullable=False),
    Index("ix_login_throttle_last_failure_at", "last_failure_at"),
)
