"""Compact JSON of many values at once, through orjson where it writes what ``json`` writes.

``json``'s C encoder takes ~35 k instructions for a dict of a dozen fields (an outbox detail,
an endpoint); orjson writes the same text in a tenth of that, when the values are plain. The two
write the same compact text for strings, integers, booleans, None, dicts with string keys,
lists and tuples, and for floats that are zero or between 1e-4 and 1e16 in size; they differ
for other floats (``1e-05`` against ``0.00001``, ``NaN`` against ``null``), for characters
outside printable ASCII (``json`` escapes them, orjson writes UTF-8) and for types orjson
writes itself (enums, UUIDs). ``plain_column`` checks a column of values for the first kind
of difference, as a whole; ``encode_rows`` checks each text it writes for the second, and
writes anything orjson refuses or writes otherwise with the caller's own encoder instead.
Where orjson is not installed, everything goes to the caller's encoder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, compress, repeat
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - installed with simlab; the plain encoder serves
    orjson = None  # type: ignore[assignment]

#: Whether rows can be written through orjson at all.
AVAILABLE = orjson is not None
#: Types orjson would write in its own way go to the caller's encoder instead (orjson raises).
_OPTIONS = (
    0
    if orjson is None
    else orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
#: Values written alike whatever they hold (an integer orjson cannot hold makes it raise).
_SCALARS = frozenset((str, int, bool, type(None)))
#: Type -> whether a value of it is to be looked at: False for scalars, True for any other.
_ODD = dict.fromkeys(_SCALARS, False)
#: Rows ``encode_rows`` writes at a time.
CHUNK = 256
#: Floats whose shortest text both write without an exponent: zero, or this size at least ...
_SMALLEST = 1e-4
#: ... and below this.
_LARGEST = 1e16


def plain_column(column: Sequence[Any], *, scalars_first: bool = False) -> bool:
    """Whether orjson writes every value of ``column`` as ``json`` does, but for the text
    ``encode_rows`` checks: scalars, finite floats of a size both write alike, and dicts,
    lists and tuples of those. The column is read in C; only what is not a scalar (a float,
    each distinct container) is looked at one by one. ``scalars_first`` first asks whether
    every value is a scalar: cheaper for a column that mostly holds nothing else, dearer for
    one that does."""
    if scalars_first and set(map(type, column)) <= _SCALARS:
        return True
    odd = list(compress(column, map(_ODD.get, map(type, column), repeat(True))))
    if not odd:
        return True
    return all(map(_plain, dict(zip(map(id, odd), odd, strict=True)).values()))


def plain_dicts(rows: Sequence[Any], *, scalars_first: bool = False) -> bool:
    """Whether every row is a dict whose values ``plain_column`` passes, all looked at
    together (the rows need not share their keys; a key that is not text makes orjson
    raise, so ``encode_rows`` writes that row with its fallback).

    Rows of one size are read column by column, the n-th values of every row together: a
    column whose values all equal its first (the same context, the same app id in every
    row) has only its first looked at, since a value equal to it writes alike or is one
    orjson refuses (a subclass, a type it does not know), which ``encode_rows`` catches."""
    if not set(map(type, rows)) <= {dict}:
        return False
    if rows and len(set(map(len, rows))) == 1:
        for column in zip(*map(dict.values, rows), strict=True):
            first = column[0]
            if column.count(first) == len(column):
                if not _plain(first):
                    return False
            elif not _plain_many(column):
                return False
        return True
    values = list(chain.from_iterable(map(dict.values, rows)))
    return plain_column(values, scalars_first=scalars_first)


def _plain_many(column: Sequence[Any]) -> bool:
    """``plain_column`` of a column of scalars, or of floats all of a size written alike
    (looked at in C), or else of anything."""
    kinds = set(map(type, column))
    if kinds <= _SCALARS:
        return True
    if len(kinds) == 1 and float in kinds:
        sizes = list(map(abs, column))  # NaN fails both, zero the first: looked at one by one
        if all(map(_SMALLEST.__le__, sizes)) and all(map(_LARGEST.__gt__, sizes)):
            return True
    return plain_column(column)


def _plain(value: Any) -> bool:
    """``plain_column`` of one value."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is float:  # not NaN, not infinite, and written without an exponent
        return bool(value == 0.0 or _SMALLEST <= abs(value) < _LARGEST)
    if kind is dict:  # a key that is not text makes orjson raise
        return all(map(_plain, value.values()))
    if kind is list or kind is tuple:
        return all(map(_plain, value))
    return False


def encode_rows(rows: Sequence[Any], fallback: Callable[[Any], str]) -> list[str]:
    """The compact JSON of each row (values ``plain_column`` passed), in order: orjson's text
    when it is printable ASCII, as ``json`` writes it, else ``fallback(row)`` (the caller's
    encoder, which also writes any row orjson refuses). Rows are written ``CHUNK`` at a time
    (so a batch's texts are never all held twice) and each chunk checked together; only a
    chunk with a row to set apart is gone over row by row."""
    if not AVAILABLE:
        return list(map(fallback, rows))
    texts: list[str] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        try:
            data = list(map(orjson.dumps, chunk, repeat(None), repeat(_OPTIONS)))
        except TypeError:  # a type passed through, a key that is not text, a huge integer
            texts.extend(map(_one_by_one(fallback), chunk))
            continue
        whole = b"".join(data)
        if whole.isascii() and 0x7F not in whole:  # ``json`` escapes DEL and all above it
            texts.extend(map(bytes.decode, data))
        else:
            texts.extend(map(_one_by_one(fallback), chunk))
    return texts


def _one_by_one(fallback: Callable[[Any], str]) -> Callable[[Any], str]:
    """``encode_rows`` of one row."""

    def encode(row: Any) -> str:
        try:
            data = orjson.dumps(row, None, _OPTIONS)
        except TypeError:
            return fallback(row)
        if data.isascii() and 0x7F not in data:
            return data.decode()
        return fallback(row)

    return encode
