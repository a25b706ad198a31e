"""``SpillDict``: a dict that keeps its newest entries in memory and the rest in SQLite."""

from __future__ import annotations

from array import array
from collections.abc import Callable, ItemsView, Iterator, MutableMapping, ValuesView
from pathlib import Path
from typing import Any, TypeVar

from simlab.primitives.spill.store import (
    DEFAULT_KEEP,
    FILTER_BITS,
    PAGE,
    PICKLE,
    ROW,
    Codec,
    Database,
    dump_row,
    key_of,
    key_text,
    load_row,
)

K = TypeVar("K")
#: A key's bit in a filter of ``FILTER_BITS`` bits: its hash masked with this.
_FILTER_MASK = FILTER_BITS - 1
V = TypeVar("V")

# Values are written ``ROW`` at a time into one blob of ``rows``; ``entries`` says where each
# key's value is (its row and slot there). A row goes when none of its entries is left.
# Entries are found by the key's hash, then the key. An index whose new keys land all over it
# costs a page read and write per insert once it outgrows the page cache, so newly spilled
# entries join the index ``keys`` ``MERGE`` at a time, in hash order: one pass over the
# index's pages instead of one visit per entry. Until then they are found in ``entries`` by a
# scan of its newest part (insertion numbers above those last merged; only for a key whose
# bit a small filter of their hashes has set), or, for an entry inserted before the last
# merge and spilled after it, through a small dict in memory.
# ``keys`` may name entries taken back since; a lookup joins ``entries``.
_DICT_SCHEMA = """
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY, hash INTEGER NOT NULL, key TEXT NOT NULL,
    row INTEGER NOT NULL, slot INTEGER NOT NULL
);
CREATE TABLE keys (hash INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (hash, seq))
    WITHOUT ROWID;
CREATE TABLE rows (row INTEGER PRIMARY KEY, value BLOB NOT NULL);
"""
#: Spilled entries that wait outside the index ``keys`` before they join it together.
MERGE = 8_192
#: Bits of the filter that says whether a key may be among them (its hash masked with this).
_FRESH_BITS = 1 << 16
_FRESH_MASK = _FRESH_BITS - 1
_FIND_NEW = "SELECT seq, row, slot FROM entries WHERE seq > ? AND hash = ? AND key = ?"
_FIND_LATE = "SELECT seq, row, slot FROM entries WHERE seq = ? AND key = ?"
_FIND = (
    "SELECT e.seq, e.row, e.slot FROM keys k CROSS JOIN entries e ON e.seq = k.seq "
    "WHERE k.hash = ? AND e.key = ?"
)
_INSERT_KEY = "INSERT OR IGNORE INTO keys (hash, seq) VALUES (?, ?)"
_MERGE_NEW = (
    "INSERT OR IGNORE INTO keys (hash, seq) "
    "SELECT hash, seq FROM entries WHERE seq > ? ORDER BY hash, seq"
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
        self.keep, self.batch = keep, max(1, batch or keep // 4)
        self._spillable, self._codec = spillable, codec
        self._hot: dict[K, tuple[int, V]] = {}  # key -> (insertion number, value)
        self._cold = 0  # entries in the database
        self._fresh = 0  # entries spilled since the last merge into the index ``keys``
        self._merged = -1  # the highest insertion number spilled before that merge
        self._highest = -1  # the highest insertion number spilled so far
        # entries spilled since that merge with a number up to ``_merged`` (held in memory
        # longer than those after them): key text -> (hash, number)
        self._late: dict[str, tuple[int, int]] = {}
        # a bit per 16-bit hash suffix of every entry spilled since then (8 KiB)
        self._fresh_bits = bytearray(_FRESH_BITS // 8)
        # entries still read from each database row, by row number (rows are numbered as
        # written): two bytes a row rather than a dict entry and its numbers
        self._live = array("H")
        self._next = 0
        self._walk_at = 0  # entries in memory before the next look for entries to spill
        self._filter: bytearray | None = None
        self._store = Database(_DICT_SCHEMA, directory)

    # -- the database -------------------------------------------------------------------------

    @property
    def in_memory(self) -> int:
        """How many entries are held as Python objects now."""
        return len(self._hot)

    def _maybe_cold(self, key: K) -> bool:
        """False if ``key`` was never spilled (both its bits in the filter clear)."""
        bits = self._filter
        if bits is None or not self._cold:
            return False
        hashed = hash(key)
        first, second = hashed & _FILTER_MASK, (hashed >> 24) & _FILTER_MASK
        return bool(
            bits[first >> 3] & (1 << (first & 7)) and bits[second >> 3] & (1 << (second & 7))
        )

    def _find(self, db: Any, key: K) -> tuple[int, int, int] | None:
        """(insertion number, row, slot) of ``key``'s spilled entry, or None."""
        hashed, text = hash(key), key_text(key)
        found = None
        low = hashed & _FRESH_MASK
        if self._fresh_bits[low >> 3] & (1 << (low & 7)):  # spilled since the last merge?
            found = db.execute(_FIND_NEW, (self._merged, hashed, text)).fetchone()
        if found is None:
            late = self._late.get(text)
            if late is not None:
                found = db.execute(_FIND_LATE, (late[1], text)).fetchone()
            if found is None:
                found = db.execute(_FIND, (hashed, text)).fetchone()
        return None if found is None else (int(found[0]), int(found[1]), int(found[2]))

    def _take_cold(self, key: K) -> tuple[int, V] | None:
        """Removes ``key``'s row from the database; returns (insertion number, value) or None."""
        if not self._maybe_cold(key):
            return None
        db = self._store.connection()
        found = self._find(db, key)
        if found is None:
            return None
        seq, row, slot = found
        (data,) = db.execute("SELECT value FROM rows WHERE row = ?", (row,)).fetchone()
        db.execute("DELETE FROM entries WHERE seq = ?", (seq,))
        self._forget(db, row)
        self._cold -= 1
        return int(seq), load_row(self._codec, data)[slot]

    def _forget(self, db: Any, row: int) -> None:
        """Counts one entry of ``row`` gone; deletes the row when it was the last."""
        self._live[row] -= 1
        if not self._live[row]:
            db.execute("DELETE FROM rows WHERE row = ?", (row,))

    def _spill(self) -> None:
        """Writes the oldest finished entries to the database until ``keep`` remain in memory."""
        held = len(self._hot)
        excess = held - self.keep
        if excess < self.batch or held < self._walk_at:
            return
        leaving: list[K] = []
        for key, (_, value) in self._hot.items():
            if len(leaving) >= excess:
                break
            if self._spillable is None or self._spillable(value):
                leaving.append(key)
        # entries that may not leave yet (messages in flight) stay at the front: when they are
        # many, look again only after ``batch`` more arrive, not on every insert
        self._walk_at = held - len(leaving) + self.batch
        if not leaving:
            return
        if self._filter is None:
            self._filter = bytearray(FILTER_BITS // 8)
        entries: list[tuple[int, int, str, int, int]] = []
        rows = []
        hot, bits, codec, live = self._hot, self._filter, self._codec, self._live
        merged, late, highest = self._merged, self._late, self._highest
        fresh_bits = self._fresh_bits
        for start in range(0, len(leaving), ROW):
            values = []
            row = len(live)
            for slot, key in enumerate(leaving[start : start + ROW]):
                seq, value = hot.pop(key)
                values.append(value)
                hashed = hash(key)
                text = key_text(key)
                entries.append((seq, hashed, text, row, slot))
                low = hashed & _FRESH_MASK
                fresh_bits[low >> 3] |= 1 << (low & 7)
                if seq > highest:
                    highest = seq
                elif seq <= merged:  # not in the newest part of ``entries``: remembered here
                    late[text] = (hashed, seq)
                first, second = hashed & _FILTER_MASK, (hashed >> 24) & _FILTER_MASK
                bits[first >> 3] |= 1 << (first & 7)
                bits[second >> 3] |= 1 << (second & 7)
            rows.append((row, dump_row(codec, values)))
            live.append(len(values))
        self._highest = highest
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO rows (row, value) VALUES (?, ?)", rows)
        db.executemany(
            "INSERT INTO entries (seq, hash, key, row, slot) VALUES (?, ?, ?, ?, ?)", entries
        )
        self._fresh += len(entries)
        if self._fresh >= MERGE:
            db.execute(_MERGE_NEW, (merged,))
            if late:
                db.executemany(_INSERT_KEY, sorted(late.values()))
                late.clear()
            fresh_bits[:] = bytes(len(fresh_bits))
            self._merged = highest
            self._fresh = 0
        db.execute("COMMIT")
        self._cold += len(entries)

    # -- the mapping ----------------------------------------------------------------------------

    def __getitem__(self, key: K) -> V:
        with self._store.lock:
            found = self._hot.get(key)
            if found is None:
                found = self._take_cold(key)
                if found is None:
                    raise KeyError(key)
                self._hot[key] = found
                self._spill()
            return found[1]

    def __setitem__(self, key: K, value: V) -> None:
        with self._store.lock:
            hot = self._hot
            found = hot.get(key)
            if found is None and self._cold:  # the filter says whether to ask the database
                bits = self._filter
                hashed = hash(key)
                first, second = hashed & _FILTER_MASK, (hashed >> 24) & _FILTER_MASK
                if bits[first >> 3] & (1 << (first & 7)) and bits[second >> 3] & (  # type: ignore[index]
                    1 << (second & 7)
                ):
                    found = self._take_cold(key)
            if found is None:
                hot[key] = (self._next, value)
                self._next += 1
            else:
                hot[key] = (found[0], value)  # a key keeps its place, as in a dict
            held = len(hot)
            if held - self.keep >= self.batch and held >= self._walk_at:  # ``_spill``'s test
                self._spill()

    def __delitem__(self, key: K) -> None:
        with self._store.lock:
            if self._hot.pop(key, None) is None and self._take_cold(key) is None:
                raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        with self._store.lock:
            if key in self._hot:
                return True
            if not self._maybe_cold(key):  # type: ignore[arg-type]
                return False
            return self._find(self._store.connection(), key) is not None  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self._hot) + self._cold

    def _pairs(self, decode: bool) -> Iterator[tuple[K, V | None]]:
        """(key, value) in insertion order; values are decoded only when ``decode``."""
        with self._store.lock:
            hot = sorted((seq, key, value) for key, (seq, value) in self._hot.items())
        position, after = 0, -1
        decoded: dict[int, list[Any]] = {}  # the rows read last, decoded
        while True:
            with self._store.lock:
                if not self._cold:
                    rows: list[Any] = []
                else:
                    query = "SELECT seq, key, row, slot FROM entries WHERE seq > ? ORDER BY seq"
                    rows = (
                        self._store.connection()
                        .execute(f"{query} LIMIT ?", (after, PAGE))
                        .fetchall()
                    )
                    if decode:
                        decoded = self._decoded({row for _, _, row, _ in rows}, decoded)
            for seq, text, row, slot in rows:
                while position < len(hot) and hot[position][0] < seq:
                    yield hot[position][1], hot[position][2]
                    position += 1
                yield key_of(text), decoded[row][slot] if decode else None
                after = seq
            if len(rows) < PAGE:
                break
        for _, key, value in hot[position:]:
            yield key, value

    def _decoded(self, wanted: set[int], known: dict[int, list[Any]]) -> dict[int, list[Any]]:
        """The values of database rows ``wanted``, decoded (those in ``known`` are reused)."""
        found = {row: known[row] for row in wanted if row in known}
        missing = sorted(wanted - found.keys())
        db = self._store.connection()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT row, value FROM rows WHERE row IN ({marks})"
            for row, data in db.execute(query, chunk):
                found[row] = load_row(self._codec, data)
        return found

    def __iter__(self) -> Iterator[K]:
        return (key for key, _ in self._pairs(decode=False))

    def values(self) -> ValuesView[V]:
        """The values in insertion order; spilled ones are read as copies, left in the database."""
        return _Values(self)

    def items(self) -> ItemsView[K, V]:
        """(key, value) pairs in insertion order; spilled values are read as copies."""
        return _Items(self)

    def clear(self) -> None:
        """Removes every entry, from memory and the database."""
        with self._store.lock:
            self._hot.clear()
            if self._store.opened:
                db = self._store.connection()
                for table in ("entries", "keys", "rows"):
                    db.execute(f"DELETE FROM {table}")
            self._cold, self._fresh, self._filter = 0, 0, None
            self._late.clear()
            self._fresh_bits[:] = bytes(len(self._fresh_bits))
            self._live = array("H")

    def close(self) -> None:
        """Removes every entry and closes (and deletes) the database."""
        with self._store.lock:
            self._hot.clear()
            self._cold, self._fresh, self._filter = 0, 0, None
            self._late.clear()
            self._fresh_bits[:] = bytes(len(self._fresh_bits))
            self._live = array("H")
            self._store.close()

    def __repr__(self) -> str:
        return f"SpillDict({len(self):,} entries, {len(self._hot):,} in memory)"


class _Values(ValuesView[V]):
    _mapping: SpillDict[Any, V]

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in self._mapping._pairs(decode=True))  # type: ignore[misc]


class _Items(ItemsView[K, V]):
    _mapping: SpillDict[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return iter(self._mapping._pairs(decode=True))  # type: ignore[arg-type]
