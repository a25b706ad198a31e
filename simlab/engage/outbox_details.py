"""An outbox entry's ``detail`` as the table stores it, written a batch of entries at a time.

The entries of a batch carry details of a few shapes (the same keys in the same order), and
within a shape most values are the very objects of every other detail (the campaign's
context, the app id) or plain strings and numbers (an endpoint id, a price). ``details_json``
writes a batch column by column: per shape, each key's values are looked at together, a
value shared by the whole column is written once, a column of strings or numbers is written
by one C call, and each detail's text is its columns' texts joined. Its text is
``detail_json``'s, character for character.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import chain, compress, cycle, repeat
from operator import eq, is_
from typing import Any

from simlab.primitives.compact_json import compact_encoder, string_json
from simlab.primitives.json_rows import AVAILABLE, encode_rows, plain_dicts

#: Compact JSON, anything JSON cannot hold written as its ``str``.
_detail_json = compact_encoder(default=str)
#: Values whose text is fixed by the object itself: the same object, the same text.
_SCALARS = frozenset((str, int, float, bool, type(None)))
#: How a column of values of one exact type is written, value by value, in C.
_WRITERS = {str: string_json, int: int.__repr__}


def detail_json(detail: dict[str, Any]) -> str:
    """``detail`` as the table stores it: compact JSON, anything else as its ``str``."""
    return _detail_json(detail)


def details_json(details: Sequence[dict[str, Any]]) -> list[str]:
    """``detail_json`` of each detail, in order: through orjson when every value is one it
    writes as json does (``json_rows``), else column by column."""
    if not details:
        return []
    if AVAILABLE and plain_dicts(details):  # orjson writes each as json would, and faster
        return encode_rows(details, _detail_json)
    shapes = list(map(tuple, details))
    distinct = dict.fromkeys(shapes)
    if len(distinct) == 1:
        return _shape_json(shapes[0], details)
    out: list[str] = [""] * len(details)
    for keys in distinct:
        chosen = list(map(eq, shapes, repeat(keys)))
        texts = _shape_json(keys, list(compress(details, chosen)))
        for position, text in zip(compress(range(len(details)), chosen), texts, strict=True):
            out[position] = text
    return out


def _shape_json(keys: tuple[Any, ...], details: Sequence[dict[str, Any]]) -> list[str]:
    """The text of each of ``details``, which all have ``keys``: a run of columns shared by
    every detail is one piece of text, and each detail's text its pieces joined."""
    if not keys or not all(type(key) is str for key in keys):
        return list(map(_detail_json, details))
    columns = zip(*map(dict.values, details), strict=True)
    pieces: list[str | Iterator[str]] = []  # shared text, or each detail's text
    shared: list[str] = []  # "key":value parts shared by every detail, not yet a piece
    for key, column in zip(keys, columns, strict=True):
        prefix = f"{string_json(key)}:"
        text = _shared_json(column)
        if text is not None:
            shared.append(f"{prefix}{text}")
            continue
        if shared:
            pieces.append(",".join(shared))
            shared = []
        pieces.append(map(prefix.__add__, _column_json(column)))
    if shared:
        pieces.append(",".join(shared))
    if len(pieces) == 1 and isinstance(pieces[0], str):  # every detail alike
        return [f"{{{pieces[0]}}}"] * len(details)
    first = pieces[0]
    pieces[0] = f"{{{first}" if isinstance(first, str) else map("{".__add__, first)
    last = pieces[-1]  # the first again if it is the only one
    pieces[-1] = f"{last}}}" if isinstance(last, str) else map(str.__add__, last, repeat("}"))
    return list(
        map(
            ",".join,
            zip(
                *(repeat(p, len(details)) if isinstance(p, str) else p for p in pieces),
                strict=True,
            ),
        )
    )


def _shared_json(column: tuple[Any, ...]) -> str | None:
    """The text of every value of ``column`` if they are all written alike, else None.

    They are if they are one scalar object; strings, integers or floats (but zero) of one
    very type that are all equal (1, 1.0 and True are equal but print otherwise, as do 0.0
    and -0.0); or dicts of strings holding the very same key and value objects in order
    (each distinct dict looked at once, when a few dicts fill the column).
    """
    first = column[0]
    kind = type(first)
    if kind in _SCALARS:
        if all(map(is_, column, repeat(first))):
            return _detail_json(first)
        if (
            (kind is str or kind is int or (kind is float and first != 0.0))
            and all(map(is_, map(type, column), repeat(kind)))
            and column.count(first) == len(column)
        ):
            return _detail_json(first)
        return None
    if kind is not dict or not all(type(k) is str and type(v) is str for k, v in first.items()):
        return None
    if len(set(map(id, column))) * 4 <= len(column):  # a few dicts, each shared by many
        column = tuple(dict(zip(map(id, column), column, strict=True)).values())
    size = len(first)
    if (
        all(map(is_, map(type, column), repeat(dict)))
        and all(map(eq, map(len, column), repeat(size)))
        and all(map(is_, chain.from_iterable(column), cycle(first)))
        and all(map(is_, chain.from_iterable(map(dict.values, column)), cycle(first.values())))
    ):
        return _detail_json(first)
    return None


def _column_json(column: tuple[Any, ...]) -> Iterator[str]:
    """The text of each value of ``column``: one C call for a column of strings, integers
    or finite floats of that very type, the whole encoder for each value otherwise."""
    kinds = set(map(type, column))
    if len(kinds) == 1:
        kind = kinds.pop()
        writer = _WRITERS.get(kind)
        if writer is not None:
            return map(writer, column)
        if kind is float and all(map(math.isfinite, column)):
            return map(float.__repr__, column)
    return map(_detail_json, column)
