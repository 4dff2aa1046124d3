"""What a platform's `orders/updated` and `orders/cancelled` mean for an order Ordnung has:
the existing actions, nothing new. A changed shipping address is an address change
(orchestration/order_changes.py); a cancellation cancels (orchestration/order_actions.py).
When the order has moved on (shipped), the change is refused by those actions: the order
gets a comment on its timeline for a person, and the payload stays `failed` in the queue.
Other edits (lines, quantities, prices, refunds) are not applied yet (docs/connectors.md).
"""

from __future__ import annotations

from typing import Any

from ordnung.channels.service import get_channel
from ordnung.connectors.queue import Outcome
from ordnung.core.db import Database
from ordnung.core.errors import OrdnungError
from ordnung.orchestration.order_actions import cancel_order
from ordnung.orchestration.order_changes import Edit, change_shipping
from ordnung.orders.changes import CancelReason
from ordnung.orders.draft import Address
from ordnung.orders.notes import add_comment
from ordnung.orders.queries import get_order
from ordnung.orders.repository import find_order_ids

_ADDRESS_FIELDS = (
    *("first_name", "last_name", "company", "street", "street2"),
    *("postal_code", "city", "country", "phone"),
)


def existing_order_id(db: Database, channel: str, external_id: str) -> int | None:
    channel_id = get_channel(db, channel).id
    found = db.read(lambda connection: find_order_ids(connection, {(channel_id, external_id)}))
    return found.get((channel_id, external_id))


def apply_update(
    db: Database, payload_id: int, order_id: int, body: dict[str, Any], actor: str
) -> Outcome:
    """The shop's order again, perhaps with a new shipping address."""
    wanted = body.get("shipping_address") or body["billing_address"]
    current = get_order(db, order_id)["shipping_address"]
    if all((current.get(key) or "") == (wanted.get(key) or "") for key in _ADDRESS_FIELDS):
        return Outcome(payload_id, "duplicate", order_id=order_id)
    address = Address(**{key: wanted.get(key) or "" for key in _ADDRESS_FIELDS})
    try:
        change_shipping(db, order_id, Edit(actor, "address changed in the shop"), address=address)
    except OrdnungError as error:
        return _conflict(db, payload_id, order_id, actor, "changed the address", error)
    return Outcome(payload_id, "imported", order_id=order_id)


def apply_cancellation(db: Database, payload_id: int, order_id: int, actor: str) -> Outcome:
    try:
        cancel_order(
            db,
            order_id,
            reason=CancelReason("customer_request", "cancelled in the shop"),
            actor=actor,
        )
    except OrdnungError as error:
        return _conflict(db, payload_id, order_id, actor, "cancelled the order", error)
    return Outcome(payload_id, "imported", order_id=order_id)


def _conflict(
    db: Database, payload_id: int, order_id: int, actor: str, what: str, error: OrdnungError
) -> Outcome:
    message = f"The shop {what}, but Ordnung cannot follow: {error.detail}"
    add_comment(
        db, order_id, f"{message} A person must settle this with the customer.", author=actor
    )
    return Outcome(payload_id, "failed", order_id=order_id, error=message, error_field="order")
