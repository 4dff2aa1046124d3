"""The slow-moving half of an availability answer — the locations and their promise settings
— parsed once and kept per database while it stays the same. A cheap fingerprint (each row's
id, version and creation time) says whether it changed; only when it differs is the whole
half read and parsed again. Hot paths (availability answers, intake's dating) read the
fingerprint at most once a second, so an edit made in another process shows within a second;
an edit made in this process forgets the snapshots at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_snapshots: dict[str, tuple[Hashable, object]] = {}
_checked_at: dict[str, float] = {}  # monotonic seconds of each key's last fingerprint
_lock = threading.Lock()


def remembered(key: str, fingerprint: Hashable, load: Callable[[], T]) -> T:
    found = _snapshots.get(key)
    if found is not None and found[0] == fingerprint:
        return found[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _snapshots[key] = (fingerprint, value)
    return value


def remembered_for(
    key: str, seconds: float, fingerprint: Callable[[], Hashable], load: Callable[[], T]
) -> T:
    """`remembered`, but the fingerprint is read at most once in `seconds` per key: for hot
    paths (order intake dates every batch) where an edit may take effect that much later in
    other processes. This process forgets its snapshots whenever it stores settings."""
    found = _snapshots.get(key)
    if found is not None and time.monotonic() - _checked_at.get(key, float("-inf")) < seconds:
        return found[1]  # type: ignore[return-value]
    value = remembered(key, fingerprint(), load)
    _checked_at[key] = time.monotonic()
    return value


def forget_snapshots() -> None:
    with _lock:
        _snapshots.clear()
        _checked_at.clear()
