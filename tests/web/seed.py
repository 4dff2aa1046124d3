"""Back-office test data: a staff user and orders in several statuses, placed through the
order services so the pages show what real intake produces."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ordnung.core.db import Database
from ordnung.fulfillment.service import ShipmentDraft
from ordnung.orchestration.fulfillment_actions import ship_fulfillment_order
from ordnung.orchestration.intake import place_order
from ordnung.orders.draft import Address, NewOrder, NewOrderLine
from ordnung.orders.queries import get_order
from ordnung.staff.service import create_staff_user
from tests.factories import add_channel, add_location, add_product, put_stock

STAFF_EMAIL = "anna.agent@example.de"
STAFF_PASSWORD = "richtig-langes-passwort"


@dataclass(frozen=True)
class SeededOrders:
    allocated: int
    backordered: int
    on_hold: int
    shipped: int


def add_staff(db: Database, language: str = "de") -> int:
    return create_staff_user(db, STAFF_EMAIL, "Anna Agent", STAFF_PASSWORD, language=language)


def seed_shop(db: Database) -> SeededOrders:
    """Two channels, two warehouses, three products, and four orders in different states."""
    add_channel(db, "webshop")
    add_channel(db, "marketplace")
    berlin = add_location(db, "ber", 1)
    hamburg = add_location(db, "ham", 2)
    for sku, name in (("SKU-1", "Kaffeebecher"), ("SKU-2", "Teekanne"), ("SKU-3", "Müslischale")):
        add_product(db, sku, name)
    put_stock(db, "SKU-1", berlin, 20, safety=2)
    put_stock(db, "SKU-1", hamburg, 5)
    put_stock(db, "SKU-3", hamburg, 3)
    put_stock(db, "SKU-2", berlin, 0)
    shipped = place(db, "EXT-SHIP", ("jonas@example.de", "Jonas", "Weber"), [("SKU-3", 1)])
    fulfillment_order = get_order(db, shipped)["fulfillment_orders"][0]
    ship_fulfillment_order(
        db,
        fulfillment_order["id"],
        ShipmentDraft("dhl", "00340434161094042557"),
        actor="staff:Anna Agent",
    )
    return SeededOrders(
        allocated=place(
            db, "EXT-ALLOC", ("erika@example.de", "Erika", "Mustermann"), [("SKU-1", 2)]
        ),
        backordered=place(
            db, "MP-4711", ("max@example.de", "Max", "Müller"), [("SKU-2", 5)], "marketplace"
        ),
        on_hold=place(db, "EXT-HOLD", ("lena@example.de", "Lena", "Schmidt"), [("NOPE-1", 1)]),
        shipped=shipped,
    )


def place(
    db: Database,
    external_id: str,
    customer: tuple[str, str, str],
    lines: list[tuple[str, int]],
    channel: str = "webshop",
) -> int:
    """Places an order of `customer` (e-mail, first name, last name) through intake."""
    email, first_name, last_name = customer
    address = Address(first_name, last_name, "Heidestraße 17", "51147", "Köln", "DE")
    order = NewOrder(
        channel=channel,
        external_id=external_id,
        currency="EUR",
        email=email,
        first_name=first_name,
        last_name=last_name,
        billing_address=address,
        shipping_address=address,
        lines=tuple(
            NewOrderLine(sku, quantity, Decimal("19.99"), Decimal(19)) for sku, quantity in lines
        ),
        shipping_amount=Decimal("4.90"),
    )
    placed = place_order(db, order, actor="api_key:shop-sync")
    return int(placed.order["id"])
