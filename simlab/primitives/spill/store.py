"""The database a spilling container writes its older entries to, and how values are encoded."""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import (
    Callable,
)
from pathlib import Path
from typing import Any, NamedTuple

#: How values are written to and read from the database: ``(dumps, loads)``.
Codec = tuple[Callable[[Any], bytes], Callable[[bytes], Any]]

#: Entries held in memory unless a container is told otherwise: few enough that a container
#: starts spilling (and its filter and page cache below reach their fixed size) within the
#: first few thousand entries, so a long session's memory levels off early.
DEFAULT_KEEP = 2_000
#: Spilled entries written together in one database row (one pickle for the lot).
ROW = 64
#: Bits in a ``SpillDict``'s filter of spilled keys (2 MiB of address space mapped at the first
#: spill, in memory only as its pages are first written): a key with a bit clear there was never
#: spilled, so asking whether a new key is in the database costs no query.
FILTER_BITS = 1 << 24
#: Pages of its database a container keeps in memory, in KiB (SQLite's ``cache_size``): spills
#: append, so a small cache costs little, and it is full after a few thousand entries.
CACHE_KIB = 256


def _pickle_dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


#: Pickles each value whole.
PICKLE: Codec = (_pickle_dumps, pickle.loads)


class RowPickler:
    """Pickles (highest protocol) through one ``pickle.Pickler`` kept from call to call, so
    its memo table is made and grown once, not at each call. A container calls it holding its
    lock."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, pickle.HIGHEST_PROTOCOL)

    def __call__(self, value: Any) -> bytes:
        buffer, pickler = self._buffer, self._pickler
        try:
            pickler.dump(value)
            return buffer.getvalue()
        finally:  # the next call starts afresh, whatever this one did
            pickler.clear_memo()
            buffer.seek(0)
            buffer.truncate()


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


class StateCodec(NamedTuple):
    """A codec that turns a value into something plain to pickle, ``to_state(value)``, and
    back, ``from_state(state)``: the states of a database row are pickled together, in one
    call, so values cost no pickle call each and share what they hold in common (the same
    strings, say) once a row. Usable wherever a ``Codec`` is."""

    to_state: Callable[[Any], Any]
    from_state: Callable[[Any], Any]


#: What writes and reads a database row's values at once, by the ``to_state`` of the
#: ``StateCodec`` it stands in for: ``(to_states(values), from_states(states))``.
_ROW_FORMS: dict[
    Callable[[Any], Any], tuple[Callable[[list[Any]], Any], Callable[[Any], list[Any]]]
] = {}


def row_form(
    to_state: Callable[[Any], Any],
    to_states: Callable[[list[Any]], Any],
    from_states: Callable[[Any], list[Any]],
) -> None:
    """Lets every ``StateCodec`` whose ``to_state`` is ``to_state`` write the values of a
    database row in one call, ``to_states(values)`` (the row's state, plain to pickle), and
    read them back in one, ``from_states(states)``: values equal to those ``to_state`` and the
    codec's ``from_state`` would give, made without a call each. Reading one value of a row
    reads the row."""
    _ROW_FORMS[to_state] = (to_states, from_states)


def dump_row(
    codec: Codec, values: list[Any], dumps: Callable[[Any], bytes] = _pickle_dumps
) -> bytes:
    """Encodes ``values`` into one blob: a single pickle (by ``dumps``) for ``PICKLE``,
    ``ATTRIBUTES`` and a ``StateCodec`` (a class and objects values share are written once),
    or the codec's blobs pickled together."""
    if codec == PICKLE:
        return dumps(values)
    if codec == ATTRIBUTES:
        return dumps([(type(value), vars(value)) for value in values])
    if isinstance(codec, StateCodec):
        form = _ROW_FORMS.get(codec.to_state)
        if form is not None:
            return dumps(form[0](values))
        return dumps(list(map(codec.to_state, values)))
    return dumps([codec[0](value) for value in values])


def load_row(codec: Codec, data: bytes) -> list[Any]:
    """Decodes a blob ``dump_row`` wrote with the same ``codec``."""
    found = pickle.loads(data)
    if codec == PICKLE:
        return found  # type: ignore[no-any-return]
    if codec == ATTRIBUTES:
        values = []
        for cls, attributes in found:
            value = object.__new__(cls)
            vars(value).update(attributes)
            values.append(value)
        return values
    if isinstance(codec, StateCodec):
        form = _ROW_FORMS.get(codec.to_state)
        if form is not None:
            return form[1](found)
        return list(map(codec.from_state, found))
    return [codec[1](blob) for blob in found]


def load_one(codec: Codec, data: bytes, slot: int) -> Any:
    """Decodes the value in ``slot`` of a blob ``dump_row`` wrote with the same ``codec``
    (a codec of one's own decodes only that value; a ``row_form`` reads its whole row)."""
    if isinstance(codec, StateCodec):
        form = _ROW_FORMS.get(codec.to_state)
        if form is not None:  # the row's values are read together
            return form[1](pickle.loads(data))[slot]
    found = pickle.loads(data)[slot]
    if codec == PICKLE:
        return found
    if codec == ATTRIBUTES:
        cls, attributes = found
        value = object.__new__(cls)
        vars(value).update(attributes)
        return value
    return codec[1](found)


class Database:
    """The database a container spills to, opened on first use; one lock serves every thread.

    Raises OSError if ``directory`` cannot hold a new file.
    """

    def __init__(self, schema: str, directory: str | Path | None) -> None:
        self.lock = threading.RLock()
        #: Pickles what the container writes (called holding ``lock``).
        self.dumps = RowPickler()
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
            db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
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
