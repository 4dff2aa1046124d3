"""Pick waves: a location picks several fulfilment orders in one walk along its bins.

Building a wave starts picking its fulfilment orders (released ones are accepted first, each
step through the fulfilment order's declared transitions, so the order's timeline shows it).
Picks are confirmed per SKU (a scan or a click) and recorded on the fulfilment orders'
timelines; a short pick from the wave is the fulfilment short pick (orchestration/). A wave is
done when nothing is left to walk for; its fulfilment orders stay `picking`, ready to pack.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.barcodes import product_labels, skus_for_barcode
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import ConflictError, NotFoundError, ValidationError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.core.numbering import next_counter_values
from ordnung.fulfillment import events, model, wave_model
from ordnung.fulfillment.pick_list_pdf import PickListDocument, PickListRow
from ordnung.fulfillment.service import _load, _open_lines, _transition
from ordnung.fulfillment.tables import fulfillment_order_table as fo_table
from ordnung.fulfillment.tables import pick_wave_line_table as line_table
from ordnung.fulfillment.tables import pick_wave_order_table as member_table
from ordnung.fulfillment.tables import pick_wave_table as wave_table
from ordnung.fulfillment.wave_model import Candidate, WaveLine
from ordnung.inventory.bins import bins_of, scoped_location_id
from ordnung.inventory.locations import location_names

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WaveCreated:
    id: int
    number: str
    status: str
    fulfillment_order_ids: list[int]


@dataclass(frozen=True, slots=True)
class Pick:
    """Units taken off the shelf: the product's SKU or GTIN as scanned, how many, and for
    which fulfilment order (None: the first of the wave that still wants them)."""

    barcode: str
    quantity: int
    fulfillment_order_id: int | None = None


@dataclass(frozen=True, slots=True)
class PicksRecorded:
    pick_wave_id: int
    sku: str
    quantity: int
    wave_status: str
    fulfillment_order_ids: list[int]


# -- building a wave -------------------------------------------------------------------------


def create_wave(
    db: Database,
    location_code: str,
    fulfillment_order_ids: Sequence[int],
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[WaveCreated] | None = None,
) -> WaveCreated:
    """One wave of these fulfilment orders of the location; each starts picking."""

    def work(uow: UnitOfWork) -> WaveCreated:
        location_id = scoped_location_id(uow.connection, location_code, only_location_id)
        requested = list(fulfillment_order_ids)
        found = _candidates(uow.connection, requested)
        wave_model.check_wave_orders(
            requested, found, location_id, _in_open_waves(uow.connection, requested)
        )
        ids = sorted(requested)  # fulfilment orders are locked in id order
        for fo_id in ids:
            _start_picking(uow, fo_id)
        wave_id, number = _insert_wave(uow, location_id)
        uow.connection.execute(
            insert(member_table),
            [{"pick_wave_id": wave_id, "fulfillment_order_id": i, "is_open": True} for i in ids],
        )
        _insert_lines(uow.connection, wave_id, location_id, ids)
        return WaveCreated(wave_id, number, wave_model.OPEN, ids)

    return db.write(work, actor=actor, idempotency=idempotency)


def _candidates(connection: Connection, ids: Sequence[int]) -> dict[int, Candidate]:
    rows = connection.execute(
        select(fo_table.c.id, fo_table.c.location_id, fo_table.c.status)
        .where(fo_table.c.id.in_(sorted(set(ids))))
        .order_by(fo_table.c.id)
        .with_for_update()
    )
    return {row.id: Candidate(row.id, row.location_id, row.status) for row in rows}


def _in_open_waves(connection: Connection, ids: Sequence[int]) -> set[int]:
    return set(
        connection.execute(
            select(member_table.c.fulfillment_order_id).where(
                member_table.c.fulfillment_order_id.in_(sorted(set(ids))),
                member_table.c.is_open.is_(True),
            )
        ).scalars()
    )


def _start_picking(uow: UnitOfWork, fo_id: int) -> None:
    fo = _load(uow.connection, fo_id)
    if fo["status"] == model.RELEASED:
        _transition(uow, fo, model.ACCEPTED)
    _transition(uow, fo, model.PICKING)


def _insert_wave(uow: UnitOfWork, location_id: int) -> tuple[int, str]:
    [value] = next_counter_values(uow.connection, "pick_wave", 1)
    number = f"PW-{value:06d}"
    wave_id = uow.connection.execute(
        insert(wave_table)
        .values(
            number=number,
            location_id=location_id,
            status=wave_model.OPEN,
            created_by=uow.actor,
            created_at=clock.now(),
            completed_at=None,
        )
        .returning(wave_table.c.id)
    ).scalar_one()
    return int(wave_id), number


def _insert_lines(connection: Connection, wave_id: int, location_id: int, ids: list[int]) -> None:
    rows = connection.execute(
        select(fo_table.c.id, fo_table.c.order_number).where(fo_table.c.id.in_(ids))
    )
    numbers = {fo_id: number for fo_id, number in rows}
    lines = [line for fo_id in ids for line in _open_lines(connection, fo_id)]
    if not lines:
        raise ConflictError("These fulfilment orders have nothing left to pick.")
    bins = bins_of(connection, location_id, {line["sku"] for line in lines})
    connection.execute(
        insert(line_table),
        [
            {
                "pick_wave_id": wave_id,
                "fulfillment_order_id": line["fulfillment_order_id"],
                "fulfillment_order_line_id": line["id"],
                "order_number": numbers[line["fulfillment_order_id"]],
                "sku": line["sku"],
                "bin": bins.get(line["sku"]),
                "quantity": line["quantity"] - line["shipped_quantity"],
                "picked_quantity": 0,
                "short_quantity": 0,
            }
            for line in lines
        ],
    )


# -- picking ---------------------------------------------------------------------------------


def record_picks(
    db: Database,
    wave_ref: tuple[str, int],
    pick: Pick,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[PicksRecorded] | None = None,
) -> PicksRecorded:
    """Units of the product with this SKU or GTIN were taken off the shelf for the wave; a
    wave with nothing left to walk for is done."""

    def work(uow: UnitOfWork) -> PicksRecorded:
        wave = lock_open_wave(uow, wave_ref, only_location_id)
        lines = pickable_lines(uow.connection, wave["id"])
        sku = scanned_sku(uow.connection, pick.barcode, {line.sku for line in lines})
        spread = wave_model.spread_pick(lines, sku, pick.quantity, pick.fulfillment_order_id)
        settle(uow.connection, spread, column="picked_quantity")
        by_order: dict[int, int] = defaultdict(int)
        for line, units in spread:
            by_order[line.fulfillment_order_id] += units
        for fo_id, units in sorted(by_order.items()):
            uow.record(
                events.FulfillmentOrderUnitsPicked(
                    wave["location_id"],
                    wave["id"],
                    wave["number"],
                    [{"sku": sku, "quantity": units}],
                ),
                aggregate_id=fo_id,
                order_id=_order_id(uow.connection, fo_id),
            )
        status = close_if_done(uow, wave["id"])
        return PicksRecorded(wave["id"], sku, pick.quantity, status, sorted(by_order))

    return db.write(work, actor=actor, idempotency=idempotency)


def scanned_sku(connection: Connection, barcode: str, wave_skus: set[str]) -> str:
    """The SKU a scanned code names among the wave's SKUs (its SKU or its GTIN)."""
    if barcode in wave_skus:
        return barcode
    named = skus_for_barcode(connection, barcode) & wave_skus
    if len(named) != 1:
        raise ValidationError(f"{barcode} names no product of this wave's pick list.", field="sku")
    return named.pop()


def _order_id(connection: Connection, fo_id: int) -> int:
    return int(
        connection.execute(select(fo_table.c.order_id).where(fo_table.c.id == fo_id)).scalar_one()
    )


def lock_open_wave(uow: UnitOfWork, wave_ref: tuple[str, int], only_location_id: int | None) -> Row:
    """The wave, locked for this transaction; another location's answers 404, a done wave
    409."""
    wave = _wave_row(uow.connection, wave_ref, only_location_id, lock=True)
    if wave["status"] != wave_model.OPEN:
        raise ConflictError(f"Pick wave {wave['number']} is done.")
    return wave


def pickable_lines(connection: Connection, wave_id: int) -> list[WaveLine]:
    """The wave's lines whose fulfilment order is still being picked."""
    return [line for line, status in _lines(connection, wave_id) if status == model.PICKING]


def settle(connection: Connection, spread: Sequence[tuple[WaveLine, int]], *, column: str) -> None:
    """Adds units to the lines' picked or short count; compare-and-set, so two scans of the
    last unit cannot both count."""
    target = line_table.c[column]
    settled = line_table.c.picked_quantity + line_table.c.short_quantity
    for line, units in sorted(spread, key=lambda item: item[0].id):
        result = connection.execute(
            update(line_table)
            .where(line_table.c.id == line.id, settled + units <= line_table.c.quantity)
            .values({column: target + units})
        )
        if result.rowcount != 1:
            raise ConflictError("The pick list changed meanwhile; reload it.")


def close_if_done(uow: UnitOfWork, wave_id: int) -> str:
    """Closes the wave when nothing is left to walk for: its fulfilment orders may then join
    another wave."""
    lines = _lines(uow.connection, wave_id)
    still_picking = {line.fulfillment_order_id for line, status in lines if status == model.PICKING}
    if not wave_model.is_done([line for line, _ in lines], still_picking):
        return wave_model.OPEN
    uow.connection.execute(
        update(wave_table)
        .where(wave_table.c.id == wave_id, wave_table.c.status == wave_model.OPEN)
        .values(status=wave_model.DONE, completed_at=clock.now())
    )
    uow.connection.execute(
        update(member_table).where(member_table.c.pick_wave_id == wave_id).values(is_open=False)
    )
    return wave_model.DONE


# -- reads -----------------------------------------------------------------------------------


def _wave_row(
    connection: Connection, wave_ref: tuple[str, int], only_location_id: int | None, *, lock: bool
) -> Row:
    location_code, wave_id = wave_ref
    location_id = scoped_location_id(connection, location_code, only_location_id)
    query = select(wave_table).where(wave_table.c.id == wave_id)
    row = connection.execute(query.with_for_update() if lock else query).mappings().first()
    if row is None or row["location_id"] != location_id:
        raise NotFoundError(f"Pick wave {wave_id} does not exist.")
    return dict(row)


def _lines(connection: Connection, wave_id: int) -> list[tuple[WaveLine, str]]:
    rows = connection.execute(
        select(line_table, fo_table.c.status.label("fo_status"))
        .join(fo_table, fo_table.c.id == line_table.c.fulfillment_order_id)
        .where(line_table.c.pick_wave_id == wave_id)
        .order_by(line_table.c.id)
    ).mappings()
    return [
        (
            WaveLine(
                row["id"],
                row["fulfillment_order_id"],
                row["fulfillment_order_line_id"],
                row["order_number"],
                row["sku"],
                row["bin"],
                row["quantity"],
                row["picked_quantity"],
                row["short_quantity"],
            ),
            row["fo_status"],
        )
        for row in rows
    ]


def get_wave(
    db: Database, wave_ref: tuple[str, int], *, only_location_id: int | None = None
) -> dict[str, Any]:
    """The wave with its pick rows (per bin and SKU, in walking order) and its fulfilment
    orders."""

    def read(connection: Connection) -> dict[str, Any]:
        wave = _wave_row(connection, wave_ref, only_location_id, lock=False)
        lines = _lines(connection, wave["id"])
        orders: dict[int, dict[str, Any]] = {}
        for line, status in lines:
            orders.setdefault(
                line.fulfillment_order_id,
                {
                    "id": line.fulfillment_order_id,
                    "order_number": line.order_number,
                    "status": status,
                },
            )
        rows = wave_model.pick_rows([line for line, _ in lines])
        return _wave_out(wave, wave_ref[0]) | {
            "fulfillment_orders": sorted(orders.values(), key=lambda fo: fo["id"]),
            "rows": [_row_out(row) for row in rows],
        }

    return db.read(read)


def _row_out(row: wave_model.PickRow) -> dict[str, Any]:
    return {
        "bin": row.bin,
        "sku": row.sku,
        "quantity": row.quantity,
        "picked": row.picked,
        "short": row.short,
        "remaining": row.remaining,
        "fulfillment_order_ids": row.fulfillment_order_ids,
        "order_numbers": row.order_numbers,
    }


def _wave_out(wave: Row, location_code: str) -> dict[str, Any]:
    completed = wave["completed_at"]
    return {
        "id": wave["id"],
        "number": wave["number"],
        "location_code": location_code,
        "status": wave["status"],
        "created_by": wave["created_by"],
        "created_at": wave["created_at"].isoformat(),
        "completed_at": None if completed is None else completed.isoformat(),
    }


def list_waves(
    db: Database,
    location_code: str,
    *,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    only_location_id: int | None = None,
) -> dict[str, Any]:
    """The location's waves, newest first."""
    if status is not None and status not in wave_model.WAVE_STATUSES:
        raise ValidationError(f"Unknown status {status!r}.", field="status")
    if cursor and not cursor.isdigit():
        raise ValidationError("The cursor is not valid; use the one a list gave.", field="cursor")

    def read(connection: Connection) -> dict[str, Any]:
        location_id = scoped_location_id(connection, location_code, only_location_id)
        query = select(wave_table).where(wave_table.c.location_id == location_id)
        if status:
            query = query.where(wave_table.c.status == status)
        if cursor:
            query = query.where(wave_table.c.id < int(cursor))
        rows = connection.execute(query.order_by(wave_table.c.id.desc()).limit(limit + 1))
        found = [dict(row) for row in rows.mappings()]
        items = [_wave_out(row, location_code) for row in found[:limit]]
        more = len(found) > limit
        return {"items": items, "next_cursor": str(items[-1]["id"]) if more else None}

    return db.read(read)


def wave_location_id(db: Database, wave_ref: tuple[str, int], only_location_id: int | None) -> int:
    """404 unless the wave exists at that location and the caller may see it."""
    return int(
        db.read(lambda c: _wave_row(c, wave_ref, only_location_id, lock=False))["location_id"]
    )


def pick_list_document(
    db: Database, wave_ref: tuple[str, int], *, only_location_id: int | None = None
) -> PickListDocument:
    """What the printed pick list shows: the wave's rows in bin order with product names and
    the code to scan (GTIN, else SKU)."""

    def read(connection: Connection) -> PickListDocument:
        wave = _wave_row(connection, wave_ref, only_location_id, lock=False)
        rows = wave_model.pick_rows([line for line, _ in _lines(connection, wave["id"])])
        labels = product_labels(connection, {row.sku for row in rows})
        location = location_names(connection, {wave["location_id"]})[wave["location_id"]]
        return PickListDocument(
            wave["number"],
            f"{location['name']} ({location['code']})",
            wave["created_at"].date(),
            [
                PickListRow(
                    row.bin,
                    row.sku,
                    labels.get(row.sku, (row.sku, None))[0],
                    row.quantity,
                    row.order_numbers,
                    labels.get(row.sku, (row.sku, None))[1] or row.sku,
                )
                for row in rows
            ],
        )

    return db.read(read)


def wave_ref_of(
    db: Database, wave_id: int, *, only_location_id: int | None = None
) -> tuple[str, int]:
    """The wave's (location code, id), for screens that know only the id; another
    location's wave answers 404 to a location-bound user."""

    def read(connection: Connection) -> tuple[str, int]:
        location_id = connection.execute(
            select(wave_table.c.location_id).where(wave_table.c.id == wave_id)
        ).scalar()
        if location_id is None or only_location_id not in (None, location_id):
            raise NotFoundError(f"Pick wave {wave_id} does not exist.")
        code = location_names(connection, {location_id})[location_id]["code"]
        return code, wave_id

    return db.read(read)
