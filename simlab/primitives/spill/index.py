"""``HashIndex``: which database rows may hold a key, by its hash, without a row per key.

Each spilled entry leaves a pointer: a 64-bit number, 32 bits of its key's hash above the
number of the row that holds it. Pointers wait in memory until ``MERGE`` of them have come,
then go to the database together as a run: sorted, packed ``RUN_PAGE`` to a blob (one table
row per blob). Runs of a level merge into one of the next level once ``FANOUT`` of them are
there, so a lookup reads one blob from each of a few runs (their number grows with the
logarithm of the entries), and each pointer is sorted and written a few times in all. Pointers
to rows that have gone are dropped while runs merge. A row's pointer can name a key that has
left it since: a caller checks the row.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: The table a ``HashIndex`` keeps its runs in (part of its container's schema).
PAGES_SCHEMA = "CREATE TABLE pages (page INTEGER PRIMARY KEY, data BLOB NOT NULL);"
#: Pointers that wait in memory (8 bytes each) before they go to the database as one run.
MERGE = 8_192
#: Pointers in one blob of a run: a lookup reads one such blob a run (8 KiB).
RUN_PAGE = 1_024
#: Runs of one level that merge into one of the next.
FANOUT = 4

_LOW = np.uint64(0xFFFF_FFFF)
_SHIFT = np.uint64(32)
Pointers = npt.NDArray[np.uint64]


def hash_part(hashed: int) -> int:
    """The 32 bits of a key's hash a pointer keeps: both halves folded together."""
    return (hashed ^ (hashed >> 32)) & 0xFFFF_FFFF


def pointers(hashes: npt.NDArray[np.int64], rows: npt.NDArray[np.uint64]) -> Pointers:
    """The pointers of keys with ``hashes`` in ``rows`` (``hash_part`` of each, above its row)."""
    folded = (hashes ^ (hashes >> 32)).view(np.uint64) & _LOW
    return (folded << _SHIFT) | rows


@dataclass
class _Run:
    """Sorted pointers in database rows ``first`` .. ``first + len(fences) - 1``."""

    level: int
    first: int
    fences: list[int]  # the first pointer of each blob


class HashIndex:
    """The rows that may hold a key, found by its hash in a few reads however many entries.

    ``connection()`` returns the database (whose schema holds ``PAGES_SCHEMA``); the caller
    holds its transaction and lock. ``live(rows)`` says which rows still hold an entry.
    """

    def __init__(
        self,
        connection: Callable[[], sqlite3.Connection],
        live: Callable[[Pointers], npt.NDArray[np.bool_]],
    ) -> None:
        self._connection, self._live = connection, live
        self._fresh: list[Pointers] = []  # pointers not yet in a run
        self._waiting = 0
        self._runs: list[_Run] = []  # oldest first
        self._next_page = 0

    def add(self, hashes: npt.NDArray[np.int64], rows: npt.NDArray[np.uint64]) -> None:
        """Points keys with ``hashes`` at ``rows``; writes a run once ``MERGE`` wait."""
        self._fresh.append(pointers(hashes, rows))
        self._waiting += len(hashes)
        if self._waiting >= MERGE:
            found = np.concatenate(self._fresh)
            self._fresh, self._waiting = [], 0
            found.sort()
            self._write(found, 0)
            self._merge()

    def rows(self, hashed: int) -> list[int]:
        """Rows that may hold a key whose ``hash`` is ``hashed``, without repeats."""
        low = hash_part(hashed) << 32
        high = low | 0xFFFF_FFFF
        found: set[int] = set()
        for part in self._fresh:
            hits = part[(part >> _SHIFT) == np.uint64(low >> 32)]
            found.update((hits & _LOW).tolist())
        pages: list[int] = []
        for run in self._runs:
            start = max(bisect_right(run.fences, low) - 1, 0)
            end = max(bisect_right(run.fences, high) - 1, 0)
            pages.extend(range(run.first + start, run.first + end + 1))
        if pages:
            marks = ",".join("?" * len(pages))
            query = f"SELECT data FROM pages WHERE page IN ({marks})"
            for (data,) in self._connection().execute(query, pages):
                part = np.frombuffer(data, dtype=np.uint64)
                start = int(np.searchsorted(part, np.uint64(low), "left"))
                end = int(np.searchsorted(part, np.uint64(high), "right"))
                found.update((part[start:end] & _LOW).tolist())
        return sorted(found)

    def clear(self) -> None:
        """Forgets every pointer (the caller empties the table)."""
        self._fresh, self._waiting, self._runs, self._next_page = [], 0, [], 0

    def _write(self, found: Pointers, level: int) -> None:
        """Writes sorted pointers ``found`` as a new run of ``level`` (nothing when empty)."""
        if not len(found):
            return
        first = self._next_page
        blobs = [
            (first + n, found[start : start + RUN_PAGE].tobytes())
            for n, start in enumerate(range(0, len(found), RUN_PAGE))
        ]
        self._connection().executemany("INSERT INTO pages (page, data) VALUES (?, ?)", blobs)
        self._next_page = first + len(blobs)
        self._runs.append(_Run(level, first, found[::RUN_PAGE].tolist()))

    def _merge(self) -> None:
        """Merges the newest ``FANOUT`` runs while they share a level."""
        runs = self._runs
        while len(runs) >= FANOUT and len({run.level for run in runs[-FANOUT:]}) == 1:
            merging, level = runs[-FANOUT:], runs[-1].level
            del runs[-FANOUT:]
            db = self._connection()
            parts = []
            for run in merging:
                last = run.first + len(run.fences) - 1
                query = "SELECT data FROM pages WHERE page BETWEEN ? AND ? ORDER BY page"
                blobs = [data for (data,) in db.execute(query, (run.first, last))]
                parts.append(np.frombuffer(b"".join(blobs), dtype=np.uint64))
                db.execute("DELETE FROM pages WHERE page BETWEEN ? AND ?", (run.first, last))
            found = np.concatenate(parts)
            del parts
            found.sort(kind="stable")  # runs already sorted: merged, not sorted afresh
            kept = self._live(found & _LOW)
            if not kept.all():
                found = found[kept]
            self._write(found, level + 1)
