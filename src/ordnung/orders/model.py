"""The order aggregate's rules: unit buckets, derived status, holds and totals. Pure Python."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.core.money import is_known_currency, to_minor

RECEIVED = "received"
VALIDATED = "validated"
ON_HOLD = "on_hold"
BACKORDERED = "backordered"
ALLOCATED = "allocated"
PARTIALLY_SHIPPED = "partially_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
COMPLETED = "completed"
CANCELLED = "cancelled"

ORDER_STATUSES = (
    RECEIVED,
    VALIDATED,
    ON_HOLD,
    BACKORDERED,
    ALLOCATED,
    PARTIALLY_SHIPPED,
    SHIPPED,
    DELIVERED,
    COMPLETED,
    CANCELLED,
)

# The status is derived from lines and holds (never set by hand); this table says which
# derived changes are legal, so a bug that would jump e.g. from shipped back to allocated
# raises instead of silently rewriting history.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({VALIDATED, ON_HOLD, BACKORDERED, ALLOCATED, CANCELLED}),
    VALIDATED: frozenset({ON_HOLD, BACKORDERED, ALLOCATED, CANCELLED}),
    ON_HOLD: frozenset({VALIDATED, BACKORDERED, ALLOCATED, CANCELLED}),
    BACKORDERED: frozenset({ALLOCATED, ON_HOLD, PARTIALLY_SHIPPED, SHIPPED, CANCELLED}),
    ALLOCATED: frozenset({BACKORDERED, ON_HOLD, PARTIALLY_SHIPPED, SHIPPED, CANCELLED}),
    PARTIALLY_SHIPPED: frozenset({SHIPPED}),
    SHIPPED: frozenset({DELIVERED}),
    DELIVERED: frozenset({COMPLETED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}

HOLD_REASONS = frozenset(
    {"address", "payment", "fraud", "credit", "totals_mismatch", "unknown_sku", "manual"}
)


def check_transition(current: str, new: str) -> None:
    if new != current and new not in ORDER_TRANSITIONS[current]:
        raise InvalidTransitionError(f"An order cannot go from {current} to {new}.")


@dataclass(slots=True)
class LineBuckets:
    """Every unit of a line sits in exactly one bucket (invariant 3)."""

    quantity: int
    open: int
    allocated: int = 0
    shipped: int = 0
    cancelled: int = 0
    returned: int = 0

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        buckets = (self.open, self.allocated, self.shipped, self.cancelled, self.returned)
        if min(buckets) < 0:
            raise ValueError(f"negative bucket in {self}")
        if self.open + self.allocated + self.shipped + self.cancelled != self.quantity:
            raise ValueError(f"buckets do not add up to {self.quantity}: {self}")
        if self.returned > self.shipped:
            raise ValueError(f"more returned than shipped: {self}")

    def allocate(self, units: int) -> None:
        self._move(units, "open", "allocated")

    def deallocate(self, units: int) -> None:
        self._move(units, "allocated", "open")

    def ship(self, units: int) -> None:
        self._move(units, "allocated", "shipped")

    def cancel_unshipped(self) -> int:
        """Cancels every open and allocated unit; returns how many were allocated."""
        was_allocated = self.allocated
        self.cancelled += self.open + self.allocated
        self.open = self.allocated = 0
        self.check()
        return was_allocated

    def _move(self, units: int, source: str, target: str) -> None:
        if units <= 0 or getattr(self, source) < units:
            raise ValueError(f"cannot move {units} units from {source} in {self}")
        setattr(self, source, getattr(self, source) - units)
        setattr(self, target, getattr(self, target) + units)
        self.check()


def derive_status(lines: list[LineBuckets], *, has_active_hold: bool) -> str:
    """The order status from its lines and holds (design.md §4)."""
    quantity = sum(line.quantity for line in lines)
    cancelled = sum(line.cancelled for line in lines)
    shipped = sum(line.shipped for line in lines)
    if cancelled == quantity:
        return CANCELLED
    if has_active_hold:
        return ON_HOLD
    if shipped == quantity - cancelled:
        return SHIPPED
    if shipped > 0:
        return PARTIALLY_SHIPPED
    if any(line.open for line in lines):
        return BACKORDERED
    return ALLOCATED


@dataclass(frozen=True, slots=True)
class Address:
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    country: str
    company: str = ""
    street2: str = ""
    phone: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "company": self.company,
            "street": self.street,
            "street2": self.street2,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "phone": self.phone,
        }


@dataclass(frozen=True, slots=True)
class NewOrderLine:
    sku: str
    quantity: int
    unit_price: Decimal
    tax_rate: Decimal
    discount: Decimal = Decimal(0)
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ExpectedTotals:
    """Totals the channel says the order has; a mismatch puts the order on hold."""

    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class NewOrder:
    channel: str
    external_id: str
    currency: str
    email: str
    first_name: str
    last_name: str
    billing_address: Address
    shipping_address: Address
    lines: tuple[NewOrderLine, ...]
    shipping_amount: Decimal = Decimal(0)
    shipping_tax_rate: Decimal = Decimal(19)
    shipping_method: str = "standard"
    prices_include_tax: bool = True
    phone: str | None = None
    placed_at: datetime | None = None
    expected: ExpectedTotals = field(default_factory=ExpectedTotals)


@dataclass(frozen=True, slots=True)
class Totals:
    """Minor units. `line_totals` in line order; VAT per rate group (EN 16931 BR-CO-17)."""

    line_totals: tuple[int, ...]
    subtotal: int
    shipping: int
    tax: int
    total: int
    tax_by_rate: dict[Decimal, int]


def compute_totals(order: NewOrder) -> Totals:
    """Line totals, subtotal, VAT per rate group and grand total of a new order.

    Raises ValidationError when an amount has more decimals than the currency allows.
    """
    currency = order.currency
    if not is_known_currency(currency):
        raise ValidationError(f"Unknown currency {currency!r}.", field="currency")
    try:
        line_totals = [
            to_minor(line.unit_price * line.quantity - line.discount, currency)
            for line in order.lines
        ]
        shipping = to_minor(order.shipping_amount, currency)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    for index, amount in enumerate(line_totals):
        if amount < 0:
            raise ValidationError("The discount exceeds the line amount.", line=index + 1)
    base_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line, minor in zip(order.lines, line_totals, strict=True):
        base_by_rate[line.tax_rate] += Decimal(minor)
    base_by_rate[order.shipping_tax_rate] += Decimal(shipping)
    tax_by_rate = {
        rate: _tax_for_group(base, rate, order.prices_include_tax)
        for rate, base in base_by_rate.items()
        if base
    }
    subtotal = sum(line_totals)
    tax = sum(tax_by_rate.values())
    total = subtotal + shipping + (0 if order.prices_include_tax else tax)
    return Totals(tuple(line_totals), subtotal, shipping, tax, total, tax_by_rate)


def _tax_for_group(base_minor: Decimal, rate: Decimal, is_gross: bool) -> int:
    # One rounding per rate group, not per line (EN 16931 BR-CO-17). The base is already in
    # minor units, so rounding to a whole number is rounding to the currency's minor unit.
    raw = base_minor - base_minor / (1 + rate / 100) if is_gross else base_minor * rate / 100
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def totals_mismatches(expected: ExpectedTotals, totals: Totals, currency: str) -> list[str]:
    """Names of the totals the channel sent that differ from what we computed."""
    mismatches = []
    for name, given, computed in (
        ("subtotal", expected.subtotal, totals.subtotal),
        ("tax", expected.tax, totals.tax),
        ("total", expected.total, totals.total),
    ):
        if given is None:
            continue
        try:
            if to_minor(given, currency) != computed:
                mismatches.append(name)
        except ValueError:
            mismatches.append(name)
    return mismatches
