"""The Handlebars helpers of Pinpoint message templates, for `simlab.engage.handlebars`.

Follows the Pinpoint User Guide page "Using message template helpers"
(``message-template-helpers.md``): the built-in ``each`` (at most
`facts.pinpoint.MAX_EACH_HELPER_ITEMS` items) and ``if``; the conditional helpers ``and eq gt
gte if lt lte neq not or``; the string helpers ``abbreviate capitalize capitalizeFirst center
cut dateFormat inflect join ljust lower now ordinalize replace rjust slugify stripTags substring
upper yesno``; the math and encoding helpers ``add ceiling decode64 divide encode64 floor md5
modulo multiply round sha256 sha512 subtract uuid``.

Each helper is ``f(options, *values)``: ``options.hash`` holds the ``key=value`` arguments,
``options.fn``/``options.inverse`` render a block, ``options.env`` is the render's `RenderEnv`.
Sizes a helper is asked to build (``rjust size=...``) are bounded by the render's output limit.

Conditional helpers work inline (``{{eq a b yes='y' no='n'}}``, or as a subexpression) and as
blocks (``{{#eq a b}}...{{else}}...{{/eq}}``). Comparisons are numeric when both sides read as
numbers (attribute values are strings), otherwise textual. Dates follow Java's
``SimpleDateFormat`` patterns, as the page says; ``now`` reads the time a render is given.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
import uuid as uuid_module
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from simlab.engage.handlebars import HelperError, Options, Registry, each_helper
from simlab.engage.handlebars.helpers import BUILTINS
from simlab.engage.templates.dates import _date_format, _now
from simlab.engage.templates.values import (
    RenderEnv,
    Values,
    _integer,
    _maybe_number,
    _number,
    _size,
    _string,
    number_text,
    text,
)
from simlab.facts import pinpoint as pinpoint_facts

# Block-or-inline plumbing -----------------------------------------------------------------------


def _answer(options: Options, args: tuple[Any, ...], decide: Callable[..., bool]) -> Any:
    """Runs a condition inline (yes/no or a boolean) or as a block (fn/inverse)."""
    outcome = bool(decide(*args))
    if options.is_block:
        return options.fn() if outcome else options.inverse()
    key = "yes" if outcome else "no"
    return options.hash.get(key, outcome)


def _truthy(value: Any) -> bool:
    if isinstance(value, Values | list | tuple | dict | str):
        return len(value) > 0
    return bool(value) if value is not None else False


def _compare(a: Any, b: Any) -> int:
    x, y = _maybe_number(a), _maybe_number(b)
    if x is not None and y is not None:
        return (x > y) - (x < y)
    left, right = text(a), text(b)
    return (left > right) - (left < right)


def _equal(a: Any, b: Any) -> bool:
    x, y = _maybe_number(a), _maybe_number(b)
    if x is not None and y is not None:
        return x == y
    return text(a) == text(b)


def _pair(name: str) -> Callable[..., bool]:
    def decide(*values: Any) -> bool:
        if len(values) != 2:
            raise HelperError(f"{name} compares exactly two values, got {len(values)}")
        a, b = values
        return {
            "eq": lambda: _equal(a, b),
            "neq": lambda: not _equal(a, b),
            "gt": lambda: _compare(a, b) > 0,
            "gte": lambda: _compare(a, b) >= 0,
            "lt": lambda: _compare(a, b) < 0,
            "lte": lambda: _compare(a, b) <= 0,
        }[name]()

    return decide


def _conditional(name: str, decide: Callable[..., bool]) -> Callable[..., Any]:
    def helper(options: Options, *args: Any) -> Any:
        return _answer(options, args, decide)

    helper.__name__ = name
    return helper


def _all(*values: Any) -> bool:
    if len(values) < 2:
        raise HelperError("and needs at least two values")
    return all(_truthy(value) for value in values)


def _any(*values: Any) -> bool:
    if len(values) < 2:
        raise HelperError("or needs at least two values")
    return any(_truthy(value) for value in values)


def _negate(*values: Any) -> bool:
    if len(values) != 1:
        raise HelperError(f"not takes one value, got {len(values)}")
    return not _truthy(values[0])


def _if(options: Options, value: Any) -> Any:
    """``{{#if value}}`` as a block, or inline: ``{{if value yes='y' no='n'}}``."""
    return _answer(options, (value,), _truthy)


# String helpers ---------------------------------------------------------------------------------


def _abbreviate(options: Options, value: Any, width: Any) -> str:
    size = _integer("abbreviate", width, minimum=4)
    string = _string(value)
    return string if len(string) <= size else string[: size - 3] + "..."


def _capitalize(options: Options, value: Any) -> str:
    return re.sub(r"(^|\s)(\S)", lambda m: m.group(1) + m.group(2).upper(), _string(value))


def _capitalize_first(options: Options, value: Any) -> str:
    string = _string(value)
    return string[:1].upper() + string[1:]


def _fill(options: Options, room: int) -> str:
    """``room`` characters of the ``pad`` argument (a space by default), repeated."""
    pad = _string(options.hash.get("pad", " ")) or " "
    if room <= 0:
        return ""
    return (pad * (room // len(pad) + 1))[:room]


def _width(name: str, options: Options, size: Any) -> int:
    return _size(name, options, options.hash.get("size", size))


def _center(options: Options, value: Any, size: Any = None) -> str:
    width, string = _width("center", options, size), _string(value)
    room = width - len(string)
    if room <= 0:
        return string
    left = room // 2
    return _fill(options, left) + string + _fill(options, room - left)


def _ljust(options: Options, value: Any, size: Any = None) -> str:
    width, string = _width("ljust", options, size), _string(value)
    return string + _fill(options, width - len(string))


def _rjust(options: Options, value: Any, size: Any = None) -> str:
    width, string = _width("rjust", options, size), _string(value)
    return _fill(options, width - len(string)) + string


def _cut(options: Options, value: Any, remove: Any = " ") -> str:
    return _string(value).replace(_string(remove), "") if _string(remove) else _string(value)


def _inflect(options: Options, count: Any, singular: Any = None, plural: Any = None) -> str:
    if singular is None or plural is None:
        raise HelperError('inflect needs the singular and plural words in quotes: "apple" "apples"')
    many = _number("inflect", count) != 1
    word = _string(plural if many else singular)
    include = options.hash.get("includeCount", False)
    if _truthy(include) and include != "false":
        return f"{text(count)} {word}"
    return word


def _join(options: Options, items: Any, separator: Any = ",") -> str:
    if not isinstance(items, list | tuple):
        items = [] if items is None else [items]
    joined = _string(separator).join(text(item) for item in items)
    hash_values = options.hash
    return _string(hash_values.get("prefix", "")) + joined + _string(hash_values.get("suffix", ""))


def _lower(options: Options, value: Any) -> str:
    return _string(value).lower()


def _upper(options: Options, value: Any) -> str:
    return _string(value).upper()


def _ordinalize(options: Options, value: Any) -> str:
    number = _integer("ordinalize", value)
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _replace(options: Options, value: Any, target: Any, replacement: Any = "") -> str:
    string, old, new = _string(value), _string(target), _string(replacement)
    times = string.count(old) if old else len(string) + 1
    grown = len(string) + times * (len(new) - len(old))
    if grown > options.limits.max_output:
        raise HelperError(f"replace would build more than {options.limits.max_output} characters")
    return string.replace(old, new)


def _slugify(options: Options, value: Any) -> str:
    cleaned = re.sub(r"[^\w\s-]", "", _string(value)).strip().lower()
    return re.sub(r"[-\s]+", "-", cleaned)


def _strip_tags(options: Options, value: Any) -> str:
    return re.sub(r"<[^<>]*>", "", _string(value))


def _substring(options: Options, value: Any, start: Any, end: Any = None) -> str:
    string = _string(value)
    first = _integer("substring", start)
    last = len(string) if end is None else _integer("substring", end)
    return string[first:last]


def _yesno(options: Options, value: Any) -> str:
    if isinstance(value, Values):
        value = value[0] if value else None
    if isinstance(value, str):
        value = {"true": True, "false": False}.get(value.strip().lower(), value)
    words = options.hash
    if value is None:
        return _string(words.get("maybe", "maybe"))
    return _string(words.get("yes", "yes") if _truthy(value) else words.get("no", "no"))


# Math and encoding ------------------------------------------------------------------------------


def _arithmetic(name: str, op: Callable[[float, float], float]) -> Callable[..., str]:
    def helper(options: Options, a: Any, b: Any) -> str:
        x, y = _number(name, a), _number(name, b)
        try:
            return number_text(op(x, y))
        except (ZeroDivisionError, ValueError):
            raise HelperError(f"{name} cannot divide by zero") from None

    return helper


def _rounding(name: str, op: Callable[[float], float]) -> Callable[..., str]:
    def helper(options: Options, value: Any) -> str:
        return number_text(float(op(_number(name, value))))

    return helper


def _round_half_up(value: float) -> float:
    try:
        return float(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return value


def _encode64(options: Options, value: Any) -> str:
    return base64.b64encode(_string(value).encode()).decode()


def _decode64(options: Options, value: Any) -> str:
    try:
        return base64.b64decode(_string(value), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise HelperError(f"decode64 needs Base64 text, got {_string(value)!r}") from None


def _digest(name: str) -> Callable[..., str]:
    def helper(options: Options, value: Any) -> str:
        return hashlib.new(name, _string(value).encode()).hexdigest()

    return helper


def _uuid(options: Options) -> str:
    env: RenderEnv = options.env
    return str(uuid_module.UUID(bytes=env.rng.bytes(16), version=4))


# The table --------------------------------------------------------------------------------------


def _table() -> dict[str, Callable[..., Any]]:
    table: dict[str, Callable[..., Any]] = {
        **BUILTINS,
        "each": each_helper(pinpoint_facts.MAX_EACH_HELPER_ITEMS.value),
        "if": _if,
        "and": _conditional("and", _all),
        "or": _conditional("or", _any),
        "not": _conditional("not", _negate),
        "abbreviate": _abbreviate,
        "capitalize": _capitalize,
        "capitalizeFirst": _capitalize_first,
        "center": _center,
        "cut": _cut,
        "dateFormat": _date_format,
        "inflect": _inflect,
        "join": _join,
        "ljust": _ljust,
        "lower": _lower,
        "now": _now,
        "ordinalize": _ordinalize,
        "replace": _replace,
        "rjust": _rjust,
        "slugify": _slugify,
        "stripTags": _strip_tags,
        "substring": _substring,
        "upper": _upper,
        "yesno": _yesno,
        "add": _arithmetic("add", lambda x, y: x + y),
        "subtract": _arithmetic("subtract", lambda x, y: x - y),
        "multiply": _arithmetic("multiply", lambda x, y: x * y),
        "divide": _arithmetic("divide", lambda x, y: x / y),
        "modulo": _arithmetic("modulo", math.fmod),
        "ceiling": _rounding("ceiling", math.ceil),
        "floor": _rounding("floor", math.floor),
        "round": _rounding("round", _round_half_up),
        "encode64": _encode64,
        "decode64": _decode64,
        "md5": _digest("md5"),
        "sha256": _digest("sha256"),
        "sha512": _digest("sha512"),
        "uuid": _uuid,
    }
    for name in ("eq", "neq", "gt", "gte", "lt", "lte"):
        table[name] = _conditional(name, _pair(name))
    return table


#: Every documented helper plus Handlebars' built-ins; renders pass a `RenderEnv` as ``env``.
HELPERS: Registry = Registry(_table())

#: Names of the helpers a template can call, for documentation and widgets.
HELPER_NAMES: tuple[str, ...] = tuple(sorted(HELPERS))
