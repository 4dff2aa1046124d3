"""Sourcing rules of a channel: which locations may ship an order, and how one is chosen.
Pure Python, no database.

A rule set is an ordered list of filters, a strategy and a split policy (docs/sourcing.md):

- filters drop locations for one order, each with its reason (the first filter that drops a
  location names it): `capability`, `country`, `max_distance`, `no_store_for_bulky`,
  `daily_capacity`; `keep_units` lowers what a position may give instead of dropping it;
- strategies rank the locations left: `priority` (the location's priority — what a channel
  without rules gets), `nearest`, `fewest_shipments`, `balance_stock` (most units first),
  `cheapest` (the optimiser, sourcing/optimiser.py);
- split policies bound the shipments: `ship_complete`, `allow_split`, `max_shipments`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from ordnung.core.errors import ValidationError
from ordnung.promising.zones import Centroid, Zone, is_german_postal_code, zone_between

FILTER_KINDS = (
    "capability",
    "country",
    "max_distance",
    "no_store_for_bulky",
    "keep_units",
    "daily_capacity",
)
STRATEGIES = ("priority", "nearest", "fewest_shipments", "balance_stock", "cheapest")
SPLIT_POLICIES = ("ship_complete", "allow_split", "max_shipments")
MAX_FILTERS = 20

# The one number each filter takes, by kind (capability and country take words instead).
_NUMBER_OF = {
    "max_distance": "km",
    "no_store_for_bulky": "grams",
    "keep_units": "units",
    "daily_capacity": "orders",
}


@dataclass(frozen=True, slots=True)
class Filter:
    kind: str
    capability: str = ""
    countries: tuple[str, ...] = ()  # ship-to countries served beyond the location's own
    number: int = 0  # km, grams, units or orders (see _NUMBER_OF)

    def as_plain(self) -> dict[str, Any]:
        if self.kind == "capability":
            return {"kind": self.kind, "capability": self.capability}
        if self.kind == "country":
            return {"kind": self.kind, "countries": list(self.countries)}
        return {"kind": self.kind, _NUMBER_OF[self.kind]: self.number}


@dataclass(frozen=True, slots=True)
class RuleSet:
    filters: tuple[Filter, ...] = ()
    strategy: str = "priority"
    split: str = "allow_split"
    max_shipments: int = 0  # only for split == "max_shipments"

    def as_plain(self) -> dict[str, Any]:
        split: dict[str, Any] = {"policy": self.split}
        if self.split == "max_shipments":
            split["max_shipments"] = self.max_shipments
        return {
            "filters": [f.as_plain() for f in self.filters],
            "strategy": self.strategy,
            "split": split,
        }

    @property
    def keep_units(self) -> int:
        return max((f.number for f in self.filters if f.kind == "keep_units"), default=0)

    @property
    def needs_weights(self) -> bool:
        return self.strategy == "cheapest" or any(
            f.kind == "no_store_for_bulky" for f in self.filters
        )


DEFAULT_RULES = RuleSet()


def _invalid(field_name: str, message: str) -> ValidationError:
    return ValidationError(
        f"Invalid fields: {field_name}",
        errors=[{"field": field_name, "message": message, "type": "value_error"}],
        field=field_name,
    )


def parse_rules(plain: Mapping[str, Any]) -> RuleSet:
    """A rule set from its plain form (API body, stored JSON); a bad part is a 422 naming it."""
    raw_filters = plain.get("filters", [])
    if not isinstance(raw_filters, list) or len(raw_filters) > MAX_FILTERS:
        raise _invalid("filters", f"a list of at most {MAX_FILTERS} filters")
    filters = tuple(_parse_filter(item, f"filters[{i}]") for i, item in enumerate(raw_filters))
    strategy = plain.get("strategy", "priority")
    if strategy not in STRATEGIES:
        raise _invalid("strategy", f"one of {', '.join(STRATEGIES)}")
    split = plain.get("split", {"policy": "allow_split"})
    if not isinstance(split, Mapping) or split.get("policy") not in SPLIT_POLICIES:
        raise _invalid("split.policy", f"one of {', '.join(SPLIT_POLICIES)}")
    max_shipments = 0
    if split["policy"] == "max_shipments":
        max_shipments = _positive(split.get("max_shipments"), "split.max_shipments")
    return RuleSet(filters, str(strategy), str(split["policy"]), max_shipments)


def _parse_filter(item: Any, at: str) -> Filter:
    if not isinstance(item, Mapping) or item.get("kind") not in FILTER_KINDS:
        raise _invalid(f"{at}.kind", f"one of {', '.join(FILTER_KINDS)}")
    kind = str(item["kind"])
    if kind == "capability":
        capability = item.get("capability")
        if capability not in ("ship", "pickup", "ship_from_store", "dropship"):
            raise _invalid(f"{at}.capability", "ship, pickup, ship_from_store or dropship")
        return Filter(kind, capability=str(capability))
    if kind == "country":
        countries = item.get("countries", [])
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and len(c) == 2 and c.isalpha() and c.isupper() for c in countries
        ):
            raise _invalid(f"{at}.countries", "a list of ISO 3166-1 alpha-2 codes")
        return Filter(kind, countries=tuple(countries))
    name = _NUMBER_OF[kind]
    minimum = 0 if kind == "keep_units" else 1
    return Filter(kind, number=_positive(item.get(name), f"{at}.{name}", minimum))


def _positive(value: Any, at: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= 10**9:
        raise _invalid(at, f"a whole number from {minimum}")
    return value


# -- what the filters look at -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocationFacts:
    """A location as the rules see it."""

    location_id: int
    code: str
    type: str
    country: str
    postal_code: str
    capabilities: frozenset[str]
    priority: int


@dataclass(frozen=True, slots=True)
class ShipTo:
    country: str
    postal_code: str


@dataclass(slots=True)
class Dropped:
    location_id: int
    filter: str
    detail: str


def zone_to(
    location: LocationFacts,
    ship_to: ShipTo,
    regions: Mapping[str, Centroid],
    remembered: dict[tuple[int, str], Zone] | None = None,
) -> Zone | None:
    """The zone between the postal-code regions of the location and the customer (German
    addresses only; None otherwise). It depends on the regions alone, so a batch remembers
    it per location and customer region."""
    if location.country != "DE" or ship_to.country != "DE":
        return None
    code = ship_to.postal_code
    key = (location.location_id, code[:2] if is_german_postal_code(code) else "?")
    if remembered is not None and key in remembered:
        return remembered[key]
    zone = zone_between(location.postal_code, code, regions)
    if remembered is not None:
        remembered[key] = zone
    return zone


def distance_km(
    location: LocationFacts,
    ship_to: ShipTo,
    regions: Mapping[str, Centroid],
    remembered: dict[tuple[int, str], Zone] | None = None,
) -> float | None:
    """Between the region centroids (None when either end cannot be placed)."""
    zone = zone_to(location, ship_to, regions, remembered)
    return None if zone is None else zone.distance_km


@dataclass(slots=True)
class FilterContext:
    """What the filters of one batch need beyond the order: loaded once per batch."""

    locations: Mapping[int, LocationFacts]
    regions: Mapping[str, Centroid]
    weights: Mapping[str, int | None] = field(default_factory=dict)
    orders_today: dict[int, int] = field(default_factory=dict)  # counted on while planning
    zones: dict[tuple[int, str], Zone] = field(default_factory=dict)  # remembered (zone_to)


def drop_locations(
    rules: RuleSet,
    location_ids: list[int],
    ship_to: ShipTo,
    skus: set[str],
    context: FilterContext,
) -> list[Dropped]:
    """The locations the rules drop for this order, each with the first filter that did."""
    dropped = []
    for location_id in location_ids:
        location = context.locations.get(location_id)
        if location is None:
            continue
        for rule in rules.filters:
            detail = _drops(rule, location, ship_to, skus, context)
            if detail is not None:
                dropped.append(Dropped(location_id, rule.kind, detail))
                break
    return dropped


def _drops(
    rule: Filter,
    location: LocationFacts,
    ship_to: ShipTo,
    skus: set[str],
    context: FilterContext,
) -> str | None:
    """Why this filter drops the location (a short fact), or None if it keeps it."""
    kind = rule.kind
    if kind == "capability":
        return None if rule.capability in location.capabilities else rule.capability
    if kind == "country":
        served = {location.country, *rule.countries}
        return None if ship_to.country in served else ship_to.country
    if kind == "max_distance":
        km = distance_km(location, ship_to, context.regions, context.zones)
        return None if km is None or km <= rule.number else f"{km:.0f} km > {rule.number} km"
    if kind == "no_store_for_bulky":
        if location.type != "store":
            return None
        heavy = sorted(s for s in skus if (context.weights.get(s) or 0) > rule.number)
        return f"{', '.join(heavy)} > {rule.number} g" if heavy else None
    if kind == "daily_capacity":
        today = context.orders_today.get(location.location_id, 0)
        return None if today < rule.number else f"{today} ≥ {rule.number}"
    return None  # keep_units lowers availability instead (RuleSet.keep_units)


# A location's day for `daily_capacity` starts at midnight German time: the locations are in
# Germany (per-location time zones live in the promise settings, which sourcing does not
# read). Counted from midnight UTC, a store's day would restart at 01:00 or 02:00.
CAPACITY_TIME_ZONE = ZoneInfo("Europe/Berlin")


def capacity_day_start(now: datetime) -> datetime:
    """The instant today began at the locations (local midnight), for `daily_capacity`."""
    local = now.astimezone(CAPACITY_TIME_ZONE)
    return datetime.combine(local.date(), time(0), CAPACITY_TIME_ZONE)
