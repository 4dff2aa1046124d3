"""A WooCommerce order (REST API v3 / webhook `order.created` body) as an Ordnung order
body. Pure Python; the rules are tabled in docs/connectors.md.

WooCommerce sends every line amount without tax, whatever `prices_include_tax` says (that
flag tells how the shop owner entered prices): `subtotal` before coupons, `total` after
them, their taxes apart. So lines are mapped as net prices, the coupon discount of a line
is `subtotal - total`, and the rate is the tax line's `rate_percent` — or, for shops that
do not send it, the line's unrounded tax over its total.
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
    text,
    unit_price_and_discount,
    vat_id_from,
)
from ordnung.connectors.model import ConnectionSettings, MappingError, method_name

_ADDRESS_KEYS = {
    "street": "address_1",
    "street2": "address_2",
    "postal_code": "postcode",
    "city": "city",
    "country": "country",
}
_PAID_STATUSES = {"processing", "completed"}
HUNDRED = Decimal(100)


def external_id(payload: Mapping[str, Any]) -> str | None:
    return text(payload.get("number")) or text(payload.get("id")) or None


def map_order(
    payload: Mapping[str, Any], settings: ConnectionSettings, channel: str
) -> MappedOrder:
    rates = _rates_by_id(payload)
    lines, platform_lines = _lines(payload, rates)
    shipping, shipping_rate, shipping_code = _shipping(payload, rates)
    if payload.get("fee_lines"):
        raise MappingError("fee lines are not taken yet; remove or map them", path="fee_lines")
    number = external_id(payload)
    if number is None:
        raise MappingError("the order has no number or id", path="number")
    body: dict[str, Any] = {
        "channel": channel,
        "external_id": number,
        "currency": text(payload.get("currency")).upper(),
        "customer": _customer(payload),
        **_addresses(payload),
        "shipping_method": method_name(
            shipping_code, settings.shipping_methods, default="standard"
        ),
        "shipping_amount": as_body_amount(shipping),
        "prices_include_tax": False,
        "lines": lines,
        "totals": {
            "tax": as_body_amount(amount(payload.get("total_tax"), "total_tax")),
            "total": as_body_amount(amount(payload.get("total"), "total")),
        },
    }
    if shipping_rate is not None:
        body["shipping_tax_rate"] = as_body_rate(shipping_rate)
    if created := text(payload.get("date_created_gmt")):
        body["placed_at"] = (
            created if created.endswith("Z") or "+" in created[10:] else f"{created}+00:00"
        )
    if method := text(payload.get("payment_method")):
        body["payment"] = {"method": method_name(method, settings.payment_methods, default="other")}
    status = text(payload.get("status"))
    return MappedOrder(
        body=body,
        lines=platform_lines,
        note=text(payload.get("customer_note")) or None,
        payment_status="paid"
        if status in _PAID_STATUSES or payload.get("date_paid")
        else "pending",
        is_cancelled=status == "cancelled",
    )


def _rates_by_id(payload: Mapping[str, Any]) -> dict[int, Decimal]:
    rates: dict[int, Decimal] = {}
    for index, tax_line in enumerate(payload.get("tax_lines") or []):
        percent = tax_line.get("rate_percent")
        if percent is not None and tax_line.get("rate_id") is not None:
            rates[int(tax_line["rate_id"])] = amount(percent, f"tax_lines[{index}].rate_percent")
    return rates


def _rate(taxes: list[Any], net: Decimal, rates: dict[int, Decimal], path: str) -> Decimal:
    """The line's rate: the sum of its tax rates, known from the tax lines or, when the
    shop leaves `rate_percent` out, read off the unrounded tax (1.125 on 15.00: 7.5 %)."""
    total = Decimal(0)
    for number, tax in enumerate(taxes):
        rate_id = tax.get("id")
        if isinstance(rate_id, int) and rate_id in rates:
            total += rates[rate_id]
            continue
        taxed = amount(tax.get("total") or tax.get("subtotal"), f"{path}.taxes[{number}].total")
        if taxed and not net:
            raise MappingError("tax on a line of no amount", path=f"{path}.taxes[{number}]")
        if net:
            total += (taxed / net * HUNDRED).quantize(Decimal("0.01"))
    return total


def _lines(
    payload: Mapping[str, Any], rates: dict[int, Decimal]
) -> tuple[list[dict[str, Any]], tuple[MappedLine, ...]]:
    items = payload.get("line_items") or []
    if not isinstance(items, list) or not items:
        raise MappingError("the order has no lines", path="line_items")
    bodies: list[dict[str, Any]] = []
    mapped: list[MappedLine] = []
    for index, item in enumerate(items):
        path = f"line_items[{index}]"
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or quantity <= 0:
            raise MappingError(f"{quantity!r} is no quantity", path=f"{path}.quantity")
        before = amount(item.get("subtotal"), f"{path}.subtotal")
        after = amount(item.get("total"), f"{path}.total")
        if after > before:
            raise MappingError(
                "the line costs more after coupons than before", path=f"{path}.total"
            )
        unit, rounding = unit_price_and_discount(before, quantity)
        sku = _platform_sku(item)
        mapped.append(MappedLine(sku, f"{path}.sku"))
        bodies.append(
            {
                "sku": sku,
                "name": text(item.get("name"))[:300] or None,
                "quantity": quantity,
                "unit_price": as_body_amount(unit),
                "discount": as_body_amount(before - after + rounding),
                "tax_rate": as_body_rate(
                    _rate(item.get("taxes") or [], after or before, rates, path)
                ),
            }
        )
    return bodies, tuple(mapped)


def _platform_sku(item: Mapping[str, Any]) -> str:
    sku = text(item.get("sku"))
    if sku:
        return sku
    if item.get("variation_id"):
        return f"variant:{item['variation_id']}"
    return f"product:{text(item.get('product_id')) or text(item.get('id'))}"


def _shipping(
    payload: Mapping[str, Any], rates: dict[int, Decimal]
) -> tuple[Decimal, Decimal | None, str]:
    total = Decimal(0)
    found_rates: set[Decimal] = set()
    code = ""
    for index, line in enumerate(payload.get("shipping_lines") or []):
        path = f"shipping_lines[{index}]"
        net = amount(line.get("total"), f"{path}.total")
        total += net
        code = code or text(line.get("method_id")).split(":")[0] or text(line.get("method_title"))
        if net:
            found_rates.add(_rate(line.get("taxes") or [], net, rates, path))
    if len(found_rates) > 1:
        raise MappingError("shipping lines with different tax rates", path="shipping_lines")
    return total, (found_rates.pop() if found_rates else None), code


def _customer(payload: Mapping[str, Any]) -> dict[str, Any]:
    billing = payload.get("billing") or {}
    email = text(billing.get("email"))
    if not email:
        raise MappingError("the order names no e-mail address", path="billing.email")
    found: dict[str, Any] = {
        "email": email,
        "first_name": text(billing.get("first_name"))[:200],
        "last_name": text(billing.get("last_name"))[:200],
    }
    if phone := text(billing.get("phone")):
        found["phone"] = phone[:40]
    meta = [
        (entry.get("key"), entry.get("value"))
        for entry in payload.get("meta_data") or []
        if isinstance(entry, Mapping)
    ]
    if vat_id := vat_id_from(meta):
        found["vat_id"] = vat_id
    return found


def _addresses(payload: Mapping[str, Any]) -> dict[str, Any]:
    billing = address(payload.get("billing") or {}, "billing", keys=_ADDRESS_KEYS)
    shipping_raw = payload.get("shipping") or {}
    found: dict[str, Any] = {"billing_address": billing}
    if text(shipping_raw.get("address_1")):
        found["shipping_address"] = address(shipping_raw, "shipping", keys=_ADDRESS_KEYS)
    return found
