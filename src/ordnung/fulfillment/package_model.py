"""Packing rules: what may go into a package, when a fulfilment order is packed, what
shipping one package does. Pure Python.

A package holds units of one fulfilment order's lines. Units still to ship are
`quantity - shipped_quantity`; of those, `packed_quantity` already sit in unshipped packages.
A unit can be packed once, and only while the location works on the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.fulfillment import model

PACKED = "packed"
SHIPPED = "shipped"
PACKAGE_STATUSES = (PACKED, SHIPPED)

# The boxes a location uses; `other` for anything else (the weight and dimensions say more).
PACKAGE_TYPES = ("parcel_s", "parcel_m", "parcel_l", "envelope", "pallet", "other")

# Bounds that catch a typo (grams for kilograms, millimetres for metres), not a carrier's
# limits: a pallet may weigh 1.5 t and measure 3 m.
MAX_WEIGHT_GRAMS = 1_500_000
MAX_DIMENSION_MM = 3_000

# A location packs after accepting, while or after picking. A click & collect order is handed
# over at the counter, never packed (it leaves `ready_for_pickup` without a package).
PACKABLE = frozenset({model.ACCEPTED, model.PICKING, model.PACKED})


@dataclass(frozen=True, slots=True)
class PackLine:
    """A fulfilment order line as packing sees it."""

    id: int
    sku: str
    quantity: int
    shipped_quantity: int
    packed_quantity: int

    @property
    def unpacked(self) -> int:
        """Units still to ship that are in no package yet."""
        return self.quantity - self.shipped_quantity - self.packed_quantity


@dataclass(frozen=True, slots=True)
class PackedUnits:
    """`quantity` units of fulfilment order line `line_id` for one package."""

    line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Measures:
    package_type: str
    weight_grams: int
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


@dataclass(frozen=True, slots=True)
class Packing:
    """What goes into one new package, and the package."""

    units: Sequence[PackedUnits]
    measures: Measures


def check_packing(
    status: str, lines: Sequence[PackLine], units: Sequence[PackedUnits], measures: Measures
) -> None:
    """Units of this fulfilment order's lines, each line named once, at most its unpacked
    units; a known package type, a positive weight and dimensions within bounds."""
    if status not in PACKABLE:
        raise InvalidTransitionError(
            f"A fulfilment order in status {status} cannot be packed.", current_status=status
        )
    check_measures(measures)
    if not units:
        raise ValidationError("Name at least one line with units to pack.", field="lines")
    by_id = {line.id: line for line in lines}
    seen: set[int] = set()
    for index, item in enumerate(units):
        line = by_id.get(item.line_id)
        if line is None or item.line_id in seen:
            raise ValidationError(
                f"Line {item.line_id} is not a line of this fulfilment order or is named twice.",
                field=f"lines.{index}.line_id",
            )
        seen.add(item.line_id)
        if not 1 <= item.quantity <= line.unpacked:
            raise ValidationError(
                f"Line {item.line_id} ({line.sku}) has {line.unpacked} units left to pack;"
                f" quantity must be 1 to {line.unpacked}."
                if line.unpacked
                else f"Line {item.line_id} ({line.sku}) has no units left to pack.",
                field=f"lines.{index}.quantity",
            )


def check_measures(measures: Measures) -> None:
    if measures.package_type not in PACKAGE_TYPES:
        raise ValidationError(
            f"Package type must be one of {', '.join(PACKAGE_TYPES)}.", field="package_type"
        )
    if not 1 <= measures.weight_grams <= MAX_WEIGHT_GRAMS:
        raise ValidationError(
            f"Weight must be 1 to {MAX_WEIGHT_GRAMS} grams.", field="weight_grams"
        )
    for name in ("length_mm", "width_mm", "height_mm"):
        value = getattr(measures, name)
        if value is not None and not 1 <= value <= MAX_DIMENSION_MM:
            raise ValidationError(f"{name} must be 1 to {MAX_DIMENSION_MM} mm.", field=name)


def is_everything_packed(lines: Sequence[PackLine]) -> bool:
    """Every unit still to ship sits in a package (and there is something to ship)."""
    return any(line.quantity > line.shipped_quantity for line in lines) and all(
        line.unpacked == 0 for line in lines
    )


def becomes_packed(status: str, lines: Sequence[PackLine]) -> bool:
    """After packing: a fulfilment order with every unit in a package becomes `packed`."""
    return status in (model.ACCEPTED, model.PICKING) and is_everything_packed(lines)


def check_removable(status: str) -> None:
    if status != PACKED:
        raise InvalidTransitionError("A shipped package cannot be removed.", current_status=status)


def check_shippable(package_status: str, fulfillment_status: str) -> None:
    """Only a packed package of work still open at the location can leave."""
    if package_status != PACKED:
        raise InvalidTransitionError(
            "This package has already been shipped.", current_status=package_status
        )
    if fulfillment_status not in PACKABLE:
        raise InvalidTransitionError(
            f"A fulfilment order in status {fulfillment_status} cannot ship a package.",
            current_status=fulfillment_status,
        )


def status_after_shipping(status: str, lines_after: Sequence[PackLine]) -> str:
    """Shipping a package: the fulfilment order is shipped when no unit is left to ship;
    otherwise it keeps its status (a partial shipment is normal)."""
    if all(line.quantity == line.shipped_quantity for line in lines_after):
        return model.SHIPPED
    return status
