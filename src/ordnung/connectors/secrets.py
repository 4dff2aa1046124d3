"""A connection's secrets (webhook secret, API credentials): kept encrypted with Fernet
under a key derived from ORDNUNG_SECRET_KEY, or kept as a reference `env:NAME` to an
environment variable. Never handed back: callers see only whether each is set."""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken

from ordnung.connectors.model import env_reference
from ordnung.core.errors import ConflictError, ValidationError

# The back office's demo default (core/settings.py): a secret sealed under it would be
# readable by anyone with the source, so it counts as no key at all.
DEMO_SECRET_KEY = "ordnung-demo-secret-change-me"


class MissingSecretKeyError(ConflictError):
    type_slug = "secret-key-missing"
    title = "No key to encrypt secrets with"


def _fernet(secret_key: str | None) -> Fernet:
    if not secret_key or secret_key == DEMO_SECRET_KEY:
        raise MissingSecretKeyError(
            "Secrets are stored encrypted, and ORDNUNG_SECRET_KEY is not set: set it, or "
            "store the secret as a reference env:NAME to an environment variable."
        )
    # Fernet wants 32 bytes; the setting is any text, so it is hashed (with a label, so the
    # same setting signing cookies never yields the same bytes as this key).
    digest = hashlib.sha256(b"ordnung.connectors.secrets\x00" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value: str, secret_key: str | None) -> dict[str, str]:
    """How a secret is stored: `{"env": NAME}` for a reference, else `{"sealed": token}`."""
    value = value.strip()
    if not value:
        raise ValidationError("An empty secret; leave the field out to keep the one set.")
    if len(value) > 2000:
        raise ValidationError("A secret of at most 2000 characters.")
    name = env_reference(value)
    if name is not None:
        return {"env": name}
    if value.startswith("env:"):
        raise ValidationError("env: is followed by an environment variable's NAME in capitals.")
    return {"sealed": _fernet(secret_key).encrypt(value.encode()).decode()}


def unseal(stored: dict[str, str] | None, secret_key: str | None) -> str | None:
    """The secret's value, or None when it is not set (or its variable is empty)."""
    if not stored:
        return None
    if "env" in stored:
        return os.environ.get(stored["env"]) or None
    try:
        return _fernet(secret_key).decrypt(stored["sealed"].encode()).decode()
    except InvalidToken:
        # ORDNUNG_SECRET_KEY changed since it was sealed: as good as unset, and said so.
        return None


def describe(stored: dict[str, str] | None) -> str:
    """What a person or client may see of a secret: unset, set, or the variable's name."""
    if not stored:
        return "unset"
    return f"env:{stored['env']}" if "env" in stored else "set"
