"""Supply in the demo: three suppliers with what they supply, replenishment rules at the
northern warehouse, and purchase orders in every state — one received weeks ago, one in
part, one confirmed and one sent for sold-out articles (their backorders wait for them), one
draft. Sold-out articles are not received, so the demo keeps its backorders to look at."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ordnung.automation.dispatch import dispatch_events
from ordnung.catalog.model import ProductDraft
from ordnung.catalog.service import upsert_products
from ordnung.core.db import Database
from ordnung.demo.catalogue import PRODUCTS, gtin_for
from ordnung.demo.progress import ACTOR, clock_at
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.inventory.locations import create_location
from ordnung.inventory.model import Address, LocationDraft
from ordnung.inventory.service import StockCount
from ordnung.orchestration.dropship import confirm_dropship_order, ship_dropship_order
from ordnung.orchestration.intake import place_order
from ordnung.orchestration.purchase_receipts import receive_purchase_order
from ordnung.orchestration.stock_actions import set_stock
from ordnung.orders.draft import Address as OrderAddress
from ordnung.orders.draft import NewOrder, NewOrderLine
from ordnung.purchasing.dropship import list_dropship_orders
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
from ordnung.staff.service import create_api_key

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
    return _seed_orders(db, now) + seed_dropship(db, now)


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


# -- drop-ship ------------------------------------------------------------------------------

DROPSHIP_SUPPLIER = "moebel-direkt"
# Bulky garden furniture that no warehouse of the shop stocks: the manufacturer ships it.
DROPSHIP_PRODUCTS = (
    ("DS-0001", "Gartenlounge-Set Akazie, 4-teilig", Decimal("899.00"), 6),
    ("DS-0002", "Hollywoodschaukel Sylt, 3-Sitzer", Decimal("549.00"), 9),
)
_DROPSHIP_CUSTOMERS = (
    ("DS-1001", "Katrin", "Lehmann", "Am Stadtpark 4", "22303", "Hamburg", "DS-0001"),
    ("DS-1002", "Murat", "Yilmaz", "Bergstraße 112", "69121", "Heidelberg", "DS-0002"),
    ("DS-1003", "Ines", "Hoffmann", "Lindenallee 9a", "04109", "Leipzig", "DS-0001"),
)


def seed_dropship(db: Database, now: datetime) -> int:
    """A furniture maker that drop-ships: its own location (type `supplier`, capability
    `dropship`, stock from its feed), an API key bound to that location, and three web-shop
    orders of its furniture. The worker turns them into drop-ship purchase orders; one is
    confirmed by the supplier, one shipped with tracking, one still waits. Returns how many
    drop-ship purchase orders there are."""
    with clock_at(now - timedelta(days=6)):
        _dropship_master_data(db)
    numbers = []
    for index, customer in enumerate(_DROPSHIP_CUSTOMERS):
        with clock_at(now - timedelta(days=3 - index, hours=2)):
            place_order(db, _dropship_order(customer), actor="channel:onlineshop")
            while dispatch_events(db):
                pass
    for item in list_dropship_orders(db, only_location_id=None)["items"]:
        numbers.append(str(item["number"]))
    supplier = f"api_key:{DROPSHIP_SUPPLIER}"
    if len(numbers) == len(_DROPSHIP_CUSTOMERS):
        with clock_at(now - timedelta(days=2)):
            ship_on = (now + timedelta(days=1)).date()
            confirm_dropship_order(
                db, numbers[0], expected_ship_on=ship_on, location_id=None, actor=supplier
            )
        with clock_at(now - timedelta(days=1)):
            confirm_dropship_order(
                db, numbers[1], expected_ship_on=None, location_id=None, actor=supplier
            )
            ship_dropship_order(
                db,
                numbers[1],
                ShipmentDraft("dhl", "00340434161094099871", "Sperrgut"),
                location_id=None,
                actor=supplier,
            )
    return len(numbers)


def _dropship_master_data(db: Database) -> None:
    place = Address("Industriestraße 12", "32657", "Lemgo", "DE")
    location = LocationDraft(
        DROPSHIP_SUPPLIER, "Möbel Direkt Lemgo (Strecke)", "supplier", place, ("dropship",), 900
    )
    create_location(db, location, actor=ACTOR)
    drafts = [
        ProductDraft(sku, name, gtin=gtin_for(90000 + index), weight_grams=kilos * 5000)
        for index, (sku, name, _, kilos) in enumerate(DROPSHIP_PRODUCTS, start=1)
    ]
    upsert_products(db, drafts, actor=ACTOR)
    for sku, *_ in DROPSHIP_PRODUCTS:
        set_stock(
            db, sku, DROPSHIP_SUPPLIER, StockCount(40, "Bestandsfeed des Lieferanten"), actor=ACTOR
        )
    products = tuple(
        SuppliedProduct(sku, f"MD-{sku[3:]}", (price * Decimal("0.55")).quantize(Decimal("0.01")))
        for sku, _, price, _ in DROPSHIP_PRODUCTS
    )
    contact = Contact("Frank Wessel", "strecke@moebel-direkt.example", "+49 5261 40 80")
    draft = SupplierDraft(
        DROPSHIP_SUPPLIER,
        "Möbel Direkt GmbH",
        lead_time_days=2,
        contacts=(contact,),
        products=products,
        dropship_location=DROPSHIP_SUPPLIER,
    )
    create_supplier(db, draft, actor=ACTOR)
    create_api_key(
        db,
        DROPSHIP_SUPPLIER,
        ["fulfillment:read", "fulfillment:write"],
        location_code=DROPSHIP_SUPPLIER,
    )


def _dropship_order(customer: tuple[str, ...]) -> NewOrder:
    external_id, first_name, last_name, street, postal_code, city, sku = customer
    address = OrderAddress(first_name, last_name, street, postal_code, city, "DE")
    price = next(price for code, _, price, _ in DROPSHIP_PRODUCTS if code == sku)
    return NewOrder(
        channel="onlineshop",
        external_id=external_id,
        currency="EUR",
        email=f"{first_name.lower()}.{last_name.lower()}@example.de",
        first_name=first_name,
        last_name=last_name,
        billing_address=address,
        shipping_address=address,
        lines=(NewOrderLine(sku, 1, price, Decimal(19)),),
        shipping_amount=Decimal("49.00"),
    )
