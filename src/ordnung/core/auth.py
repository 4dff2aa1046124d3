"""Credentials: API keys (random tokens, stored as SHA-256) and staff passwords (argon2).

API keys are 32 random bytes, so a fast hash is safe for them and keeps every request cheap;
passwords are low-entropy, so they get argon2.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

API_KEY_PREFIX = "ord_"

# Scopes an API key can carry. `admin` implies all of them.
SCOPES: frozenset[str] = frozenset(
    {
        "orders:read",
        "orders:write",
        "catalog:read",
        "catalog:write",
        "inventory:read",
        "inventory:write",
        "channels:read",
        "channels:write",
        "fulfillment:read",
        "fulfillment:write",
        "webhooks:read",
        "webhooks:write",
        "admin",
    }
)

_password_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key or a staff user, and what they may do."""

    kind: str  # "api_key" | "staff"
    id: int
    name: str
    scopes: frozenset[str]
    # Set for keys of a 3PL or store: they may only see and work that location's orders.
    location_id: int | None = None

    @property
    def actor(self) -> str:
        """Who did it, as events and ledger rows name them (readable, not unique)."""
        return f"{self.kind}:{self.name}"

    @property
    def identity(self) -> str:
        """Who it is, uniquely: the scope of this caller's Idempotency-Keys."""
        return f"{self.kind}#{self.id}"

    def can(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def unknown_scopes(scopes: list[str]) -> list[str]:
    return sorted(set(scopes) - SCOPES)
