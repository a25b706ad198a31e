"""``SpillDict``: a dict that keeps its newest entries in memory and the rest in SQLite."""

from __future__ import annotations

import heapq
import itertools
import mmap
import pickle
import sqlite3
from array import array
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    MutableMapping,
    Sequence,
    ValuesView,
)
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from simlab.primitives.spill.index import PAGES_SCHEMA, HashIndex
from simlab.primitives.spill.store import (
    DEFAULT_KEEP,
    FILTER_BITS,
    PICKLE,
    ROW,
    Codec,
    Database,
    dump_row,
    load_one,
    load_row,
)

K = TypeVar("K")
#: A key's three bits in a filter of ``FILTER_BITS`` bits: its hash shifted right by each of
#: these and masked with the next (three 24-bit windows of a 64-bit hash, overlapping by 4).
_FILTER_SHIFTS = (0, 20, 40)
_FILTER_MASK = FILTER_BITS - 1
V = TypeVar("V")

# Entries leave memory ``ROW`` at a time into one row of ``rows``: ``keys`` is one pickle of
# their insertion numbers and their keys (a taken entry's number is -1 there), ``value`` their
# values as ``dump_row`` writes them, ``low`` the lowest insertion number written (rows are
# read in its order to iterate). A row goes when none of its entries is left; ``HashIndex``
# finds the rows that may hold a key.
_DICT_SCHEMA = f"""
CREATE TABLE rows (
    row INTEGER PRIMARY KEY, low INTEGER NOT NULL, keys BLOB NOT NULL, value BLOB NOT NULL
);
CREATE INDEX rows_by_low ON rows (low);
{PAGES_SCHEMA}
"""
#: Database rows read at a time while iterating.
_ROWS_READ = 16
_READ_KEYS = "SELECT row, low, keys FROM rows WHERE (low, row) > (?, ?) ORDER BY low, row LIMIT ?"
_READ_VALUES = (
    "SELECT row, low, keys, value FROM rows WHERE (low, row) > (?, ?) ORDER BY low, row LIMIT ?"
)


class SpillDict(MutableMapping[K, V]):
    """A dict that keeps about ``keep`` entries in memory and the finished rest in SQLite.

    ``spillable(value)`` says whether an entry is finished and may leave memory (every entry,
    when it is not given). Entries leave memory oldest first, ``batch`` at a time, once more
    than ``keep + batch`` are in memory. ``codec`` writes and reads values (``PICKLE``).
    """

    def __init__(
        self,
        keep: int = DEFAULT_KEEP,
        *,
        spillable: Callable[[V], bool] | None = None,
        codec: Codec = PICKLE,
        directory: str | Path | None = None,
        batch: int | None = None,
    ) -> None:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        self._keep, self._batch = keep, max(1, batch or keep // 4)
        self._spillable, self._codec = spillable, codec
        self._hot: dict[K, tuple[int, V]] = {}  # key -> (insertion number, value)
        self._cold = 0  # entries in the database
        # entries still read from each database row, by row number (rows are numbered as
        # written): two bytes a row rather than a dict entry and its numbers
        self._live = array("H")
        self._numbers = itertools.count()  # insertion numbers: ``next`` is one step, thread-safe
        self._walk_at = 0  # entries in memory before the next look for entries to spill
        self._spill_at = self._keep + self._batch  # ``_spill``'s test: the larger of the two
        self._filter: mmap.mmap | None = None
        self._store = Database(_DICT_SCHEMA, directory)
        self._lock = self._store.lock
        self._index = HashIndex(self._store.connection, self._rows_live)

    # -- the database -------------------------------------------------------------------------

    @property
    def keep(self) -> int:
        """Entries held in memory after a spill."""
        return self._keep

    @keep.setter
    def keep(self, keep: int) -> None:
        self._keep = keep
        self._spill_at = max(keep + self._batch, self._walk_at)

    @property
    def batch(self) -> int:
        """Entries above ``keep`` that may wait in memory before they spill together."""
        return self._batch

    @batch.setter
    def batch(self, batch: int) -> None:
        self._batch = batch
        self._spill_at = max(self._keep + batch, self._walk_at)

    @property
    def in_memory(self) -> int:
        """How many entries are held as Python objects now."""
        return len(self._hot)

    def _rows_live(self, rows: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
        """Whether each of ``rows`` still holds an entry."""
        live = np.frombuffer(self._live.tobytes(), dtype=np.uint16)
        return live[rows.astype(np.intp)] > 0

    def _maybe_cold(self, key: K) -> bool:
        """False if ``key`` was never spilled (one of its bits in the filter clear)."""
        bits = self._filter
        if bits is None or not self._cold:
            return False
        hashed = hash(key)
        for shift in _FILTER_SHIFTS:
            spot = (hashed >> shift) & _FILTER_MASK
            if not bits[spot >> 3] & (1 << (spot & 7)):
                return False
        return True

    def _mark(self, hashes: npt.NDArray[np.int64]) -> None:
        """Sets the filter's bits of each key with ``hashes``."""
        if self._filter is None:  # zeroed pages the system maps as they are first written:
            self._filter = mmap.mmap(-1, FILTER_BITS // 8)  # none written beforehand
        bits = np.frombuffer(self._filter, dtype=np.uint8)
        spots = np.concatenate([(hashes >> shift) & _FILTER_MASK for shift in _FILTER_SHIFTS])
        places, masks = spots >> 3, np.left_shift(1, spots & 7).astype(np.uint8)
        bits[places] |= masks  # where two spots share a byte, one of their bits may be lost:
        lost = (bits[places] & masks) == 0
        if lost.any():  # ... set those again, one at a time
            np.bitwise_or.at(bits, places[lost], masks[lost])

    def _find(self, db: sqlite3.Connection, key: K, read: str = "keys") -> tuple[Any, ...]:
        """(row, slot, insertion numbers, keys, and the other columns ``read`` names) of the
        row holding ``key``; raises KeyError if none does."""
        live, query = self._live, f"SELECT {read} FROM rows WHERE row = ?"
        for row in self._index.rows(hash(key)):
            if row >= len(live) or not live[row]:
                continue
            found = db.execute(query, (row,)).fetchone()
            if found is None:
                continue
            numbers, keys = pickle.loads(found[0])
            try:
                slot = keys.index(key)  # a taken entry's key is None there
            except ValueError:
                continue
            return row, slot, numbers, keys, *found[1:]
        raise KeyError(key)

    def _take_cold(self, key: K) -> tuple[int, V] | None:
        """Removes ``key``'s entry from the database; returns (insertion number, value) or None."""
        if not self._maybe_cold(key):
            return None
        db = self._store.connection()
        try:
            row, slot, numbers, keys, data = self._find(db, key, "keys, value")
        except KeyError:
            return None
        number = numbers[slot]
        self._live[row] -= 1
        if self._live[row]:
            numbers, keys = list(numbers), list(keys)
            numbers[slot], keys[slot] = -1, None
            blob = pickle.dumps((numbers, keys), protocol=pickle.HIGHEST_PROTOCOL)
            db.execute("UPDATE rows SET keys = ? WHERE row = ?", (blob, row))
        else:
            db.execute("DELETE FROM rows WHERE row = ?", (row,))
        self._cold -= 1
        return number, load_one(self._codec, data, slot)

    def _spill(self) -> None:
        """Writes the oldest finished entries to the database until ``keep`` remain in memory."""
        hot = self._hot
        held = len(hot)
        if held < self._spill_at:
            return
        excess = held - self._keep
        spillable = self._spillable
        if spillable is None:
            leaving = list(islice(hot, excess))
        else:
            try:
                leaving = _finished(hot.items(), spillable, excess)
            except RuntimeError:  # a new key arrived meanwhile (``__setitem__`` takes no lock
                leaving = _finished(list(hot.items()), spillable, excess)  # for it): a copy
        # entries that may not leave yet (messages in flight) stay at the front: when they are
        # many, look again only after ``batch`` more arrive, not on every insert
        self._walk_at = held - len(leaving) + self._batch
        self._spill_at = max(self._keep + self._batch, self._walk_at)
        if not leaving:
            return
        hashes = np.fromiter(map(hash, leaving), dtype=np.int64, count=len(leaving))
        self._mark(hashes)  # before they leave ``hot``: a key gone from there is in the filter
        taken = list(map(hot.pop, leaving))
        live, codec, first = self._live, self._codec, len(self._live)
        rows: list[tuple[int, int, bytes, bytes]] = []
        for start in range(0, len(leaving), ROW):
            numbers, values = zip(*taken[start : start + ROW], strict=True)
            keys = pickle.dumps((numbers, leaving[start : start + ROW]), pickle.HIGHEST_PROTOCOL)
            rows.append((first + len(rows), min(numbers), keys, dump_row(codec, list(values))))
            live.append(len(numbers))
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO rows (row, low, keys, value) VALUES (?, ?, ?, ?)", rows)
        self._index.add(hashes, np.arange(len(leaving), dtype=np.uint32) // ROW + first)
        db.execute("COMMIT")
        self._cold += len(leaving)

    # -- the mapping ----------------------------------------------------------------------------

    def _revive(self, key: K) -> tuple[int, V] | None:
        """``key``'s entry, brought back into memory if it was spilled; None if there is none.
        The caller holds the lock."""
        found = self._hot.get(key)
        if found is None:
            found = self._take_cold(key)
            if found is None:
                return None
            self._hot[key] = found
            self._spill()
        return found

    def __getitem__(self, key: K) -> V:
        found = self._hot.get(key)  # in memory: read without the lock
        if found is None:
            with self._lock:
                found = self._revive(key)
            if found is None:
                raise KeyError(key)
        return found[1]

    def get(self, key: K, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` if there is none."""
        found = self._hot.get(key)
        if found is None:
            with self._lock:
                found = self._revive(key)
            if found is None:
                return default
        return found[1]

    def __setitem__(self, key: K, value: V) -> None:
        hot = self._hot
        if key not in hot:
            bits = self._filter  # read after ``hot``: ``_spill`` marks a key before it leaves
            spot = 0 if bits is None else hash(key) & _FILTER_MASK  # its first bit (of three)
            if bits is None or not bits[spot >> 3] & (1 << (spot & 7)):
                # never spilled: a new entry, added in one step the interpreter keeps whole,
                # so without the lock
                hot[key] = (next(self._numbers), value)
                if len(hot) >= self._spill_at:  # ``_spill``'s test
                    with self._lock:
                        self._spill()
                return
        with self._lock:
            found = hot.get(key)
            if found is None:
                found = self._take_cold(key)
            if found is None:
                hot[key] = (next(self._numbers), value)
            else:
                hot[key] = (found[0], value)  # a key keeps its place, as in a dict
            if len(hot) >= self._spill_at:
                self._spill()

    def set_many(self, keys: Sequence[K], values: Sequence[V]) -> None:
        """Sets ``keys[i]`` to ``values[i]`` for each ``i`` in turn: the same entries, in the
        same order, as that many single sets. Keys all new (none in the container, none
        repeated: the usual case) are added together, without a call each.

        Raises ValueError if ``keys`` and ``values`` differ in length.
        """
        count = len(keys)
        if len(values) != count:
            raise ValueError(f"{count} keys but {len(values)} values")
        with self._lock:
            hot = self._hot
            if (
                hot.keys().isdisjoint(keys)
                and len(set(keys)) == count
                and not self._any_spilled(keys)
            ):
                hot.update(
                    zip(keys, zip(islice(self._numbers, count), values, strict=True), strict=True)
                )
                if len(hot) >= self._spill_at:
                    self._spill()
                return
        for key, value in zip(keys, values, strict=True):
            self[key] = value

    def _any_spilled(self, keys: Sequence[K]) -> bool:
        """Whether the filter lets any of ``keys`` through (one of them may have been spilled)."""
        if self._filter is None or not keys:
            return False
        bits = np.frombuffer(self._filter, dtype=np.uint8)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))
        spots = hashes & _FILTER_MASK  # the first bit of each; ``_take_cold`` looks at the others
        return bool((bits[spots >> 3] & np.left_shift(1, spots & 7)).any())

    def __delitem__(self, key: K) -> None:
        with self._lock:
            if self._hot.pop(key, None) is None and self._take_cold(key) is None:
                raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if key in self._hot:
            return True
        with self._lock:
            if key in self._hot:
                return True
            if not self._maybe_cold(key):  # type: ignore[arg-type]
                return False
            try:
                self._find(self._store.connection(), key)  # type: ignore[arg-type]
            except KeyError:
                return False
            return True

    def __len__(self) -> int:
        return len(self._hot) + self._cold

    def _pairs(self, decode: bool) -> Iterator[tuple[K, V | None]]:
        """(key, value) in insertion order; values are decoded only when ``decode``."""
        with self._lock:
            hot = sorted((seq, key, value) for key, (seq, value) in list(self._hot.items()))
        position = 0
        for seq, key, value in self._cold_entries(decode):
            while position < len(hot) and hot[position][0] < seq:
                yield hot[position][1], hot[position][2]
                position += 1
            yield key, value
        for _, key, value in hot[position:]:
            yield key, value

    def _cold_entries(self, decode: bool) -> Iterator[tuple[int, K, V | None]]:
        """(insertion number, key, value) of the spilled entries in insertion order.

        Rows are read in the order of their lowest number; an entry goes out once no row yet
        unread can hold a lower one."""
        waiting: list[tuple[int, int, int, K, V | None]] = []  # a heap, by number
        after = (-1, -1)  # (low, row) of the last row read
        while True:
            with self._lock:
                if not self._cold:
                    rows: list[Any] = []
                else:
                    query, db = (_READ_VALUES if decode else _READ_KEYS), self._store.connection()
                    rows = db.execute(query, (*after, _ROWS_READ)).fetchall()
            for found in rows:
                row, low = found[0], found[1]
                while waiting and waiting[0][0] < low:
                    number, _, _, key, value = heapq.heappop(waiting)
                    yield number, key, value
                numbers, keys = pickle.loads(found[2])
                values = load_row(self._codec, found[3]) if decode else None
                for slot, number in enumerate(numbers):
                    if number >= 0:
                        value = values[slot] if values is not None else None
                        heapq.heappush(waiting, (number, row, slot, keys[slot], value))
                after = (low, row)
            if len(rows) < _ROWS_READ:
                break
        while waiting:
            number, _, _, key, value = heapq.heappop(waiting)
            yield number, key, value

    def __iter__(self) -> Iterator[K]:
        return (key for key, _ in self._pairs(decode=False))

    def values(self) -> ValuesView[V]:
        """The values in insertion order; spilled ones are read as copies, left in the database."""
        return _Values(self)

    def items(self) -> ItemsView[K, V]:
        """(key, value) pairs in insertion order; spilled values are read as copies."""
        return _Items(self)

    def _forget_cold(self) -> None:
        """Forgets every spilled entry (the caller empties or closes the database)."""
        self._cold, self._filter = 0, None
        self._live = array("H")
        self._index.clear()

    def clear(self) -> None:
        """Removes every entry, from memory and the database."""
        with self._lock:
            self._hot.clear()
            if self._store.opened:
                db = self._store.connection()
                for table in ("rows", "pages"):
                    db.execute(f"DELETE FROM {table}")
            self._forget_cold()

    def close(self) -> None:
        """Removes every entry and closes (and deletes) the database."""
        with self._lock:
            self._hot.clear()
            self._forget_cold()
            self._store.close()

    def __repr__(self) -> str:
        return f"SpillDict({len(self):,} entries, {len(self._hot):,} in memory)"


def _finished(
    entries: Iterable[tuple[K, tuple[int, V]]], spillable: Callable[[V], bool], wanted: int
) -> list[K]:
    """The keys of the first ``wanted`` (or fewer) ``entries`` whose values are ``spillable``."""
    found = []
    for key, (_, value) in entries:
        if spillable(value):
            found.append(key)
            if len(found) >= wanted:
                break
    return found


class _Values(ValuesView[V]):
    _mapping: SpillDict[Any, V]

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in self._mapping._pairs(decode=True))  # type: ignore[misc]


class _Items(ItemsView[K, V]):
    _mapping: SpillDict[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return iter(self._mapping._pairs(decode=True))  # type: ignore[arg-type]
