"""Checkout holds: units held for a shopper's cart for a short time. Pure Python.

A hold is placed for a cart (`active`) and ends exactly once: the order arrives with its id
and takes the held units as its own reservation (`converted`), its time runs out and the
worker gives the units back (`expired`), or the shop lets it go (`released`). Each move is one
transition in `TRANSITIONS` with exactly one event; a move not listed raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ordnung.core.errors import InvalidTransitionError
from ordnung.core.events import DomainEvent

ACTIVE = "active"
CONVERTED = "converted"
EXPIRED = "expired"
RELEASED = "released"
HOLD_STATUSES = (ACTIVE, CONVERTED, EXPIRED, RELEASED)

TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {(ACTIVE, CONVERTED), (ACTIVE, EXPIRED), (ACTIVE, RELEASED)}
)

# A hold lives at least a minute (a checkout page needs that long) and at most an hour (longer
# and carts would hide stock from everyone else); 15 minutes unless the shop asks otherwise.
MIN_TTL_SECONDS = 60
MAX_TTL_SECONDS = 3600
DEFAULT_TTL_SECONDS = 900
# How many expired holds one worker transaction ends: bounds the locks it takes at once.
HOLDS_PER_EXPIRY = 100


def allowed_sources(target: str) -> list[str]:
    """The states a hold may leave for `target` (for compare-and-set updates)."""
    return sorted(source for source, to in TRANSITIONS if to == target)


def check_transition(hold_id: int, status: str, target: str) -> None:
    if (status, target) not in TRANSITIONS:
        raise InvalidTransitionError(
            f"Checkout hold {hold_id} is {status}; it cannot become {target}.",
            status=status,
        )


@dataclass(frozen=True, slots=True)
class HeldUnit:
    """Units of a hold at one stock position."""

    position_id: int
    location_id: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class TakenUnit:
    """Held units an order line takes over as its allocation."""

    line_key: int
    unit: HeldUnit


def take_held_units(
    held: Sequence[HeldUnit], open_units: Sequence[tuple[int, str, int]]
) -> tuple[list[TakenUnit], list[HeldUnit]]:
    """Which held units the order's open lines (line number, SKU, units) take, line by line
    in order; and what is left of the hold (a cart that changed before the order): the
    leftover goes back to free stock."""
    remaining = {index: unit.quantity for index, unit in enumerate(held)}
    taken: list[TakenUnit] = []
    for line_key, sku, units in open_units:
        missing = units
        for index, unit in enumerate(held):
            if missing == 0:
                break
            if unit.sku != sku or remaining[index] == 0:
                continue
            quantity = min(missing, remaining[index])
            remaining[index] -= quantity
            missing -= quantity
            taken.append(TakenUnit(line_key, _with_quantity(unit, quantity)))
    leftover = [
        _with_quantity(unit, remaining[index])
        for index, unit in enumerate(held)
        if remaining[index] > 0
    ]
    return taken, leftover


def _with_quantity(unit: HeldUnit, quantity: int) -> HeldUnit:
    return HeldUnit(unit.position_id, unit.location_id, unit.sku, quantity)


# -- events ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckoutHoldPlaced(DomainEvent):
    """Units are held for a cart until `expires_at`."""

    type: ClassVar[str] = "checkout_hold.placed"
    aggregate_type: ClassVar[str] = "checkout_hold"

    id: int
    lines: list[dict[str, object]]
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CheckoutHoldConverted(DomainEvent):
    """The order arrived: the held units are its reservation now."""

    type: ClassVar[str] = "checkout_hold.converted"
    aggregate_type: ClassVar[str] = "checkout_hold"

    id: int
    order_id: int
    taken: int
    given_back: int


@dataclass(frozen=True, slots=True)
class CheckoutHoldExpired(DomainEvent):
    """The hold's time ran out; its units are free again."""

    type: ClassVar[str] = "checkout_hold.expired"
    aggregate_type: ClassVar[str] = "checkout_hold"

    id: int
    given_back: int


@dataclass(frozen=True, slots=True)
class CheckoutHoldReleased(DomainEvent):
    """The shop let the hold go before its time; its units are free again."""

    type: ClassVar[str] = "checkout_hold.released"
    aggregate_type: ClassVar[str] = "checkout_hold"

    id: int
    given_back: int
