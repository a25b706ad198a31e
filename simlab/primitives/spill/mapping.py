"""``SpillDict``: a dict that keeps its newest entries in memory and the rest in SQLite."""

from __future__ import annotations

import heapq
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
from operator import itemgetter
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
#: What a lookup finds for a key with no entry (a value may be None).
_MISSING: Any = object()
_first = itemgetter(0)

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
        self._hot: dict[K, V] = {}
        # insertion numbers of the entries in memory that have one (those a look for entries
        # to spill passed, and those brought back from the database): the others, in the order
        # of ``_hot``, come after every entry that has one, and are numbered from ``_next`` on
        # when a look passes them
        self._numbered: dict[K, int] = {}
        self._next = 0
        self._cold = 0  # entries in the database
        # entries still read from each database row, by row number (rows are numbered as
        # written): two bytes a row rather than a dict entry and its numbers
        self._live = array("H")
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
            leaving = _first_keys(hot, excess)
            walked = len(leaving)
        else:
            try:
                walked, leaving = _finished(hot.items(), spillable, excess)
            except RuntimeError:  # a new key arrived meanwhile (``__setitem__`` takes no lock
                walked, leaving = _finished(list(hot.items()), spillable, excess)  # for it)
        # entries that may not leave yet (messages in flight) stay at the front: when they are
        # many, look again only after ``batch`` more arrive, not on every insert
        self._walk_at = held - len(leaving) + self._batch
        self._spill_at = max(self._keep + self._batch, self._walk_at)
        if not leaving:
            return
        hashes = np.fromiter(map(hash, leaving), dtype=np.int64, count=len(leaving))
        self._mark(hashes)  # before they leave ``hot``: a key gone from there is in the filter
        numbers = self._take_numbers(walked, leaving)
        values = list(map(hot.pop, leaving))
        live, codec, first, dumps = self._live, self._codec, len(self._live), self._store.dumps
        rows: list[tuple[int, int, bytes, bytes]] = []
        for start in range(0, len(leaving), ROW):
            taken = numbers[start : start + ROW]
            # the keys apart: the kept pickler's memo table is as large as a row of values needs
            keys = pickle.dumps((taken, leaving[start : start + ROW]), pickle.HIGHEST_PROTOCOL)
            value = dump_row(codec, values[start : start + ROW], dumps)
            rows.append((first + len(rows), min(taken), keys, value))
            live.append(len(taken))
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO rows (row, low, keys, value) VALUES (?, ?, ?, ?)", rows)
        self._index.add(hashes, np.arange(len(leaving), dtype=np.uint32) // ROW + first)
        db.execute("COMMIT")
        self._cold += len(leaving)

    def _take_numbers(self, walked: int, leaving: list[K]) -> list[int]:
        """The insertion numbers of ``leaving``, entries among the first ``walked`` in memory
        (those of the first ``walked`` that have none get theirs first, in order)."""
        numbered, number = self._numbered, self._next
        if not numbered and walked == len(leaving):  # the first ``walked``, in order
            self._next = number + walked
            return list(range(number, number + walked))
        for key in _first_keys(self._hot, walked):
            if key not in numbered:
                numbered[key] = number
                number += 1
        self._next = number
        return list(map(numbered.pop, leaving))

    # -- the mapping ----------------------------------------------------------------------------

    def _revive(self, key: K) -> Any:
        """``key``'s value, brought back into memory if it was spilled; ``_MISSING`` if there is
        none. The caller holds the lock."""
        value = self._hot.get(key, _MISSING)
        if value is _MISSING:
            found = self._take_cold(key)
            if found is None:
                return _MISSING
            self._numbered[key], value = found
            self._hot[key] = value
            self._spill()
        return value

    def __getitem__(self, key: K) -> V:
        value = self._hot.get(key, _MISSING)  # in memory: read without the lock
        if value is _MISSING:
            with self._lock:
                value = self._revive(key)
            if value is _MISSING:
                raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def get(self, key: K, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` if there is none."""
        value = self._hot.get(key, _MISSING)
        if value is _MISSING:
            with self._lock:
                value = self._revive(key)
            if value is _MISSING:
                return default
        return value

    def __setitem__(self, key: K, value: V) -> None:
        hot = self._hot
        if key not in hot:
            bits = self._filter  # read after ``hot``: ``_spill`` marks a key before it leaves
            spot = 0 if bits is None else hash(key) & _FILTER_MASK  # its first bit (of three)
            if bits is None or not bits[spot >> 3] & (1 << (spot & 7)):
                # never spilled: a new entry, added in one step the interpreter keeps whole,
                # so without the lock
                hot[key] = value
                if len(hot) >= self._spill_at:  # ``_spill``'s test
                    with self._lock:
                        self._spill()
                return
        with self._lock:
            if key not in hot:
                found = self._take_cold(key)
                if found is not None:  # a key keeps its place, as in a dict
                    self._numbered[key] = found[0]
            hot[key] = value
            if len(hot) >= self._spill_at:
                self._spill()

    def set_many(self, keys: Sequence[K], values: Sequence[V], *, new: bool = False) -> None:
        """Sets ``keys[i]`` to ``values[i]`` for each ``i`` in turn: the same entries, in the
        same order, as that many single sets. Keys none of which was spilled (the usual case)
        are set together, without a call each: a dict's ``update`` gives a key in memory, or
        one repeated, the place and value one set each gives it. ``new`` says that none of
        ``keys`` was ever set before (ids made just now): the spilled ones are not searched.

        Raises ValueError if ``keys`` and ``values`` differ in length.
        """
        count = len(keys)
        if len(values) != count:
            raise ValueError(f"{count} keys but {len(values)} values")
        with self._lock:
            hot = self._hot
            if new or not self._any_spilled(keys):
                hot.update(zip(keys, values, strict=True))
                if len(hot) >= self._spill_at:
                    self._spill()
                return
        for key, value in zip(keys, values, strict=True):
            self[key] = value

    def _any_spilled(self, keys: Sequence[K]) -> bool:
        """Whether any of ``keys`` may have been spilled (the filter has all three of its bits:
        the first of each key's looked up together, the others for the few that have it)."""
        if self._filter is None or not self._cold or not keys:
            return False
        bits = np.frombuffer(self._filter, dtype=np.uint8)
        spots = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys)) & _FILTER_MASK
        # the first bit of each (few array steps: each costs about as much as ten keys)
        maybe = (bits[spots >> 3] & (1 << (spots & 7))).nonzero()[0]
        return len(maybe) > 0 and any(self._maybe_cold(keys[at]) for at in maybe.tolist())

    def __delitem__(self, key: K) -> None:
        with self._lock:
            if self._hot.pop(key, _MISSING) is not _MISSING:
                self._numbered.pop(key, None)
            elif self._take_cold(key) is None:
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
            numbered, number = self._numbered, self._next
            hot: list[tuple[int, K, V]] = []
            for key, kept in list(self._hot.items()):
                seq = numbered.get(key)
                if seq is None:  # numbered as the next look for entries to spill would
                    seq, number = number, number + 1
                hot.append((seq, key, kept))
            hot.sort(key=_first)
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
            self._numbered.clear()
            if self._store.opened:
                db = self._store.connection()
                for table in ("rows", "pages"):
                    db.execute(f"DELETE FROM {table}")
            self._forget_cold()

    def close(self) -> None:
        """Removes every entry and closes (and deletes) the database."""
        with self._lock:
            self._hot.clear()
            self._numbered.clear()
            self._forget_cold()
            self._store.close()

    def __repr__(self) -> str:
        return f"SpillDict({len(self):,} entries, {len(self._hot):,} in memory)"


def _first_keys(entries: dict[K, Any], count: int) -> list[K]:
    """The first ``count`` keys of ``entries``, copied again if a key was added meanwhile (by
    ``__setitem__``, which takes no lock to add one)."""
    while True:
        try:
            return list(islice(entries, count))
        except RuntimeError:  # "dictionary changed size during iteration"
            continue


def _finished(
    entries: Iterable[tuple[K, V]], spillable: Callable[[V], bool], wanted: int
) -> tuple[int, list[K]]:
    """The keys of the first ``wanted`` (or fewer) ``entries`` whose values are ``spillable``,
    after how many entries the last of them comes."""
    found: list[K] = []
    walked = 0
    for at, (key, value) in enumerate(entries, 1):
        if spillable(value):
            found.append(key)
            walked = at
            if len(found) >= wanted:
                break
    return walked, found


class _Values(ValuesView[V]):
    _mapping: SpillDict[Any, V]

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in self._mapping._pairs(decode=True))  # type: ignore[misc]


class _Items(ItemsView[K, V]):
    _mapping: SpillDict[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return iter(self._mapping._pairs(decode=True))  # type: ignore[arg-type]
