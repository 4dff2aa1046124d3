"""Supply in the demo: three suppliers with what they supply, replenishment rules at the
northern warehouse, and purchase orders in every state — one received weeks ago, one in
part, one confirmed and one sent for sold-out articles (their backorders wait for them), one
draft. Sold-out articles are not received, so the demo keeps its backorders to look at."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ordnung.core.db import Database
from ordnung.demo.catalogue import PRODUCTS
from ordnung.demo.progress import ACTOR, clock_at
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.purchasing.model import (
    Contact,
    LineDraft,
    PurchaseOrderDraft,
    SuppliedProduct,
    SupplierDraft,
)
from ordnung.purchasing.replenishment import RuleInput, save_rule
from ordnung.purchasing.service import (
    confirm_purchase_order,
    create_purchase_order,
    send_purchase_order,
)
from ordnung.purchasing.suppliers import create_supplier

_PRICES = {product.sku: product.price for product in PRODUCTS}

# (code, name, contact, lead time, minimum value, minimum quantity, SKUs, pack size)
SUPPLIERS = (
    (
        "bergwerk-outdoor",
        "Bergwerk Outdoor GmbH",
        Contact("Tobias Brandl", "einkauf@bergwerk-outdoor.example", "+49 8321 55 40"),
        10,
        Decimal("300"),
        None,
        ("OD-0001", "OD-0002", "OD-0003", "OD-0004", "OD-0005"),
        1,
    ),
    (
        "gartenhof-meyer",
        "Gartenhof Meyer KG",
        Contact("Silke Meyer", "bestellung@gartenhof-meyer.example", "+49 4101 77 12"),
        7,
        None,
        24,
        ("GA-0001", "GA-0002", "GA-0003", "GA-0004", "GA-0005"),
        6,
    ),
    (
        "roesterei-hanse",
        "Rösterei Hanse",
        Contact("Jan Petersen", "vertrieb@roesterei-hanse.example", ""),
        4,
        Decimal("150"),
        None,
        ("LM-0001", "LM-0002"),
        6,
    ),
)


def _cost(sku: str) -> Decimal:
    """What the merchant pays: about 45 % of the consumer price."""
    return (_PRICES[sku] * Decimal("0.45")).quantize(Decimal("0.01"))


def seed_supply(db: Database, now: datetime) -> int:
    """Returns how many purchase orders it created."""
    with clock_at(now - timedelta(days=30)):
        for code, name, contact, lead, value, quantity, skus, pack in SUPPLIERS:
            products = tuple(
                SuppliedProduct(sku, f"{code[:3].upper()}-{sku}", _cost(sku), pack) for sku in skus
            )
            draft = SupplierDraft(code, name, "EUR", lead, value, quantity, (contact,), products)
            create_supplier(db, draft, actor=ACTOR)
            for sku in skus:
                save_rule(db, RuleInput(sku, "lager-nord", 12, 4, 48, code), actor=ACTOR)
    return _seed_orders(db, now)


def _order(db: Database, supplier: str, location: str, lines: list[tuple[str, int]]) -> str:
    draft = PurchaseOrderDraft(supplier, location, tuple(LineDraft(s, q) for s, q in lines))
    return str(create_purchase_order(db, draft, actor=ACTOR)["number"])


def _seed_orders(db: Database, now: datetime) -> int:
    with clock_at(now - timedelta(days=21)):
        received = _order(db, "gartenhof-meyer", "lager-nord", [("GA-0001", 24), ("GA-0002", 12)])
        send_purchase_order(db, received, actor=ACTOR)
    with clock_at(now - timedelta(days=14)):
        receive_purchase_order(db, received, {1: 24, 2: 12}, actor="staff:lager-nord")
    with clock_at(now - timedelta(days=9)):
        partial = _order(db, "bergwerk-outdoor", "lager-nord", [("OD-0001", 20), ("OD-0003", 10)])
        send_purchase_order(db, partial, actor=ACTOR)
        confirm_purchase_order(db, partial, {}, actor="supplier:bergwerk-outdoor")
    with clock_at(now - timedelta(days=1)):
        receive_purchase_order(db, partial, {1: 12}, actor="staff:lager-nord")
    with clock_at(now - timedelta(days=3)):
        # Sold out everywhere: the backorders of OD-0002 and GA-0003 wait for these.
        confirmed = _order(db, "bergwerk-outdoor", "lager-sued", [("OD-0002", 30)])
        send_purchase_order(db, confirmed, actor=ACTOR)
        arrival = (now + timedelta(days=4)).date()
        confirm_purchase_order(db, confirmed, {1: arrival}, actor="supplier:bergwerk-outdoor")
        sent = _order(db, "gartenhof-meyer", "lager-nord", [("GA-0003", 18)])
        send_purchase_order(db, sent, actor=ACTOR)
    with clock_at(now - timedelta(hours=2)):
        _order(db, "roesterei-hanse", "lager-nord", [("LM-0001", 24), ("LM-0002", 12)])
    return 5
