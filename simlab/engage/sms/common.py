"""Helpers every part of the engine shares: E.164 parsing, filters, flags."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import phonenumbers

from simlab.engage.sms.errors import ValidationError


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


@functools.lru_cache(maxsize=65_536)
def parse_e164(number: str, field_name: str) -> tuple[str, str]:
    """Returns (number, ISO country) of an E.164 number; raises ValidationError naming the field."""
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
        country = phonenumbers.region_code_for_country_code(parsed.country_code)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country


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
