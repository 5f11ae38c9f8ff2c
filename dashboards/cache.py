"""A small in-process LRU with an optional time limit, shared by the dashboard threads.

Only for values derived from data the caller has already scoped, and keyed by
everything they depend on (meter, local dates, tariff, and a fingerprint of the
daily rollups where readings can change), so an entry can neither leak across
users nor outlive the data it summarises. Each worker process has its own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """``get(key, compute)``: the cached value, or ``compute()`` stored under ``key``."""

    def __init__(self, size: int, ttl_s: float | None = None) -> None:
        self.size, self.ttl_s = size, ttl_s
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and (self.ttl_s is None or now - found[0] < self.ttl_s):
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
            self.misses += 1
        value = compute()  # outside the lock: two threads may compute the same entry once each
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0
