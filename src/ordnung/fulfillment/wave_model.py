"""Pick waves: fulfilment orders of one location picked together, walking the bins in order.
Pure Python: which fulfilment orders may join a wave, how a pick or a short pick is spread
over the wave's lines, when a wave is done.

A wave has one line per fulfilment order line (what to pick for whom); the pick list and the
screen show them aggregated per bin and SKU.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from ordnung.core.errors import ConflictError, ValidationError
from ordnung.fulfillment.model import ACCEPTED, RELEASED

OPEN = "open"
DONE = "done"
WAVE_STATUSES = (OPEN, DONE)

# Work a location has not started on may join a wave; joining starts picking it.
JOINABLE = frozenset({RELEASED, ACCEPTED})
MAX_WAVE_SIZE = 100

_DIGITS = re.compile(r"(\d+)")


def bin_sort_key(bin_: str | None) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    """Bins in walking order, numbers as numbers ("A-2" before "A-10"); no bin comes last."""
    if bin_ is None:
        return (1, ())
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _DIGITS.split(bin_)
        if part
    )
    return (0, parts)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A fulfilment order asked to join a wave, as found: its location and status."""

    id: int
    location_id: int
    status: str


def check_wave_orders(
    requested: Sequence[int],
    found: Mapping[int, Candidate],
    location_id: int,
    in_open_waves: Collection[int],
) -> None:
    """A wave takes 1..MAX_WAVE_SIZE distinct fulfilment orders of its location that have not
    been started on and are in no other open wave. Each refusal names the orders."""
    if not 1 <= len(requested) <= MAX_WAVE_SIZE:
        raise ValidationError(
            f"A wave takes 1 to {MAX_WAVE_SIZE} fulfilment orders.", field="fulfillment_order_ids"
        )
    twice = sorted({fo_id for fo_id in requested if list(requested).count(fo_id) > 1})
    if twice:
        raise ValidationError(
            f"Fulfilment orders named twice: {_ids(twice)}.",
            field="fulfillment_order_ids",
            fulfillment_order_ids=twice,
        )
    # Unknown and another location's look the same: a key learns nothing of other locations.
    foreign = sorted(i for i in requested if i not in found or found[i].location_id != location_id)
    if foreign:
        raise ValidationError(
            f"Not fulfilment orders of this location: {_ids(foreign)}.",
            field="fulfillment_order_ids",
            fulfillment_order_ids=foreign,
        )
    busy = sorted(set(requested) & set(in_open_waves))
    if busy:
        raise ConflictError(
            f"Already in an open pick wave: {_ids(busy)}.", fulfillment_order_ids=busy
        )
    started = sorted(i for i in requested if found[i].status not in JOINABLE)
    if started:
        raise ConflictError(
            f"Only released or accepted fulfilment orders join a wave: {_ids(started)}.",
            fulfillment_order_ids=started,
        )


def _ids(ids: Sequence[int]) -> str:
    return ", ".join(str(i) for i in ids)


@dataclass(frozen=True, slots=True)
class WaveLine:
    """What the wave asks to pick of one fulfilment order line, and how far it got."""

    id: int
    fulfillment_order_id: int
    fulfillment_order_line_id: int
    order_number: str
    sku: str
    bin: str | None
    quantity: int
    picked: int
    short: int

    @property
    def remaining(self) -> int:
        return self.quantity - self.picked - self.short


@dataclass(slots=True)
class PickRow:
    """One row of the pick list: a SKU in a bin, over every fulfilment order that wants it."""

    bin: str | None
    sku: str
    quantity: int = 0
    picked: int = 0
    short: int = 0
    fulfillment_order_ids: list[int] = field(default_factory=list)
    order_numbers: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.quantity - self.picked - self.short


def pick_rows(lines: Sequence[WaveLine]) -> list[PickRow]:
    """The wave's lines per bin and SKU, in walking order (no bin last)."""
    rows: dict[tuple[str | None, str], PickRow] = {}
    for line in sorted(lines, key=lambda line: (line.fulfillment_order_id, line.id)):
        row = rows.setdefault((line.bin, line.sku), PickRow(line.bin, line.sku))
        row.quantity += line.quantity
        row.picked += line.picked
        row.short += line.short
        if line.fulfillment_order_id not in row.fulfillment_order_ids:
            row.fulfillment_order_ids.append(line.fulfillment_order_id)
            row.order_numbers.append(line.order_number)
    return sorted(rows.values(), key=lambda row: (bin_sort_key(row.bin), row.sku))


def spread_pick(
    lines: Sequence[WaveLine],
    sku: str,
    quantity: int,
    fulfillment_order_id: int | None,
    *,
    field_name: str = "quantity",
) -> list[tuple[WaveLine, int]]:
    """Which lines the picked units fill: the named fulfilment order's, else the wave's
    lines of that SKU in fulfilment order sequence. More units than are still to pick is
    refused (the scan was one too many), never silently capped."""
    open_lines = _open_lines_of(lines, sku, fulfillment_order_id)
    still = sum(line.remaining for line in open_lines)
    if not 1 <= quantity <= still:
        raise ValidationError(
            f"Of {sku}, {still} units are still to pick in this wave.",
            field=field_name,
            still_to_pick=still,
        )
    spread: list[tuple[WaveLine, int]] = []
    left = quantity
    for line in open_lines:
        take = min(left, line.remaining)
        if take:
            spread.append((line, take))
            left -= take
    return spread


def spread_short_pick(
    lines: Sequence[WaveLine], sku: str, missing: int, fulfillment_order_id: int | None
) -> list[tuple[WaveLine, int]]:
    """The lines a short pick is about. Missing units are reported per fulfilment order
    (sourcing re-sources that order's units), so a SKU still wanted by several orders needs
    the fulfilment order named."""
    orders = {line.fulfillment_order_id for line in _open_lines_of(lines, sku, None)}
    if fulfillment_order_id is None and len(orders) > 1:
        raise ValidationError(
            f"{sku} is picked for several fulfilment orders: name one.",
            field="fulfillment_order_id",
            fulfillment_order_ids=sorted(orders),
        )
    return spread_pick(lines, sku, missing, fulfillment_order_id, field_name="missing")


def _open_lines_of(
    lines: Sequence[WaveLine], sku: str, fulfillment_order_id: int | None
) -> list[WaveLine]:
    matching = [line for line in lines if line.sku == sku]
    if not matching:
        raise ValidationError(f"{sku} is not on this wave's pick list.", field="sku")
    if fulfillment_order_id is not None:
        matching = [line for line in matching if line.fulfillment_order_id == fulfillment_order_id]
        if not matching:
            raise ValidationError(
                f"Fulfilment order {fulfillment_order_id} wants no {sku} in this wave.",
                field="fulfillment_order_id",
            )
    return sorted(
        (line for line in matching if line.remaining > 0),
        key=lambda line: (line.fulfillment_order_id, line.id),
    )


def is_done(lines: Sequence[WaveLine], still_picking: Collection[int]) -> bool:
    """Every line is picked or reported short, or its fulfilment order left picking (an
    accepted cancellation request, a shipment): nothing is left to walk for."""
    return all(
        line.remaining == 0 or line.fulfillment_order_id not in still_picking for line in lines
    )
