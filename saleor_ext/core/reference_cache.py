"""Small, rarely changing tables kept in memory by each process for a few seconds.

Channels, categories, product types, vendors, grades and the site settings are read by
almost every catalogue request and change a few times a day. Reading them from memory saves
a round trip and the ORM's query compilation on every request; an edit is visible everywhere
after ``REFERENCE_CACHE_SECONDS`` (0 reads the database every time, as tests do). The cached
model instances are shared: callers read them and never change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

_lock = threading.Lock()
_tables: dict[str, tuple[float, Any]] = {}


def reference_table(name: str, load: Callable[[], Any]) -> Any:
    """``load()``'s result, reused for ``REFERENCE_CACHE_SECONDS`` within this process."""
    ttl = settings.REFERENCE_CACHE_SECONDS
    if ttl <= 0:
        return load()
    now = time.monotonic()
    entry = _tables.get(name)
    if entry is not None and now - entry[0] < ttl:
        return entry[1]
    value = load()
    with _lock:
        _tables[name] = (now, value)
    return value


def clear() -> None:
    with _lock:
        _tables.clear()
