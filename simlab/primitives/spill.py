"""A dict and a list that keep their newest entries in memory and the rest in SQLite.

``SpillDict`` (a ``MutableMapping``) and ``SpillList`` (a ``MutableSequence``) answer as ``dict``
and ``list`` do: ``len``, ``in``, indexing, assignment, deletion, iteration in insertion order.
They hold about ``keep`` entries as Python objects; older ones are encoded (pickled, by default)
into a database of their own (the standard library's ``sqlite3``), so memory stays flat however
many entries arrive. The database is a private temporary one that SQLite deletes when the
container is closed or garbage-collected, or a file in ``directory`` that ``close`` removes.

An entry read back from the database is a new copy, so a change made to it is not kept: change
an entry while it is in memory. ``SpillDict`` takes ``spillable(value)``, which says when an
entry is finished (nothing will change it again); until then it stays in memory. Reading a
spilled ``SpillDict`` entry by its key brings it back into memory, so the copy a caller gets is
the one the container keeps.

Keys of a ``SpillDict`` are strings, integers, or tuples of them (stored as they are, or as JSON).
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    MutableMapping,
    MutableSequence,
    Sequence,
    ValuesView,
)
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")

#: How values are written to and read from the database: ``(dumps, loads)``.
Codec = tuple[Callable[[Any], bytes], Callable[[bytes], Any]]

#: Entries held in memory unless a container is told otherwise.
DEFAULT_KEEP = 10_000
#: Rows read from the database at a time while iterating.
_PAGE = 1_000
#: Bits in a ``SpillDict``'s filter of spilled keys (2 MiB): a key whose bit is clear was never
#: spilled, so asking whether a new key is in the database costs no query.
_FILTER_BITS = 1 << 24


def _pickle_dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


#: Pickles each value whole.
PICKLE: Codec = (_pickle_dumps, pickle.loads)


def _attributes_dumps(value: Any) -> bytes:
    return pickle.dumps((type(value), vars(value)), protocol=pickle.HIGHEST_PROTOCOL)


def _attributes_loads(data: bytes) -> Any:
    cls, attributes = pickle.loads(data)
    value = object.__new__(cls)
    vars(value).update(attributes)
    return value


#: Pickles a value's class and attributes and rebuilds it without calling the class (neither
#: ``__new__`` nor ``__init__``): for classes whose constructor registers each new instance.
ATTRIBUTES: Codec = (_attributes_dumps, _attributes_loads)


class _Database:
    """The database a container spills to, opened on first use; one lock serves every thread.

    Raises OSError if ``directory`` cannot hold a new file.
    """

    def __init__(self, schema: str, directory: str | Path | None) -> None:
        self.lock = threading.RLock()
        self._schema, self._directory = schema, directory
        self._connection: sqlite3.Connection | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self.path: Path | None = None

    @property
    def opened(self) -> bool:
        """Whether the database exists yet (nothing spilled, nothing opened)."""
        return self._connection is not None

    def connection(self) -> sqlite3.Connection:
        """The open connection, opening the database on first use."""
        if self._connection is None:
            name = ""  # SQLite's private temporary database, deleted when it is closed
            if self._directory is not None:
                handle, name = tempfile.mkstemp(suffix=".sqlite3", dir=self._directory)
                os.close(handle)
                self.path = Path(name)
            db = sqlite3.connect(name, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode = OFF")  # private and disposable: nothing to recover
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -1024")  # at most 1 MiB of pages in memory
            db.executescript(self._schema)
            self._connection = db
            self._finalizer = weakref.finalize(self, _close, db, self.path)
        return self._connection

    def close(self) -> None:
        """Closes the database and deletes its file; the next use opens a new, empty one."""
        if self._finalizer is not None:
            self._finalizer()
        self._connection, self._finalizer, self.path = None, None, None


def _close(db: sqlite3.Connection, path: Path | None) -> None:
    db.close()
    if path is not None:
        path.unlink(missing_ok=True)


def _key_text(key: Any) -> str:
    if type(key) is str and not key.startswith("\0"):
        return key  # a plain string is stored as it is
    return "\0" + json.dumps(key, separators=(",", ":"))


def _key_of(text: str) -> Any:
    return _tuples(json.loads(text[1:])) if text.startswith("\0") else text


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


_DICT_SCHEMA = """
CREATE TABLE entries (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value BLOB NOT NULL);
"""


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
        self._spillable, (self._dumps, self._loads) = spillable, codec
        self._hot: dict[K, tuple[int, V]] = {}  # key -> (insertion number, value)
        self._cold = 0  # entries in the database
        self._next = 0
        self._filter: bytearray | None = None
        self._store = _Database(_DICT_SCHEMA, directory)

    # -- the database -------------------------------------------------------------------------

    @property
    def in_memory(self) -> int:
        """How many entries are held as Python objects now."""
        return len(self._hot)

    def _bit(self, key: K) -> tuple[int, int]:
        position = hash(key) & (_FILTER_BITS - 1)
        return position >> 3, 1 << (position & 7)

    def _maybe_cold(self, key: K) -> bool:
        if self._filter is None or not self._cold:
            return False
        index, mask = self._bit(key)
        return bool(self._filter[index] & mask)

    def _take_cold(self, key: K) -> tuple[int, V] | None:
        """Removes ``key``'s row from the database; returns (insertion number, value) or None."""
        if not self._maybe_cold(key):
            return None
        db = self._store.connection()
        row = db.execute(
            "SELECT seq, value FROM entries WHERE key = ?", (_key_text(key),)
        ).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM entries WHERE seq = ?", (row[0],))
        self._cold -= 1
        return int(row[0]), self._loads(row[1])

    def _spill(self) -> None:
        """Writes the oldest finished entries to the database until ``keep`` remain in memory."""
        excess = len(self._hot) - self.keep
        if excess < self.batch:
            return
        leaving: list[K] = []
        for key, (_, value) in self._hot.items():
            if len(leaving) >= excess:
                break
            if self._spillable is None or self._spillable(value):
                leaving.append(key)
        if not leaving:
            return
        if self._filter is None:
            self._filter = bytearray(_FILTER_BITS // 8)
        rows = []
        for key in leaving:
            seq, value = self._hot.pop(key)
            rows.append((seq, _key_text(key), self._dumps(value)))
            index, mask = self._bit(key)
            self._filter[index] |= mask
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO entries (seq, key, value) VALUES (?, ?, ?)", rows)
        db.execute("COMMIT")
        self._cold += len(rows)

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
            found = self._hot.get(key)
            if found is None:
                found = self._take_cold(key)
            if found is None:
                self._hot[key] = (self._next, value)
                self._next += 1
            else:
                self._hot[key] = (found[0], value)  # a key keeps its place, as in a dict
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
            query = "SELECT 1 FROM entries WHERE key = ?"
            return self._store.connection().execute(query, (_key_text(key),)).fetchone() is not None

    def __len__(self) -> int:
        return len(self._hot) + self._cold

    def _pairs(self, decode: bool) -> Iterator[tuple[K, V | None]]:
        """(key, value) in insertion order; values are decoded only when ``decode``."""
        with self._store.lock:
            hot = sorted((seq, key, value) for key, (seq, value) in self._hot.items())
        position, after = 0, -1
        while True:
            with self._store.lock:
                if not self._cold:
                    rows: list[Any] = []
                else:
                    column = "value" if decode else "NULL"
                    query = f"SELECT seq, key, {column} FROM entries WHERE seq > ? ORDER BY seq"
                    rows = (
                        self._store.connection()
                        .execute(f"{query} LIMIT ?", (after, _PAGE))
                        .fetchall()
                    )
            for seq, text, data in rows:
                while position < len(hot) and hot[position][0] < seq:
                    yield hot[position][1], hot[position][2]
                    position += 1
                yield _key_of(text), self._loads(data) if decode else None
                after = seq
            if len(rows) < _PAGE:
                break
        for _, key, value in hot[position:]:
            yield key, value

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
                self._store.connection().execute("DELETE FROM entries")
            self._cold, self._filter = 0, None

    def close(self) -> None:
        """Removes every entry and closes (and deletes) the database."""
        with self._store.lock:
            self._hot.clear()
            self._cold, self._filter = 0, None
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


_LIST_SCHEMA = "CREATE TABLE items (position INTEGER PRIMARY KEY, value BLOB NOT NULL);"


class SpillList(MutableSequence[V], Generic[V]):
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
        self.keep, self.batch = keep, max(1, batch or keep // 4)
        self._dumps, self._loads = codec
        self._hot: list[V] = []
        self._cold = 0  # items 0 .. _cold - 1 are in the database
        self._store = _Database(_LIST_SCHEMA, directory)
        self.extend(items)

    @property
    def in_memory(self) -> int:
        """How many items are held as Python objects now."""
        return len(self._hot)

    def _spill(self) -> None:
        leaving = len(self._hot) - self.keep
        if leaving < self.batch:
            return
        rows = [(self._cold + i, self._dumps(v)) for i, v in enumerate(self._hot[:leaving])]
        db = self._store.connection()
        db.execute("BEGIN")
        db.executemany("INSERT INTO items (position, value) VALUES (?, ?)", rows)
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
        db = self._store.connection()
        rows = db.execute(
            "SELECT value FROM items WHERE position >= ? AND position < ? ORDER BY position",
            (start, stop),
        )
        return [self._loads(data) for (data,) in rows]

    def _shift(self, start: int, by: int) -> None:
        """Moves rows at ``start`` and after by ``by`` places (keys stay unique on the way)."""
        db = self._store.connection()
        db.execute("UPDATE items SET position = -position - 1 WHERE position >= ?", (start,))
        db.execute("UPDATE items SET position = -position - 1 + ? WHERE position < 0", (by,))

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
            row = (
                self._store.connection()
                .execute("SELECT value FROM items WHERE position = ?", (index,))
                .fetchone()
            )
            return self._loads(row[0])  # type: ignore[no-any-return]

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
            self._store.connection().execute(
                "UPDATE items SET value = ? WHERE position = ?", (self._dumps(value), index)
            )

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
            db = self._store.connection()
            db.execute("DELETE FROM items WHERE position = ?", (index,))
            self._shift(index + 1, -1)
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
            self._shift(index, 1)
            self._store.connection().execute(
                "INSERT INTO items (position, value) VALUES (?, ?)", (index, self._dumps(value))
            )
            self._cold += 1

    def append(self, value: V) -> None:
        """Adds ``value`` at the end."""
        with self._store.lock:
            self._hot.append(value)
            if len(self._hot) >= self.keep + self.batch:
                self._spill()

    def __len__(self) -> int:
        return self._cold + len(self._hot)

    def __iter__(self) -> Iterator[V]:
        with self._store.lock:
            cold, hot = self._cold, list(self._hot)
        for start in range(0, cold, _PAGE):
            with self._store.lock:
                page = self._cold_range(start, min(start + _PAGE, cold))
            yield from page
        yield from hot

    def __reversed__(self) -> Iterator[V]:
        with self._store.lock:
            cold, hot = self._cold, list(self._hot)
        yield from reversed(hot)
        for stop in range(cold, 0, -_PAGE):
            with self._store.lock:
                page = self._cold_range(max(0, stop - _PAGE), stop)
            yield from reversed(page)

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

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | bytes) or not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SpillList({len(self):,} items, {len(self._hot):,} in memory)"


def spill_list(owner: Any, name: str, *, codec: Codec = PICKLE) -> SpillList[Any]:
    """``owner.name`` as a ``SpillList``: a plain list there is first replaced by one holding
    its items. Raises AttributeError if ``owner`` has no ``name``."""
    found = getattr(owner, name)
    if not isinstance(found, SpillList):
        found = SpillList(found, codec=codec)
        setattr(owner, name, found)
    return found


def spill_dict(owner: Any, name: str, *, codec: Codec = PICKLE) -> SpillDict[Any, Any]:
    """``owner.name`` as a ``SpillDict``: a plain dict there is first replaced by one holding
    its entries, in order. Raises AttributeError if ``owner`` has no ``name``."""
    found = getattr(owner, name)
    if not isinstance(found, SpillDict):
        spilling: SpillDict[Any, Any] = SpillDict(codec=codec)
        spilling.update(found)
        setattr(owner, name, spilling)
        found = spilling
    return found
