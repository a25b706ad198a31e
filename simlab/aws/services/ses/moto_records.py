"""moto's records of sent email, each kept once however many of moto's lists show it.

moto lists a sent message twice: in its backend's ``sent_messages`` and in the registry of its
record class (``instances_tracked``, which moto's data API lists). Both keep only their newest
records in memory and the rest in SQLite. A ``Registry`` keeps the records registered with it
one by one itself; the records a send run files (``filing``) it reads from the backend's
``SentMessages``, which lends them (``Registry.borrow``) rather than both storing them. Either
list reads as before: the same records in the same order, the newest the very objects, older
ones copies read back from SQLite. A change to where a lent record stands in ``sent_messages``
(assigning over it, deleting or inserting before it, clearing) first has the registry take
copies of its own, so the registry never sees it.

Both write the records they spill as ``RECORDS`` does: a ``Message`` as its five attributes, any
other record as its class and attributes (``ATTRIBUTES``), a row's records in one pickle.
"""

from __future__ import annotations

import bisect
import itertools
import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import Any, cast, overload

from moto.ses.models import Message, RawMessage, TemplateMessage

from simlab.primitives.spill import SpillList, StateCodec, row_form
from simlab.primitives.spill.sequence import ListLike

#: moto's classes for a sent message; each registers every instance in ``instances_tracked``.
_MOTO_RECORDS = (Message, RawMessage, TemplateMessage)
#: Records read from a list at a time while a registry is iterated.
_READ = 1024
_new = object.__new__


def record_state(record: Any) -> tuple[Any, ...]:
    """What is pickled of moto's ``record``: a ``Message``'s five attributes (all moto's
    ``__init__`` gives it), read without making its ``__dict__``, or the class and attributes
    of any other record."""
    if type(record) is Message:
        return (record.id, record.source, record.subject, record.body, record.destinations)
    return (type(record), vars(record))


def record_from_state(state: tuple[Any, ...]) -> Any:
    """The record ``record_state`` gave ``state`` for, made without calling its class (which
    would register it)."""
    if len(state) == 5:
        record = _new(Message)
        record.id, record.source, record.subject, record.body, record.destinations = state
        return record
    cls, attributes = state
    record = _new(cls)
    vars(record).update(attributes)
    return record


def _record_states(records: list[Any]) -> list[tuple[Any, ...]]:
    """``record_state`` of each record, in one call."""
    return [
        (each.id, each.source, each.subject, each.body, each.destinations)
        if type(each) is Message
        else (type(each), vars(each))
        for each in records
    ]


def _records_from_states(states: list[tuple[Any, ...]]) -> list[Any]:
    """``record_from_state`` of each state, in one call."""
    return list(map(record_from_state, states))


row_form(record_state, _record_states, _records_from_states)
#: How moto's records spill: a ``Message`` as its five attributes, other records as their
#: class and attributes, a row's in one pickle.
RECORDS = StateCodec(record_state, record_from_state)


class SentMessages(SpillList[Any]):
    """moto's ``sent_messages``: the newest records in memory, older ones in SQLite, read back
    as copies; each record added also puts moto's registries of records on the same footing.
    Records it lends to a registry stay where they are until the registry has its own."""

    def __init__(self) -> None:
        super().__init__(codec=RECORDS)
        #: the registries reading records here, by ``id`` (a registry has no hash)
        self.borrowers: weakref.WeakValueDictionary[int, Registry] = weakref.WeakValueDictionary()

    def append(self, value: Any) -> None:
        """Adds moto's record of a sent message."""
        spill_tracked()
        super().append(value)

    def _release(self, index: int | None = None) -> None:
        """Has each registry reading the record at ``index`` (any record: None) take copies
        of its own, before that place changes."""
        for registry in list(self.borrowers.values()):
            if index is None or registry.reads(self, index):
                registry.own_all()

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, int) and self.borrowers:
            self._release(index + len(self) if index < 0 else index)
        elif self.borrowers:
            self._release()
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        if self.borrowers:
            self._release()
        super().__delitem__(index)

    def insert(self, index: int, value: Any) -> None:
        """Inserts ``value`` before ``index``, as ``list.insert`` does."""
        if self.borrowers:
            self._release()
        super().insert(index, value)

    def clear(self) -> None:
        """Removes every record."""
        if self.borrowers:
            self._release()
        super().clear()

    def close(self) -> None:
        """Removes every record and deletes the database."""
        if self.borrowers:
            self._release()
        super().close()


class Registry(ListLike[Any]):
    """moto's registry of one record class (``instances_tracked``): the records registered
    with it, each appended as moto makes it, and the runs of records it reads from a
    ``SentMessages`` (``borrow``), in the order they came.

    Its own records are kept as a ``SpillList`` keeps them (``keep`` and ``batch`` are
    that list's); any change but an append or a borrow first makes every record its own.
    """

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._own: SpillList[Any] = SpillList(codec=RECORDS)
        #: ``[list, first, count]``: ``count`` records of ``list`` from ``first``, in order
        self._parts: list[list[Any]] = []
        #: where each part ends in the registry
        self._ends: list[int] = []
        self._size = 0
        self._lock = threading.Lock()
        self.extend(items)

    @property
    def keep(self) -> int:
        """Own records held in memory after a spill."""
        return self._own.keep

    @keep.setter
    def keep(self, keep: int) -> None:
        self._own.keep = keep

    @property
    def batch(self) -> int:
        """Own records above ``keep`` that may wait in memory before they spill together."""
        return self._own.batch

    @batch.setter
    def batch(self, batch: int) -> None:
        self._own.batch = batch

    @property
    def in_memory(self) -> int:
        """How many of its own records are held as Python objects now."""
        return self._own.in_memory

    def _add(self, source: SpillList[Any], first: int, count: int) -> bool:
        """Puts ``count`` records of ``source`` from ``first`` at the end (holding the lock);
        returns whether they make a part of their own (rather than lengthen the last)."""
        parts = self._parts
        self._size += count
        if parts:
            last = parts[-1]
            if last[0] is source and last[1] + last[2] == first:
                last[2] += count
                self._ends[-1] = self._size
                return False
        parts.append([source, first, count])
        self._ends.append(self._size)
        return True

    def append(self, value: Any) -> None:
        """Registers ``value``, moto's record as it is made."""
        with self._lock:
            own = self._own
            own.append(value)
            self._add(own, len(own) - 1, 1)

    def borrow(self, source: SentMessages, first: int, count: int) -> None:
        """Registers the ``count`` records of ``source`` from ``first`` by reading them there."""
        if count <= 0:
            return
        with self._lock:
            if self._add(source, first, count):
                source.borrowers[id(self)] = self

    def reads(self, source: SentMessages, index: int) -> bool:
        """Whether the record at ``index`` of ``source`` is one it reads there."""
        return any(
            part[0] is source and part[1] <= index < part[1] + part[2] for part in self._parts
        )

    def own_all(self) -> None:
        """Makes every record its own: borrowed records are copied (the newest the very
        objects, as reading them gives) and no list lends it any more."""
        with self._lock:
            if all(part[0] is self._own for part in self._parts):
                return
            own: SpillList[Any] = SpillList(codec=RECORDS)
            own.keep, own.batch = self._own.keep, self._own.batch
            for record in self._records():
                own.append(record)
            for part in self._parts:
                if isinstance(part[0], SentMessages):
                    part[0].borrowers.pop(id(self), None)
            self._own, self._parts, self._ends, self._size = own, [], [], 0
            if len(own):
                self._add(own, 0, len(own))

    def _records(self) -> Iterator[Any]:
        """Every record in order, read ``_READ`` at a time."""
        for source, first, count in [tuple(part) for part in self._parts]:
            for start in range(first, first + count, _READ):
                yield from source[start : min(start + _READ, first + count)]

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return self._records()

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step > 0:
                return list(itertools.islice(self._records(), start, stop, step))
            return list(self)[index]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("list index out of range")
        at = bisect.bisect_right(self._ends, index)
        source, first, count = self._parts[at]
        return source[first + index - (self._ends[at] - count)]

    def _changed(self) -> None:
        """Counts its records again once every one is its own and its own list changed."""
        own = self._own
        self._parts, self._ends, self._size = [], [], 0
        if len(own):
            self._add(own, 0, len(own))

    def __setitem__(self, index: Any, value: Any) -> None:
        self.own_all()
        with self._lock:
            self._own[index] = value
            self._changed()

    def __delitem__(self, index: Any) -> None:
        self.own_all()
        with self._lock:
            del self._own[index]
            self._changed()

    def insert(self, index: int, value: Any) -> None:
        """Inserts ``value`` before ``index``, as ``list.insert`` does."""
        self.own_all()
        with self._lock:
            self._own.insert(index, value)
            self._changed()

    def clear(self) -> None:
        """Removes every record."""
        self.own_all()
        with self._lock:
            self._own.clear()
            self._changed()

    def __repr__(self) -> str:
        return f"Registry({len(self):,} records, {self.in_memory:,} of its own in memory)"


def spill_tracked() -> None:
    """Makes moto's registries of sent-message records (``instances_tracked``, which its data
    API lists) ``Registry`` lists: the newest in memory, the rest in SQLite, and a run's
    records read from ``sent_messages``.

    moto puts a fresh list in place of each registry when it resets, so this runs at each send
    (and costs a type check per registry once they are registries).
    """
    for cls in _MOTO_RECORDS:
        found = cast(Any, cls).instances_tracked
        if type(found) is not Registry:
            cast(Any, cls).instances_tracked = Registry(found)
