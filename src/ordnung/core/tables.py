"""Tables of the shared kernel: outbox/timeline events, idempotency keys, credentials, counters."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from ordnung.core.schema_base import UTCDateTime, metadata

# The outbox and the order timeline in one append-only table: the worker reads undispatched
# rows, agents read an order's rows. `dispatched_at` is the only column ever updated.
domain_event_table = Table(
    "domain_event",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("aggregate_type", String(32), nullable=False),
    Column("aggregate_id", BigInteger, nullable=False),
    Column("order_id", BigInteger, nullable=True),
    Column("actor", String(120), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("dispatched_at", UTCDateTime, nullable=True),
    Index("ix_domain_event_order", "order_id", "id"),
    Index(
        "ix_domain_event_undispatched",
        "id",
        sqlite_where=text("dispatched_at IS NULL"),
        postgresql_where=text("dispatched_at IS NULL"),
    ),
)

# Stripe-style idempotency: claimed inside the transaction that does the work, so a
# replay either finds the finished answer or waits for the first request to finish.
idempotency_key_table = Table(
    "idempotency_key",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("scope", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime, nullable=True),
    UniqueConstraint("scope", "key", name="uq_idempotency_key_scope_key"),
    Index("ix_idempotency_key_created_at", "created_at"),
)

api_key_table = Table(
    "api_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scopes", JSON, nullable=False),
    # A key bound to a location (a 3PL, a store) sees only that location's fulfilment orders.
    Column("location_id", Integer, ForeignKey("location.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

staff_user_table = Table(
    "staff_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("language", String(5), nullable=False, server_default="de"),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UTCDateTime, nullable=False),
    # Accounts from before roles existed could do everything: they became admins.
    Column("role", String(32), nullable=False, server_default="admin"),
    # A warehouse, store or 3PL worker sees only this location's fulfilment orders.
    Column("location_id", Integer, ForeignKey("location.id"), nullable=True),
    # Raised by a password change or deactivation: every session that carries an older
    # value ends at its next request.
    Column("session_version", Integer, nullable=False, server_default="0"),
    # A one-time link to set the password (invitation or reset), stored as SHA-256 only.
    Column("password_token_hash", String(64), nullable=True, unique=True),
    Column("password_token_expires_at", UTCDateTime, nullable=True),
)

# Named counters for human numbers (order numbers). On PostgreSQL order numbers come from a
# sequence instead, so concurrent intake does not queue on one hot row.
counter_table = Table(
    "counter",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
