"""In-process cost of shipping a fulfilment order, without HTTP: statements, SQLAlchemy
compilations, time and cProfile of `ship_fulfillment_order`.

    .venv/bin/python bench/profile_ship.py [--backend sqlite|postgresql] [--ships 300]
        [--top 25]

Places 2 x S orders into a fresh seeded database (3 lines each, one fulfilment order each at
warehouse A), accepts and starts picking them, then ships them one after the other (no
contention): the first ship is counted statement by statement (SQLAlchemy's and those sent
straight through `core/driver.py`) with the SQL compilations it needed, first with a cold
statement cache and then warm, then S ships are
timed (wall and CPU), then S more run under cProfile. Together with bench/fulfilment.py's
"CPU ms" per ship it splits the server's cost into the service and the HTTP layer around it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.sql import compiler

from intake_setup import (
    _counting_driver,
    _statement_kind,
    fresh_database,
    order_payload,
    seed,
)
from ordnung.core.db import Database
from ordnung.fulfillment.service import (
    ShipmentDraft,
    accept_fulfillment_order,
    start_picking,
)
from ordnung.orchestration.fulfillment_actions import ship_fulfillment_order
from ordnung.orchestration.intake import IntakeRequest, place_orders
from ordnung.orchestration.schemas import OrderIn

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ACTOR = "api_key:bench"


def _prepare(db: Database, count: int) -> list[int]:
    """`count` orders placed, their fulfilment orders accepted and picking."""
    fo_ids: list[int] = []
    for start in range(0, count, 50):
        jobs = [
            IntakeRequest(OrderIn.model_validate(order_payload(index, "P")).to_model(), ACTOR, None)
            for index in range(start, min(count, start + 50))
        ]
        for placed in place_orders(db, jobs):
            fo_ids += [fo["id"] for fo in placed.order["fulfillment_orders"]]
    for fo_id in fo_ids:
        accept_fulfillment_order(db, fo_id, actor=ACTOR)
        start_picking(db, fo_id, actor=ACTOR)
    return fo_ids


def _ship(db: Database, fo_id: int) -> None:
    draft = ShipmentDraft("dhl", f"PROFILE-{fo_id:09d}", "")
    ship_fulfillment_order(db, fo_id, draft, actor=ACTOR)


@contextmanager
def _counting_compilations() -> Iterator[Counter[str]]:
    """Counts SQL compilations (SQLCompiler instances; a cache hit makes none) by verb."""
    seen: Counter[str] = Counter()
    original = compiler.SQLCompiler.__init__

    def counting(self: Any, dialect: Any, statement: Any, *rest: Any, **options: Any) -> None:
        seen[type(statement).__name__] += 1
        original(self, dialect, statement, *rest, **options)

    compiler.SQLCompiler.__init__ = counting  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        compiler.SQLCompiler.__init__ = original  # type: ignore[method-assign]


def _count_one(db: Database, fo_id: int, label: str) -> None:
    statements: Counter[str] = Counter()
    cache: Counter[str] = Counter()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements[_statement_kind(statement)] += 1

    def on_context(_conn: Any, _cursor: Any, _s: Any, _p: Any, context: Any, _m: Any) -> None:
        # SQLAlchemy's own words: "generated" = compiled now, "cached" = compiled before.
        cache[str(getattr(context, "_get_cache_stats", lambda: "?")()).split(" ")[0]] += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "before_cursor_execute", on_context)
    try:
        with _counting_driver(statements), _counting_compilations() as compiled:
            _ship(db, fo_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "before_cursor_execute", on_context)
    kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(statements.items()))
    print(f"  {label}: {sum(statements.values())} statements (COMMIT not counted)")
    print(f"    {kinds}")
    print(f"    SQLAlchemy's statement cache per executed statement: {dict(cache)}")
    total = sum(compiled.values())
    print(f"    SQL compilations (SQLCompiler instances): {total} {dict(compiled)}")


# The pieces of a ship, in the order they run (file suffix, function name).
PIECES = (
    ("orchestration/fulfillment_actions.py", "ship_fulfillment_order"),
    ("fulfillment/service.py", "order_id_of"),
    ("orders/repository.py", "load_order"),
    ("fulfillment/service.py", "ship"),
    ("fulfillment/service.py", "_load"),
    ("fulfillment/service.py", "_open_lines"),
    ("inventory/stock.py", "ship_out"),
    ("inventory/stock.py", "record_movements"),
    ("fulfillment/service.py", "_transition"),
    ("fulfillment/service.py", "_record_shipment"),
    ("fulfillment/cancellation_requests.py", "decline_on_shipping"),
    ("orders/model.py", "ship"),
    ("orders/repository.py", "save_order"),
    ("orders/search_index.py", "reindex_orders"),
    ("core/db.py", "_transaction"),
    ("engine/base.py", "commit"),
    ("engine/base.py", "execute"),
    ("sql/coercions.py", "expect"),
    ("sql/cache_key.py", "_generate_cache_key"),
)


def _print_pieces(profile: cProfile.Profile, ships: int) -> None:
    """Cumulative time per ship of each piece (profiled: slower than the timed run)."""
    stats: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = 0.0
    print(f"\n-- where a ship's time goes (cProfile, cumulative ms per ship, {ships} ships) --")
    for suffix, name in PIECES:
        found = [
            (calls, cumulative)
            for (path, _, function), (_, calls, _, cumulative, _) in stats.items()
            if function == name and path.endswith(suffix)
        ]
        calls = sum(c for c, _ in found)
        cumulative = sum(t for _, t in found)
        total = total or cumulative
        share = f"{cumulative / total:5.0%}" if total else ""
        print(
            f"  {suffix + ':' + name:58} {cumulative * 1000 / ships:7.2f} ms {share}"
            f"  ({calls / ships:.1f} calls)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--ships", type=int, default=300, help="ships timed, and profiled (S)")
    parser.add_argument("--top", type=int, default=25, help="functions printed")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL, help="PostgreSQL admin URL")
    args = parser.parse_args()
    with fresh_database(args.backend, args.pg_url, "ordnung_bench_profile") as url:
        seed(url)
        db = Database(url)
        try:
            fo_ids = _prepare(db, 2 * args.ships + 2)
            print(f"== {args.backend}: ship_fulfillment_order in-process")
            _count_one(db, fo_ids[0], "first ship (cold statement cache)")
            _count_one(db, fo_ids[1], "second ship")
            timed, profiled = fo_ids[2 : 2 + args.ships], fo_ids[2 + args.ships :]
            wall, cpu = time.perf_counter(), time.process_time()
            for fo_id in timed:
                _ship(db, fo_id)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"  per ship: {wall * 1000 / len(timed):.2f} ms wall,"
                f" {cpu * 1000 / len(timed):.2f} ms CPU of this process ({len(timed)} ships)"
            )
            profile = cProfile.Profile()
            profile.enable()
            for fo_id in profiled:
                _ship(db, fo_id)
            profile.disable()
        finally:
            db.dispose()
    _print_pieces(profile, len(profiled))
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(f"\n-- cProfile of {len(profiled)} ships, by {order} --")
        print("\n".join(out.getvalue().splitlines()[4:]))


if __name__ == "__main__":
    main()
