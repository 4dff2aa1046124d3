"""The platforms' published sample orders (../shared/samples/orders), read as they are.

They are reference data beside the repository, not part of it: where a checkout has no
`../shared/samples` (a clone elsewhere), the tests that read them are skipped with that reason
(`needs_samples`); `ORDNUNG_SAMPLES_DIR` points elsewhere."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_BESIDE_THE_REPOSITORY = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLES = Path(os.environ.get("ORDNUNG_SAMPLES_DIR", _BESIDE_THE_REPOSITORY)) / "orders"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the platforms' sample orders are not at {SAMPLES}"
)


def shopify_orders() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((SAMPLES / "shopify").glob("order*.json")):
        document = json.loads(path.read_text())
        orders = [document["order"]] if "order" in document else document["orders"]
        for index, order in enumerate(orders):
            yield f"{path.name}#{index}", order


def woocommerce_orders() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((SAMPLES / "woocommerce").glob("orders_*.json")):
        answer = json.loads(path.read_text())["response"]
        if isinstance(answer, dict) and "line_items" in answer:
            orders = [answer]
        elif isinstance(answer, list):
            orders = answer
        else:
            orders = [*answer.get("create", []), *answer.get("update", [])]
        for index, order in enumerate(orders):
            yield f"{path.name}#{index}", order


def shopify_order(name: str) -> dict[str, Any]:
    document = json.loads((SAMPLES / "shopify" / name).read_text())
    order: dict[str, Any] = document["order"]
    return order
