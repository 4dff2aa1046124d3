"""The search key of each order (`order_search`), written with every change that affects it,
and the condition that finds orders by it.

New orders get their key from the aggregate in memory, set-wise, in the intake transaction
(`new_order_keys`, written by the repository in one statement per batch, no reads).
Changes after intake — tags, tracking numbers at shipment, edits — rebuild the key of the
orders concerned from what is stored (`reindex_orders`), in the transaction of the change,
called by whoever changes it (orchestration for shipments); only this module and the
repository (new orders) write `order_search`.

Finding: every query term must be contained in the key. PostgreSQL answers `LIKE '%term%'`
from a pg_trgm GIN index; SQLite from an FTS5 trigram index (`order_search_fts`, kept in step
by triggers), with a plain `LIKE` for terms shorter than a trigram. `%` and `_` are literal.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.engine import Connection

from ordnung.core.db import Database, UnitOfWork, dialect_insert
from ordnung.fulfillment.tables import shipment_table
from ordnung.orders.model import Order
from ordnung.orders.search_terms import (
    SearchableOrder,
    SearchTerm,
    query_terms,
    search_key,
    search_words,
)
from ordnung.orders.tables import order_line_table as line_table
from ordnung.orders.tables import order_search_table as search_table
from ordnung.orders.tables import order_tag_table as tag_table
from ordnung.orders.tables import sales_order_table as order_table

# SQLite's FTS5 index over `order_search.text` (created by migration 0007); its hidden
# column named like the table takes the MATCH expression.
_fts = table("order_search_fts", column("rowid"), column("order_search_fts"))


# -- writing ------------------------------------------------------------------------------


def new_order_keys(orders: Sequence[Order]) -> list[dict[str, Any]]:
    """The `order_search` rows of orders just stored (they have their ids); the repository
    writes them with the orders, in one statement through the driver (the hot path)."""
    return [{"order_id": order.id, "text": search_key(_searchable(order))} for order in orders]


def _searchable(order: Order) -> SearchableOrder:
    addresses = (order.billing_address, order.shipping_address)
    # The attributes, not `as_dict()`: this runs for every order intake takes.
    parts = ((a.first_name, a.last_name, a.company) for a in addresses)
    return SearchableOrder(
        number=order.number,
        external_id=order.external_id,
        names=_names(order.customer_name, parts),
        email=order.email,
        phones=tuple((a.phone, a.country) for a in addresses if a.phone),
        skus=tuple(line.sku for line in order.lines),
    )


def _names(customer_name: str, parts: Iterable[tuple[str, str, str]]) -> tuple[str, ...]:
    """The customer's name, then each address's first name, last name and company: each
    once, in that order, empty ones left out."""
    names = [customer_name]
    for first_name, last_name, company in parts:
        names += (first_name, last_name, company)
    return tuple(dict.fromkeys(name for name in names if name))


def reindex_orders(connection: Connection, order_ids: Collection[int]) -> None:
    """Rebuilds the search key of these orders from what is stored now."""
    for chunk in _chunks(sorted(set(order_ids)), 2000):
        rows = [{"order_id": i, "text": search_key(s)} for i, s in _stored(connection, chunk)]
        if rows:
            upsert = dialect_insert(connection)(search_table)
            connection.execute(
                upsert.on_conflict_do_update(
                    index_elements=[search_table.c.order_id],
                    set_={"text": upsert.excluded.text},
                ),
                rows,
            )


def add_tracking_number(connection: Connection, order_id: int, tracking_number: str) -> None:
    """A shipment's tracking number joins its order's key: one update of the stored key
    instead of rebuilding it (a rebuild reads the order, its lines, tags and shipments
    again — a fifth of a ship's time). A word the key already holds is not added twice."""
    words = [word for word in search_words(tracking_number) if word]
    for word in words:
        changed = connection.execute(
            update(search_table)
            .where(
                search_table.c.order_id == order_id,
                (literal(" ") + search_table.c.text + literal(" ")).not_like(
                    f"% {_escaped(word)} %", escape="\\"
                ),
            )
            .values(text=search_table.c.text + literal(" " + word))
        ).rowcount
        if not changed and not _has_key(connection, order_id):
            reindex_orders(connection, [order_id])  # an order without a key yet: build it
            return


def _has_key(connection: Connection, order_id: int) -> bool:
    query = select(search_table.c.order_id).where(search_table.c.order_id == order_id)
    return connection.execute(query).first() is not None


def all_order_ids(connection: Connection, after: int, limit: int) -> list[int]:
    """A page of order ids in ascending order (for rebuilding every key)."""
    query = (
        select(order_table.c.id)
        .where(order_table.c.id > after)
        .order_by(order_table.c.id)
        .limit(limit)
    )
    return list(connection.execute(query).scalars())


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _stored(connection: Connection, ids: list[int]) -> list[tuple[int, SearchableOrder]]:
    skus = _grouped(connection, select(line_table.c.order_id, line_table.c.sku), ids)
    tags = _grouped(connection, select(tag_table.c.order_id, tag_table.c.tag), ids)
    tracking = _grouped(
        connection, select(shipment_table.c.order_id, shipment_table.c.tracking_number), ids
    )
    query = select(
        order_table.c.id,
        order_table.c.number,
        order_table.c.external_id,
        order_table.c.customer_name,
        order_table.c.email,
        order_table.c.billing_address,
        order_table.c.shipping_address,
    ).where(order_table.c.id.in_(ids))
    found = []
    for row in connection.execute(query):
        addresses = (row.billing_address or {}, row.shipping_address or {})
        searchable = SearchableOrder(
            number=row.number,
            external_id=row.external_id,
            names=_names(
                row.customer_name,
                (
                    (a.get("first_name") or "", a.get("last_name") or "", a.get("company") or "")
                    for a in addresses
                ),
            ),
            email=row.email,
            phones=tuple(
                (a["phone"], a.get("country") or "DE") for a in addresses if a.get("phone")
            ),
            skus=tuple(skus[row.id]),
            tags=tuple(tags[row.id]),
            tracking_numbers=tuple(tracking[row.id]),
        )
        found.append((row.id, searchable))
    return found


def _grouped(connection: Connection, query: Select[Any], ids: list[int]) -> dict[int, list[str]]:
    order_id_column = query.selected_columns[0]
    grouped: dict[int, list[str]] = defaultdict(list)
    for order_id, value in connection.execute(query.where(order_id_column.in_(ids))):
        grouped[order_id].append(value)
    return grouped


# -- finding ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stretch:
    """Order ids from `low` (inclusive; None: from the first) to just below `high`."""

    low: int | None
    high: int


def matching_orders(
    query: str,
    dialect: str,
    frequency: Mapping[str, int] | None = None,
    stretch: Stretch | None = None,
) -> ColumnElement[bool]:
    """The condition on `sales_order` that keeps the orders whose key holds every term,
    within `stretch` if given (the index is then asked for that stretch of ids only).
    `frequency` (from `trigram_frequency`) says which trigrams are common in this shop."""
    terms = query_terms(query)
    if not terms:
        return literal(True)
    frequency = frequency or {}
    if dialect == "sqlite":
        return _sqlite_condition(terms, frequency, stretch)
    found = select(search_table.c.order_id).where(
        and_(*(_postgres_term(t, frequency) for t in terms)),
        *_within(search_table.c.order_id, stretch),
    )
    return order_table.c.id.in_(found)


def _within(ids: ColumnElement[Any], stretch: Stretch | None) -> list[ColumnElement[bool]]:
    if stretch is None:
        return []
    bounds = [ids < stretch.high]
    if stretch.low is not None:
        bounds.append(ids >= stretch.low)
    return bounds


def _postgres_term(term: SearchTerm, frequency: Mapping[str, int]) -> ColumnElement[bool]:
    """The GIN index is asked only for the term's telling trigrams (as for SQLite: given
    the whole term, it intersected the posting lists of `ext`, `000` … — 13 ms for one
    external id); the whole term is then checked on those keys, written so that the planner
    does not hand it to the index too (`text || ''`). pg_trgm makes trigrams of letters and
    digits only, so only those are asked for."""
    return or_(*(_postgres_spelling(spelling, frequency) for spelling in term.spellings))


def _postgres_spelling(spelling: str, frequency: Mapping[str, int]) -> ColumnElement[bool]:
    whole = search_table.c.text.concat("").like(f"%{_escaped(spelling)}%", escape="\\")
    telling = telling_trigrams(spelling, alphanumeric=True, frequency=frequency)
    return and_(*(search_table.c.text.like(f"%{tri}%") for tri in telling), whole)


# How many of the newest orders a search reads key by key before it asks the index.
RECENT_WINDOW = 3000
# How far below the window the index is asked first, before it is asked for all older
# orders: a word in one order of a few hundred (a SKU, a tag) fills a page from there, and
# the index hands over the matches of that stretch only instead of every match to be sorted
# (its cost no longer grows with the shop's history).
INDEXED_STRETCH = 30_000


@dataclass(frozen=True, slots=True)
class RecentWindow:
    """The newest orders' keys (ids from `low` to just below `high`), read without index."""

    condition: ColumnElement[bool]
    is_everything: bool  # no older order exists: what the window finds is all there is
    low: int = 1

    def older_stretches(self) -> list[Stretch]:
        """Where to look next, newest first: a stretch below the window, then the rest."""
        below = self.low - INDEXED_STRETCH
        if below <= 1:
            return [Stretch(None, self.low)]
        return [Stretch(below, self.low), Stretch(None, below)]


def recent_window(connection: Connection, query: str, before: int | None) -> RecentWindow | None:
    """The condition that finds `query` among the RECENT_WINDOW orders below `before` (or
    the newest), by reading their keys; None when the query has no terms."""
    terms = query_terms(query)
    if not terms or RECENT_WINDOW <= 0:
        return None
    high = before if before is not None else _newest_id(connection) + 1
    low = high - RECENT_WINDOW
    found = select(search_table.c.order_id).where(
        search_table.c.order_id >= low,
        search_table.c.order_id < high,
        *(_contains(term) for term in terms),
    )
    return RecentWindow(order_table.c.id.in_(found), low <= 1, low)


def _newest_id(connection: Connection) -> int:
    return int(connection.execute(select(func.max(order_table.c.id))).scalar() or 0)


def _contains(term: SearchTerm) -> ColumnElement[bool]:
    return or_(*(search_table.c.text.like(f"%{_escaped(s)}%", escape="\\") for s in term.spellings))


def _escaped(text: str) -> str:
    """`%` and `_` are letters to the agent, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_condition(
    terms: list[SearchTerm], frequency: Mapping[str, int], stretch: Stretch | None = None
) -> ColumnElement[bool]:
    """Candidates from the FTS5 trigram index, then every term checked on the key itself.

    A phrase query would walk the posting list of every trigram of the term, and some are
    in nearly every key (`ord`, `000`, `.de`): an external id took 30 ms at 100,000 orders.
    So the index is asked only for each term's two most telling trigrams (which narrow the
    candidates to a few), and `LIKE` on those few keys decides. Terms shorter than a trigram
    are checked by `LIKE` alone."""
    found = select(search_table.c.order_id).where(
        and_(*(_contains(term) for term in terms)), *_within(search_table.c.order_id, stretch)
    )
    indexed = [term for term in terms if not term.is_short]
    if indexed:
        match = _fts.c.order_search_fts.op("MATCH")(_match(indexed, frequency))
        # FTS5 seeks to a rowid range in its posting lists: only the stretch is read.
        candidates = select(_fts.c.rowid).where(match, *_within(_fts.c.rowid, stretch))
        found = found.where(search_table.c.order_id.in_(candidates))
    return order_table.c.id.in_(found)


def _match(terms: list[SearchTerm], frequency: Mapping[str, int]) -> str:
    """An FTS5 query: per term, any spelling's telling trigrams, each quoted (literal)."""
    return " AND ".join(
        "("
        + " OR ".join(
            "("
            + " AND ".join(_quoted(tri) for tri in telling_trigrams(s, frequency=frequency))
            + ")"
            for s in term.spellings
        )
        + ")"
        for term in terms
    )


def telling_trigrams(
    text: str,
    count: int = 2,
    *,
    alphanumeric: bool = False,
    frequency: Mapping[str, int] | None = None,
) -> list[str]:
    """The trigrams of `text` most likely to be rare: first those seen in the fewest of the
    newest keys (`frequency`: a shop whose SKUs all start `SKU-` has `sku` in every key, and
    asking the index for it reads every order), then most distinct characters (`000` and
    `lle` say little), then fewest of the characters nearly every key holds many times
    (`.de`, `-00`), then those nearer the end (numbers and ids count up at the end, while
    their beginnings — `ord-0`, `ext-` — are shared by every order)."""
    trigrams = {text[i : i + 3]: i for i in range(len(text) - 2)}
    if alphanumeric:
        trigrams = {tri: i for tri, i in trigrams.items() if tri.isalnum()}
    seen = frequency or {}

    def rarity(tri: str) -> tuple[int, int, int, int]:
        return (-seen.get(tri, 0), len(set(tri)), -sum(c in _COMMON for c in tri), trigrams[tri])

    return sorted(trigrams, key=rarity, reverse=True)[:count]


# How many of the newest keys the trigram frequencies are counted in, and for how long a
# process keeps them (a shop's formats — numbers, SKUs, e-mail domains — change slowly).
FREQUENCY_SAMPLE = 500
FREQUENCY_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class _Frequency:
    counts: dict[str, int]
    counted_at: float


_frequency: _Frequency | None = None


def trigram_frequency(connection: Connection) -> Mapping[str, int]:
    """In how many of the newest FREQUENCY_SAMPLE keys each trigram appears, counted again
    every FREQUENCY_SECONDS per process (a few milliseconds at most: one index range)."""
    global _frequency
    now = time.monotonic()
    if _frequency is not None and now - _frequency.counted_at < FREQUENCY_SECONDS:
        return _frequency.counts
    query = select(search_table.c.text).order_by(search_table.c.order_id.desc())
    counts: Counter[str] = Counter()
    for key in connection.execute(query.limit(FREQUENCY_SAMPLE)).scalars():
        counts.update({key[i : i + 3] for i in range(len(key) - 2)})
    _frequency = _Frequency(dict(counts), now)
    return _frequency.counts


# Characters in nearly every search key (numbers, e-mails, the gaps between words).
_COMMON = frozenset("0-.@ e")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# -- rebuilding ---------------------------------------------------------------------------

REBUILD_BATCH = 2000


def count_orders(db: Database) -> int:
    query = select(func.count()).select_from(order_table)
    return int(db.read(lambda connection: connection.execute(query).scalar_one()))


def rebuild_search_keys(db: Database, done: Callable[[int], None] | None = None) -> int:
    """Rebuilds every order's search key, a batch of orders per transaction (so intake is
    never blocked for long); `done` is told the running count after each batch."""
    after, rebuilt = 0, 0
    while True:

        def batch(uow: UnitOfWork, start: int = after) -> list[int]:
            ids = all_order_ids(uow.connection, start, REBUILD_BATCH)
            reindex_orders(uow.connection, ids)
            return ids

        ids = db.write(batch)
        if not ids:
            return rebuilt
        after, rebuilt = ids[-1], rebuilt + len(ids)
        if done is not None:
            done(rebuilt)
