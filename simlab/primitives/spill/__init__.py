"""A dict and a list that keep their newest entries in memory and the rest in SQLite.

``SpillDict`` (a ``MutableMapping``) and ``SpillList`` (a ``MutableSequence``) answer as ``dict``
and ``list`` do: ``len``, ``in``, indexing, assignment, deletion, iteration in insertion order.
They hold about ``keep`` entries as Python objects; older ones are encoded (pickled, by default)
into a database of their own (the standard library's ``sqlite3``), so memory stays flat however
many entries arrive. Entries leave memory together, up to ``ROW`` of them encoded as one blob in
one database row (one pickle call for the lot, so a class and objects entries share are written
once; a ``StateCodec`` makes each value something plain to pickle with the rest of its row);
reading one spilled entry decodes its row. A ``SpillDict`` finds a spilled key through an index
of key hashes that answers in a few reads however many entries there are. The database is a
private temporary one that SQLite deletes when the container is closed or garbage-collected, or
a file in ``directory`` that ``close`` removes.

An entry read back from the database is a new copy, so a change made to it is not kept: change
an entry while it is in memory. ``SpillDict`` takes ``spillable(value)``, which says when an
entry is finished (nothing will change it again); until then it stays in memory. Reading a
spilled ``SpillDict`` entry by its key brings it back into memory, so the copy a caller gets is
the one the container keeps.

Keys of a ``SpillDict`` are strings, integers, or tuples of them, pickled with their row.

Both are safe to share between threads: a container's lock guards its database and spills,
while adding a new key or appending an item (one dict or list step the interpreter keeps whole)
and reading an entry in memory take no lock. ``SpillDict.set_many`` and ``SpillList.extend``
add many at once, as that many single sets or appends would; ``row_form`` lets a
``StateCodec`` write and read a row's values in one call each.
"""

from __future__ import annotations

from typing import Any

from simlab.primitives.spill.mapping import SpillDict
from simlab.primitives.spill.sequence import SpillList
from simlab.primitives.spill.store import (
    ATTRIBUTES,
    DEFAULT_KEEP,
    PICKLE,
    ROW,
    Codec,
    StateCodec,
    row_form,
)

__all__ = [
    "ATTRIBUTES",
    "DEFAULT_KEEP",
    "PICKLE",
    "ROW",
    "Codec",
    "SpillDict",
    "SpillList",
    "StateCodec",
    "row_form",
    "spill_dict",
    "spill_list",
]


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
