"""``aws.sms``: the customer's side of SMS and the levers AWS pulls for you (the sandbox)."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.smsvoicev2.models import engine
from simlab.engage.sms import CarrierModel, PhoneNumber, SmsVoiceEngine


class SmsFacade:
    """Learner helpers on an open ``LocalAWS``: ``aws.sms.reply("+1...", "+1...", "STOP")``."""

    def __init__(self, local_aws: Any) -> None:
        self.region: str = local_aws.region

    @property
    def engine(self) -> SmsVoiceEngine:
        """The SMS and voice engine behind the v2 API in this Region."""
        return engine(self.region)

    @property
    def carrier(self) -> CarrierModel:
        """Carrier outcome odds and latency; ``carrier.force(number, "BLOCKED")`` pins one."""
        return self.engine.carrier

    def reply(self, from_number: str, to_number: str, body: str) -> dict[str, Any]:
        """A customer at ``from_number`` texts ``body`` to your ``to_number``; returns the payload.

        Keywords run (STOP opts out, HELP answers) and a two-way number publishes the payload
        to its SNS topic, as AWS does.
        """
        return self.engine.receive(from_number, to_number, body)

    def leave_sandbox(self, monthly_spend_limit: float | None = None) -> None:
        """Moves the account to production, as an approved AWS Support case does."""
        self.engine.leave_sandbox(monthly_spend_limit)

    def require_registration(self, required: bool = True) -> None:
        """Makes new US toll-free and 10DLC numbers wait for an approved registration to send.

        Off by default, so numbers requested without a RegistrationId send at once (as numbers
        registered earlier would); a number requested with one waits for it either way.
        """
        from simlab.aws.services.smsvoicev2.extras import extras
        from simlab.aws.services.smsvoicev2.models import backend

        extras(backend(self.region)).require_registration = required

    def provision_short_code(
        self, iso_country: str = "US", message_type: str = "TRANSACTIONAL"
    ) -> PhoneNumber:
        """Adds a short code to the account (AWS leases them through a support case)."""
        return self.engine.provision_short_code(iso_country, message_type)

    def last_code(self, destination: str) -> str:
        """The latest verification code sent to ``destination`` (as the customer reads it)."""
        for message in reversed(list(self.engine.outbox)):
            if message.destination == destination and "code" in message.detail:
                return str(message.detail["code"])
        raise LookupError(f"no verification code has been sent to {destination}")

    def summary(self) -> str:
        """Identities, message counts per channel and spend, as stable text."""
        return self.engine.summary()

    def events_summary(self) -> str:
        """Every event record emitted, one line each."""
        return self.engine.events_summary()
