"""Settings from `ORDNUNG_*` environment variables (documented in the README)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The databases Ordnung runs on (design.md §6); everything else is refused at start-up.
SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ORDNUNG_", extra="ignore")

    database_url: str = "sqlite:///./ordnung.db"
    # Signs the back-office session cookie. The default is only for the demo;
    # `ordnung serve` refuses to start with it unless ORDNUNG_ALLOW_DEMO_SECRET is set.
    secret_key: str = "ordnung-demo-secret-change-me"
    allow_demo_secret: bool = False
    # SQLite only. FULL syncs the WAL to disk at every commit, so an acknowledged order
    # survives a power cut; NORMAL survives a crash of the app but not of the machine,
    # and is about ten times cheaper per commit (see README, Benchmarks).
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    # Requests served at once per worker process (the thread pool that runs blocking
    # database work); matches the connection pool, as more threads would only queue there.
    request_threads: int = 16
    # Most orders one intake transaction takes: orders that arrive while one batch is being
    # committed are stored together in the next (group commit); 1 turns batching off.
    intake_batch_size: int = Field(default=64, ge=1, le=1000)
    # Request bodies above this size are refused with 413 before they are parsed.
    max_body_bytes: int = 256 * 1024
    # Webhooks to loopback/private addresses are refused unless this is set (SSRF guard).
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = 10.0
    worker_poll_seconds: float = 0.5
    # At most one `availability.changed` per SKU per this many seconds (debounce).
    availability_event_seconds: float = 30.0
    default_language: str = "de"
    # Back-office sessions end after this long without a request, and this long after
    # signing in whatever happens; the session cookie is Secure over HTTPS, and always when
    # `behind_tls_proxy` says a proxy terminates TLS in front of the app.
    session_idle_seconds: int = Field(default=2 * 60 * 60, ge=60)
    session_max_seconds: int = Field(default=14 * 60 * 60, ge=60)
    behind_tls_proxy: bool = False
    # Sign-in throttle: after this many failed sign-ins for one account (or from one client
    # address), the next attempt waits `login_first_lock_seconds`, doubling with every further
    # failure up to `login_longest_lock_seconds`.
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=30, ge=1)
    login_first_lock_seconds: int = Field(default=60, ge=1)
    login_longest_lock_seconds: int = Field(default=15 * 60, ge=1)
    # Password hashes (argon2, 64 MiB each) one process computes at once; more sign-ins at the
    # same moment are answered 429 instead of queuing.
    password_hash_slots: int = Field(default=2, ge=1, le=64)
    # Page size limits for list endpoints.
    max_page_size: int = 200
    # Click & collect: days a customer has to collect an order once the store has it ready;
    # after that the worker cancels it and its stock goes back (docs/click-and-collect.md).
    pickup_days: int = Field(default=7, ge=1, le=90)

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str) -> str:
        scheme = url.partition("://")[0] if "://" in url else ""
        if scheme not in SUPPORTED_DATABASE_SCHEMES:
            raise ValueError(
                f"unsupported database {scheme or url!r}: use "
                "sqlite:///path/to/ordnung.db or postgresql://user@host:5432/name"
            )
        return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
