"""One-time passcodes as AWS End User Messaging Notify issues and validates them.

A notify code configuration is a reusable passcode policy (code type, length, validity period,
attempts) with per-channel templates; a field left out takes the service default when a code
is sent, and the policy is copied into the verification at send time, so later updates do not
change codes already out. A send is bound to its validation by the destination and an optional
reference id; validation answers ``VALID`` only while the code matches, the validity period has
not passed on the simulated clock and the attempts are not used up (AWS End User Messaging
guide, "Notify code configurations":
https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-features-notify-code-config.html
and "Validate a passcode":
https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-features-notify-code-config-validate.html).

Pure Python on a ``Clock``; codes come from a seeded ``numpy`` stream.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage.clock import Clock
from simlab.engage.sms import ValidationError

#: The service defaults a configuration field left blank takes at send time (user guide).
DEFAULT_POLICY: dict[str, Any] = {
    "codeType": "NUMERIC",
    "codeLength": 6,
    "validityPeriodMinutes": 10,
    "maxAttempts": 3,
}
ALPHABETS = {
    "NUMERIC": string.digits,
    "ALPHA": string.ascii_uppercase,
    "ALPHANUMERIC": string.ascii_uppercase + string.digits,
}
#: Where a template puts the code (a template must contain it).
CODE_PLACEHOLDER = "{{code}}"
#: The text a send uses when no template is configured (simlab's wording).
DEFAULT_TEXT_TEMPLATE = "Your verification code is {{code}}. It expires in {{minutes}} minutes."
DEFAULT_VOICE_TEMPLATE = "Your verification code is {{spoken}}. Again, your code is {{spoken}}."


class NotifyError(ValidationError):
    """A Notify request with a bad field: a ``ValidationException`` naming it."""

    def __init__(self, message: str, *, field_name: str = "") -> None:
        super().__init__(message, field=field_name)
        self.field_name = field_name


@dataclass
class CodeConfiguration:
    """A reusable passcode policy with its channel templates."""

    configuration_id: str
    arn: str
    name: str
    code_parameters: dict[str, Any]
    channel_parameters: dict[str, Any]
    deletion_protection: bool
    created: datetime
    updated: datetime
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "notifyCodeConfigurationId": self.configuration_id,
            "notifyCodeConfigurationArn": self.arn,
            "notifyCodeConfigurationName": self.name,
            "deletionProtectionEnabled": self.deletion_protection,
            "createdAt": self.created,
            "updatedAt": self.updated,
        }
        if self.code_parameters:
            result["codeConfigurationParameters"] = dict(self.code_parameters)
        if self.channel_parameters:
            result["channelParameters"] = self.channel_parameters
        return result


@dataclass
class Verification:
    """One passcode sent, with the policy captured at send time."""

    verification_id: str
    destination: str
    reference_id: str
    channel: str
    code: str
    expires_at: float
    attempts_left: int
    message_id: str = ""
    used: bool = False


def check_template(body: str | None, field_name: str) -> None:
    """Raises NotifyError when a template lacks the code placeholder."""
    if body is not None and body.strip() and CODE_PLACEHOLDER not in body:
        raise NotifyError(
            f"{field_name} must contain the code placeholder {CODE_PLACEHOLDER}",
            field_name=field_name,
        )


def check_channel_parameters(parameters: Mapping[str, Any] | None, prefix: str) -> None:
    """Checks the text and voice templates of ``parameters``; raises NotifyError."""
    for channel in ("text", "voice"):
        body = ((parameters or {}).get(channel) or {}).get("inlineTemplateBody")
        check_template(body, f"{prefix}.{channel}.inlineTemplateBody")


def merge(base: Mapping[str, Any], changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """``base`` with the members of ``changes`` laid over it, nested maps merged."""
    result = dict(base)
    for key, value in (changes or {}).items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def spoken(code: str) -> str:
    """The code as a voice reads it: one character at a time."""
    return ", ".join(code)


class CodeVerifier:
    """Issues and validates codes for one account and Region on a simulated clock."""

    def __init__(self, clock: Clock, rng: Callable[[str], np.random.Generator]) -> None:
        self.clock, self.rng = clock, rng
        self.verifications: dict[tuple[str, str], Verification] = {}

    def policy(
        self, configuration: CodeConfiguration | None, override: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """The policy a send uses: defaults, then the configuration, then the override."""
        chosen = dict(DEFAULT_POLICY)
        if configuration is not None:
            chosen.update({k: v for k, v in configuration.code_parameters.items() if v})
        chosen.update({k: v for k, v in (override or {}).items() if v is not None})
        return chosen

    def issue(
        self,
        verification_id: str,
        destination: str,
        reference_id: str | None,
        channel: str,
        policy: Mapping[str, Any],
    ) -> Verification:
        """Draws a fresh code (replacing an earlier one for the same destination, reference)."""
        alphabet = ALPHABETS[policy["codeType"]]
        picks = self.rng("endusermessaging.notify").integers(
            0, len(alphabet), int(policy["codeLength"])
        )
        code = "".join(alphabet[int(i)] for i in picks)
        record = Verification(
            verification_id=verification_id,
            destination=destination,
            reference_id=reference_id or "",
            channel=channel,
            code=code,
            expires_at=self.clock.seconds + int(policy["validityPeriodMinutes"]) * 60,
            attempts_left=int(policy["maxAttempts"]),
        )
        self.verifications[(destination, record.reference_id)] = record
        return record

    def discard(self, record: Verification) -> None:
        """Forgets a verification whose message could not be sent."""
        key = (record.destination, record.reference_id)
        if self.verifications.get(key) is record:
            del self.verifications[key]

    def validate(self, destination: str, reference_id: str | None, code: str) -> str:
        """``VALID`` or ``INVALID``; a wrong code uses an attempt, a right one the code."""
        record = self.verifications.get((destination, reference_id or ""))
        if record is None or record.used or record.attempts_left <= 0:
            return "INVALID"
        if self.clock.seconds >= record.expires_at:
            return "INVALID"
        record.attempts_left -= 1
        if code.upper() != record.code:
            return "INVALID"
        record.used = True
        return "VALID"

    @staticmethod
    def render(template: str | None, default: str, code: str, minutes: int) -> str:
        """The message text: the template with the code (and validity minutes) filled in."""
        text = template if template and template.strip() else default
        return (
            text.replace("{{spoken}}", spoken(code))
            .replace(CODE_PLACEHOLDER, code)
            .replace("{{minutes}}", str(minutes))
        )
