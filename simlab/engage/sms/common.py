"""Helpers every part of the engine shares: E.164 parsing, filters, flags."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, PhoneNumber

from simlab.engage.sms.errors import ValidationError
from simlab.engage.sms.pattern_depth import compiled, decided_by


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def flag(value: bool) -> str:
    return "true" if value else "false"


def matches_filters(record: Any, filters: Iterable[Mapping[str, Any]] | None) -> bool:
    for item in filters or ():
        values = record.filter_values(item["Name"])
        if not set(values).intersection(item["Values"]):
            return False
    return True


@functools.lru_cache(maxsize=4_096)
def parse_e164(number: str, field_name: str) -> tuple[str, str]:
    """Returns (number, ISO country) of an E.164 number; raises ValidationError naming the field.

    The answer is ``phonenumbers``': its reading of the number, its length check and its
    region. A plain ``+digits`` number is read straight from the numbering plan's metadata
    (``_plain_e164``), which gives the same answer without the parser's leniency; anything
    else goes through the parser, which also words the errors.
    """
    plain = _plain_e164(number)
    if plain is not None:
        return plain
    problem = f"{field_name} must be a phone number in E.164 format (+, country code, number)"
    if not number.startswith("+"):
        raise ValidationError(f"{problem}, got {number!r}", field=field_name)
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{problem}, got {number!r}", field=field_name) from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(
            f"{problem}; {number!r} has the wrong length for its country", field=field_name
        )
    country = phonenumbers.region_code_for_number(parsed) or "ZZ"
    if country == "ZZ":
        country = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country


def parse_new_e164(number: str, field_name: str) -> tuple[str, str]:
    """``parse_e164`` of a number probably not seen lately (a campaign's, a request's): a plain
    ``+digits`` number is read as it is, neither looked up in nor kept in the cache."""
    return _plain_e164(number) or parse_e164(number, field_name)


def parse_new_e164_many(numbers: Iterable[str], field_name: str) -> list[tuple[str, str] | None]:
    """``parse_new_e164`` of each number, in order, or None where the parser must decide
    (``parse_new_e164`` of that number then gives its answer or raises its error).

    A request's or a campaign's numbers are read as one column: the steps of ``_plain_e164``
    for each, its country code and plan found by its first four characters, and its region
    by the characters and length its plan's answer depends on (``_Plan.read``), each kept.
    """
    fullmatch, starts, heads = _PLAIN.fullmatch, _STARTS, _HEADS
    read: list[tuple[str, str] | None] = []
    for number in numbers:
        found = None
        if type(number) is str and fullmatch(number) is not None:
            start = starts.get(number[:4], _UNSEEN)
            if start is _UNSEEN:
                start = starts[number[:4]] = _start(number)
            if start is not None:
                size, plan, cut = start
                if cut is None:  # the plan looks at every digit
                    region = plan.read(number[size:]) or ""
                else:
                    head = number[:cut]
                    seen = heads.get(head)
                    if seen is not None and seen[0] == len(number):
                        region = seen[1]
                    else:
                        region = plan.read(number[size:]) or ""
                        if len(heads) >= _REGIONS_KEPT:
                            heads.clear()
                        heads[head] = (len(number), region)
                if region:
                    found = (number, region)
        read.append(found)
    return read


#: ``+`` and ASCII digits, the first not 0: the only numbers ``_plain_e164`` reads itself.
_PLAIN = re.compile(r"\+[1-9][0-9]{2,16}")
#: The longest national significant number the parser accepts (``_MAX_LENGTH_FOR_NSN``).
_MAX_NATIONAL = 17
#: (length, leading digits) whose region a plan keeps before it starts over.
_REGIONS_KEPT = 4_096


def _plain_e164(number: str) -> tuple[str, str] | None:
    """``parse_e164``'s answer for a possible ``+digits`` number; None where the parser must
    decide (an unknown country code, a national prefix or leading zero to strip, a length
    that is not possible: cases the parser either rewrites or refuses).

    This is ``phonenumbers.parse`` for such a number, step by step: the country code is the
    shortest known one the digits start with, the rest is the national number, unchanged;
    then ``is_possible_number`` (which looks at the length alone) and the region choice.
    Written as given, the number is its own E.164 form.
    """
    if _PLAIN.fullmatch(number) is None:
        return None
    for size in (2, 3, 4):
        code = _CODES.get(number[1:size])
        if code is not None:
            break
    else:
        return None
    region = _plan(code).read(number[size:])
    return None if region is None else (number, region)


#: The known country codes, by their digits.
_CODES = {str(code): code for code in COUNTRY_CODE_TO_REGION_CODE}


class _Plan:
    """What reading a ``+digits`` number of one country code needs, compiled once.

    ``region_of`` is ``phonenumbers.region_code_for_number`` (falling back to the code's main
    region as ``parse_e164`` does): for a code shared by several regions (+1, +7, +44 ...),
    the first region in the library's order whose leading digits begin the number, or, for a
    region without them, whose general pattern and one of its number types' patterns (each
    with its possible lengths) match it whole. The regions' tests are alternatives of one
    regular expression, tried in that order.

    ``read`` is the rest of ``_plain_e164``: the checks of a national number, then its region.
    They look at its length and its first few digits alone (``decided_by``): the answer for
    each such head and length is kept, a bounded number of them, so that most numbers of a
    campaign are neither checked nor matched.
    """

    def __init__(self, code: int) -> None:
        regions = COUNTRY_CODE_TO_REGION_CODE[code]
        self.main = phonenumbers.region_code_for_country_code(code)
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, self.main)
        prefix = metadata.national_prefix_for_parsing if metadata is not None else None
        self.national_prefix = re.compile(prefix) if prefix else None
        #: national number lengths ``is_possible_number`` accepts (it looks at nothing else)
        self.possible_lengths = frozenset(
            length
            for length in range(2, _MAX_NATIONAL + 1)
            if phonenumbers.is_possible_number(
                PhoneNumber(country_code=code, national_number=int("1" * length))
            )
        )
        self.only = regions[0] if len(regions) == 1 else None
        self.names: list[str] = []
        alternatives = []
        for region in regions:
            region_metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
            if region_metadata is None:
                continue
            test: str | None
            if region_metadata.leading_digits is not None:
                test = f"(?:{region_metadata.leading_digits})[0-9]*"
            else:
                test = _typed(region_metadata)
                if test is None:
                    continue
            self.names.append(region)
            alternatives.append(f"(?P<r{len(self.names) - 1}>{test})")
        self.chooser: re.Pattern[str] | None = None
        chooser_depth: int | None = 0  # ``decided_by`` of the chooser's pattern
        if alternatives and self.only is None:  # one region: ``region_of`` needs no chooser
            self.chooser, chooser_depth = compiled("|".join(alternatives))
        #: the leading digits ``read`` looks at (None: all of them) and its answer for each
        #: (length, those digits) so far ("": the parser decides)
        heads: list[int | None] = [1]  # the first digit, which must not be 0
        if self.national_prefix is not None:
            heads.append(decided_by(self.national_prefix.pattern))
        if self.only is None:
            heads.append(chooser_depth)
        self.head = None if None in heads else max(h for h in heads if h is not None)
        self.regions: dict[tuple[int, str], str] = {}

    def read(self, national: str) -> str | None:
        """The region of a possible national number; None where the parser must decide."""
        head = self.head
        if head is None:
            return self._read(national)
        key = (len(national), national[:head])
        region = self.regions.get(key)
        if region is None:
            if len(self.regions) >= _REGIONS_KEPT:
                self.regions.clear()
            region = self.regions[key] = self._read(national) or ""
        return region or None

    def _read(self, national: str) -> str | None:
        """``read`` worked out: None for a length that is not possible, a leading zero or a
        national prefix to strip, else ``region_of``."""
        if (
            len(national) not in self.possible_lengths
            or national[0] == "0"
            or (self.national_prefix is not None and self.national_prefix.match(national))
        ):
            return None
        return self.region_of(national)

    def region_of(self, national: str) -> str:
        if self.only is not None:
            return self.only
        return self._choose(national)

    def _choose(self, national: str) -> str:
        """The region of a national number of digits, by the chooser itself."""
        found = self.chooser.fullmatch(national) if self.chooser is not None else None
        if found is None or found.lastgroup is None:
            return self.main
        return self.names[int(found.lastgroup[1:])]


#: The number types ``phonenumbers`` tries before fixed line and mobile, in its order.
_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)


def _desc(desc: Any) -> str | None:
    """A number description as a whole-number pattern (its possible lengths ahead), or None
    if it matches nothing."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = desc.possible_length
    if not lengths:
        return f"(?:{desc.national_number_pattern})\\Z"
    if not any(n > 0 for n in lengths):
        return None
    ahead = "|".join(f"[0-9]{{{n}}}" for n in lengths if n > 0)
    return f"(?=(?:{ahead})\\Z)(?:{desc.national_number_pattern})\\Z"


def _typed(metadata: Any) -> str | None:
    """A pattern matching the numbers to which ``phonenumbers`` gives a type in this region
    (anything but UNKNOWN), or None if there are none."""
    general = _desc(metadata.general_desc)
    descs = [getattr(metadata, name) for name in _TYPES]
    if not metadata.same_mobile_and_fixed_line_pattern:
        descs.append(metadata.mobile)
    kinds = [d for d in (_desc(desc) for desc in descs) if d is not None]
    if general is None or not kinds:
        return None
    return f"(?=(?:{general}))(?:{'|'.join(f'(?:{k})' for k in kinds)})"


#: The plan of each country code read so far.
_PLANS: dict[int, _Plan] = {}


def _plan(code: int) -> _Plan:
    plan = _PLANS.get(code)
    if plan is None:
        plan = _PLANS[code] = _Plan(code)
    return plan


#: By a plain number's first four characters: the length of its ``+`` and country code, the
#: code's plan and how many characters its answer depends on (``size + plan.head``; None:
#: all); None where no country code begins it.
_STARTS: dict[str, tuple[int, _Plan, int | None] | None] = {}
#: By those first characters of a number: its length and ``_Plan.read``'s answer ("": the
#: parser decides), the last one read.
_HEADS: dict[str, tuple[int, str]] = {}
_UNSEEN: Any = object()


def _start(number: str) -> tuple[int, _Plan, int | None] | None:
    """What ``_STARTS`` keeps for the plain number ``number``."""
    for size in (2, 3, 4):
        code = _CODES.get(number[1:size])
        if code is not None:
            plan = _plan(code)
            return size, plan, None if plan.head is None else size + plan.head
    return None


def checked_request(destination: str, body: str) -> tuple[str, str]:
    """Returns (destination, its ISO country) of a send; raises ValidationError naming the
    field when the destination is not E.164 or the body is blank."""
    destination, country = parse_e164(destination, "DestinationPhoneNumber")
    if not body or not body.strip():
        raise ValidationError(
            "MessageBody is required and must not be blank",
            reason="MISSING_PARAMETER",
            field="MessageBody",
        )
    return destination, country
