"""The table of German postal-code region centroids shipped with Ordnung (data/, read once)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from ordnung.promising.zones import Centroid, Zone, zone_between


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


@lru_cache(maxsize=65536)
def zone_for(origin_postal_code: str, destination_postal_code: str) -> Zone:
    """The zone between two postal codes over the shipped table, remembered."""
    return zone_between(origin_postal_code, destination_postal_code, postal_regions())
