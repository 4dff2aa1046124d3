"""Product stock policy at intake: which units wait for a release day, which orders are held
for a pre-order cap or because a SKU may not be backordered. Pure Python.

- `preorder`: before `release_on` the units are not sourced — they wait (the order is
  backordered until then). An order that would take the open pre-ordered units of a SKU
  beyond its `preorder_cap` is held (`stock_policy`).
- `allow_backorder` false: an order that cannot get every unit of that SKU from free stock
  at once is held (`stock_policy`) instead of waiting, and takes no stock at all.
- `non_stock` (services, digital goods, made to order): no stock to wait for, so neither
  rule ever looks at it — whatever `allow_backorder`, `release_on` or `preorder_cap` say.
  Its units are not sourced from stock; they ride along (sourcing/model.py `ride_along`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ordnung.catalog.model import NON_STOCK
from ordnung.orders.holds import HoldDecision
from ordnung.orders.model import Order

STOCK_POLICY_HOLD = "stock_policy"


@dataclass(frozen=True, slots=True)
class SkuPolicy:
    stock_policy: str = "stocked"
    allow_backorder: bool = True
    release_on: date | None = None
    preorder_cap: int | None = None

    @property
    def is_non_stock(self) -> bool:
        return self.stock_policy == NON_STOCK

    def is_waiting_for_release(self, today: date) -> bool:
        return self.stock_policy == "preorder" and (
            self.release_on is None or today < self.release_on
        )


def waiting_for_release(policies: Mapping[str, SkuPolicy], today: date) -> frozenset[str]:
    """Pre-order SKUs whose release day has not come: sourcing leaves their units open."""
    return frozenset(sku for sku, p in policies.items() if p.is_waiting_for_release(today))


def non_stock_skus(policies: Mapping[str, SkuPolicy]) -> frozenset[str]:
    """SKUs with no stock at all: never reserved, never backordered, never held for stock."""
    return frozenset(sku for sku, p in policies.items() if p.is_non_stock)


def preorder_cap_hold(
    order: Order, policies: Mapping[str, SkuPolicy], today: date, preordered: dict[str, int]
) -> HoldDecision | None:
    """Holds the order if it would take a pre-order SKU beyond its cap; otherwise counts its
    units into `preordered` (the running tally of the batch, first come first served)."""
    wanted: dict[str, int] = {}
    for _, sku, units in order.open_units():
        policy = policies.get(sku)
        if policy and policy.is_waiting_for_release(today) and policy.preorder_cap is not None:
            wanted[sku] = wanted.get(sku, 0) + units
    over = sorted(
        sku
        for sku, units in wanted.items()
        if preordered.get(sku, 0) + units > (policies[sku].preorder_cap or 0)
    )
    if over:
        caps = ", ".join(f"{sku} (cap {policies[sku].preorder_cap})" for sku in over)
        return HoldDecision(STOCK_POLICY_HOLD, f"Pre-order cap reached: {caps}")
    for sku, units in wanted.items():
        preordered[sku] = preordered.get(sku, 0) + units
    return None


def backorder_hold(
    order: Order, policies: Mapping[str, SkuPolicy], free: Mapping[str, int], today: date
) -> HoldDecision | None:
    """Holds the order if a SKU that may not be backordered has fewer free units than the
    order's open units of it (`free`: what sourcing could still give, network-wide)."""
    wanted: dict[str, int] = {}
    for _, sku, units in order.open_units():
        policy = policies.get(sku)
        if (
            policy
            and not policy.allow_backorder
            and not policy.is_non_stock
            and not policy.is_waiting_for_release(today)
        ):
            wanted[sku] = wanted.get(sku, 0) + units
    short = sorted(sku for sku, units in wanted.items() if free.get(sku, 0) < units)
    if not short:
        return None
    return HoldDecision(
        STOCK_POLICY_HOLD, "Not enough stock and no backorders allowed: " + ", ".join(short)
    )
