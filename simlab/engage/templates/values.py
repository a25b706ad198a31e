"""What a Pinpoint template's helpers read: attribute values, numbers as text, the render's time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from simlab.engage.handlebars import HelperError, Options


@dataclass(frozen=True)
class RenderEnv:
    """What helpers may read besides the template's data: the time and a seeded random stream."""

    now: datetime
    rng: np.random.Generator


class Values(list[Any]):
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
