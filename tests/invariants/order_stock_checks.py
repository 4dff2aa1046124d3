"""The order and stock invariants of design.md §5, checked by plain SQL reads.

`read_world` takes one consistent snapshot of positions, ledger, orders, lines, holds,
fulfilment orders and shipments; `World.violations` lists every invariant it breaks, in words.
The checker deliberately does not reuse the services' own queries or status sets, so a bug
there cannot hide itself: the open fulfilment statuses below are written out from design.md §4.

On "no oversell" (invariant 2, `reserved <= on_hand - safety_stock`): that is a guard on
*reserving*, not a property every stored state has. A stock count (`set_stock`,
`adjust_stock`) may find fewer units than were planned, or a manager may raise the safety
stock, and both are only refused when on_hand would drop below what is already reserved:
those units are promised to customers and the shortfall is the buffer's to absorb. So the
statements checked here are:

* always: `0 <= reserved <= on_hand` and `safety_stock >= 0` (the hard bound);
* per step (`reservation_guard_violations`): a step that raises `reserved` at a position leaves
  `reserved <= on_hand - safety_stock` there (sourcing never dips into safety stock), and
  order flow (place, ship, reject, cancel, release) never deepens a shortfall below safety
  stock: only a manual stock change (a receipt/adjustment ledger row, or a new safety stock)
  may create or deepen one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select, text
from sqlalchemy.engine import Connection

from ordnung.core.db import Database
from ordnung.core.tables import domain_event_table as event
from ordnung.fulfillment.tables import fulfillment_order_line_table as fo_line
from ordnung.fulfillment.tables import fulfillment_order_table as fo
from ordnung.fulfillment.tables import shipment_line_table as shipment_line
from ordnung.inventory.tables import checkout_hold_line_table as checkout_line
from ordnung.inventory.tables import checkout_hold_table as checkout_hold
from ordnung.inventory.tables import location_table as location
from ordnung.inventory.tables import stock_movement_table as movement
from ordnung.inventory.tables import stock_position_table as position
from ordnung.orders.model import ON_HOLD, ORDER_STATUSES, RECEIVED, LineBuckets, derive_status
from ordnung.orders.tables import order_hold_table as hold
from ordnung.orders.tables import order_line_table as line
from ordnung.orders.tables import sales_order_table as order
from ordnung.schema import metadata

# Fulfilment order statuses that still hold reserved stock (design.md §4).
OPEN_FO_STATUSES = frozenset({"released", "accepted", "picking", "packed", "ready_for_pickup"})
# Booked by people or outside systems (not the order flow): they may leave a position short
# of its reservations plus safety stock, which the order flow itself never does.
MANUAL_KINDS = (
    "receipt",
    "adjustment",
    "transfer_out",
    "transfer_in",
    "count",
    "write_off",
    "return",
)
# Events that record a change of the derived order status (the agent's timeline): one per
# status reached, `order.held` for going on hold.
STATUS_EVENTS = [
    f"order.{status}" for status in ORDER_STATUSES if status not in (RECEIVED, ON_HOLD)
] + ["order.held"]


@dataclass
class World:
    """What one snapshot of the database holds, keyed by id."""

    positions: dict[int, dict[str, Any]]
    ledger: dict[int, dict[str, int]]
    orders: dict[int, dict[str, Any]]
    lines: dict[int, dict[str, Any]]
    active_holds: list[tuple[int, int]]
    fulfillment_orders: dict[int, dict[str, Any]]
    fulfillment_lines: dict[int, dict[str, Any]]
    shipped_by_fo_line: dict[int, int]
    received_events: Counter[int]
    status_events: dict[int, list[tuple[str, str, str]]]
    # Units active checkout holds keep reserved, per position (written out here, not read
    # through the holds service: `status = 'active'` is the whole rule).
    checkout_held: dict[int, int] = field(default_factory=dict)
    # SKUs whose product is non-stock (catalog stock_policy = 'non_stock'), written out here.
    non_stock_skus: frozenset[str] = frozenset()
    # Click & collect fulfilment orders (a `pickup` row): reserved at their store, which may
    # ship no parcels, and handed over at its counter without a shipment.
    pickup_fo_ids: frozenset[int] = frozenset()
    violations: list[str] = field(default_factory=list)

    def available(self, position_id: int) -> int:
        p = self.positions[position_id]
        return int(p["on_hand"] - p["reserved"] - p["safety_stock"])

    def position_at(self, sku: str, location_code: str) -> dict[str, Any] | None:
        for p in self.positions.values():
            if p["sku"] == sku and p["location"] == location_code:
                return p
        return None

    def open_fo_ids(self, order_id: int | None = None) -> list[int]:
        return sorted(
            i
            for i, f in self.fulfillment_orders.items()
            if f["status"] in OPEN_FO_STATUSES and order_id in (None, f["order_id"])
        )

    def closed_fo_ids(self) -> list[int]:
        return sorted(
            i for i, f in self.fulfillment_orders.items() if f["status"] not in OPEN_FO_STATUSES
        )

    def order_lines(self, order_id: int) -> list[dict[str, Any]]:
        return [ln for _, ln in sorted(self.lines.items()) if ln["order_id"] == order_id]


def _rows(connection: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in connection.execute(query).mappings()]


def _load(connection: Connection) -> World:
    positions = _rows(
        connection,
        select(position, location.c.code.label("location"), location.c.capabilities).join(
            location, location.c.id == position.c.location_id
        ),
    )
    manual = func.sum(case((movement.c.kind.in_(MANUAL_KINDS), 1), else_=0))
    ledger = _rows(
        connection,
        select(
            movement.c.position_id,
            func.sum(movement.c.on_hand_delta).label("on_hand"),
            func.sum(movement.c.reserved_delta).label("reserved"),
            manual.label("manual_rows"),
        ).group_by(movement.c.position_id),
    )
    shipped = _rows(
        connection,
        select(
            shipment_line.c.fulfillment_order_line_id, func.sum(shipment_line.c.quantity).label("q")
        ).group_by(shipment_line.c.fulfillment_order_line_id),
    )
    received = _rows(
        connection,
        select(event.c.aggregate_id, func.count().label("n"))
        .where(event.c.type == "order.received", event.c.aggregate_type == "order")
        .group_by(event.c.aggregate_id),
    )
    holds = _rows(
        connection, select(hold.c.id, hold.c.order_id).where(hold.c.released_at.is_(None))
    )
    timeline = _rows(
        connection,
        select(event.c.aggregate_id, event.c.type, event.c.payload)
        .where(event.c.aggregate_type == "order", event.c.type.in_(STATUS_EVENTS))
        .order_by(event.c.id),
    )
    status_events: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for row in timeline:
        payload = row["payload"]
        if row["type"] == "order.held" and payload["from"] == payload["to"]:
            continue  # one more hold on an order that was on hold already
        kind = ON_HOLD if row["type"] == "order.held" else row["type"].removeprefix("order.")
        status_events[row["aggregate_id"]].append((kind, payload["from"], payload["to"]))
    checkout_held = _rows(
        connection,
        select(checkout_line.c.position_id, func.sum(checkout_line.c.quantity).label("q"))
        .join(checkout_hold, checkout_hold.c.id == checkout_line.c.hold_id)
        .where(checkout_hold.c.status == "active")
        .group_by(checkout_line.c.position_id),
    )
    non_stock = connection.execute(
        text("SELECT sku FROM product WHERE stock_policy = 'non_stock'")
    ).scalars()
    collected = connection.execute(text("SELECT fulfillment_order_id FROM pickup")).scalars()
    return World(
        pickup_fo_ids=frozenset(int(fo_id) for fo_id in collected),
        non_stock_skus=frozenset(str(sku) for sku in non_stock),
        checkout_held={row["position_id"]: int(row["q"]) for row in checkout_held},
        positions={p["id"]: p for p in positions},
        ledger={row.pop("position_id"): row for row in ledger},
        orders={o["id"]: o for o in _rows(connection, select(order.c.id, order.c.status))},
        lines={ln["id"]: ln for ln in _rows(connection, select(line))},
        active_holds=sorted((h["id"], h["order_id"]) for h in holds),
        fulfillment_orders={f["id"]: f for f in _rows(connection, select(fo))},
        fulfillment_lines={f["id"]: f for f in _rows(connection, select(fo_line))},
        shipped_by_fo_line={row["fulfillment_order_line_id"]: int(row["q"]) for row in shipped},
        received_events=Counter({row["aggregate_id"]: int(row["n"]) for row in received}),
        status_events=status_events,
    )


def read_world(db: Database) -> World:
    """One snapshot, with every broken invariant listed in `violations`."""
    world = db.read(_load)
    for check in (
        _position_bounds,
        _ledger_sums,
        _reservations_are_open_fulfillment_lines,
        _line_buckets,
        _order_status,
        _received_once,
        _timeline,
        _shipments,
        _non_stock_takes_no_stock,
    ):
        world.violations.extend(check(world))
    return world


def idle_stock_while_orders_wait(w: World) -> list[str]:
    """Units a shipping location could give while an order not on hold waits for them (and
    that location never rejected the order): every action that frees or adds stock gives it
    to the waiting orders at once, so in a state the services made there are none."""
    held = {order_id for _, order_id in w.active_holds}
    rejected: dict[int, set[int]] = defaultdict(set)
    for work in w.fulfillment_orders.values():
        if work["status"] == "rejected":
            rejected[work["order_id"]].add(work["location_id"])
    found = []
    for ln in w.lines.values():
        order_id = ln["order_id"]
        if not ln["open_quantity"] or order_id in held:
            continue
        if w.orders[order_id]["status"] in ("cancelled", "on_hold"):
            continue
        for pid, p in w.positions.items():
            ships = not {"ship", "ship_from_store", "dropship"}.isdisjoint(p["capabilities"])
            usable = ships and p["location_id"] not in rejected[order_id]
            if usable and p["sku"] == ln["sku"] and w.available(pid) > 0:
                found.append(
                    f"order {order_id} waits for {ln['open_quantity']} of {ln['sku']} while "
                    f"{p['location']} has {w.available(pid)} to give"
                )
    return found


def _position_bounds(w: World) -> list[str]:
    return [
        f"position {p['sku']}@{p['location']}: not 0 <= reserved {p['reserved']} <= on_hand "
        f"{p['on_hand']} (safety {p['safety_stock']})"
        for p in w.positions.values()
        if not (0 <= p["reserved"] <= p["on_hand"] and p["safety_stock"] >= 0)
    ]


def _ledger_sums(w: World) -> list[str]:
    found = []
    for pid, p in w.positions.items():
        sums = w.ledger.get(pid, {"on_hand": 0, "reserved": 0})
        if (int(sums["on_hand"]), int(sums["reserved"])) != (p["on_hand"], p["reserved"]):
            found.append(
                f"ledger of {p['sku']}@{p['location']} sums to on_hand {sums['on_hand']}, "
                f"reserved {sums['reserved']}; position says {p['on_hand']}, {p['reserved']}"
            )
    found += [
        f"ledger rows for unknown position {pid}" for pid in w.ledger if pid not in w.positions
    ]
    return found


def _open_remaining(w: World) -> list[dict[str, Any]]:
    """Open fulfilment order lines with the units they still hold."""
    return [
        {**fl, "remaining": fl["quantity"] - fl["shipped_quantity"]}
        for fl in w.fulfillment_lines.values()
        if w.fulfillment_orders[fl["fulfillment_order_id"]]["status"] in OPEN_FO_STATUSES
    ]


def _reservations_are_open_fulfillment_lines(w: World) -> list[str]:
    """Reserved units are open fulfilment order lines' plus active checkout holds'."""
    held: dict[int, int] = defaultdict(int, w.checkout_held)
    found = []
    for fl in _open_remaining(w):
        if fl["position_id"] is None:  # a non-stock product's units: see below
            continue
        held[fl["position_id"]] += fl["remaining"]
        p = w.positions[fl["position_id"]]
        fo_location = w.fulfillment_orders[fl["fulfillment_order_id"]]["location_id"]
        if p["location_id"] != fo_location or p["sku"] != fl["sku"]:
            found.append(f"fulfilment line {fl['id']} reserves at a foreign position {p['id']}")
        is_collected = fl["fulfillment_order_id"] in w.pickup_fo_ids
        if is_collected and "pickup" not in p["capabilities"]:
            found.append(f"click & collect line {fl['id']} reserves at non-pickup {p['location']}")
        if "ship" not in p["capabilities"] and not is_collected:
            found.append(f"fulfilment line {fl['id']} reserves at non-shipping {p['location']}")
    for pid, p in w.positions.items():
        if p["reserved"] != held[pid]:
            found.append(
                f"{p['sku']}@{p['location']}: reserved {p['reserved']} but open fulfilment "
                f"order lines hold {held[pid]} (with active checkout holds)"
            )
    return found


def _non_stock_takes_no_stock(w: World) -> list[str]:
    """A non-stock SKU has no reserved units and no ledger rows, and its fulfilment lines
    have no stock position; every other SKU's fulfilment lines have one."""
    found = []
    for pid, p in w.positions.items():
        if p["sku"] in w.non_stock_skus and (p["reserved"] or pid in w.ledger):
            found.append(
                f"non-stock {p['sku']}@{p['location']}: reserved {p['reserved']}, "
                f"{'with' if pid in w.ledger else 'without'} ledger rows"
            )
    for fl in w.fulfillment_lines.values():
        is_non_stock = fl["sku"] in w.non_stock_skus
        if is_non_stock != (fl["position_id"] is None):
            found.append(
                f"fulfilment line {fl['id']} of {fl['sku']} has position {fl['position_id']}"
            )
    return found


def _line_buckets(w: World) -> list[str]:
    allocated: dict[int, int] = defaultdict(int)
    for fl in _open_remaining(w):
        allocated[fl["order_line_id"]] += fl["remaining"]
    found = []
    for lid, ln in w.lines.items():
        buckets = [ln[f"{b}_quantity"] for b in ("open", "allocated", "shipped", "cancelled")]
        if min(buckets) < 0 or sum(buckets) != ln["quantity"]:
            found.append(f"line {lid}: buckets {buckets} do not split quantity {ln['quantity']}")
        if not 0 <= ln["returned_quantity"] <= ln["shipped_quantity"]:
            found.append(f"line {lid}: returned {ln['returned_quantity']} outside 0..shipped")
        if ln["allocated_quantity"] != allocated[lid]:
            found.append(
                f"line {lid}: allocated {ln['allocated_quantity']} but open fulfilment "
                f"order lines hold {allocated[lid]} units of it"
            )
    return found


def _order_status(w: World) -> list[str]:
    held = {order_id for _, order_id in w.active_holds}
    found = []
    for oid, o in w.orders.items():
        try:
            buckets = [
                LineBuckets(
                    quantity=ln["quantity"],
                    open=ln["open_quantity"],
                    allocated=ln["allocated_quantity"],
                    shipped=ln["shipped_quantity"],
                    cancelled=ln["cancelled_quantity"],
                    returned=ln["returned_quantity"],
                )
                for ln in w.order_lines(oid)
            ]
        except ValueError:
            continue  # reported by _line_buckets
        expected = derive_status(buckets, has_active_hold=oid in held)
        if o["status"] != expected:
            found.append(f"order {oid}: status {o['status']}, lines and holds say {expected}")
    return found


def _received_once(w: World) -> list[str]:
    found = [
        f"order {oid}: {w.received_events[oid]} order.received events, not 1"
        for oid in w.orders
        if w.received_events[oid] != 1
    ]
    found += [
        f"order.received for unknown order {oid}"
        for oid in w.received_events
        if oid not in w.orders
    ]
    return found


def _timeline(w: World) -> list[str]:
    """Status events chain from intake to the current status: none missing, none invented."""
    found = []
    for oid, o in w.orders.items():
        state = RECEIVED
        for kind, source, target in w.status_events.get(oid, []):
            if (source, target) != (state, kind):
                found.append(f"order {oid}: event order.{kind} {source}->{target} after {state}")
            state = kind
        if state != o["status"]:
            found.append(f"order {oid}: timeline ends at {state}, status is {o['status']}")
    return found


def _shipments(w: World) -> list[str]:
    per_line: dict[int, int] = defaultdict(int)
    found = []
    for fid, fl in w.fulfillment_lines.items():
        shipped = w.shipped_by_fo_line.get(fid, 0)
        fo = w.fulfillment_orders[fl["fulfillment_order_id"]]
        if fo["status"] == "picked_up" and fo["id"] in w.pickup_fo_ids and not shipped:
            shipped = fl["shipped_quantity"]  # handed over at the counter: no shipment
        per_line[fl["order_line_id"]] += shipped
        if fl["shipped_quantity"] != shipped:
            found.append(
                f"fulfilment line {fid}: shipped_quantity {fl['shipped_quantity']} but "
                f"shipment lines carry {shipped}"
            )
    for lid, ln in w.lines.items():
        if ln["shipped_quantity"] != per_line[lid]:
            found.append(
                f"line {lid}: shipped {ln['shipped_quantity']} but shipments carry {per_line[lid]}"
            )
    return found


def reservation_guard_violations(before: World, after: World) -> list[str]:
    """The per-step form of "no oversell" (see the module docstring)."""
    found = []
    for pid, p in after.positions.items():
        old = before.positions.get(pid)
        slack = after.available(pid)
        if old is None:
            if p["reserved"] > 0 and slack < 0:
                found.append(f"{p['sku']}@{p['location']}: new position reserved into safety")
            continue
        old_slack = before.available(pid)
        if p["reserved"] > old["reserved"] and slack < 0:
            found.append(
                f"{p['sku']}@{p['location']}: reserved rose {old['reserved']} -> {p['reserved']}"
                f" and dips into safety stock (on_hand {p['on_hand']}, safety {p['safety_stock']})"
            )
        is_manual = p["safety_stock"] != old["safety_stock"] or _manual_rows(after, pid) != (
            _manual_rows(before, pid)
        )
        if not is_manual and slack < min(0, old_slack):
            found.append(
                f"{p['sku']}@{p['location']}: order flow deepened a shortfall below safety "
                f"stock from {old_slack} to {slack}"
            )
    return found


def _manual_rows(w: World, position_id: int) -> int:
    return int(w.ledger.get(position_id, {}).get("manual_rows") or 0)


def snapshot(db: Database) -> dict[str, list[Any]]:
    """Every row of every table, to show that a refused action changed nothing at all."""

    def work(connection: Connection) -> dict[str, list[Any]]:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).all()
            ]
            for table in metadata.sorted_tables
            if table.primary_key.columns
        }

    return db.read(work)


def empty_all_tables(db: Database) -> None:
    """As tests/conftest.py does before each test; here before each Hypothesis example."""
    names = [table.name for table in reversed(metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if db.is_sqlite:
            for name in names:
                connection.execute(text(f'DELETE FROM "{name}"'))
        else:
            joined = ", ".join(f'"{name}"' for name in names)
            connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
