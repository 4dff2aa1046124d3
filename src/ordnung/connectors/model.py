"""A channel's connection to its shop platform and the import queue's states. Pure Python.

Each platform is one mapper module, one signature check and one pull adapter, named in
`platforms.py`; the rules here hold for all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ordnung.core.errors import OrdnungError, ValidationError

PLATFORMS = ("shopify", "woocommerce")
PRICE_MODES = ("gross", "net")
SECRET_NAMES = ("webhook_secret", "api_key", "api_secret")

# What became of an inbound payload. `received`: stored, not yet mapped (a crash between
# storing and mapping leaves it so, and a replay takes it on).
IMPORT_STATUSES = ("received", "imported", "failed", "duplicate", "ignored")

_ENV_REFERENCE = re.compile(r"^env:([A-Z_][A-Z0-9_]{0,63})$")
_MAP_KEY = re.compile(r"^[^\x00-\x1f]{1,100}$")
_METHOD = re.compile(r"^[A-Za-z0-9_.:-]{1,32}$")


class MappingError(OrdnungError):
    """A payload that cannot become an order as it is: kept in the import queue with this
    message and the path of the field (in the platform's payload) that needs a fix."""

    type_slug = "mapping-error"
    status = 422
    title = "The payload cannot be mapped to an order"

    def __init__(self, detail: str, *, path: str) -> None:
        super().__init__(f"{path}: {detail}", field=path)
        self.path = path


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """What a platform does not say itself, per channel.

    `price_mode` applies where the payload does not say whether prices include tax;
    `payment_methods` and `shipping_methods` map the platform's gateway and shipping-line
    codes to Ordnung's names (an unmapped code is taken as it is, trimmed to a valid name)."""

    shop_url: str = ""
    price_mode: str = "gross"
    payment_methods: dict[str, str] = field(default_factory=dict)
    shipping_methods: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "shop_url": self.shop_url,
            "price_mode": self.price_mode,
            "payment_methods": dict(self.payment_methods),
            "shipping_methods": dict(self.shipping_methods),
        }


def check_platform(platform: str) -> str:
    if platform not in PLATFORMS:
        raise ValidationError(
            f"Unknown platform {platform!r}; known: {', '.join(PLATFORMS)}.", field="platform"
        )
    return platform


def check_settings(raw: dict[str, Any]) -> ConnectionSettings:
    """Settings as a person or a client sent them, checked field by field."""
    shop_url = str(raw.get("shop_url") or "").strip()
    if shop_url and not re.fullmatch(r"https?://[^\s/$.?#][^\s]{0,250}", shop_url):
        raise ValidationError(
            "The shop address must start with http:// or https://.", field="settings.shop_url"
        )
    price_mode = str(raw.get("price_mode") or "gross")
    if price_mode not in PRICE_MODES:
        raise ValidationError("The price mode is gross or net.", field="settings.price_mode")
    return ConnectionSettings(
        shop_url=shop_url.rstrip("/"),
        price_mode=price_mode,
        payment_methods=_method_map(raw.get("payment_methods"), "settings.payment_methods"),
        shipping_methods=_method_map(raw.get("shipping_methods"), "settings.shipping_methods"),
    )


def _method_map(raw: object, path: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError("A mapping of platform code to Ordnung name.", field=path)
    mapped: dict[str, str] = {}
    for key, value in raw.items():
        if not (isinstance(key, str) and _MAP_KEY.fullmatch(key)):
            raise ValidationError(f"{key!r} is no platform code.", field=path)
        if not (isinstance(value, str) and _METHOD.fullmatch(value)):
            raise ValidationError(
                f"{value!r} is no method name (letters, digits, _ . : -).", field=f"{path}.{key}"
            )
        mapped[key] = value
    return mapped


def env_reference(value: str) -> str | None:
    """`env:NAME` names an environment variable that holds the secret: its name, else None."""
    found = _ENV_REFERENCE.fullmatch(value.strip())
    return found.group(1) if found else None


def method_name(code: str, mapping: dict[str, str], *, default: str) -> str:
    """The Ordnung name for a platform's gateway or shipping code: mapped, else the code
    itself made into a valid name, else `default`."""
    if code in mapping:
        return mapping[code]
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]+", "_", code.strip()).strip("_")[:32]
    return cleaned or default
