"""The `Fact` record: one figure, its unit, where it comes from and how sure we are of it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from ._sources import url_for

T = TypeVar("T")

#: Tags a `source` may start with, as used in `reference/aws-facts.md` (plus moto's own source).
SOURCE_TAGS: tuple[str, ...] = ("AWS-doc", "BC", "2nd", "moto")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REF = re.compile(r"^\d+(\.\d+|[A-Z])$")


def freeze(value: Any) -> Any:
    """Return `value` with every dict made a read-only mapping and every list or set a tuple."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """One AWS figure with its unit, source, public URL, as-of date and reference section.

    `url` is the page a learner opens to check the figure; left empty, it comes from the
    source (`_sources.url_for`), and a source with no known page raises ValueError.

    `confirmed` is False exactly where the reference marks the figure UNCONFIRMED. A mapping
    or tuple value is confirmed only when every entry in it is; `note` then says which is not.
    Dicts and lists passed as `value` are frozen into read-only mappings and tuples.
    """

    value: T
    unit: str
    source: str
    as_of: str
    ref: str
    confirmed: bool = True
    note: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        if not self.source.startswith(SOURCE_TAGS):
            raise ValueError(
                f"Fact.source must start with one of {SOURCE_TAGS}, got {self.source!r}"
            )
        try:
            date.fromisoformat(self.as_of if _ISO_DATE.match(self.as_of) else "")
        except ValueError:
            raise ValueError(
                f"Fact.as_of must be an ISO date YYYY-MM-DD, got {self.as_of!r}"
            ) from None
        if not _REF.match(self.ref):
            raise ValueError(f"Fact.ref must be a section like '4.12' or '1A', got {self.ref!r}")
        if not self.url:
            try:
                object.__setattr__(self, "url", url_for(self.source))
            except KeyError as error:
                raise ValueError(error.args[0]) from None
        if not self.url.startswith("https://") or any(c.isspace() for c in self.url):
            raise ValueError(f"Fact.url must be an https URL without spaces, got {self.url!r}")
        object.__setattr__(self, "value", freeze(self.value))

    @property
    def tag(self) -> str:
        """Return the source tag: 'AWS-doc', 'BC', '2nd' or 'moto'."""
        return next(tag for tag in SOURCE_TAGS if self.source.startswith(tag))

    def describe(self) -> str:
        """Return a one-line summary such as '200 messages/24h (AWS-doc ..., as of 2023-06-15)'."""
        text = _format_value(self.value, self.unit)
        status = " UNCONFIRMED" if not self.confirmed else ""
        return f"{text}{status} ({self.source}, as of {self.as_of})"

    def __str__(self) -> str:
        return self.describe()


def _format_value(value: Any, unit: str) -> str:
    """Return a short human-readable rendering of a fact value and its unit."""
    if unit == "fraction" and isinstance(value, float):
        return f"{value * 100:g}%"
    if isinstance(value, Mapping | tuple):
        if isinstance(value, tuple) and len(value) <= 4:
            text = ", ".join(str(item) for item in value)
        else:
            text = f"{len(value)} entries"
        return f"{text} ({unit})" if unit else text
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.6f}".rstrip("0")
        decimals = len(text.partition(".")[2])
        if unit.startswith("USD") and decimals < 2:
            text += "0" * (2 - decimals)
        text = text.rstrip(".")
    elif isinstance(value, str) and (len(value) > 40 or not value.isprintable()):
        text = f"{len(value)}-character string"
    else:
        text = str(value)
    return f"{text} {unit}" if unit else text
