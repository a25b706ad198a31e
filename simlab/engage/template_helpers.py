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
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from simlab.engage.handlebars import BUILTINS, HelperError, Options, Registry, each_helper
from simlab.facts import pinpoint as pinpoint_facts


@dataclass(frozen=True)
class RenderEnv:
    """What helpers may read besides the template's data: the time and a seeded random stream."""

    now: datetime
    rng: np.random.Generator


class Values(list):  # type: ignore[type-arg]
    """An attribute's values: renders as the values joined by commas; ``.[0]`` picks one.

    Pinpoint stores custom attributes as lists, so ``{{User.UserAttributes.FirstName}}`` of a
    one-value attribute shows that value and helpers take ``.[0]`` for a single entry.
    """

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key == "length":
                return len(self)
            if not key.isdigit():
                raise KeyError(key)
            key = int(key)
        try:
            return super().__getitem__(key)
        except IndexError:
            raise KeyError(key) from None

    def __str__(self) -> str:
        return ",".join(text(value) for value in self)


# Values as text and numbers ---------------------------------------------------------------------


def text(value: Any) -> str:
    """Renders a value the way Handlebars shows it (no value -> empty, 5.0 -> 5, True -> true)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def number_text(value: float) -> str:
    """Formats a number with at most 8 decimals and no trailing zeros (7.3, 6, 2.17391304)."""
    if math.isnan(value) or math.isinf(value) or abs(value) >= 1e15:
        return str(int(value)) if math.isfinite(value) else str(value)
    rounded = Decimal(repr(value)).quantize(Decimal("1e-8"), rounding=ROUND_HALF_UP)
    shown = format(rounded.normalize(), "f")
    return "0" if shown in ("-0", "") else shown


def _number(helper: str, value: Any) -> float:
    try:
        number = float(text(value) if isinstance(value, Values | list | dict) else value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise HelperError(f"{helper} needs a number, got {text(value)[:40]!r}")
    return number


def _maybe_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(text(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _integer(helper: str, value: Any, *, minimum: int = 0, maximum: int | None = None) -> int:
    number = _number(helper, value)
    if number != int(number) or number < minimum:
        raise HelperError(f"{helper} needs a whole number >= {minimum}, got {text(value)!r}")
    if maximum is not None and number > maximum:
        raise HelperError(f"{helper} allows at most {maximum}, got {text(value)!r}")
    return int(number)


def _size(helper: str, options: Options, value: Any) -> int:
    """A width argument, at most the render's output bound."""
    return _integer(helper, value, maximum=options.limits.max_output)


def _string(value: Any) -> str:
    return text(value)


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
    value = _string(value)
    return value if len(value) <= size else value[: size - 3] + "..."


def _capitalize(options: Options, value: Any) -> str:
    return re.sub(r"(^|\s)(\S)", lambda m: m.group(1) + m.group(2).upper(), _string(value))


def _capitalize_first(options: Options, value: Any) -> str:
    value = _string(value)
    return value[:1].upper() + value[1:]


def _fill(options: Options, room: int) -> str:
    """``room`` characters of the ``pad`` argument (a space by default), repeated."""
    pad = _string(options.hash.get("pad", " ")) or " "
    if room <= 0:
        return ""
    return (pad * (room // len(pad) + 1))[:room]


def _width(name: str, options: Options, size: Any) -> int:
    return _size(name, options, options.hash.get("size", size))


def _center(options: Options, value: Any, size: Any = None) -> str:
    width, value = _width("center", options, size), _string(value)
    room = width - len(value)
    if room <= 0:
        return value
    left = room // 2
    return _fill(options, left) + value + _fill(options, room - left)


def _ljust(options: Options, value: Any, size: Any = None) -> str:
    width, value = _width("ljust", options, size), _string(value)
    return value + _fill(options, width - len(value))


def _rjust(options: Options, value: Any, size: Any = None) -> str:
    width, value = _width("rjust", options, size), _string(value)
    return _fill(options, width - len(value)) + value


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
    value, target, replacement = _string(value), _string(target), _string(replacement)
    times = value.count(target) if target else len(value) + 1
    grown = len(value) + times * (len(replacement) - len(target))
    if grown > options.limits.max_output:
        raise HelperError(f"replace would build more than {options.limits.max_output} characters")
    return value.replace(target, replacement)


def _slugify(options: Options, value: Any) -> str:
    cleaned = re.sub(r"[^\w\s-]", "", _string(value)).strip().lower()
    return re.sub(r"[-\s]+", "-", cleaned)


def _strip_tags(options: Options, value: Any) -> str:
    return re.sub(r"<[^<>]*>", "", _string(value))


def _substring(options: Options, value: Any, start: Any, end: Any = None) -> str:
    value = _string(value)
    first = _integer("substring", start)
    last = len(value) if end is None else _integer("substring", end)
    return value[first:last]


def _yesno(options: Options, value: Any) -> str:
    if isinstance(value, Values):
        value = value[0] if value else None
    if isinstance(value, str):
        value = {"true": True, "false": False}.get(value.strip().lower(), value)
    words = options.hash
    if value is None:
        return _string(words.get("maybe", "maybe"))
    return _string(words.get("yes", "yes") if _truthy(value) else words.get("no", "no"))


# Dates (Java SimpleDateFormat patterns) ---------------------------------------------------------

#: The named styles of ``dateFormat`` and ``now``, as Java formats them for en_US.
DATE_STYLES: dict[str, str] = {
    "full": "EEEE, MMMM d, yyyy",
    "long": "MMMM d, yyyy",
    "medium": "MMM d, yyyy",
    "short": "M/d/yy",
}

_TOKEN = re.compile(r"'([^']*)'|([A-Za-z])\2*|(.)", re.DOTALL)


def _tokens(pattern: str) -> list[tuple[str, str]]:
    """Splits a SimpleDateFormat pattern into ("field", "yyyy") and ("text", ", ") pieces."""
    pieces: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(pattern):
        quoted, letter, other = match.group(1), match.group(2), match.group(3)
        if quoted is not None:
            pieces.append(("text", quoted if quoted else "'"))
        elif letter:
            pieces.append(("field", match.group(0)))
        else:
            pieces.append(("text", other))
    return pieces


def _offset(moment: datetime, width: int, iso: bool) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if iso and minutes == 0:
        return "Z"
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    if iso and width == 1:
        return f"{sign}{hours:02d}"
    separator = ":" if iso and width >= 3 else ""
    return f"{sign}{hours:02d}{separator}{rest:02d}"


def _field(moment: datetime, letter: str, n: int) -> str:
    numbers = {
        "d": moment.day,
        "D": moment.timetuple().tm_yday,
        "H": moment.hour,
        "k": moment.hour or 24,
        "K": moment.hour % 12,
        "h": moment.hour % 12 or 12,
        "m": moment.minute,
        "s": moment.second,
        "S": moment.microsecond // 1000,
        "u": moment.isoweekday(),
    }
    if letter in numbers:
        return f"{numbers[letter]:0{n}d}"
    if letter == "y":
        return f"{moment.year % 100:02d}" if n == 2 else f"{moment.year:0{n}d}"
    if letter == "M":
        return moment.strftime("%B" if n >= 4 else "%b") if n >= 3 else f"{moment.month:0{n}d}"
    if letter == "E":
        return moment.strftime("%A" if n >= 4 else "%a")
    if letter in "ZX":
        return _offset(moment, n, iso=letter == "X")
    fixed = {"G": "AD", "a": "AM" if moment.hour < 12 else "PM", "z": moment.tzname() or "UTC"}
    if letter in fixed:
        return fixed[letter]
    raise HelperError(f"date pattern letter {letter!r} is not supported")


def format_date(moment: datetime, pattern: str) -> str:
    """Formats an aware datetime with a SimpleDateFormat pattern or a style name (en_US)."""
    pattern = DATE_STYLES.get(pattern, pattern)
    return "".join(
        piece if kind == "text" else _field(moment, piece[0], len(piece))
        for kind, piece in _tokens(pattern)
    )


_STRPTIME: dict[str, Callable[[int], str]] = {
    "y": lambda n: "%y" if n == 2 else "%Y",
    "M": lambda n: "%B" if n >= 4 else "%b" if n == 3 else "%m",
    "d": lambda n: "%d",
    "E": lambda n: "%A" if n >= 4 else "%a",
    "H": lambda n: "%H",
    "h": lambda n: "%I",
    "m": lambda n: "%M",
    "s": lambda n: "%S",
    "S": lambda n: "%f",
    "a": lambda n: "%p",
    "Z": lambda n: "%z",
    "X": lambda n: "%z",
    "z": lambda n: "%Z",
}


def parse_date(value: Any, input_format: str | None = None) -> datetime:
    """Reads a date: with a SimpleDateFormat pattern, else ISO 8601 or Unix milliseconds."""
    raw = text(value[0] if isinstance(value, Values) and value else value).strip()
    if not raw:
        raise HelperError("dateFormat needs a date, got nothing")
    if input_format:
        directives = []
        for kind, piece in _tokens(input_format):
            if kind == "text":
                directives.append(piece.replace("%", "%%"))
            elif piece[0] in _STRPTIME:
                directives.append(_STRPTIME[piece[0]](len(piece)))
            else:
                raise HelperError(f"inputFormat letter {piece[0]!r} is not supported")
        try:
            return datetime.strptime(raw, "".join(directives))
        except ValueError:
            raise HelperError(f"date {raw!r} does not match inputFormat {input_format!r}") from None
    if re.fullmatch(r"-?\d+(\.\d+)?", raw):
        try:
            return datetime.fromtimestamp(float(raw) / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise HelperError(f"date {raw[:40]!r} is outside the calendar") from None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise HelperError(
            f'date {raw!r} is not ISO 8601 or Unix milliseconds; pass inputFormat="..."'
        ) from None


def zone(name: Any) -> tzinfo:
    """Returns the tz database zone called ``name`` (UTC when none is given)."""
    if name is None or text(name) == "":
        return UTC
    try:
        return ZoneInfo(text(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise HelperError(f"tz {text(name)!r} is not a tz database time zone ID") from None


def _in_zone(moment: datetime, where: tzinfo) -> datetime:
    # A date without a zone is read as wall time in the zone asked for, as the guide's example.
    return moment.replace(tzinfo=where) if moment.tzinfo is None else moment.astimezone(where)


def _date_format(options: Options, value: Any, style: Any = None) -> str:
    where = zone(options.hash.get("tz"))
    wanted = options.hash.get("inputFormat")
    moment = _in_zone(parse_date(value, None if wanted is None else text(wanted)), where)
    pattern = options.hash.get("outputFormat", options.hash.get("format", style)) or "medium"
    return format_date(moment, text(pattern))


def _now(options: Options, style: Any = None) -> str:
    env: RenderEnv = options.env
    moment = env.now.astimezone(zone(options.hash.get("tz")))
    return format_date(moment, text(options.hash.get("format", style) or "medium"))


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
