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
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: The table a ``HashIndex`` keeps its runs in (part of its container's schema).
PAGES_SCHEMA = "CREATE TABLE pages (page INTEGER PRIMARY KEY, data BLOB NOT NULL);"
#: Pointers that wait in memory (8 bytes each) before they go to the database as one run.
MERGE = 8_192
#: Pointers in one blob of a run: a lookup reads one such blob a run (2 KiB, within one page
#: of the database).
RUN_PAGE = 256
#: Runs of one level that merge into one of the next.
FANOUT = 4

_LOW = np.uint64(0xFFFF_FFFF)
_SHIFT = np.uint64(32)
Pointers = npt.NDArray[np.uint64]
#: Blobs of runs read by one lookup, by how many: the query that reads them.
_READ_PAGES = {
    n: f"SELECT data FROM pages WHERE page IN ({','.join('?' * n)})" for n in range(1, 65)
}


def hash_part(hashed: int) -> int:
    """The 32 bits of a key's hash a pointer keeps: both halves folded together."""
    return (hashed ^ (hashed >> 32)) & 0xFFFF_FFFF


def _hash_parts(hashes: npt.NDArray[np.int64]) -> npt.NDArray[np.uint32]:
    """``hash_part`` of each of ``hashes``."""
    return ((hashes ^ (hashes >> 32)) & 0xFFFF_FFFF).astype(np.uint32)


@dataclass
class _Run:
    """Sorted pointers in database rows ``first`` .. ``first + len(fences) - 1``."""

    level: int
    first: int
    count: int  # pointers
    fences: array[int]  # the first pointer of each blob


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
        # pointers not yet in a run, as their two halves: hash parts and rows
        self._fresh: list[tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]] = []
        self._waiting = 0
        self._runs: list[_Run] = []  # oldest first
        self._next_page = 0

    def add(self, hashes: npt.NDArray[np.int64], rows: npt.NDArray[np.uint32]) -> None:
        """Points keys with ``hashes`` at ``rows`` (numbers below 2**32); writes a run once
        ``MERGE`` wait."""
        self._fresh.append((_hash_parts(hashes), rows))
        self._waiting += len(hashes)
        if self._waiting >= MERGE:
            parts, rows = self._joined_fresh()
            self._fresh, self._waiting = [], 0
            found = (parts.astype(np.uint64) << _SHIFT) | rows
            found.sort()
            self._write(found, 0)
            self._merge()

    def _joined_fresh(self) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        """The pointers not yet in a run, in one pair of arrays (kept so for the next look)."""
        if len(self._fresh) > 1:
            joined = (
                np.concatenate([parts for parts, _ in self._fresh]),
                np.concatenate([rows for _, rows in self._fresh]),
            )
            self._fresh = [joined]
        return self._fresh[0]

    def rows(self, hashed: int) -> list[int]:
        """Rows that may hold a key whose ``hash`` is ``hashed``, without repeats."""
        part = hash_part(hashed)
        found: set[int] = set()
        if self._fresh:
            parts, rows = self._joined_fresh()
            found.update(rows[parts == part].tolist())
        low = part << 32
        high = low | 0xFFFF_FFFF
        pages: list[int] = []
        for run in self._runs:  # the blob before the first that starts at ``low`` or above,
            fences = run.fences  # and those that start within the hash's range
            start = max(bisect_left(fences, low) - 1, 0)
            pages.append(run.first + start)
            for at in range(start + 1, len(fences)):
                if fences[at] > high:
                    break
                pages.append(run.first + at)
        for chunk in range(0, len(pages), 64):
            ask = pages[chunk : chunk + 64]
            for (data,) in self._connection().execute(_READ_PAGES[len(ask)], ask):
                sorted_pointers = memoryview(data).cast("Q")
                at, end = bisect_left(sorted_pointers, low), len(sorted_pointers)
                while at < end and sorted_pointers[at] <= high:
                    found.add(sorted_pointers[at] & 0xFFFF_FFFF)
                    at += 1
        return sorted(found)

    def clear(self) -> None:
        """Forgets every pointer (the caller empties the table)."""
        self._fresh, self._waiting, self._runs, self._next_page = [], 0, [], 0

    def _write(self, found: Pointers, level: int) -> None:
        """Writes sorted pointers ``found`` as a new run of ``level`` (nothing when empty)."""
        if not len(found):
            return
        first = self._next_page
        blobs = (  # made one at a time as SQLite takes them
            (first + n, found[start : start + RUN_PAGE].tobytes())
            for n, start in enumerate(range(0, len(found), RUN_PAGE))
        )
        self._connection().executemany("INSERT INTO pages (page, data) VALUES (?, ?)", blobs)
        fences = array("Q", found[::RUN_PAGE].tobytes())
        self._next_page = first + len(fences)
        self._runs.append(_Run(level, first, len(found), fences))

    def _merge(self) -> None:
        """Merges the newest ``FANOUT`` runs while they share a level."""
        runs = self._runs
        while len(runs) >= FANOUT and len({run.level for run in runs[-FANOUT:]}) == 1:
            merging, level = runs[-FANOUT:], runs[-1].level
            del runs[-FANOUT:]
            db = self._connection()
            found = np.empty(sum(run.count for run in merging), dtype=np.uint64)
            filled = 0
            for run in merging:  # read a blob at a time into place
                pages = (run.first, run.first + len(run.fences) - 1)
                query = "SELECT data FROM pages WHERE page BETWEEN ? AND ? ORDER BY page"
                for (data,) in db.execute(query, pages):
                    found[filled : filled + len(data) // 8] = np.frombuffer(data, dtype=np.uint64)
                    filled += len(data) // 8
                db.execute("DELETE FROM pages WHERE page BETWEEN ? AND ?", pages)
            found.sort(kind="stable")  # runs already sorted: merged, not sorted afresh
            kept = self._live(found & _LOW)
            if not kept.all():
                found = found[kept]
            self._write(found, level + 1)
