"""Dates in Pinpoint templates: Java ``SimpleDateFormat`` patterns, tz database zones, ``now``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simlab.engage.handlebars import HelperError, Options
from simlab.engage.templates.values import RenderEnv, Values, text

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
