"""SMS part counting: how many billable, throttled parts a text is (GSM-7 or UCS-2)."""

from __future__ import annotations

from dataclasses import dataclass

from simlab.facts import sms

GSM7 = "GSM-7"
UCS2 = "UCS-2"

_BASIC = frozenset(sms.GSM7_BASIC_ALPHABET.value) - {"\x1b"}
_EXTENDED = frozenset(sms.GSM7_EXTENSION.value)


@dataclass(frozen=True, slots=True)
class Parts:
    """How a text message is encoded and split."""

    encoding: str
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int


def encoding_of(text: str) -> str:
    """Returns GSM-7 if every character is in the GSM 03.38 alphabet or extension, else UCS-2."""
    return GSM7 if all(c in _BASIC or c in _EXTENDED for c in text) else UCS2


def _units(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if c in _EXTENDED else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def count_parts(text: str) -> Parts:
    """Counts the parts a text needs; a character's units never straddle two parts."""
    encoding = encoding_of(text)
    if encoding == GSM7:
        single, per_part = sms.GSM7_SINGLE_PART_CHARS.value, sms.GSM7_MULTIPART_CHARS.value
    else:
        single, per_part = sms.UCS2_SINGLE_PART_CHARS.value, sms.UCS2_MULTIPART_CHARS.value
    units = _units(text, encoding)
    total = sum(units)
    if total <= single:
        return Parts(encoding, total, 1 if total else 0)
    parts, used = 1, 0
    for size in units:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return Parts(encoding, total, parts)
