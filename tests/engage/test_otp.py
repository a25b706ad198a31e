"""One-time passwords: ranges from the facts, seeded codes, expiry and attempts on the clock."""

import numpy as np
import pytest

from simlab.engage.clock import Clock
from simlab.engage.faults import BadRequest
from simlab.engage.otp import OtpRequest, OtpStore
from simlab.facts import pinpoint as facts

PARAMETERS = {
    "BrandName": "ExampleCorp",
    "ReferenceId": "login-42",
    "Channel": "SMS",
    "DestinationIdentity": "+12065550142",
    "OriginationIdentity": "+18005550100",
}


def make_store(seed: int = 0) -> OtpStore:
    stream = np.random.default_rng(seed)
    return OtpStore(Clock(), lambda name: stream)


def test_defaults_fill_what_the_request_leaves_out():
    request = OtpRequest.parse(PARAMETERS)
    defaults = facts.OTP_DEFAULTS.value
    assert (request.code_length, request.validity_minutes, request.allowed_attempts) == (
        defaults["CodeLength"],
        defaults["ValidityPeriod"],
        defaults["AllowedAttempts"],
    )
    assert request.message("123456") == "This is your One Time Password: 123456 from ExampleCorp"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("CodeLength", 4, "CodeLength must be 5..8"),
        ("CodeLength", 9, "CodeLength must be 5..8"),
        ("ValidityPeriod", 61, "ValidityPeriod must be 5..60"),
        ("AllowedAttempts", 6, "AllowedAttempts must be 1..5"),
        ("Channel", "EMAIL", "Channel must be one of SMS"),
        ("BrandName", "B" * 21, "BrandName holds at most 20"),
        ("ReferenceId", "", "ReferenceId is required"),
    ],
)
def test_a_request_outside_the_ranges_names_the_field(key, value, words):
    with pytest.raises(BadRequest, match=words):
        OtpRequest.parse({**PARAMETERS, key: value})


def test_codes_have_the_asked_length_and_repeat_with_the_seed():
    request = OtpRequest.parse({**PARAMETERS, "CodeLength": 8})
    code = make_store(seed=1).issue("app", request)
    assert len(code) == 8 and code.isdigit()
    assert make_store(seed=1).issue("app", request) == code


def test_a_right_code_verifies_once():
    store = make_store()
    code = store.issue("app", OtpRequest.parse(PARAMETERS))
    assert store.verify("app", "login-42", "+12065550142", code) is True
    assert store.verify("app", "login-42", "+12065550142", code) is False


def test_a_code_is_bound_to_its_app_reference_and_destination():
    store = make_store()
    code = store.issue("app", OtpRequest.parse(PARAMETERS))
    assert store.verify("other-app", "login-42", "+12065550142", code) is False
    assert store.verify("app", "login-43", "+12065550142", code) is False
    assert store.verify("app", "login-42", "+12065550143", code) is False
    assert store.verify("app", "login-42", "+12065550142", code) is True


def test_wrong_guesses_use_up_the_allowed_attempts():
    store = make_store()
    code = store.issue("app", OtpRequest.parse({**PARAMETERS, "AllowedAttempts": 2}))
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    assert store.verify("app", "login-42", "+12065550142", wrong) is False
    assert store.verify("app", "login-42", "+12065550142", wrong) is False
    assert store.verify("app", "login-42", "+12065550142", code) is False


def test_a_code_expires_after_its_validity_period():
    store = make_store()
    code = store.issue("app", OtpRequest.parse({**PARAMETERS, "ValidityPeriod": 5}))
    store.clock.advance(5 * 60 - 1)
    assert store.verify("app", "login-42", "+12065550142", "x") is False  # still live, one miss
    store.clock.advance(1)
    assert store.verify("app", "login-42", "+12065550142", code) is False


def test_sending_again_replaces_the_code():
    store = make_store()
    request = OtpRequest.parse(PARAMETERS)
    first = store.issue("app", request)
    second = store.issue("app", request)
    if first != second:
        assert store.verify("app", "login-42", "+12065550142", first) is False
    assert store.verify("app", "login-42", "+12065550142", second) is True
