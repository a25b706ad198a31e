"""``SpillList``: a list that keeps its newest items in memory and the rest in SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSequence, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from simlab.primitives.spill.store import (
    DEFAULT_KEEP,
    PICKLE,
    ROW,
    Codec,
    Database,
    dump_row,
    load_row,
)

V = TypeVar("V")

# Items are written ``ROW`` at a time into one blob: a row holds ``count`` items from position
# ``first``.
_LIST_SCHEMA = """
CREATE TABLE items (first INTEGER PRIMARY KEY, count INTEGER NOT NULL, value BLOB NOT NULL);
"""
#: Database rows read at a time while iterating.
_ROWS_READ = 16


class ListLike(MutableSequence[V], Generic[V]):
    """A ``MutableSequence`` that compares as a list does: equal to any sequence (but text)
    holding equal items in order, and unhashable."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | bytes) or not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class SpillList(ListLike[V]):
    """A list that keeps its last ``keep`` items in memory and the earlier ones in SQLite.

    Items leave memory from the front, ``batch`` at a time, once more than ``keep + batch`` are
    in memory; reading or assigning a spilled item by index reads or writes its row.
    ``codec`` writes and reads items (``PICKLE``; ``ATTRIBUTES`` for classes that register
    their instances when created).
    """

    def __init__(
        self,
        items: Iterable[V] = (),
        keep: int = DEFAULT_KEEP,
        *,
        codec: Codec = PICKLE,
        directory: str | Path | None = None,
        batch: int | None = None,
    ) -> None:
        if keep < 0:
            raise ValueError(f"keep must be 0 or more, not {keep}")
        self._keep, self._batch = keep, max(1, batch or keep // 4)
        self._spill_at = self._keep + self._batch  # ``_spill``'s test
        self._codec = codec
        self._hot: list[V] = []
        self._cold = 0  # items 0 .. _cold - 1 are in the database
        self._store = Database(_LIST_SCHEMA, directory)
        self.extend(items)

    @property
    def keep(self) -> int:
        """Items held in memory after a spill."""
        return self._keep

    @keep.setter
    def keep(self, keep: int) -> None:
        self._keep, self._spill_at = keep, keep + self._batch

    @property
    def batch(self) -> int:
        """Items above ``keep`` that may wait in memory before they spill together."""
        return self._batch

    @batch.setter
    def batch(self, batch: int) -> None:
        self._batch, self._spill_at = batch, self._keep + batch

    @property
    def in_memory(self) -> int:
        """How many items are held as Python objects now."""
        return len(self._hot)

    def _spill(self) -> None:
        leaving = len(self._hot) - self._keep
        if leaving < self._batch:
            return
        rows = [
            (self._cold + start, len(chunk), dump_row(self._codec, chunk, self._store.dumps))
            for start in range(0, leaving, ROW)
            for chunk in (self._hot[start : min(start + ROW, leaving)],)
        ]
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO items (first, count, value) VALUES (?, ?, ?)", rows)
        db.execute("COMMIT")
        del self._hot[:leaving]
        self._cold += leaving

    def _index(self, index: int) -> int:
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("list index out of range")
        return index

    def _cold_range(self, start: int, stop: int) -> list[V]:
        """The spilled items from ``start`` to before ``stop``, decoded."""
        db = self._store.connection()
        rows = db.execute(
            "SELECT first, value FROM items WHERE first < ? AND first + count > ? ORDER BY first",
            (stop, start),
        ).fetchall()
        if not rows:
            return []
        items = [item for _, data in rows for item in load_row(self._codec, data)]
        return items[start - rows[0][0] : stop - rows[0][0]]

    def _row(self, index: int) -> tuple[int, list[V]]:
        """The first position and the decoded items of the row holding spilled ``index``."""
        first, data = (
            self._store.connection()
            .execute(
                "SELECT first, value FROM items WHERE first <= ? ORDER BY first DESC LIMIT 1",
                (index,),
            )
            .fetchone()
        )
        return int(first), load_row(self._codec, data)

    def _rewrite(self, first: int, items: list[V]) -> None:
        """Writes ``items`` back as the row at ``first`` (deletes the row when none are left)."""
        db = self._store.connection()
        if items:
            db.execute(
                "UPDATE items SET count = ?, value = ? WHERE first = ?",
                (len(items), dump_row(self._codec, items, self._store.dumps), first),
            )
        else:
            db.execute("DELETE FROM items WHERE first = ?", (first,))

    def _shift(self, start: int, by: int) -> None:
        """Moves rows at ``start`` and after by ``by`` places (keys stay unique on the way)."""
        db = self._store.connection()
        db.execute("UPDATE items SET first = -first - 1 WHERE first >= ?", (start,))
        db.execute("UPDATE items SET first = -first - 1 + ? WHERE first < 0", (by,))

    def _rows(self, after: int, descending: bool) -> list[tuple[int, list[V]]]:
        """Up to ``_ROWS_READ`` rows past ``after`` (before it, when ``descending``), decoded."""
        query = (
            "SELECT first, value FROM items WHERE first < ? ORDER BY first DESC LIMIT ?"
            if descending
            else "SELECT first, value FROM items WHERE first > ? ORDER BY first LIMIT ?"
        )
        with self._store.lock:
            rows = self._store.connection().execute(query, (after, _ROWS_READ)).fetchall()
        return [(int(first), load_row(self._codec, data)) for first, data in rows]

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> list[V]: ...

    def __getitem__(self, index: int | slice) -> V | list[V]:
        with self._store.lock:
            if isinstance(index, slice):
                start, stop, step = index.indices(len(self))
                if step != 1:
                    return [self[i] for i in range(start, stop, step)]
                if stop <= start:
                    return []
                cold = self._cold_range(start, min(stop, self._cold)) if start < self._cold else []
                return cold + self._hot[max(0, start - self._cold) : max(0, stop - self._cold)]
            index = self._index(index)
            if index >= self._cold:
                return self._hot[index - self._cold]
            first, items = self._row(index)
            return items[index - first]

    @overload
    def __setitem__(self, index: int, value: V) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[V]) -> None: ...

    def __setitem__(self, index: int | slice, value: V | Iterable[V]) -> None:
        with self._store.lock:
            if isinstance(index, slice):
                items = list(self)
                items[index] = value  # type: ignore[assignment]
                self.clear()
                self.extend(items)
                return
            index = self._index(index)
            if index >= self._cold:
                self._hot[index - self._cold] = value  # type: ignore[assignment]
                return
            first, items = self._row(index)
            items[index - first] = value  # type: ignore[assignment]
            self._rewrite(first, items)

    @overload
    def __delitem__(self, index: int) -> None: ...

    @overload
    def __delitem__(self, index: slice) -> None: ...

    def __delitem__(self, index: int | slice) -> None:
        with self._store.lock:
            if isinstance(index, slice):
                for position in sorted(range(*index.indices(len(self))), reverse=True):
                    del self[position]
                return
            index = self._index(index)
            if index >= self._cold:
                del self._hot[index - self._cold]
                return
            first, items = self._row(index)
            del items[index - first]
            self._rewrite(first, items)
            self._shift(first + 1, -1)
            self._cold -= 1

    def insert(self, index: int, value: V) -> None:
        """Inserts ``value`` before ``index``, as ``list.insert`` does."""
        with self._store.lock:
            size = len(self)
            index = min(max(index + size if index < 0 else index, 0), size)
            if index >= self._cold:
                self._hot.insert(index - self._cold, value)
                self._spill()
                return
            first, items = self._row(index)
            items.insert(index - first, value)
            self._rewrite(first, items)
            self._shift(first + 1, 1)
            self._cold += 1

    def append(self, value: V) -> None:
        """Adds ``value`` at the end (in one step the interpreter keeps whole, so without the
        lock: a spill takes items from the front)."""
        hot = self._hot
        hot.append(value)
        if len(hot) >= self._spill_at:  # ``_spill``'s test
            with self._store.lock:
                self._spill()

    def extend(self, values: Iterable[V]) -> None:
        """Adds each of ``values`` at the end, as that many appends would, in one step."""
        items = list(values)  # first: ``values`` may be this list itself
        hot = self._hot
        hot.extend(items)
        if len(hot) >= self._spill_at:
            with self._store.lock:
                self._spill()

    def __len__(self) -> int:
        return self._cold + len(self._hot)

    def __iter__(self) -> Iterator[V]:
        with self._store.lock:
            cold, hot = self._cold, list(self._hot)
        after = -1
        while rows := self._rows(after, descending=False):
            for first, items in rows:
                yield from items[: max(0, cold - first)]
            after = rows[-1][0]
        yield from hot

    def __reversed__(self) -> Iterator[V]:
        with self._store.lock:
            cold, hot = self._cold, list(self._hot)
        yield from reversed(hot)
        before = cold
        while rows := self._rows(before, descending=True):
            for first, items in rows:
                yield from reversed(items[: max(0, cold - first)])
            before = rows[-1][0]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """The first position of ``value`` from ``start``; raises ValueError if it is absent."""
        stop = len(self) if stop is None else stop
        for position, item in enumerate(self):
            if start <= position < stop and (item is value or item == value):
                return position
        raise ValueError(f"{value!r} is not in list")

    def clear(self) -> None:
        """Removes every item, from memory and the database."""
        with self._store.lock:
            self._hot = []
            if self._store.opened:
                self._store.connection().execute("DELETE FROM items")
            self._cold = 0

    def close(self) -> None:
        """Removes every item and closes (and deletes) the database."""
        with self._store.lock:
            self._hot, self._cold = [], 0
            self._store.close()

    def __repr__(self) -> str:
        return f"SpillList({len(self):,} items, {len(self._hot):,} in memory)"
