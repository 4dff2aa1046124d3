"""Imports every capability's tables so `metadata` knows the whole schema (Alembic, tests)."""

from ordnung.automation import tables as automation_tables
from ordnung.catalog import tables as catalog_tables
from ordnung.channels import tables as channels_tables
from ordnung.checks import tables as checks_tables
from ordnung.connectors import tables as connectors_tables
from ordnung.core import tables as core_tables
from ordnung.core.schema_base import metadata
from ordnung.customers import tables as customers_tables
from ordnung.fulfillment import pickup_tables
from ordnung.fulfillment import tables as fulfillment_tables
from ordnung.inventory import operations_tables as stock_operations_tables
from ordnung.inventory import tables as inventory_tables
from ordnung.orders import tables as orders_tables
from ordnung.promising import tables as promising_tables
from ordnung.purchasing import tables as purchasing_tables
from ordnung.sourcing import tables as sourcing_tables
from ordnung.staff import tables as staff_tables

__all__ = [
    "automation_tables",
    "catalog_tables",
    "channels_tables",
    "checks_tables",
    "connectors_tables",
    "core_tables",
    "customers_tables",
    "fulfillment_tables",
    "inventory_tables",
    "metadata",
    "orders_tables",
    "pickup_tables",
    "promising_tables",
    "purchasing_tables",
    "sourcing_tables",
    "staff_tables",
    "stock_operations_tables",
]
