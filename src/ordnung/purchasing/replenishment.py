"""Replenishment: a rule per SKU × location (reorder point, minimum, maximum, preferred
supplier), the suggestions the rules make from today's stock and open supply, and turning
chosen suggestions into draft purchase orders, one per supplier and destination."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.engine import Connection

from ordnung.catalog.service import product_exists
from ordnung.core import clock
from ordnung.core.db import Database, UnitOfWork
from ordnung.core.errors import NotFoundError, StaleVersionError
from ordnung.core.idempotency import IdempotentRequest
from ordnung.inventory.locations import location_id_for_code, location_names
from ordnung.inventory.service import list_stock
from ordnung.purchasing import model
from ordnung.purchasing.model import LineDraft, PurchaseOrderDraft, ReplenishmentRule, Suggestion
from ordnung.purchasing.service import draft_purchase_order, open_supply_by_position
from ordnung.purchasing.suppliers import minimum_of, order_minimums, supplier_terms
from ordnung.purchasing.tables import replenishment_rule_table as rule_table
from ordnung.purchasing.tables import supplier_table as supplier

Rows = Row[Any]


@dataclass(frozen=True, slots=True)
class RuleInput:
    sku: str
    location_code: str
    reorder_point: int
    minimum: int
    maximum: int
    supplier_code: str | None = None


def _supplier_id(connection: Connection, code: str | None) -> int | None:
    if code is None:
        return None
    found = connection.execute(select(supplier.c.id).where(supplier.c.code == code)).scalar()
    if found is None:
        raise model.invalid("supplier", f"no supplier with code '{code}'")
    return int(found)


def save_rule(
    db: Database, rule: RuleInput, *, actor: str, expected_version: int | None = None
) -> dict[str, Any]:
    """Creates or replaces the rule of a SKU at a location; an edit that carries a version
    which is no longer current is a 409."""

    def work(uow: UnitOfWork) -> dict[str, Any]:
        connection = uow.connection
        if not product_exists(connection, rule.sku):
            raise model.invalid("sku", f"no product with SKU '{rule.sku}'")
        try:
            location_id = location_id_for_code(connection, rule.location_code)
        except NotFoundError:
            raise model.invalid("location", f"no location '{rule.location_code}'") from None
        supplier_id = _supplier_id(connection, rule.supplier_code)
        model.check_rule(
            ReplenishmentRule(
                rule.sku, location_id, rule.reorder_point, rule.minimum, rule.maximum, supplier_id
            )
        )
        values = {
            "reorder_point": rule.reorder_point,
            "minimum": rule.minimum,
            "maximum": rule.maximum,
            "supplier_id": supplier_id,
            "updated_at": clock.now(),
        }
        key = (rule_table.c.sku == rule.sku, rule_table.c.location_id == location_id)
        current = connection.execute(select(rule_table.c.version).where(*key)).scalar()
        if current is None:
            connection.execute(
                insert(rule_table).values(sku=rule.sku, location_id=location_id, **values)
            )
        else:
            if expected_version is not None and current != expected_version:
                raise StaleVersionError(
                    f"The rule of {rule.sku} at {rule.location_code} was changed meanwhile.",
                    current_version=current,
                )
            connection.execute(
                update(rule_table)
                .where(*key, rule_table.c.version == current)
                .values(version=rule_table.c.version + 1, **values)
            )
        return _rules(connection, sku=rule.sku, location_id=location_id)[0]

    return db.write(work, actor=actor)


def _rules(
    connection: Connection, *, sku: str | None = None, location_id: int | None = None
) -> list[dict[str, Any]]:
    query = (
        select(rule_table, supplier.c.code.label("supplier_code"))
        .outerjoin(supplier, supplier.c.id == rule_table.c.supplier_id)
        .order_by(rule_table.c.sku, rule_table.c.location_id)
    )
    if sku is not None:
        query = query.where(rule_table.c.sku == sku)
    if location_id is not None:
        query = query.where(rule_table.c.location_id == location_id)
    rows = connection.execute(query).all()
    names = location_names(connection, {row.location_id for row in rows})
    return [
        {
            "id": row.id,
            "sku": row.sku,
            "location": names[row.location_id]["code"],
            "location_id": row.location_id,
            "reorder_point": row.reorder_point,
            "minimum": row.minimum,
            "maximum": row.maximum,
            "supplier": row.supplier_code,
            "supplier_id": row.supplier_id,
            "version": row.version,
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


def list_rules(db: Database) -> list[dict[str, Any]]:
    return db.read(_rules)


def _stock_levels(db: Database, location_codes: Collection[str]) -> dict[tuple[str, str], Any]:
    """(SKU, location code) → (on hand, reserved), read through inventory's service."""
    levels: dict[tuple[str, str], Any] = {}
    for code in sorted(location_codes):
        after: int | None = None
        while True:
            page = list_stock(db, location_code=code, after_id=after, limit=500)
            for item in page["items"]:
                levels[(item["sku"], code)] = (item["on_hand"], item["reserved"])
            after = page["next_after_id"]
            if after is None:
                break
    return levels


def suggestions(db: Database) -> list[dict[str, Any]]:
    """What the rules suggest to order now: on hand − reserved + open supply at or below the
    reorder point → up to the maximum, in whole packs of the preferred (else the cheapest)
    supplier. Urgent ones (below the minimum) first."""

    def work(connection: Connection) -> tuple[list[dict[str, Any]], Any, Any, dict[int, str]]:
        rules = _rules(connection)
        skus = {rule["sku"] for rule in rules}
        terms = supplier_terms(connection, skus)
        supplier_ids = {key[0] for key in terms} | {
            rule["supplier_id"] for rule in rules if rule["supplier_id"] is not None
        }
        codes = {key: row.code for key, row in order_minimums(connection, supplier_ids).items()}
        return rules, terms, open_supply_by_position(connection, skus), codes

    rules, terms, incoming, supplier_codes = db.read(work)
    levels = _stock_levels(db, {rule["location"] for rule in rules})
    found = []
    for rule in rules:
        suggestion = _suggest(rule, terms, incoming, levels)
        if suggestion is not None:
            found.append(_suggestion_dict(suggestion, rule, supplier_codes))
    return sorted(found, key=lambda s: (not s["is_urgent"], s["sku"], s["location"]))


def _suggest(
    rule: dict[str, Any], terms: Any, incoming: dict[tuple[str, int], int], levels: Any
) -> Suggestion | None:
    sku, location_id = rule["sku"], rule["location_id"]
    preferred = rule["supplier_id"]
    if preferred is not None:
        chosen = terms.get((preferred, sku))
    else:
        # supplier_terms is ordered by price: the first listing is the cheapest.
        chosen = next((t for (_, s), t in terms.items() if s == sku), None)
    on_hand, reserved = levels.get((sku, rule["location"]), (0, 0))
    suggestion = model.suggest(
        ReplenishmentRule(
            sku,
            location_id,
            rule["reorder_point"],
            rule["minimum"],
            rule["maximum"],
            preferred,
        ),
        on_hand=on_hand,
        reserved=reserved,
        incoming=incoming.get((sku, location_id), 0),
        terms=chosen,
    )
    if suggestion is not None and chosen is None and preferred is not None:
        return Suggestion(**{**_fields(suggestion), "supplier_id": preferred})
    return suggestion


def _fields(suggestion: Suggestion) -> dict[str, Any]:
    return {name: getattr(suggestion, name) for name in Suggestion.__dataclass_fields__}


def _suggestion_dict(
    suggestion: Suggestion, rule: dict[str, Any], supplier_codes: dict[int, str]
) -> dict[str, Any]:
    return {
        "sku": suggestion.sku,
        "location": rule["location"],
        "projected": suggestion.projected,
        "reorder_point": rule["reorder_point"],
        "minimum": rule["minimum"],
        "maximum": rule["maximum"],
        "quantity": suggestion.quantity,
        "is_urgent": suggestion.is_urgent,
        "supplier": supplier_codes.get(suggestion.supplier_id)
        if suggestion.supplier_id is not None
        else None,
        "unit_price": None if suggestion.unit_price is None else str(suggestion.unit_price),
        "_suggestion": suggestion,
    }


def order_suggestions(
    db: Database,
    selected: Collection[tuple[str, str]],
    *,
    actor: str,
    idempotency: IdempotentRequest[dict[str, list[str]]] | None = None,
) -> dict[str, list[str]]:
    """Turns the chosen suggestions ((SKU, location code) pairs) into draft purchase orders,
    one per supplier and destination, quantities raised to the supplier's order minimums.
    Suggestions without a supplier are skipped. Returns the new order numbers."""
    if not selected:
        raise model.invalid("selected", "choose at least one suggestion")
    wanted = set(selected)
    chosen = [
        s
        for s in suggestions(db)
        if (s["sku"], s["location"]) in wanted and s["supplier"] is not None
    ]

    def work(uow: UnitOfWork) -> dict[str, list[str]]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for item in chosen:
            groups.setdefault((item["supplier"], item["location"]), []).append(item)
        minimums = order_minimums(
            uow.connection, {item["_suggestion"].supplier_id for item in chosen}
        )
        terms = supplier_terms(uow.connection, {item["sku"] for item in chosen})
        numbers = []
        for (supplier_code, location_code), items in sorted(groups.items()):
            supplier_id = items[0]["_suggestion"].supplier_id
            packed = [(i["_suggestion"], _pack(terms, supplier_id, i["sku"])) for i in items]
            lines = model.meet_minimum(packed, minimum_of(minimums[supplier_id]))
            draft = PurchaseOrderDraft(
                supplier_code,
                location_code,
                tuple(LineDraft(s.sku, quantity) for s, quantity in lines),
                note="Replenishment suggestion",
            )
            numbers.append(draft_purchase_order(uow, draft)["number"])
        return {"numbers": numbers}

    return db.write(work, actor=actor, idempotency=idempotency)


def _pack(terms: Any, supplier_id: int, sku: str) -> int:
    found = terms.get((supplier_id, sku))
    return 1 if found is None else int(found.pack_size)


def public(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Suggestions without their internal model object (for the API and the pages)."""
    return [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
