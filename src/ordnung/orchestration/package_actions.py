"""Shipping one package, and its delivery note. Shipping changes the order too (units
shipped, its tracking number), so it locks the order first, then the fulfilment order, the
package and the stock positions (README: Architecture)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import cancellation_requests, package_queries, packages
from ordnung.fulfillment.delivery_note_pdf import DeliveryNoteDocument, render_delivery_note
from ordnung.fulfillment.package_shipping import ship_package as ship_package_in
from ordnung.fulfillment.service import Shipment, ShipmentDraft
from ordnung.orders.repository import load_order, order_language, save_order
from ordnung.orders.search_index import add_tracking_number


@dataclass(frozen=True, slots=True)
class ShippedPackage:
    package_id: int
    package_number: str
    shipment: Shipment
    fulfillment_order_id: int
    fulfillment_order_status: str
    order_status: str


def ship_package(
    db: Database,
    package_id: int,
    draft: ShipmentDraft,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[ShippedPackage] | None = None,
) -> ShippedPackage:
    """The package's units leave with their own shipment and count as shipped on the
    order. Goods that left answer an open cancellation request of the fulfilment order:
    declined, as when the whole fulfilment order ships."""

    def work(uow: UnitOfWork) -> ShippedPackage:
        fo_id = packages.fulfillment_order_of_package(uow.connection, package_id, only_location_id)
        order_id = package_queries.order_id_of_package(uow.connection, package_id)
        order = load_order(uow.connection, order_id)
        shipped = ship_package_in(uow, fo_id, package_id, draft)
        cancellation_requests.decline_on_shipping(uow, fo_id)
        order.ship(order.units_by_line_number(shipped.units_by_line_id))
        save_order(uow, order, clock.now())
        add_tracking_number(uow.connection, order_id, draft.tracking_number)
        return ShippedPackage(
            package_id,
            shipped.package_number,
            shipped.shipment,
            fo_id,
            shipped.fulfillment_order_status,
            order.status,
        )

    return db.write(work, actor=actor, idempotency=idempotency)


def delivery_note_pdf(
    db: Database, package_id: int, *, only_location_id: int | None = None
) -> tuple[bytes, str]:
    """The package's delivery note in the order's language, and the package number."""

    def read(connection: Connection) -> tuple[DeliveryNoteDocument, str]:
        document = package_queries.delivery_note_document(
            connection, package_id, only_location_id=only_location_id
        )
        return document, order_language(connection, document.order_id)

    document, language = db.read(read)
    return render_delivery_note(document, language), document.package_number
