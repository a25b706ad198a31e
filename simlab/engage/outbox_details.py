"""An outbox entry's ``detail`` as the table stores it, written a batch of entries at a time.

The entries of one run of messages carry details of one shape (the same keys in the same
order) whose values are mostly the very objects the previous entry held: the campaign's
context, the app id, the price; only an endpoint id or a message id differs. ``DetailTexts``
keeps, for each shape, the text of each value it wrote last, and writes only the values that
are new, so a batch costs about one string a message instead of a whole encoding. Its text is
``detail_json``'s, character for character.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import is_
from typing import Any

from simlab.primitives.compact_json import compact_encoder, string_json

#: Compact JSON, anything JSON cannot hold written as its ``str``.
_detail_json = compact_encoder(default=str)
#: Values whose text is fixed by the object itself: the same object, the same text.
_SCALARS = frozenset((str, int, float, bool, type(None)))
#: The most shapes kept at once (a new one past it starts the table again).
SHAPES = 64


def detail_json(detail: dict[str, Any]) -> str:
    """``detail`` as the table stores it: compact JSON, anything else as its ``str``."""
    return _detail_json(detail)


class _Never:
    """Stands for a value whose text is never reused (a list, a nested mapping ...)."""

    __slots__ = ()


_NEVER = _Never()


def _reference(value: Any) -> Any:
    """What a later value must match for ``value``'s text to serve it again.

    A scalar is matched by identity (``is``: equal numbers may print differently, 1 and 1.0
    and True); a flat dict of strings by its keys and values, each the very same string
    object in the same order (``_same_strings``); anything else never.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return (tuple(value), tuple(value.values()))
    return _NEVER


def _same_strings(value: Any, reference: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """True if ``value`` is a dict holding ``reference``'s very strings, in its order."""
    keys, texts = reference
    return (
        type(value) is dict
        and len(value) == len(keys)
        and all(map(is_, value, keys))
        and all(map(is_, value.values(), texts))
    )


class DetailTexts:
    """Writes details as ``detail_json`` does, reusing the text of values seen just before."""

    def __init__(self) -> None:
        #: keys of a shape -> (each value's reference, each ``"key":value`` text); None for a
        #: shape with a key that is not a string (written whole every time)
        self._shapes: dict[tuple[Any, ...], tuple[list[Any], list[str]] | None] = {}

    def texts(self, details: Iterable[dict[str, Any]]) -> list[str]:
        """The text of each detail, in order."""
        shapes, encode = self._shapes, _detail_json
        out: list[str] = []
        write = out.append
        for detail in details:
            keys = tuple(detail)
            shape = shapes.get(keys)
            if shape is None:
                if keys in shapes or not keys:  # not strings, or empty: no parts to reuse
                    write(encode(detail))
                    continue
                shape = self._new_shape(keys)
                if shape is None:
                    write(encode(detail))
                    continue
            references, parts = shape
            i = 0
            for value in detail.values():  # an index, not enumerate(zip()): a third cheaper
                reference = references[i]
                if value is not reference and (
                    type(reference) is not tuple or not _same_strings(value, reference)
                ):
                    references[i] = _reference(value)
                    parts[i] = f"{string_json(keys[i])}:{encode(value)}"
                i += 1  # noqa: SIM113
            write(f"{{{','.join(parts)}}}")
        return out

    def _new_shape(self, keys: tuple[Any, ...]) -> tuple[list[Any], list[str]] | None:
        """Files a shape not seen yet (its parts written by the first detail that has it)."""
        if len(self._shapes) >= SHAPES:
            self._shapes.clear()
        if not all(type(key) is str for key in keys):
            self._shapes[keys] = None
            return None
        shape: tuple[list[Any], list[str]] = ([_NEVER] * len(keys), [""] * len(keys))
        self._shapes[keys] = shape
        return shape
