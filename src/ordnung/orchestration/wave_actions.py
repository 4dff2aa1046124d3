"""A short pick reported from a pick wave: the wave counts the units as settled and the
fulfilment short pick takes them out of the fulfilment order and the location's stock, the
order's units are sourced again or wait (backordered), all in one transaction.

Lock order: the wave first (only wave actions lock it), then the system's order: the order,
its stock positions in id order, the fulfilment order (README: Architecture).
"""

from __future__ import annotations

from dataclasses import dataclass

from ordnung.core.db import Database, UnitOfWork
from ordnung.core.idempotency import IdempotentRequest
from ordnung.fulfillment import wave_model, waves
from ordnung.fulfillment.model import MissingUnits
from ordnung.orchestration.exception_actions import short_pick_within


@dataclass(frozen=True, slots=True)
class WaveShortPick:
    """Of the product with this SKU or GTIN, `missing` units are not on the shelf (for the
    named fulfilment order, needed when several of the wave want the SKU)."""

    barcode: str
    missing: int
    fulfillment_order_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class WaveShortPickOutcome:
    pick_wave_id: int
    sku: str
    missing: int
    fulfillment_order_id: int
    fulfillment_order_status: str
    order_status: str
    report_ids: list[int]
    wave_status: str


def report_wave_short_pick(
    db: Database,
    wave_ref: tuple[str, int],
    report: WaveShortPick,
    *,
    actor: str,
    only_location_id: int | None = None,
    idempotency: IdempotentRequest[WaveShortPickOutcome] | None = None,
) -> WaveShortPickOutcome:
    def work(uow: UnitOfWork) -> WaveShortPickOutcome:
        wave = waves.lock_open_wave(uow, wave_ref, only_location_id)
        lines = waves.pickable_lines(uow.connection, wave["id"])
        sku = waves.scanned_sku(uow.connection, report.barcode, {line.sku for line in lines})
        spread = wave_model.spread_short_pick(
            lines, sku, report.missing, report.fulfillment_order_id
        )
        fo_id = spread[0][0].fulfillment_order_id
        waves.settle(uow.connection, spread, column="short_quantity")
        missing = [MissingUnits(line.fulfillment_order_line_id, units) for line, units in spread]
        outcome = short_pick_within(uow, fo_id, missing, note=report.note)
        status = waves.close_if_done(uow, wave["id"])
        return WaveShortPickOutcome(
            wave["id"],
            sku,
            report.missing,
            fo_id,
            outcome.fulfillment_order_status,
            outcome.order_status,
            outcome.report_ids,
            status,
        )

    return db.write(work, actor=actor, idempotency=idempotency)
