"""A least-recently-used cache of compiled templates, bounded by an estimate of their bytes.

Compiling happens outside the cache's lock, so a large template being compiled never holds
up renders of other templates; two threads compiling the same new text both compile it and
one result is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Weighted(Protocol):
    @property
    def weight(self) -> int: ...


T = TypeVar("T", bound=Weighted)


class ByteLRU(Generic[T]):
    """Maps a key to a compiled value; evicts the least recently used past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[object, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_build(self, key: object, build: Callable[[], T]) -> T:
        """Returns the cached value for ``key``, building (outside the lock) when absent."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        value = build()
        self.put(key, value)
        return value

    def put(self, key: object, value: T) -> None:
        """Keeps ``value`` unless it alone is larger than the budget; evicts to fit."""
        weight = value.weight
        if weight > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.weight
            self._entries[key] = value
            self.bytes += weight
            while self.bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= evicted.weight

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0
