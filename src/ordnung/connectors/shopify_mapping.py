"""A Shopify order (the `orders/create` webhook body, or one order of the Admin REST API)
as an Ordnung order body. Pure Python; the rules are tabled in docs/connectors.md.

- Discounts: Shopify allocates every discount, order-level ones included, to the lines
  (`discount_allocations`, to the cent); their sum is the line's discount. Shipping
  discounts are allocated to the shipping lines and lower the shipping amount. A discount
  Shopify reports in `total_discounts` but did not allocate is spread over the lines.
- Tax: a line's rate is the sum of its `tax_lines` rates (state + county); an untaxed line
  has 0 %. `taxes_included` says whether prices are gross.
- Gift cards: paying with one is a payment (gateway `gift_card`), not a discount: the
  order's totals stay as Shopify shows them. A gift card *sold* is a line like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ordnung.connectors.mapping_rules import (
    MappedLine,
    MappedOrder,
    address,
    amount,
    as_body_amount,
    as_body_rate,
    spread,
    text,
    vat_id_from,
)
from ordnung.connectors.model import ConnectionSettings, MappingError, method_name

_ADDRESS_KEYS = {
    "street": "address1",
    "street2": "address2",
    "postal_code": "zip",
    "city": "city",
    "country": "country_code",
}
GIFT_CARD_GATEWAY = "gift_card"


def order_of(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Webhooks send the order itself; the REST API wraps it in `{"order": …}`."""
    inner = payload.get("order")
    return inner if isinstance(inner, Mapping) else payload


def external_id(payload: Mapping[str, Any]) -> str | None:
    order = order_of(payload)
    return text(order.get("name")) or text(order.get("id")) or None


def map_order(
    payload: Mapping[str, Any], settings: ConnectionSettings, channel: str
) -> MappedOrder:
    order = order_of(payload)
    is_gross = _is_gross(order, settings)
    lines, platform_lines = _lines(order)
    shipping, shipping_rate, shipping_code = _shipping(order)
    body: dict[str, Any] = {
        "channel": channel,
        "external_id": _external_id(order),
        "currency": text(order.get("currency")).upper(),
        "customer": _customer(order),
        **_addresses(order),
        "shipping_method": method_name(
            shipping_code, settings.shipping_methods, default="standard"
        ),
        "shipping_amount": as_body_amount(shipping),
        "prices_include_tax": is_gross,
        "lines": lines,
        "totals": {
            "subtotal": as_body_amount(amount(order.get("subtotal_price"), "subtotal_price")),
            "tax": as_body_amount(amount(order.get("total_tax"), "total_tax")),
            "total": as_body_amount(amount(order.get("total_price"), "total_price")),
        },
    }
    if shipping_rate is not None:
        body["shipping_tax_rate"] = as_body_rate(shipping_rate)
    if placed_at := text(order.get("created_at")):
        body["placed_at"] = placed_at
    gateways = [text(name) for name in order.get("payment_gateway_names") or [] if text(name)]
    paid_by = [name for name in gateways if name != GIFT_CARD_GATEWAY]
    if paid_by or gateways:
        body["payment"] = {
            "method": method_name(
                (paid_by or gateways)[0], settings.payment_methods, default="other"
            )
        }
    return MappedOrder(
        body=body,
        lines=platform_lines,
        note=text(order.get("note")) or None,
        payment_status=text(order.get("financial_status")) or None,
        is_cancelled=bool(order.get("cancelled_at")),
        gift_card_amount=_gift_card_amount(order),
    )


def _external_id(order: Mapping[str, Any]) -> str:
    found = text(order.get("name")) or text(order.get("order_number")) or text(order.get("id"))
    if not found:
        raise MappingError("the order has no name, number or id", path="name")
    return found


def _is_gross(order: Mapping[str, Any], settings: ConnectionSettings) -> bool:
    given = order.get("taxes_included")
    return settings.price_mode == "gross" if given is None else bool(given)


def _lines(order: Mapping[str, Any]) -> tuple[list[dict[str, Any]], tuple[MappedLine, ...]]:
    items = order.get("line_items") or []
    if not isinstance(items, list) or not items:
        raise MappingError("the order has no lines", path="line_items")
    bodies: list[dict[str, Any]] = []
    mapped: list[MappedLine] = []
    for index, item in enumerate(items):
        path = f"line_items[{index}]"
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or quantity <= 0:
            raise MappingError(f"{quantity!r} is no quantity", path=f"{path}.quantity")
        price = amount(item.get("price"), f"{path}.price")
        allocated = sum(
            (
                amount(allocation.get("amount"), f"{path}.discount_allocations[{number}].amount")
                for number, allocation in enumerate(item.get("discount_allocations") or [])
            ),
            Decimal(0),
        )
        sku = _platform_sku(item)
        mapped.append(MappedLine(sku, f"{path}.sku"))
        bodies.append(
            {
                "sku": sku,
                "name": text(item.get("name") or item.get("title"))[:300] or None,
                "quantity": quantity,
                "unit_price": as_body_amount(price),
                "discount": allocated,  # made a string below, after any unallocated rest
                "tax_rate": as_body_rate(_rate(item, path)),
            }
        )
    _spread_unallocated(order, bodies)
    for body in bodies:
        body["discount"] = as_body_amount(body["discount"])
    return bodies, tuple(mapped)


def _platform_sku(item: Mapping[str, Any]) -> str:
    sku = text(item.get("sku"))
    if sku:
        return sku
    if item.get("variant_id"):
        return f"variant:{item['variant_id']}"
    return f"product:{text(item.get('product_id')) or text(item.get('id'))}"


def _rate(item: Mapping[str, Any], path: str) -> Decimal:
    if item.get("taxable") is False:
        return Decimal(0)
    total = Decimal(0)
    for number, tax_line in enumerate(item.get("tax_lines") or []):
        total += amount(tax_line.get("rate"), f"{path}.tax_lines[{number}].rate")
    return total * 100


def _spread_unallocated(order: Mapping[str, Any], bodies: list[dict[str, Any]]) -> None:
    """Older Shopify payloads may report an order discount without allocations."""
    shipping_discounts = sum(
        (
            amount(allocation.get("amount"), "shipping_lines.discount_allocations")
            for line in order.get("shipping_lines") or []
            for allocation in line.get("discount_allocations") or []
        ),
        Decimal(0),
    )
    allocated = sum((body["discount"] for body in bodies), Decimal(0)) + shipping_discounts
    rest = amount(order.get("total_discounts"), "total_discounts") - allocated
    if rest <= 0:
        return
    weights = [Decimal(body["unit_price"]) * body["quantity"] - body["discount"] for body in bodies]
    for body, share in zip(bodies, spread(rest, weights), strict=True):
        body["discount"] += share


def _shipping(order: Mapping[str, Any]) -> tuple[Decimal, Decimal | None, str]:
    total = Decimal(0)
    rates: set[Decimal] = set()
    code = ""
    for index, line in enumerate(order.get("shipping_lines") or []):
        path = f"shipping_lines[{index}]"
        price = amount(line.get("price"), f"{path}.price")
        discounts = sum(
            (
                amount(allocation.get("amount"), f"{path}.discount_allocations")
                for allocation in line.get("discount_allocations") or []
            ),
            Decimal(0),
        )
        total += price - discounts
        code = code or text(line.get("code")) or text(line.get("title"))
        if price:
            rates.add(
                sum(
                    (
                        amount(tax.get("rate"), f"{path}.tax_lines.rate")
                        for tax in line.get("tax_lines") or []
                    ),
                    Decimal(0),
                )
                * 100
            )
    if len(rates) > 1:
        raise MappingError("shipping lines with different tax rates", path="shipping_lines")
    return total, (rates.pop() if rates else None), code


def _customer(order: Mapping[str, Any]) -> dict[str, Any]:
    customer = order.get("customer") or {}
    email = (
        text(order.get("email")) or text(order.get("contact_email")) or text(customer.get("email"))
    )
    if not email:
        raise MappingError("the order names no e-mail address", path="email")
    found: dict[str, Any] = {
        "email": email,
        "first_name": text(customer.get("first_name"))[:200],
        "last_name": text(customer.get("last_name"))[:200],
    }
    if phone := text(order.get("phone")) or text(customer.get("phone")):
        found["phone"] = phone[:40]
    attributes = [
        (attribute.get("name"), attribute.get("value"))
        for attribute in order.get("note_attributes") or []
        if isinstance(attribute, Mapping)
    ]
    if vat_id := vat_id_from(attributes):
        found["vat_id"] = vat_id
    return found


def _addresses(order: Mapping[str, Any]) -> dict[str, Any]:
    billing_raw: Mapping[str, Any] = order.get("billing_address") or {}
    shipping_raw: Mapping[str, Any] = order.get("shipping_address") or {}
    if not billing_raw and not shipping_raw:
        raise MappingError(
            "the order has neither a billing nor a shipping address", path="billing_address"
        )
    billing_path = "billing_address" if billing_raw else "shipping_address"
    billing = address(billing_raw or shipping_raw, billing_path, keys=_ADDRESS_KEYS)
    found: dict[str, Any] = {"billing_address": billing}
    if shipping_raw:
        found["shipping_address"] = address(shipping_raw, "shipping_address", keys=_ADDRESS_KEYS)
    return found


def _gift_card_amount(order: Mapping[str, Any]) -> Decimal:
    paid = Decimal(0)
    for index, transaction in enumerate(order.get("transactions") or []):
        if (
            text(transaction.get("gateway")) == GIFT_CARD_GATEWAY
            and text(transaction.get("status")) == "success"
        ):
            paid += amount(transaction.get("amount"), f"transactions[{index}].amount")
    return paid
