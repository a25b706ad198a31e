"""Voice sends: text-to-speech calls with the sandbox's call limits."""

from __future__ import annotations

from collections.abc import Mapping

from simlab.engage.sms.common import checked_request
from simlab.engage.sms.constants import VOICE_WORDS_PER_SECOND
from simlab.engage.sms.errors import ConflictError, QuotaError, ThrottledError, ValidationError
from simlab.engage.sms.records import Message, SenderId
from simlab.engage.sms.sending import Sending
from simlab.facts import sms
from simlab.primitives.rates import RollingWindow


class VoiceSending(Sending):
    """Places calls and records what becomes of them."""

    def send_voice_message(
        self,
        destination: str,
        origination_identity: str,
        body: str,
        *,
        body_type: str = "TEXT",
        voice_id: str | None = None,
        configuration_set: str | None = None,
        max_price_per_minute: str | None = None,
        ttl: int | None = None,
        context: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> str:
        """Places a text-to-speech call; returns its MessageId."""
        destination, country = checked_request(destination, body)
        limit = (
            sms.VOICE_MAX_CHARS_WITH_SSML.value
            if body_type == "SSML"
            else sms.VOICE_MAX_BILLABLE_CHARS.value
        )
        if len(body) > limit:
            raise ValidationError(
                f"a {body_type} voice MessageBody holds at most {limit} characters, "
                f"got {len(body)}",
                reason="MAXIMUM_SIZE_EXCEEDED",
                field="MessageBody",
            )
        config = self.configuration_set(configuration_set) if configuration_set else None
        chosen = self.origination(origination_identity)
        if isinstance(chosen, SenderId):
            raise ValidationError(
                "a sender ID cannot place calls; give a phone number with VOICE capability",
                reason="VOICE_CAPABILITY_NOT_AVAILABLE",
                field="OriginationIdentity",
            )
        identity, _ = self._pick_identity(chosen, destination, "VOICE", 1)
        for check in self.send_checks:
            check(identity, destination, "VOICE", config)
        settings = self.settings_of(identity)
        if self.is_opted_out(settings.opt_out_list_name, destination):
            self._refuse("VOICE", "OPTED_OUT", identity.identity, destination, body)
            raise ConflictError(
                f"{destination} has opted out of messages from {identity.identity}",
                reason="DESTINATION_PHONE_NUMBER_OPTED_OUT",
                resource_type="opted-out-number",
                resource_id=destination,
            )
        self._check_sandbox(destination)
        if dry_run:
            return self.new_id()
        now = self.clock.seconds
        recipient = self._voice_per_recipient.setdefault(
            destination, RollingWindow(86_400, sms.VOICE_CALLS_PER_RECIPIENT_PER_24H.value)
        )
        if recipient.remaining(now) < 1:
            raise QuotaError(
                f"{destination} has had {sms.VOICE_CALLS_PER_RECIPIENT_PER_24H.value} calls in 24 "
                "hours, the most one recipient may get",
                reason="DAILY_DESTINATION_CALL_LIMIT",
            )
        if self._voice_day.remaining(now) < 1:
            raise QuotaError(
                f"the voice sandbox allows {sms.VOICE_SANDBOX_CALLS_PER_24H.value} calls per "
                "24 hours",
                reason="DAILY_DESTINATION_CALL_LIMIT",
            )
        if self._voice_minute.remaining(now) < 1 or not self.mps.try_send(
            f"voice:{identity.arn}", "LONG_CODE", "US", 1, now
        ):
            self._refuse("VOICE", "THROTTLED", identity.identity, destination, body)
            raise ThrottledError(
                f"voice calls are limited to {self._voice_minute.limit:g} per minute per account "
                f"and {sms.VOICE_CALLS_PER_SECOND_PER_NUMBER.value} per second per number"
            )
        for window in (recipient, self._voice_day, self._voice_minute):
            window.add(now)
        message = Message(
            message_id=self.new_id(),
            channel="VOICE",
            origin=identity.identity,
            destination=destination,
            body=body,
            message_type="TRANSACTIONAL",
            requested_at=self.clock.now(),
            encoding=body_type,
            context=dict(context or {}),
            configuration_set=config.name if config else None,
            international=identity.iso_country != country,
        )
        self._accept(message, voice_id=voice_id, body_type=body_type)
        self._emit(message, "VOICE_INITIATED")
        self._schedule_voice(message, ttl)
        return message.message_id

    def _schedule_voice(self, message: Message, ttl: int | None) -> None:
        outcome = self.carrier.voice_outcome(self.rng("sms.voice"), message.destination)
        ring = self.carrier.ring_seconds
        self.clock.call_later(1.0, lambda: self._emit(message, "VOICE_RINGING"))
        if ttl is not None and ring > ttl and outcome == "COMPLETED":
            outcome = "TTL_EXPIRED"
        if outcome != "COMPLETED":
            self.clock.call_later(ring, lambda: self._finish(message, f"VOICE_{outcome}"))
            return
        words = len(message.body.split())
        speech = max(1.0, words / VOICE_WORDS_PER_SECOND)
        self.clock.call_later(ring, lambda: self._emit(message, "VOICE_ANSWERED"))
        self.clock.call_later(ring + speech, lambda: self._finish(message, "VOICE_COMPLETED"))
