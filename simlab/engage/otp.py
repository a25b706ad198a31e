"""One-time passwords as Pinpoint's SendOTPMessage / VerifyOTPMessage keep them.

A code is drawn from a seeded stream, valid for ``ValidityPeriod`` minutes of simulated time
and for ``AllowedAttempts`` wrong guesses; a right guess uses it up. Sending again for the same
application, reference and destination replaces the code. Ranges come from
``simlab.facts.pinpoint``; a request outside them raises ``BadRequest`` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simlab.engage.clock import Clock
from simlab.engage.faults import BadRequest
from simlab.facts import pinpoint as facts


@dataclass
class Otp:
    """One issued code and what is left of it."""

    code: str
    expires_at: float  # simulated seconds
    attempts_left: int
    used: bool = False


@dataclass(frozen=True)
class OtpRequest:
    """The checked parameters of a SendOTPMessage request."""

    brand_name: str
    reference_id: str
    destination: str
    origination: str
    code_length: int
    validity_minutes: int
    allowed_attempts: int
    language: str = "en-US"

    @classmethod
    def parse(cls, parameters: dict[str, Any]) -> OtpRequest:
        """Checks ``SendOTPMessageRequestParameters``; raises BadRequest naming the field."""
        name = "SendOTPMessageRequestParameters"
        for key in ("BrandName", "ReferenceId", "Channel", "DestinationIdentity"):
            if not parameters.get(key):
                raise BadRequest(f"{name}.{key} is required")
        if not parameters.get("OriginationIdentity"):
            raise BadRequest(
                f"{name}.OriginationIdentity is required (a phone number or sender ID)"
            )
        if parameters["Channel"] not in facts.OTP_CHANNELS.value:
            raise BadRequest(
                f"{name}.Channel must be one of {', '.join(facts.OTP_CHANNELS.value)}, "
                f"got {parameters['Channel']!r}"
            )
        brand = str(parameters["BrandName"])
        if len(brand) > facts.OTP_BRAND_NAME_MAX_CHARS.value:
            raise BadRequest(
                f"{name}.BrandName holds at most {facts.OTP_BRAND_NAME_MAX_CHARS.value} "
                f"characters, got {len(brand)}"
            )
        defaults = facts.OTP_DEFAULTS.value
        values = {}
        for key, bounds in (
            ("CodeLength", facts.OTP_CODE_LENGTH_RANGE.value),
            ("ValidityPeriod", facts.OTP_VALIDITY_MINUTES_RANGE.value),
            ("AllowedAttempts", (1, facts.OTP_MAX_ALLOWED_ATTEMPTS.value)),
        ):
            value = parameters.get(key)
            value = defaults[key] if value is None else value
            if not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
                raise BadRequest(f"{name}.{key} must be {bounds[0]}..{bounds[1]}, got {value!r}")
            values[key] = value
        return cls(
            brand_name=brand,
            reference_id=str(parameters["ReferenceId"]),
            destination=str(parameters["DestinationIdentity"]),
            origination=str(parameters["OriginationIdentity"]),
            code_length=values["CodeLength"],
            validity_minutes=values["ValidityPeriod"],
            allowed_attempts=values["AllowedAttempts"],
            language=str(parameters.get("Language") or "en-US"),
        )

    def message(self, code: str) -> str:
        """The text the recipient gets."""
        return facts.OTP_MESSAGE_TEMPLATE.value.format(otp=code, brand=self.brand_name)


class OtpStore:
    """Issued codes keyed by (application, reference, destination), on a simulated clock."""

    def __init__(self, clock: Clock, rng: Callable[[str], np.random.Generator]) -> None:
        self.clock = clock
        self.rng = rng
        self._codes: dict[tuple[str, str, str], Otp] = {}

    def issue(self, application_id: str, request: OtpRequest) -> str:
        """Draws a fresh code for the request, replacing any earlier one; returns it."""
        digits = self.rng("pinpoint.otp").integers(0, 10, request.code_length)
        code = "".join(str(d) for d in digits)
        self._codes[(application_id, request.reference_id, request.destination)] = Otp(
            code=code,
            expires_at=self.clock.seconds + request.validity_minutes * 60,
            attempts_left=request.allowed_attempts,
        )
        return code

    def discard(self, application_id: str, request: OtpRequest) -> None:
        """Forgets the code of a request whose message could not be sent."""
        self._codes.pop((application_id, request.reference_id, request.destination), None)

    def verify(self, application_id: str, reference_id: str, destination: str, otp: str) -> bool:
        """Whether ``otp`` is the live code; a wrong guess uses an attempt, a right one the code."""
        entry = self._codes.get((application_id, reference_id, destination))
        if entry is None or entry.used or entry.attempts_left <= 0:
            return False
        if self.clock.seconds >= entry.expires_at:
            return False
        if otp != entry.code:
            entry.attempts_left -= 1
            return False
        entry.used = True
        return True
