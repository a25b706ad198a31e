"""Phone numbers: E.164 cleansing and Pinpoint's ``PhoneNumberValidate`` answer.

`validate` returns the botocore ``NumberValidateResponse`` shape, read from Google's numbering
plan data (the ``phonenumbers`` library: its carrier, geocoder and timezone modules) where
Pinpoint asks carriers. As the Pinpoint Developer Guide (``validate-phone-numbers.md``) says,
numbers of the United States and Canada come back without City, County, Timezone and ZipCode.
Numbering plans cannot tell prepaid lines apart, so PREPAID is never reported; where a plan
cannot tell mobile from landline (as in North America) the number counts as MOBILE.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType

from simlab.facts import pinpoint as facts

#: PhoneType -> PhoneTypeCode, as botocore documents NumberValidateResponse.PhoneTypeCode.
PHONE_TYPE_CODES: dict[str, int] = dict(facts.PHONE_TYPE_CODES.value)

_TYPES: dict[int, str] = {
    PhoneNumberType.MOBILE: "MOBILE",
    PhoneNumberType.FIXED_LINE: "LANDLINE",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "MOBILE",
    PhoneNumberType.VOIP: "VOIP",
}


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _country_name(region: str | None) -> str:
    # The geocoder's own region names (English); blank for non-geographic numbers.
    from phonenumbers import geocoder  # its data takes half a second to load: only when asked

    return geocoder._region_display_name(region, "en") if region else ""


def to_e164(text: str, default_region: str | None = None) -> str:
    """Returns ``text`` as an E.164 number (``+84912345678``); raises ValueError saying why not.

    ``default_region`` (ISO 3166-1 alpha-2, e.g. ``"VN"``) reads numbers written without a
    country code; a number that starts with ``+`` needs none.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("a phone number is required, e.g. '+14255550199'")
    region = check_region(default_region) if default_region else None
    number = _parse(text, region)
    if number is None:
        hint = "" if region else " (or give default_region for a national number)"
        raise ValueError(
            f"{text!r} is not a phone number; write it as +<country code><number>{hint}"
        )
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        raise ValueError(
            f"{text!r} is not a valid number in the numbering plan of {where} "
            f"(+{number.country_code})"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_region(code: str) -> str:
    """Returns an ISO 3166-1 alpha-2 code in upper case; raises ValueError if it has no plan."""
    upper = str(code).strip().upper()
    if upper not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"IsoCountryCode {code!r} is not an ISO 3166-1 alpha-2 country code")
    return upper


def validate(phone_number: str, iso_country_code: str | None = None) -> dict[str, Any]:
    """Describes a phone number the way ``PhoneNumberValidate`` does.

    Always answers: a number that cannot be read or is not valid comes back with PhoneType
    INVALID (code 3) and only what was sent. Raises ValueError only for a missing number or an
    unknown IsoCountryCode.
    """
    if not isinstance(phone_number, str) or not phone_number.strip():
        raise ValueError("PhoneNumber is required")
    from phonenumbers import carrier, geocoder, timezone  # large data, loaded on first use

    region = check_region(iso_country_code) if iso_country_code else None
    answer: dict[str, Any] = {"OriginalPhoneNumber": phone_number}
    if region:
        answer["OriginalCountryCodeIso2"] = region
    number = _parse(phone_number, region)
    if number is None or not phonenumbers.is_valid_number(number):
        return {**answer, "PhoneType": "INVALID", "PhoneTypeCode": PHONE_TYPE_CODES["INVALID"]}
    country = phonenumbers.region_code_for_number(number)
    phone_type = _TYPES.get(phonenumbers.number_type(number), "OTHER")
    answer.update(
        {
            "CleansedPhoneNumberE164": phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164
            ),
            "CleansedPhoneNumberNational": phonenumbers.national_significant_number(number),
            "Country": _country_name(country) or None,
            "CountryCodeIso2": country,
            "CountryCodeNumeric": str(number.country_code),
            "PhoneType": phone_type,
            "PhoneTypeCode": PHONE_TYPE_CODES[phone_type],
            "Carrier": carrier.name_for_number(number, "en") or None,
        }
    )
    if country not in facts.PHONE_VALIDATE_NO_LOCATION_REGIONS.value:
        city = geocoder.description_for_number(number, "en")
        zones = timezone.time_zones_for_number(number)
        answer["City"] = city if city and city != answer["Country"] else None
        answer["Timezone"] = zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else None
    return {key: value for key, value in answer.items() if value is not None}


__all__ = ["PHONE_TYPE_CODES", "check_region", "to_e164", "validate"]
