"""Destination numbers are read as ``phonenumbers`` reads them, however they are read.

``parse_e164`` reads a plain ``+digits`` number from the numbering plan's metadata without the
library's parser; these tests hold that reading to the parser's on numbers of every country
code, most of all the codes several regions share (+1, +7, +44 ...), where the region comes
from pattern matching.
"""

from __future__ import annotations

import functools
import random
import re

import phonenumbers
import pytest

from simlab.engage.sms import common, pattern_depth
from simlab.engage.sms.errors import ValidationError

#: The national number length most numbers of each shared country code have.
SHARED_CODE_LENGTHS = {1: 10, 7: 10, 39: 10, 44: 10, 47: 8, 61: 9, 212: 9, 262: 9, 358: 9}


def _answer(number: str) -> tuple[str, str]:
    try:
        return common.parse_e164.__wrapped__(number, "DestinationPhoneNumber")
    except ValidationError as error:
        return ("refused", error.message)


def _parser_answer(number: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    with monkeypatch.context() as patched:
        patched.setattr(common, "_plain_e164", lambda _: None)
        return _answer(number)


@functools.cache
def _numbers(seed: int) -> list[str]:
    """Example numbers of every region and type, random ones of every code, and their edits."""
    rng = random.Random(seed)
    numbers = [
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        for _ in range(5):
            digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 14)))
            numbers.append(f"+{code}{digits}")
    for code, length in SHARED_CODE_LENGTHS.items():
        for _ in range(150):
            digits = "".join(rng.choice("0123456789") for _ in range(length))
            numbers.append(f"+{code}{digits}")
    return numbers + [n[:-1] + str(rng.randrange(10)) for n in numbers if rng.random() < 0.3]


@pytest.mark.parametrize("seed", [1, 2])
def test_plain_numbers_get_the_parser_s_number_and_region(seed, monkeypatch):
    numbers = _numbers(seed)
    read_plainly = [n for n in numbers if common._plain_e164(n) is not None]
    assert len(read_plainly) > len(numbers) // 3
    differ = [
        (n, _answer(n), _parser_answer(n, monkeypatch))
        for n in numbers
        if _answer(n) != _parser_answer(n, monkeypatch)
    ]
    assert differ == []


@pytest.mark.parametrize("seed", [1, 2])
def test_a_column_of_numbers_is_read_as_each_number_on_its_own(seed):
    numbers = _numbers(seed)
    read = common.parse_new_e164_many(numbers, "DestinationPhoneNumber")
    assert read == [common._plain_e164(n) for n in numbers]
    assert None in read  # numbers the parser rewrites or refuses: left to ``parse_new_e164``
    assert all(
        common.parse_new_e164(n, "DestinationPhoneNumber") == answer
        for n, answer in zip(numbers, read, strict=True)
        if answer is not None
    )


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("+12065550100", "US"),
        ("+14165550100", "CA"),
        ("+12425550100", "BS"),
        ("+12060000002", "US"),  # no region claims it: the code's main region
        ("+447700900123", "GB"),
        ("+447781123456", "GG"),
        ("+77012345678", "KZ"),
        ("+84912345678", "VN"),
        ("+80012345678", "001"),
    ],
)
def test_a_number_s_country_is_its_numbering_plan_s_region(number, country):
    assert common.parse_e164(number, "DestinationPhoneNumber") == (number, country)


@pytest.mark.parametrize(
    "number",
    ["+11234567890", "+4407911123456", "+390612345678", "+1 206 555 0100", "+1206555010"],
)
def test_numbers_the_parser_rewrites_or_refuses_are_left_to_it(number, monkeypatch):
    assert common._plain_e164(number) is None
    assert _answer(number) == _parser_answer(number, monkeypatch)


@pytest.mark.parametrize("number", ["+12", "12065550100", "+999123456789", "+1206555010"])
def test_a_number_that_is_not_e164_is_refused_naming_the_field(number):
    with pytest.raises(ValidationError) as refused:
        common.parse_e164(number, "DestinationPhoneNumber")
    assert refused.value.field == "DestinationPhoneNumber"


@pytest.mark.parametrize(
    ("pattern", "looked_at"),
    [
        (r"\d{10}", 0),
        (r"[0-9]{3}\d*", 0),
        (r"206[2-9]\d{6}", 4),
        (r"(?:2|3\d)5\d{4}", 3),
        (r"(?=(?:[0-9]{10})\Z)1\d{9}", 1),
        (r"(?:1\d|[2-9])(?:0[1-3]){2}\d+", 6),
        (r"5\d*7", None),  # the 7 may be anywhere
        (r"(?:12)+", None),
        (r"^5", None),  # not a construct read here
    ],
)
def test_a_pattern_is_decided_by_its_leading_characters(pattern, looked_at):
    assert pattern_depth.decided_by(pattern) == looked_at


@pytest.mark.parametrize(
    "pattern", [r"(?P<r0>206[2-9]\d{6})|(?P<r1>(?:268)[0-9]*)", r"(?:12)+", r"^5", r"5\d*7"]
)
def test_a_pattern_compiled_with_its_depth_matches_as_re_compile_and_is_decided_alike(pattern):
    chooser, depth = pattern_depth.compiled(pattern)
    assert depth == pattern_depth.decided_by(pattern)
    plain = re.compile(pattern)
    for digits in ("2065550100", "2685550100", "1212", "5", "517", "12"):
        found, expected = chooser.fullmatch(digits), plain.fullmatch(digits)
        assert (found and (found.span(), found.lastgroup)) == (
            expected and (expected.span(), expected.lastgroup)
        )


@pytest.mark.parametrize("code", sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE))
def test_national_numbers_with_the_same_head_and_length_are_read_alike(code):
    plan = common._plan(code)
    if plan.head is None:  # a plan that looks at every digit keeps nothing
        assert plan.read("2345678") == plan._read("2345678")
        return
    rng = random.Random(code)
    examples = [n[len(str(code)) + 1 :] for n in _numbers(3) if n.startswith(f"+{code}")]
    heads = [e[: plan.head] for e in examples]
    heads += ["".join(rng.choice("0123456789") for _ in range(plan.head)) for _ in range(60)]
    plan.regions.clear()
    for length in sorted(plan.possible_lengths):
        for head in heads:
            for _ in range(3):
                tail = "".join(rng.choice("0123456789") for _ in range(length))
                national = (head + tail)[:length]
                assert plan.read(national) == plan._read(national), national
    assert len(plan.regions) < 3 * len(heads) * len(plan.possible_lengths)  # answers reused
