"""Supply on its way, from whoever knows of it: open purchase orders (purchasing), transfers
in transit (inventory). Each provider implements `IncomingSource`; the registry below is
empty by default and filled where the application is put together (the integrator), so this
package depends on none of them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from sqlalchemy.engine import Connection

from ordnung.promising.model import Incoming

__all__ = ["Incoming", "IncomingSource", "incoming_for", "register_incoming_source"]


class IncomingSource(Protocol):
    def incoming(self, connection: Connection, skus: Collection[str]) -> list[Incoming]:
        """Open supply of these SKUs, read set-wise inside the caller's transaction."""
        ...


_SOURCES: list[IncomingSource] = []


def register_incoming_source(source: IncomingSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def unregister_incoming_source(source: IncomingSource) -> None:
    if source in _SOURCES:
        _SOURCES.remove(source)


def registered_sources() -> Sequence[IncomingSource]:
    return tuple(_SOURCES)


def incoming_for(connection: Connection, skus: Collection[str]) -> list[Incoming]:
    """Everything every registered source expects for these SKUs (quantities above 0)."""
    found: list[Incoming] = []
    for source in _SOURCES:
        found.extend(item for item in source.incoming(connection, skus) if item.quantity > 0)
    return found
