"""Supply: suppliers, purchase orders and their lifecycle, receiving and replenishment —
the rules, without the database. Pure Python (import-linter `pure-models`)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ordnung.core.errors import InvalidTransitionError, ValidationError
from ordnung.core.money import is_known_currency, round_money

# -- purchase order lifecycle ---------------------------------------------------------------

DRAFT = "draft"
SENT = "sent"
CONFIRMED = "confirmed"
PARTIALLY_RECEIVED = "partially_received"
RECEIVED = "received"
SHIPPED = "shipped"
CANCELLED = "cancelled"

PURCHASE_ORDER_STATUSES = (
    DRAFT,
    SENT,
    CONFIRMED,
    PARTIALLY_RECEIVED,
    RECEIVED,
    SHIPPED,
    CANCELLED,
)

# What a purchase order is for: goods for our own stock (`stock`), or one customer's
# fulfilment order that the supplier ships straight to the customer (`dropship`).
STOCK = "stock"
DROPSHIP = "dropship"
PURCHASE_ORDER_KINDS = (STOCK, DROPSHIP)

# (from → allowed to). Goods may arrive before the supplier confirmed (a sent order can be
# received); each further partial receipt of a partially received order is a transition to
# the same status, so every receipt records its event. Once goods arrived, the order can no
# longer be cancelled: what is still open is closed by receiving or left open.
PURCHASE_ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SENT, CANCELLED}),
    SENT: frozenset({CONFIRMED, PARTIALLY_RECEIVED, RECEIVED, CANCELLED}),
    CONFIRMED: frozenset({PARTIALLY_RECEIVED, RECEIVED, CANCELLED}),
    PARTIALLY_RECEIVED: frozenset({PARTIALLY_RECEIVED, RECEIVED}),
    RECEIVED: frozenset(),
    CANCELLED: frozenset(),
}

# A drop-ship order is born sent (it exists because a customer is waiting), is confirmed by
# the supplier (optionally with a ship date) and ends shipped with tracking — nothing is ever
# received into our stock. Shipping unconfirmed is allowed, as small suppliers skip the step.
# A supplier who cannot ship cancels it, and the fulfilment order is sourced again.
DROPSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    SENT: frozenset({CONFIRMED, SHIPPED, CANCELLED}),
    CONFIRMED: frozenset({SHIPPED, CANCELLED}),
    SHIPPED: frozenset(),
    CANCELLED: frozenset(),
}
OPEN_DROPSHIP_STATUSES = frozenset({SENT, CONFIRMED})

# Statuses whose open quantities are on their way: the promise may count on them.
OPEN_SUPPLY_STATUSES = frozenset({SENT, CONFIRMED, PARTIALLY_RECEIVED})
RECEIVABLE_STATUSES = OPEN_SUPPLY_STATUSES


def transitions_of(kind: str) -> dict[str, frozenset[str]]:
    """The declared lifecycle of a purchase order of this kind."""
    return DROPSHIP_TRANSITIONS if kind == DROPSHIP else PURCHASE_ORDER_TRANSITIONS


def allowed_sources(target: str, kind: str = STOCK) -> frozenset[str]:
    """The statuses from which `target` may be reached (for compare-and-set updates)."""
    return frozenset(s for s, targets in transitions_of(kind).items() if target in targets)


def check_transition(current: str, target: str, kind: str = STOCK) -> None:
    if target not in transitions_of(kind).get(current, frozenset()):
        what = "drop-ship purchase order" if kind == DROPSHIP else "purchase order"
        raise InvalidTransitionError(
            f"A {what} in status {current} cannot become {target}.",
            current_status=current,
        )


def purchase_order_number(year: int, counter: int) -> str:
    """`PO-2026-000123`: per-year counter, six digits (more once a year needs them)."""
    return f"PO-{year}-{counter:06d}"


# -- validation helpers ---------------------------------------------------------------------


def invalid(field_name: str, message: str) -> ValidationError:
    """A 422 problem naming the field, shaped like request-validation errors."""
    return ValidationError(
        f"Invalid fields: {field_name}",
        errors=[{"field": field_name, "message": message, "type": "value_error"}],
    )


def _problems(found: list[tuple[str, str]]) -> None:
    if found:
        raise ValidationError(
            "Invalid fields: " + ", ".join(name for name, _ in found),
            errors=[{"field": n, "message": m, "type": "value_error"} for n, m in found],
        )


CODE_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
MAX_NAME_LENGTH = 200
MAX_LEAD_TIME_DAYS = 365
MAX_QUANTITY = 1_000_000
MAX_PACK_SIZE = 100_000
MAX_PRICE = Decimal("1000000")
MAX_LINES = 200
MAX_CONTACTS = 10
MAX_NOTE_LENGTH = 2000


# -- suppliers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class SuppliedProduct:
    """A SKU the supplier delivers: its own article number, price per unit, pack size."""

    sku: str
    supplier_sku: str
    unit_price: Decimal
    pack_size: int = 1


@dataclass(frozen=True, slots=True)
class SupplierDraft:
    code: str
    name: str
    currency: str = "EUR"
    lead_time_days: int = 7
    minimum_order_value: Decimal | None = None
    minimum_order_quantity: int | None = None
    contacts: tuple[Contact, ...] = ()
    products: tuple[SuppliedProduct, ...] = ()
    is_active: bool = True
    dropship_location: str | None = None


def _product_problems(index: int, item: SuppliedProduct, currency: str) -> list[tuple[str, str]]:
    where = f"products[{index}]"
    found: list[tuple[str, str]] = []
    if not 0 < len(item.sku) <= 64:
        found.append((f"{where}.sku", "must be 1 to 64 characters"))
    if len(item.supplier_sku) > 64:
        found.append((f"{where}.supplier_sku", "must be at most 64 characters"))
    if not _is_price(item.unit_price, currency):
        found.append((f"{where}.unit_price", f"must be 0 to {MAX_PRICE} in {currency}"))
    if not 1 <= item.pack_size <= MAX_PACK_SIZE:
        found.append((f"{where}.pack_size", f"must be 1 to {MAX_PACK_SIZE}"))
    return found


def _is_price(amount: Decimal, currency: str) -> bool:
    if not amount.is_finite() or not Decimal(0) <= amount <= MAX_PRICE:
        return False
    return not is_known_currency(currency) or round_money(amount, currency) == amount


def _head_problems(draft: SupplierDraft) -> list[tuple[str, str]]:
    checks = [
        (
            "code",
            CODE_PATTERN.fullmatch(draft.code) is not None,
            "lower-case letters, digits and inner dashes, 1 to 40 characters",
        ),
        (
            "name",
            0 < len(draft.name.strip()) <= MAX_NAME_LENGTH,
            f"must be 1 to {MAX_NAME_LENGTH} characters",
        ),
        ("currency", is_known_currency(draft.currency), "must be an ISO 4217 code"),
        (
            "lead_time_days",
            0 <= draft.lead_time_days <= MAX_LEAD_TIME_DAYS,
            f"must be 0 to {MAX_LEAD_TIME_DAYS}",
        ),
        (
            "minimum_order_value",
            draft.minimum_order_value is None
            or _is_price(draft.minimum_order_value, draft.currency),
            f"must be 0 to {MAX_PRICE} in {draft.currency}",
        ),
        (
            "minimum_order_quantity",
            draft.minimum_order_quantity is None
            or 0 <= draft.minimum_order_quantity <= MAX_QUANTITY,
            f"must be 0 to {MAX_QUANTITY}",
        ),
        ("contacts", len(draft.contacts) <= MAX_CONTACTS, f"at most {MAX_CONTACTS}"),
    ]
    return [(name, message) for name, is_valid, message in checks if not is_valid]


def check_supplier(draft: SupplierDraft) -> SupplierDraft:
    """The draft trimmed, or a 422 naming every refused field."""
    found = _head_problems(draft)
    for index, contact in enumerate(draft.contacts):
        if not 0 < len(contact.name.strip()) <= MAX_NAME_LENGTH:
            found.append((f"contacts[{index}].name", "must be 1 to 200 characters"))
    skus = [item.sku for item in draft.products]
    if len(set(skus)) != len(skus):
        found.append(("products", "each SKU at most once"))
    for index, item in enumerate(draft.products):
        found.extend(_product_problems(index, item, draft.currency))
    _problems(found)
    contacts = tuple(
        Contact(c.name.strip(), c.email.strip(), c.phone.strip()) for c in draft.contacts
    )
    return replace(draft, name=draft.name.strip(), contacts=contacts)


# -- purchase orders ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineDraft:
    """A line as typed; without a price, the supplier's list price is taken."""

    sku: str
    quantity: int
    unit_price: Decimal | None = None
    expected_on: date | None = None


@dataclass(frozen=True, slots=True)
class PurchaseOrderDraft:
    supplier_code: str
    location_code: str
    lines: tuple[LineDraft, ...]
    note: str = ""


def check_purchase_order(draft: PurchaseOrderDraft, currency: str) -> None:
    """A draft's lines: at least one, each SKU once, quantities and prices in range."""
    found: list[tuple[str, str]] = []
    if not draft.lines:
        found.append(("lines", "at least one line"))
    if len(draft.lines) > MAX_LINES:
        found.append(("lines", f"at most {MAX_LINES} lines"))
    skus = [line.sku for line in draft.lines]
    if len(set(skus)) != len(skus):
        found.append(("lines", "each SKU at most once"))
    for index, line in enumerate(draft.lines):
        if not 1 <= line.quantity <= MAX_QUANTITY:
            found.append((f"lines[{index}].quantity", f"must be 1 to {MAX_QUANTITY}"))
        if line.unit_price is None:
            found.append((f"lines[{index}].unit_price", "the supplier lists no price for it"))
        elif not _is_price(line.unit_price, currency):
            found.append((f"lines[{index}].unit_price", f"must be 0 to {MAX_PRICE} {currency}"))
    if len(draft.note) > MAX_NOTE_LENGTH:
        found.append(("note", f"at most {MAX_NOTE_LENGTH} characters"))
    _problems(found)


@dataclass(frozen=True, slots=True)
class OpenLine:
    """A purchase order line as receiving sees it."""

    id: int
    sku: str
    quantity: int
    received: int

    @property
    def open(self) -> int:
        return self.quantity - self.received


def check_receipt(lines: Sequence[OpenLine], receipt: Mapping[int, int]) -> None:
    """Each received line belongs to the order and takes 1..open units; over-receipt is
    refused with what is still open, so the person at the dock can count again."""
    by_id = {line.id: line for line in lines}
    found: list[tuple[str, str]] = []
    if not any(quantity > 0 for quantity in receipt.values()):
        found.append(("lines", "receive at least one unit"))
    for line_id, quantity in receipt.items():
        line = by_id.get(line_id)
        name = f"lines[{line_id}].quantity"
        if line is None:
            found.append((f"lines[{line_id}]", "no such line on this purchase order"))
        elif quantity < 0:
            found.append((name, "must not be negative"))
        elif quantity > line.open:
            found.append(
                (
                    name,
                    f"only {line.open} of {line.quantity} units of {line.sku} are still open; "
                    f"{quantity} would be more than was ordered",
                )
            )
    _problems(found)


def status_after_receipt(lines_after: Sequence[OpenLine]) -> str:
    return RECEIVED if all(line.open == 0 for line in lines_after) else PARTIALLY_RECEIVED


@dataclass(frozen=True, slots=True)
class IncomingSupply:
    """Units on their way to a location on an open purchase order (for the promise)."""

    sku: str
    location_id: int
    quantity: int
    expected_date: date | None
    po_number: str


# -- replenishment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplenishmentRule:
    """Per SKU × location: below the reorder point, order up to `maximum`. `minimum` is the
    floor under which the suggestion is urgent (stock will not cover orders already taken)."""

    sku: str
    location_id: int
    reorder_point: int
    minimum: int
    maximum: int
    supplier_id: int | None = None


def check_rule(rule: ReplenishmentRule) -> None:
    found: list[tuple[str, str]] = []
    if not 0 <= rule.minimum <= MAX_QUANTITY:
        found.append(("minimum", f"must be 0 to {MAX_QUANTITY}"))
    if not 0 <= rule.reorder_point <= MAX_QUANTITY:
        found.append(("reorder_point", f"must be 0 to {MAX_QUANTITY}"))
    if not 1 <= rule.maximum <= MAX_QUANTITY:
        found.append(("maximum", f"must be 1 to {MAX_QUANTITY}"))
    elif rule.maximum <= rule.reorder_point:
        found.append(("maximum", "must be above the reorder point"))
    if rule.minimum > rule.reorder_point:
        found.append(("minimum", "must not be above the reorder point"))
    _problems(found)


@dataclass(frozen=True, slots=True)
class SupplierTerms:
    """What ordering from one supplier needs: pack size and price of the SKU, the order
    minimums."""

    supplier_id: int
    unit_price: Decimal
    pack_size: int = 1
    minimum_order_quantity: int | None = None
    minimum_order_value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    sku: str
    location_id: int
    projected: int  # on hand − reserved + open supply
    quantity: int
    is_urgent: bool
    supplier_id: int | None
    unit_price: Decimal | None


def projected_stock(on_hand: int, reserved: int, incoming: int) -> int:
    return on_hand - reserved + incoming


def round_up_to_pack(quantity: int, pack_size: int) -> int:
    return math.ceil(quantity / pack_size) * pack_size if quantity > 0 else 0


def suggest(
    rule: ReplenishmentRule,
    *,
    on_hand: int,
    reserved: int,
    incoming: int,
    terms: SupplierTerms | None,
) -> Suggestion | None:
    """None while projected stock is above the reorder point; else the quantity that lifts
    it to the maximum, rounded up to whole packs of the supplier."""
    projected = projected_stock(on_hand, reserved, incoming)
    if projected > rule.reorder_point:
        return None
    pack = terms.pack_size if terms is not None else 1
    quantity = round_up_to_pack(rule.maximum - projected, pack)
    return Suggestion(
        sku=rule.sku,
        location_id=rule.location_id,
        projected=projected,
        quantity=quantity,
        is_urgent=projected < rule.minimum,
        supplier_id=terms.supplier_id if terms is not None else None,
        unit_price=terms.unit_price if terms is not None else None,
    )


@dataclass(frozen=True, slots=True)
class OrderMinimum:
    quantity: int | None = None
    value: Decimal | None = None


@dataclass
class _Planned:
    suggestion: Suggestion
    pack_size: int
    quantity: int = field(default=0)


def meet_minimum(
    lines: Sequence[tuple[Suggestion, int]], minimum: OrderMinimum
) -> list[tuple[Suggestion, int]]:
    """The lines of one purchase order (suggestion, pack size) with quantities raised by
    whole packs — on the most urgent line first (lowest projected stock) — until the
    supplier's minimum order quantity and value are met. Returns (suggestion, quantity)."""
    planned = [_Planned(s, pack, s.quantity) for s, pack in lines]
    if not planned:
        return []
    target = min(planned, key=lambda p: (p.suggestion.projected, p.suggestion.sku))
    price = target.suggestion.unit_price or Decimal(0)
    while not (_quantity_met(planned, minimum) and _value_met(planned, minimum)):
        if price == 0 and _quantity_met(planned, minimum):
            break  # only the value is short, and more units of a free SKU cannot lift it
        target.quantity += target.pack_size
    return [(p.suggestion, p.quantity) for p in planned]


def _quantity_met(planned: Sequence[_Planned], minimum: OrderMinimum) -> bool:
    return minimum.quantity is None or sum(p.quantity for p in planned) >= minimum.quantity


def _value_met(planned: Sequence[_Planned], minimum: OrderMinimum) -> bool:
    value = sum((p.quantity * (p.suggestion.unit_price or Decimal(0)) for p in planned), Decimal(0))
    return minimum.value is None or value >= minimum.value


# -- drop-ship ------------------------------------------------------------------------------

MAX_CARRIER_LENGTH = 40
MAX_TRACKING_LENGTH = 80


@dataclass(frozen=True, slots=True)
class ShipTo:
    """Where the supplier sends the parcel and whom the carrier may call: a snapshot of the
    order's shipping address and contact, taken when the drop-ship order is made."""

    name: str
    street: str
    postal_code: str
    city: str
    country: str
    company: str = ""
    street2: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class DropshipUnits:
    """Units of one SKU a fulfilment order asks the supplier to ship."""

    sku: str
    quantity: int


def dropship_lines(
    units: Sequence[DropshipUnits], prices: Mapping[str, Decimal]
) -> tuple[tuple[LineDraft, ...], tuple[str, ...]]:
    """The purchase order's lines, one per SKU in first-seen order (a fulfilment order may
    hold one SKU on several lines), at the supplier's list price; and the SKUs the supplier
    lists no price for. Those are ordered at 0 and named, so purchasing can fix the price —
    the customer's parcel must not wait for a missing price."""
    quantities: dict[str, int] = {}
    for unit in units:
        quantities[unit.sku] = quantities.get(unit.sku, 0) + unit.quantity
    lines = tuple(
        LineDraft(sku, quantity, prices.get(sku, Decimal(0)))
        for sku, quantity in quantities.items()
    )
    return lines, tuple(sku for sku in quantities if sku not in prices)


def check_shipping(carrier: str, tracking_number: str) -> None:
    """A drop-ship parcel is reported with the carrier and its tracking number."""
    found: list[tuple[str, str]] = []
    if not 0 < len(carrier.strip()) <= MAX_CARRIER_LENGTH:
        found.append(("carrier", f"must be 1 to {MAX_CARRIER_LENGTH} characters"))
    if not 0 < len(tracking_number.strip()) <= MAX_TRACKING_LENGTH:
        found.append(("tracking_number", f"must be 1 to {MAX_TRACKING_LENGTH} characters"))
    _problems(found)
