"""Seeds N realistic orders for bench/search.py, set-wise and fast (progress with an ETA).

German names with umlauts, ß and Polish/Turkish letters, e-mails at common domains, phones,
three channels, a year of creation times, 1-3 lines of 500 SKUs, tags on every tenth order and
a shipment with tracking number on every fifth. The search key of each order is built by the
application's own `search_key`, so the bench searches what the application would store.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from anyascii import anyascii
from sqlalchemy import insert

from intake_setup import seed
from ordnung.core import clock
from ordnung.core.db import Database
from ordnung.customers.tables import customer_table
from ordnung.fulfillment.tables import fulfillment_order_table, shipment_table
from ordnung.orders.search_terms import SearchableOrder, search_key
from ordnung.orders.tables import (
    order_line_table,
    order_search_table,
    order_tag_table,
    sales_order_table,
)

FIRST = [
    "Jürgen",
    "Jörg",
    "Günther",
    "Björn",
    "Sören",
    "Jonas",
    "Lukas",
    "Max",
    "Paul",
    "Felix",
    "Anna",
    "Lena",
    "Sophie",
    "Marie",
    "Emma",
    "Jürgen",
    "Zoë",
    "Ayşe",
    "Łukasz",
    "Paweł",
    "Müge",
    "Hans",
    "Uwe",
    "Käthe",
    "Ömer",
    "Gülşen",
    "Renée",
    "Sebastian",
    "Tobias",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Börner",
    "Özdemir",
    "Yılmaz",
    "Kowalski",
    "Wiśniewski",
    "Groß",
    "Weiß",
    "Strauß",
    "Nußbaum",
    "Köhler",
    "Jäger",
    "Böhm",
    "Günther",
    "Vogt",
    "Jürgens",
    "Dąbrowski",
    "Łukaszewicz",
]
DOMAINS = [
    "web.de",
    "gmx.de",
    "gmail.com",
    "t-online.de",
    "outlook.de",
    "posteo.de",
    "mailbox.org",
    "yahoo.de",
    "freenet.de",
    "icloud.com",
    "firma-mueller.de",
    "kanzlei-boerner.de",
]
TAGS = ("vip", "express", "geschenk", "b2b", "reklamation", "rueckruf", "grosskunde")
CHANNELS = ("webshop", "marketplace", "callcenter")
STATUSES = ("allocated",) * 6 + ("shipped",) * 2 + ("backordered", "on_hold", "cancelled")
SKU_COUNT = 500
BATCH = 5000
SAMPLES_PER_BATCH = 40


@dataclass
class Samples:
    """Values the bench searches for, picked while seeding (what agents would type)."""

    numbers: list[str] = field(default_factory=list)
    external_ids: list[str] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tracking: list[str] = field(default_factory=list)


def _ascii_local(text: str) -> str:
    german = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return anyascii(german)


def _order(index: int, rng: random.Random, start: datetime, span: float) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    domain = rng.choice(DOMAINS)
    email = f"{_ascii_local(first)}.{_ascii_local(last)}{index % 997}@{domain}"
    phone = f"+49 1{rng.randint(50, 79)} {rng.randint(1000000, 9999999)}"
    created = start + timedelta(seconds=span * index)
    return {
        "first": first,
        "last": last,
        "email": email,
        "phone": phone,
        "created": created,
        "channel": rng.randrange(len(CHANNELS)),
        "status": rng.choice(STATUSES),
        "skus": [f"SKU-{rng.randrange(SKU_COUNT):05d}" for _ in range(rng.randint(1, 3))],
        "tag": TAGS[index % len(TAGS)] if index % 10 == 0 else None,
        "tracking": f"JJD{rng.randrange(10**14):014d}" if index % 5 == 0 else None,
    }


def seed_orders(url: str, count: int, rng_seed: int = 7) -> tuple[str, Samples]:
    """Seeds `count` orders; returns the admin API key and samples to search for."""
    seeded = seed(url)
    db = Database(url)
    rng = random.Random(rng_seed)
    samples = Samples()
    now = clock.now()
    start = now - timedelta(days=365)
    span = 365 * 86400 / max(count, 1)
    started = time.monotonic()
    try:
        channel_ids = _channels(db, seeded.channel_id)
        location_id = next(iter(seeded.location_ids.values()))
        for first in range(0, count, BATCH):
            batch = [
                _order(i, rng, start, span) for i in range(first + 1, min(count, first + BATCH) + 1)
            ]
            with db.engine.begin() as connection:
                _store(connection, first, batch, channel_ids, location_id, now, samples, rng)
            _progress(first + len(batch), count, started)
        db.refresh_statistics()
        if not db.is_sqlite:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    finally:
        db.dispose()
    print(file=sys.stderr)
    return seeded.api_key, samples


def _channels(db: Database, webshop_id: int) -> list[int]:
    from ordnung.channels.tables import sales_channel_table

    ids = [webshop_id]
    with db.engine.begin() as connection:
        for code in CHANNELS[1:]:
            values = {
                "code": code,
                "name": code.title(),
                "type": "marketplace",
                "currency": "EUR",
                "created_at": clock.now(),
            }
            ids.append(
                connection.execute(
                    insert(sales_channel_table).values(values).returning(sales_channel_table.c.id)
                ).scalar_one()
            )
    return ids


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.monotonic() - started
    eta = elapsed / done * (total - done) if done else 0.0
    print(
        f"\r  seeded {done:>9,} / {total:,} orders  {elapsed:6.0f} s  ETA {eta:5.0f} s",
        end="",
        file=sys.stderr,
        flush=True,
    )


def _store(  # noqa: PLR0913 - one batch, its context, and where samples go
    connection: Any,
    offset: int,
    batch: list[dict[str, Any]],
    channel_ids: list[int],
    location_id: int,
    now: datetime,
    samples: Samples,
    rng: random.Random,
) -> None:
    ids = range(offset + 1, offset + len(batch) + 1)
    connection.execute(
        insert(customer_table), [_customer(i, o, now) for i, o in zip(ids, batch, strict=True)]
    )
    connection.execute(
        insert(sales_order_table),
        [_order_row(i, o, channel_ids, now) for i, o in zip(ids, batch, strict=True)],
    )
    lines = [
        _line_row(i, n, sku)
        for i, o in zip(ids, batch, strict=True)
        for n, sku in enumerate(o["skus"], 1)
    ]
    connection.execute(insert(order_line_table), lines)
    tags = [
        {"order_id": i, "tag": o["tag"], "created_at": now, "created_by": "bench"}
        for i, o in zip(ids, batch, strict=True)
        if o["tag"]
    ]
    if tags:
        connection.execute(insert(order_tag_table), tags)
    shipped = [(i, o) for i, o in zip(ids, batch, strict=True) if o["tracking"]]
    _ship(connection, shipped, location_id, now)
    connection.execute(
        insert(order_search_table),
        [
            {"order_id": i, "text": search_key(_searchable(i, o))}
            for i, o in zip(ids, batch, strict=True)
        ],
    )
    for k in rng.sample(range(len(batch)), min(SAMPLES_PER_BATCH, len(batch))):
        _sample(samples, ids[k], batch[k])


def _customer(i: int, o: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "email": f"c{i}.{o['email']}",  # one customer per order: customers are not the subject
        "first_name": o["first"],
        "last_name": o["last"],
        "phone": o["phone"],
        "created_at": now,
        "updated_at": now,
    }


def _address(o: dict[str, Any]) -> dict[str, str]:
    return {
        "first_name": o["first"],
        "last_name": o["last"],
        "company": "",
        "street": "Hauptstraße 1",
        "street2": "",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
        "phone": o["phone"],
    }


def _order_row(i: int, o: dict[str, Any], channel_ids: list[int], now: datetime) -> dict[str, Any]:
    return {
        "id": i,
        "number": f"ORD-{i:06d}",
        "channel_id": channel_ids[o["channel"]],
        "external_id": f"EXT-{i:08d}",
        "customer_id": i,
        "email": o["email"],
        "customer_name": f"{o['first']} {o['last']}",
        "status": o["status"],
        "currency": "EUR",
        "prices_include_tax": 1,
        "billing_address": _address(o),
        "shipping_address": _address(o),
        "shipping_method": "standard",
        "shipping_amount": 490,
        "shipping_tax_rate": "19",
        "subtotal_amount": 1999,
        "tax_amount": 397,
        "total_amount": 2489,
        "placed_at": o["created"],
        "created_at": o["created"],
        "updated_at": now,
        "version": 1,
    }


def _line_row(order_id: int, number: int, sku: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "line_number": number,
        "sku": sku,
        "name": f"Artikel {sku}",
        "quantity": 1,
        "unit_price": 1999,
        "discount_amount": 0,
        "tax_rate": "19",
        "line_total": 1999,
        "open_quantity": 0,
        "allocated_quantity": 1,
        "shipped_quantity": 0,
        "cancelled_quantity": 0,
        "returned_quantity": 0,
    }


def _ship(
    connection: Any, shipped: list[tuple[int, dict[str, Any]]], location_id: int, now: datetime
) -> None:
    if not shipped:
        return
    fo_rows = [
        {
            "order_id": i,
            "order_number": f"ORD-{i:06d}",
            "location_id": location_id,
            "status": "shipped",
            "created_at": now,
            "updated_at": now,
        }
        for i, _ in shipped
    ]
    fo_ids = (
        connection.execute(
            insert(fulfillment_order_table).returning(
                fulfillment_order_table.c.id, sort_by_parameter_order=True
            ),
            fo_rows,
        )
        .scalars()
        .all()
    )
    connection.execute(
        insert(shipment_table),
        [
            {
                "fulfillment_order_id": fo_id,
                "order_id": i,
                "carrier": "dhl",
                "tracking_number": o["tracking"],
                "status": "shipped",
                "shipped_at": now,
            }
            for fo_id, (i, o) in zip(fo_ids, shipped, strict=True)
        ],
    )


def _searchable(i: int, o: dict[str, Any]) -> SearchableOrder:
    return SearchableOrder(
        number=f"ORD-{i:06d}",
        external_id=f"EXT-{i:08d}",
        names=(f"{o['first']} {o['last']}",),
        email=o["email"],
        phones=((o["phone"], "DE"),),
        skus=tuple(o["skus"]),
        tags=(o["tag"],) if o["tag"] else (),
        tracking_numbers=(o["tracking"],) if o["tracking"] else (),
    )


def _sample(samples: Samples, order_id: int, o: dict[str, Any]) -> None:
    samples.numbers.append(f"ORD-{order_id:06d}")
    samples.external_ids.append(f"EXT-{order_id:08d}")
    samples.names.append((o["first"], o["last"]))
    samples.emails.append(o["email"])
    samples.phones.append(o["phone"])
    if o["tracking"]:
        samples.tracking.append(o["tracking"])
