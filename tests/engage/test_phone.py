"""Phone numbers: E.164 cleansing and the PhoneNumberValidate answer."""

from __future__ import annotations

import pytest

from simlab.engage.phone import PHONE_TYPE_CODES, to_e164, validate
from simlab.facts import pinpoint as facts


def test_a_us_mobile_comes_back_cleansed_without_location_details():
    assert validate("+1 (206) 555-0142") == {
        "OriginalPhoneNumber": "+1 (206) 555-0142",
        "CleansedPhoneNumberE164": "+12065550142",
        "CleansedPhoneNumberNational": "2065550142",
        "Country": "United States",
        "CountryCodeIso2": "US",
        "CountryCodeNumeric": "1",
        "PhoneType": "MOBILE",
        "PhoneTypeCode": 0,
    }


def test_a_london_landline_has_its_city_and_time_zone():
    answer = validate("+44 20 7946 0958")
    assert answer["CleansedPhoneNumberE164"] == "+442079460958"
    assert (answer["PhoneType"], answer["PhoneTypeCode"]) == ("LANDLINE", 1)
    assert (answer["City"], answer["Timezone"], answer["Country"]) == (
        "London",
        "Europe/London",
        "United Kingdom",
    )


def test_a_uk_mobile_names_its_carrier():
    answer = validate("+447400123456")
    assert (answer["PhoneType"], answer["CountryCodeIso2"], answer["Carrier"]) == (
        "MOBILE",
        "GB",
        "Three",
    )


def test_a_vietnamese_mobile_written_nationally_is_read_with_its_country_code():
    answer = validate("0912 345 678", "vn")
    assert answer == {
        "OriginalPhoneNumber": "0912 345 678",
        "OriginalCountryCodeIso2": "VN",
        "CleansedPhoneNumberE164": "+84912345678",
        "CleansedPhoneNumberNational": "912345678",
        "Country": "Vietnam",
        "CountryCodeIso2": "VN",
        "CountryCodeNumeric": "84",
        "PhoneType": "MOBILE",
        "PhoneTypeCode": 0,
        "Carrier": "Vinaphone",
        "Timezone": "Asia/Ho_Chi_Minh",
    }


def test_a_toll_free_number_is_other():
    assert validate("+1 800 555 0100")["PhoneType"] == "OTHER"


@pytest.mark.parametrize("garbage", ["hello", "+1 555", "12", "+999 123 456"])
def test_garbage_is_invalid_but_still_answered(garbage):
    assert validate(garbage) == {
        "OriginalPhoneNumber": garbage,
        "PhoneType": "INVALID",
        "PhoneTypeCode": 3,
    }


def test_type_codes_follow_the_model():
    assert PHONE_TYPE_CODES == {
        "MOBILE": 0,
        "LANDLINE": 1,
        "VOIP": 2,
        "INVALID": 3,
        "OTHER": 4,
        "PREPAID": 5,
    }
    assert set(PHONE_TYPE_CODES) == set(facts.PHONE_TYPES.value)


@pytest.mark.parametrize(
    "number, country, message",
    [("", None, "PhoneNumber is required"), ("+12065550142", "ZZ", "IsoCountryCode 'ZZ'")],
)
def test_a_missing_number_or_unknown_country_is_an_error(number, country, message):
    with pytest.raises(ValueError, match=message):
        validate(number, country)


@pytest.mark.parametrize(
    "text, region, e164",
    [
        ("+1 206-555-0142", None, "+12065550142"),
        ("0912345678", "VN", "+84912345678"),
        ("020 7946 0958", "gb", "+442079460958"),
    ],
)
def test_to_e164(text, region, e164):
    assert to_e164(text, region) == e164


@pytest.mark.parametrize(
    "text, region, message",
    [
        ("", None, "required"),
        ("call me", None, "not a phone number"),
        ("0912345678", None, "give default_region"),
        ("+1 555 0100", None, "not a valid number in the numbering plan of US"),
        ("0912345678", "XX", "IsoCountryCode 'XX'"),
    ],
)
def test_to_e164_says_why_a_number_is_refused(text, region, message):
    with pytest.raises(ValueError, match=message):
        to_e164(text, region)
