"""The table of German postal-code region centroids shipped with Ordnung (data/, read once)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ordnung.promising.zones import Centroid, Zone, is_german_postal_code, zone_between


@lru_cache(maxsize=1)
def postal_regions() -> Mapping[str, Centroid]:
    """Two-digit region → centroid (the region's main city; see the file's header)."""
    text = (
        resources.files("ordnung.promising")
        .joinpath("data/postal_regions.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return MappingProxyType(
        {
            row["region"]: Centroid(
                row["region"], row["city"], float(row["latitude"]), float(row["longitude"])
            )
            for row in rows
        }
    )


def zone_for(origin_postal_code: str, destination_postal_code: str) -> Zone:
    """The zone between two postal codes over the shipped table, remembered per pair of
    regions (a zone depends only on the first two digits of valid codes): order intake asks
    for a new customer's postal code with nearly every order."""
    if is_german_postal_code(origin_postal_code) and is_german_postal_code(destination_postal_code):
        return _zone_between_regions(origin_postal_code[:2], destination_postal_code[:2])
    return _zone_for_codes(origin_postal_code, destination_postal_code)


@lru_cache(maxsize=16384)
def _zone_between_regions(origin_region: str, destination_region: str) -> Zone:
    return zone_between(f"{origin_region}000", f"{destination_region}000", postal_regions())


@lru_cache(maxsize=4096)
def _zone_for_codes(origin_postal_code: str, destination_postal_code: str) -> Zone:
    return zone_between(origin_postal_code, destination_postal_code, postal_regions())
