"""Changes to an order after intake, one transaction each, for the API, the back office and
(later) rules: shipping address or method, cancelling units of a line, adding a line,
replacing a line's SKU (also by a configured substitute), correcting a price.

Every function takes the version the person saw (`expected_version`): the order is loaded
with its row locked and refused (409) if it moved on since, so of two agents editing the same
order one wins and the other is told to reload — never a silent overwrite. Locks follow the
system's order (README: Architecture): the order, then the stock positions of the SKUs
concerned in id order, then its fulfilment orders. Units taken back go to waiting orders
(`allocate_backorders`); new units are sourced at once or wait as backordered.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal

from ordnung.catalog.lookup import SellableProduct, sellable_product
from ordnung.catalog.service import product_names
from ordnung.catalog.substitutes import substitutes_of
from ordnung.channels.service import channel_type_of
from ordnung.checks.service import check_order_again
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.money import to_minor
from ordnung.fulfillment.cancellation_requests import request_line_cancellations
from ordnung.fulfillment.line_changes import (
    free_line_units,
    open_fulfillment_order_ids,
    take_or_ask_line_units,
)
from ordnung.fulfillment.service import follow_shipping_change
from ordnung.inventory.stock import available_stock
from ordnung.orders import changes
from ordnung.orders.draft import Address
from ordnung.orders.holds import HoldContext
from ordnung.orders.model import Order
from ordnung.orders.queries import OrderView, load_order_detail
from ordnung.orders.repository import add_new_lines, load_order, save_order
from ordnung.orders.search_index import reindex_orders
from ordnung.sourcing.model import can_ship_parcels
from ordnung.sourcing.service import allocate_backorders, lock_stock, source_order

# What a change did besides the order: SKUs whose stock it gave back (for waiting orders).
Change = Callable[[UnitOfWork, Order], Collection[str]]

RESOLVED_BY_REPLACEMENT = "resolved by SKU replacement"


@dataclass(frozen=True, slots=True)
class Edit:
    """Who changes the order, why, and which version of it they saw."""

    actor: str
    reason: str
    expected_version: int | None = None


def _apply(
    db: Database,
    order_id: int,
    edit: Edit,
    change: Change,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    def work(uow: UnitOfWork) -> OrderView:
        order = load_order(uow.connection, order_id, expected_version=edit.expected_version)
        freed = change(uow, order)
        save_order(uow, order, clock.now())
        # A new name, phone, SKU or line changes what the order is found by.
        reindex_orders(uow.connection, [order_id])
        allocate_backorders(uow, freed, skip_order_ids={order_id})
        uow.flush_events(clock.now())  # the answer shows the change on the timeline
        return load_order_detail(uow.connection, order_id)

    return db.write(work, actor=edit.actor, idempotency=idempotency)


# Fraud and duplicate suspicion judge an order as it came in (velocity, history, twins):
# an edit does not make it more or less suspicious, and a person may have cleared it already.
_JUDGED_ONLY_AT_INTAKE = frozenset({"fraud", "duplicate"})


def _recheck(uow: UnitOfWork, order: Order, *, note: str = "resolved by an order change") -> None:
    """Runs the checks again for the changed order: the hold rules of `orders/holds.py`
    (which also release a hold that resolved itself, e.g. the last unknown SKU replaced), then
    the channel's intake checks (`checks/`), whose firing reasons put a hold on unless one is
    active already. An approval once given stands."""
    now = clock.now()
    context = HoldContext(known_skus=frozenset(product_names(uow.connection, order.skus())))
    changes.recheck_holds(order, context, note=note, by=uow.actor, at=now)
    verdict = check_order_again(uow, order, channel_type_of(uow.connection, order.channel_id))
    held = {hold.reason for hold in order.holds if hold.is_active}
    if any(hold.reason == "approval" and not hold.is_active for hold in order.holds):
        held.add("approval")
    for hold in verdict.holds:
        if hold.reason not in held and hold.reason not in _JUDGED_ONLY_AT_INTAKE:
            order.hold(hold.reason, hold.detail, at=now, facts=hold.facts)


# -- shipping -----------------------------------------------------------------------------


def change_shipping(
    db: Database,
    order_id: int,
    edit: Edit,
    *,
    address: Address | None = None,
    method: str | None = None,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """Where and how the order ships, while nothing has shipped. The locations holding its
    open fulfilment orders learn it from the event (their webhooks), whatever their status."""

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        assert order.id is not None
        changes.change_shipping(
            order,
            address=address,
            method=method,
            reason=edit.reason,
            fulfillment_order_ids=open_fulfillment_order_ids(uow.connection, order.id),
        )
        follow_shipping_change(
            uow,
            order.id,
            ship_to=order.shipping_address.as_dict(),
            shipping_method=order.shipping_method,
        )
        _recheck(uow, order)
        return ()

    return _apply(db, order_id, edit, change, idempotency)


# -- lines --------------------------------------------------------------------------------


def cancel_line_units(
    db: Database,
    order_id: int,
    line_number: int,
    units: int,
    edit: Edit,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """Cancels units of a line not yet shipped, as an order cancel would: open ones first,
    then reserved ones whose location has not started picking (their stock goes to waiting
    orders); units a location is picking or has packed become a cancellation request for
    those units of that line, which the location accepts or declines (409 while an earlier
    request on that fulfilment order is still open)."""

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        to_free = changes.allocated_units_to_free(order, line_number, units)
        line = order.line(line_number)
        assert order.id is not None and line.id is not None
        lock_stock(uow, {line.sku})
        taken = take_or_ask_line_units(uow, order.id, line.id, to_free)
        request_line_cancellations(uow, taken.to_ask, reason=edit.reason)
        changes.cancel_line_units(
            order, line_number, units, edit.reason, requested=taken.asked_units
        )
        return taken.given_back.skus

    return _apply(db, order_id, edit, change, idempotency)


@dataclass(frozen=True, slots=True)
class LineRequest:
    """A line to add, as a person or a client asks for it (amounts in the order's currency;
    no price: none is assumed, it must be given; no tax rate: the product's)."""

    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Decimal(0)
    tax_rate: Decimal | None = None


def add_line(
    db: Database,
    order_id: int,
    request: LineRequest,
    edit: Edit,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """Adds a line of a catalogue product; its units are sourced at once or wait."""

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        product = _sellable(uow, request.sku)
        new = changes.NewLine(
            product.sku,
            product.name,
            request.quantity,
            _minor(request.unit_price, order.currency, "unit_price"),
            _minor(request.discount, order.currency, "discount"),
            product.tax_rate if request.tax_rate is None else request.tax_rate,
        )
        lock_stock(uow, order.skus() | {product.sku})
        changes.add_line(order, new, edit.reason)
        add_new_lines(uow.connection, order)
        _recheck(uow, order)
        source_order(uow, order)
        return ()

    return _apply(db, order_id, edit, change, idempotency)


@dataclass(frozen=True, slots=True)
class SkuRequest:
    """The SKU a line's units become, and their unit price (None: it stays)."""

    sku: str
    unit_price: Decimal | None = None


def replace_line_sku(
    db: Database,
    order_id: int,
    line_number: int,
    request: SkuRequest,
    edit: Edit,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """The line's units still to ship become units of another catalogue SKU (the same price
    unless one is given). Removing an order's last unknown SKU releases its `unknown_sku`
    hold; the order is then sourced."""

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        product = _sellable(uow, request.sku)
        unit_price = request.unit_price
        price = None if unit_price is None else _minor(unit_price, order.currency, "unit_price")
        replacement = changes.Replacement(product.sku, product.name, price)
        return _replace(uow, order, line_number, replacement, edit.reason)

    return _apply(db, order_id, edit, change, idempotency)


def _replace(
    uow: UnitOfWork, order: Order, line_number: int, replacement: changes.Replacement, reason: str
) -> Collection[str]:
    """Shared by replace and substitute: give the old SKU's reservations back, change the
    line, check again, source."""
    line = changes.check_replaceable(order, line_number, replacement.sku)
    assert order.id is not None and line.id is not None
    lock_stock(uow, order.skus() | {replacement.sku})
    freed = free_line_units(uow, order.id, line.id, line.buckets.allocated)
    changes.replace_sku(order, line_number, replacement, reason)
    _recheck(uow, order, note=RESOLVED_BY_REPLACEMENT)
    source_order(uow, order)
    return freed.skus


@dataclass(frozen=True, slots=True)
class PriceRequest:
    """A line's corrected unit price and/or discount (None: it stays)."""

    unit_price: Decimal | None = None
    discount: Decimal | None = None


def substitute_line(
    db: Database,
    order_id: int,
    line_number: int,
    edit: Edit,
    chosen: str | None = None,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """Like a SKU replacement, with a configured substitute of the line's product
    (`catalog/substitutes.py`): the one `chosen`, or else the first, in rank order, that a
    shipping location has units of. The price stays."""

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        options = substitutes_of(uow.connection, order.line(line_number).sku)
        if chosen is not None and chosen not in options:
            raise ValidationError(f"{chosen} is not a substitute of this line.", field="sku")
        sku = chosen or _first_in_stock(uow, options)
        product = _sellable(uow, sku)
        replacement = changes.Replacement(product.sku, product.name, None, is_substitute=True)
        return _replace(uow, order, line_number, replacement, edit.reason)

    return _apply(db, order_id, edit, change, idempotency)


def _first_in_stock(uow: UnitOfWork, options: list[str]) -> str:
    shippable = {
        row.sku
        for row in available_stock(uow.connection, options, lock=False)
        if can_ship_parcels(row.capabilities)
    }
    for sku in options:
        if sku in shippable:
            return sku
    raise ConflictError("No substitute of this line's product is in stock.")


def correct_line_price(
    db: Database,
    order_id: int,
    line_number: int,
    request: PriceRequest,
    edit: Edit,
    idempotency: IdempotentRequest[OrderView] | None = None,
) -> OrderView:
    """A unit price or discount corrected with a reason, before the line ships; the totals
    and VAT follow."""
    unit_price, discount = request.unit_price, request.discount
    if unit_price is None and discount is None:
        raise ValidationError("Give a unit price, a discount or both.", field="unit_price")

    def change(uow: UnitOfWork, order: Order) -> Collection[str]:
        currency = order.currency
        changes.correct_price(
            order,
            line_number,
            unit_price=None if unit_price is None else _minor(unit_price, currency, "unit_price"),
            discount=None if discount is None else _minor(discount, currency, "discount"),
            reason=edit.reason,
        )
        _recheck(uow, order)
        return ()

    return _apply(db, order_id, edit, change, idempotency)


def _sellable(uow: UnitOfWork, sku: str) -> SellableProduct:
    product = sellable_product(uow.connection, sku)
    if product is None:
        raise ValidationError(f"{sku} is not an active product of the catalogue.", field="sku")
    return product


def _minor(amount: Decimal, currency: str, field: str) -> int:
    try:
        return to_minor(amount, currency)
    except ValueError:
        raise ValidationError(f"{amount} is finer than {currency} allows.", field=field) from None
