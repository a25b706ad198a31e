"""How data values look and test in a template: text, HTML escaping, truthiness, safe lookup.

Lookups reach only mapping keys and list indexes (and a list's ``length``); they never read
an attribute and never call anything, so data cannot reach Python objects beyond itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final


class _Missing:
    """The marker of a lookup that found nothing (unlike a value that is null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "`": "&#x60;",
        "=": "&#x3D;",
    }
)


def escape_html(text: str) -> str:
    """Escapes ``& < > " ' ` =`` as Handlebars does."""
    return text.translate(_ESCAPES)


def child(value: Any, key: str) -> Any:
    """Returns ``value[key]`` for a mapping key or list index, else MISSING (never getattr)."""
    if type(value) is dict:
        return value.get(key, MISSING)
    if isinstance(value, Mapping):
        try:
            return value.get(key, MISSING)
        except TypeError:
            return MISSING
    if isinstance(value, list | tuple):
        if key == "length":
            return len(value)
        if key.isascii() and key.isdigit():
            index = int(key)
            return value[index] if index < len(value) else MISSING
    return MISSING


def number_text(value: float) -> str:
    """Shows a number as JavaScript does: 5.0 -> 5, 2.5 -> 2.5, NaN, Infinity."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def to_text(value: Any) -> str:
    """Renders a value: nothing for null, true/false, numbers as JavaScript, lists joined by ','."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, list | tuple):
        return ",".join(to_text(item) for item in value)
    if isinstance(value, Mapping):
        return "[object Object]"
    return ""


def is_falsy(value: Any) -> bool:
    """Handlebars' test for ``if``/``unless``/sections: null, false, "", 0, NaN or []."""
    if value is None or value is MISSING or value is False:
        return True
    if isinstance(value, str | list | tuple):
        return len(value) == 0
    if isinstance(value, int | float):
        return value == 0 or value != value
    return False
