"""Distance zones and transit days, without network: the great-circle distance between the
centroids of two German postal-code regions, and a small transit table. Pure.

The transit table stands in for carriers until they come (a later issue replaces it):

| zone       | when                                         | transit (working days) |
| ---------- | -------------------------------------------- | ---------------------- |
| `regional` | same postal-code region (first two digits)   | 1                      |
| `near`     | other region, centroids at most 250 km apart | 1                      |
| `national` | farther, or a postal code we cannot place    | 2                      |
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

REGIONAL = "regional"
NEAR = "near"
NATIONAL = "national"
TRANSIT_DAYS: Mapping[str, int] = {REGIONAL: 1, NEAR: 1, NATIONAL: 2}
NEAR_KM = 250.0
EARTH_RADIUS_KM = 6371.0088
GERMAN_POSTAL_CODE = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True, slots=True)
class Centroid:
    region: str
    city: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Zone:
    """How far a parcel travels: the zone, its transit days, the distance if known, and
    which end could not be placed (`origin` / `destination`), if any."""

    name: str
    transit_days: int
    distance_km: float | None = None
    unknown_end: str = ""


def haversine_km(a: Centroid, b: Centroid) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def is_german_postal_code(value: str) -> bool:
    return GERMAN_POSTAL_CODE.fullmatch(value) is not None


def region_of(postal_code: str, regions: Mapping[str, Centroid]) -> Centroid | None:
    """The region of a German postal code, or None if it is not one or the region is unused."""
    if not is_german_postal_code(postal_code):
        return None
    return regions.get(postal_code[:2])


def zone_between(
    origin_postal_code: str, destination_postal_code: str, regions: Mapping[str, Centroid]
) -> Zone:
    """The zone from a location to a customer. A postal code we cannot place counts as
    `national`: the slower promise is the safe one."""
    origin = region_of(origin_postal_code, regions)
    destination = region_of(destination_postal_code, regions)
    if origin is None or destination is None:
        unknown = "origin" if origin is None else "destination"
        return Zone(NATIONAL, TRANSIT_DAYS[NATIONAL], None, unknown)
    distance = round(haversine_km(origin, destination), 1)
    if origin.region == destination.region:
        name = REGIONAL
    elif distance <= NEAR_KM:
        name = NEAR
    else:
        name = NATIONAL
    return Zone(name, TRANSIT_DAYS[name], distance)
