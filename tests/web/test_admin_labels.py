"""The administration screens build some message keys from data (a channel type, a ledger
kind, an import problem); each such key exists in both languages."""

from __future__ import annotations

from ordnung.catalog import product_csv
from ordnung.catalog.model import TAX_RATES
from ordnung.channels.model import CHANNEL_TYPES
from ordnung.inventory import stock
from ordnung.inventory.model import ADDRESS_LIMITS, CAPABILITIES, LOCATION_TYPES
from ordnung.web.catalogue import MESSAGES
from ordnung.web.pages.products import STATUS_FILTERS

MOVEMENT_KINDS = (
    stock.RECEIPT,
    stock.ADJUSTMENT,
    stock.RESERVATION,
    stock.RELEASE,
    stock.SHIPMENT,
    stock.RETURN,
    stock.TRANSFER,
)
FILE_PROBLEMS = (
    product_csv.EMPTY_FILE,
    product_csv.MISSING_COLUMNS,
    product_csv.UNKNOWN_COLUMNS,
    product_csv.DUPLICATE_COLUMNS,
    product_csv.TOO_MANY_ROWS,
    product_csv.NOT_CSV,
)


def test_every_key_built_from_data_has_words_in_both_languages() -> None:
    keys = (
        [f"channel_type.{kind}" for kind in CHANNEL_TYPES]
        + [f"location_type.{kind}" for kind in LOCATION_TYPES]
        + [f"capability.{capability}" for capability in CAPABILITIES]
        + [f"movement.{kind}" for kind in MOVEMENT_KINDS]
        + [f"tax_class.{tax_class}" for tax_class in TAX_RATES]
        + [f"products.status_{status}" for status in STATUS_FILTERS]
        + [f"import.column.{column}" for column in product_csv.COLUMNS]
        + [f"import.error.{column}" for column in product_csv.COLUMNS]
        + ["import.error.duplicate_sku", "import.error.extra_cells"]
        + [f"import.file.{problem}" for problem in FILE_PROBLEMS]
        + [f"product.error.{field}" for field in ("sku", "name", "gtin", "weight_grams")]
        + [f"channel.error.{field}" for field in ("code", "name", "type", "currency")]
        + [
            f"location.error.{field}"
            for field in ("code", "name", "type", "capabilities", "priority", "country")
        ]
        + [f"location.error.{field}" for field in ADDRESS_LIMITS]
    )
    assert sorted(key for key in keys if key not in MESSAGES) == []
