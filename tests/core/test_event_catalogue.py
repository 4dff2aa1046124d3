"""Every event the code can record is declared (webhook subscriptions are checked against the
declaration) and has a German and an English label (the timeline shows it)."""

from __future__ import annotations

import importlib
import pkgutil

import ordnung
from ordnung.core.events import EVENT_TYPES, DomainEvent
from ordnung.web.catalogue import MESSAGES


def _event_classes() -> dict[str, type[DomainEvent]]:
    """The concrete event types of the application: `uow.record` takes only DomainEvent
    instances, and an event's public name is its class's `type`, so these are all the
    event types the code can emit."""
    for module in pkgutil.walk_packages(ordnung.__path__, "ordnung."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found: dict[str, type[DomainEvent]] = {}
    pending: list[type[DomainEvent]] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        event_type = vars(cls).get("type")
        if not cls.__module__.startswith("ordnung.") or not isinstance(event_type, str):
            continue
        # `@dataclass(slots=True)` replaces a class by a new one; the first stays listed.
        twin = found.get(event_type)
        same = twin is None or (twin.__module__, twin.__qualname__) == (
            cls.__module__,
            cls.__qualname__,
        )
        assert same, f"two classes for {event_type}: {twin} and {cls}"
        found[event_type] = cls
    return found


def test_every_event_type_the_code_can_emit_is_declared_and_every_declared_one_exists() -> None:
    emitted = set(_event_classes())
    assert emitted - EVENT_TYPES == set(), "emitted but not declared"
    assert EVENT_TYPES - emitted == set(), "declared but nothing emits it"


def test_every_event_type_has_a_german_and_an_english_label() -> None:
    for event_type in sorted(EVENT_TYPES):
        german, english = MESSAGES[f"event.{event_type}"]
        assert german.strip() and english.strip(), event_type


def test_every_event_names_what_it_is_about() -> None:
    # "stock.changed" is about a stock position; the others carry their aggregate's name.
    for event_type, cls in _event_classes().items():
        assert event_type.split(".")[0] == cls.aggregate_type.removesuffix("_position")
