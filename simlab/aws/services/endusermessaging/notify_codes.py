"""Notify code verification: code configurations, and a code sent through the SMS engine.

Codes are issued by ``simlab.engage.notify`` and delivered by the SMS and voice engine of
``pinpoint-sms-voice-v2``, so a code obeys origination identities, opt-outs and spend, needs
production access and an active identity as OTP does
(https://docs.aws.amazon.com/pinpoint/latest/developerguide/send-validate-otp.html), and lands in
the outbox (service ``endusermessaging``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from moto.moto_api._internal import mock_random

from simlab.engage.clock import Clock
from simlab.engage.notify import (
    DEFAULT_TEXT_TEMPLATE,
    DEFAULT_VOICE_TEMPLATE,
    CodeConfiguration,
    CodeVerifier,
    check_channel_parameters,
    merge,
)
from simlab.engage.outbox import Outbox
from simlab.engage.sms import ConflictError, NotFoundError, ValidationError

SERVICE = "endusermessaging"


def _id(prefix: str) -> str:
    return f"{prefix}-{mock_random.uuid4().hex}"


#: The v2 engine's field names and this API's.
_FIELDS = {
    "DestinationPhoneNumber": "destinationIdentity",
    "OriginationIdentity": "originationIdentity",
    "MessageBody": "overrideChannelParameters",
}


class NotifyCodes:
    """Mixed into the backend: code configurations, and sending and validating codes."""

    clock: Clock
    outbox: Outbox
    code_configurations: dict[str, CodeConfiguration]
    verifier: CodeVerifier
    sms: Any

    if TYPE_CHECKING:  # provided by the backend

        def arn(self, kind: str, name: str) -> str: ...

    # -- code configurations ---------------------------------------------------------------

    def code_configuration(self, ref: str) -> CodeConfiguration:
        key = ref.rsplit("/", 1)[-1]
        if key not in self.code_configurations:
            raise NotFoundError("notify-code-configuration", ref)
        return self.code_configurations[key]

    def create_code_configuration(self, params: dict[str, Any]) -> CodeConfiguration:
        channels = params.get("channelParameters") or {}
        check_channel_parameters(channels, "channelParameters")
        config_id = _id("ncc")
        now = self.clock.now()
        record = CodeConfiguration(
            config_id,
            self.arn("notify-code-configuration", config_id),
            params["notifyCodeConfigurationName"],
            dict(params.get("codeConfigurationParameters") or {}),
            dict(channels),
            bool(params.get("deletionProtectionEnabled", False)),
            now,
            now,
            list(params.get("tags") or []),
        )
        self.code_configurations[config_id] = record
        return record

    def update_code_configuration(self, ref: str, params: dict[str, Any]) -> CodeConfiguration:
        record = self.code_configuration(ref)
        channels = merge(record.channel_parameters, params.get("channelParameters"))
        channels = {  # an empty string clears a member, as the Update shapes allow
            name: {k: v for k, v in (values or {}).items() if v not in ("", {})}
            for name, values in channels.items()
        }
        channels = {name: values for name, values in channels.items() if values}
        check_channel_parameters(channels, "channelParameters")
        record.channel_parameters = channels
        record.code_parameters = merge(
            record.code_parameters, params.get("codeConfigurationParameters")
        )
        if params.get("notifyCodeConfigurationName") is not None:
            record.name = params["notifyCodeConfigurationName"]
        if params.get("deletionProtectionEnabled") is not None:
            record.deletion_protection = bool(params["deletionProtectionEnabled"])
        record.updated = self.clock.now()
        return record

    def delete_code_configuration(self, ref: str) -> CodeConfiguration:
        record = self.code_configuration(ref)
        if record.deletion_protection:
            raise ConflictError(
                f"notify code configuration {record.configuration_id} has deletion protection",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="notify-code-configuration",
                resource_id=record.configuration_id,
            )
        return self.code_configurations.pop(record.configuration_id)

    # -- verification ----------------------------------------------------------------------

    def send_code(self, params: dict[str, Any]) -> tuple[str, str]:
        """Issues a code and sends it; returns (verificationId, messageId)."""
        channel = params["channel"]
        if channel == "WHATSAPP":
            raise ValidationError(
                "the WHATSAPP channel is not emulated by simlab's local AWS; use TEXT or VOICE",
                field="channel",
            )
        configuration = (
            self.code_configuration(params["notifyCodeConfiguration"])
            if params.get("notifyCodeConfiguration")
            else None
        )
        base = configuration.channel_parameters if configuration else {}
        override = params.get("overrideChannelParameters")
        check_channel_parameters(override, "overrideChannelParameters")
        channels = merge(base, override)
        policy = self.verifier.policy(
            configuration, params.get("overrideCodeConfigurationParameters")
        )
        destination = params["destinationIdentity"]
        engine = self.sms.engine
        try:  # OTP needs production access and an active identity (send-validate-otp.html)
            engine.check_otp_ready(
                "SendNotifyCodeVerification", params["originationIdentity"], destination
            )
        except ValidationError as error:
            field = _FIELDS.get(error.field, error.field)
            raise ValidationError(error.message.replace(error.field, field), field=field) from None
        record = self.verifier.issue(
            _id("ver"), destination, params.get("referenceId"), channel, policy
        )
        minutes = int(policy["validityPeriodMinutes"])
        detail = {
            "purpose": "notify-code",
            "code": record.code,
            "verification_id": record.verification_id,
        }
        context = dict(params.get("context") or {})
        try:
            with self.outbox.acting_for(SERVICE, **detail):
                if channel == "VOICE":
                    voice = channels.get("voice") or {}
                    body = self.verifier.render(
                        voice.get("inlineTemplateBody"),
                        DEFAULT_VOICE_TEMPLATE,
                        record.code,
                        minutes,
                    )
                    message_id = engine.send_voice_message(
                        destination,
                        params["originationIdentity"],
                        body,
                        body_type=voice.get("voiceMessageBodyTextType", "TEXT"),
                        voice_id=voice.get("voiceId"),
                        configuration_set=params.get("configurationSetName"),
                        context=context,
                    )
                else:
                    text = channels.get("text") or {}
                    body = self.verifier.render(
                        text.get("inlineTemplateBody"), DEFAULT_TEXT_TEMPLATE, record.code, minutes
                    )
                    message_id = engine.send_text_message(
                        destination,
                        body,
                        origination_identity=params["originationIdentity"],
                        message_type="TRANSACTIONAL",
                        configuration_set=params.get("configurationSetName"),
                        context=context,
                    )
        except ValidationError as error:
            self.verifier.discard(record)
            field = _FIELDS.get(error.field, error.field)
            raise ValidationError(error.message.replace(error.field, field), field=field) from None
        except Exception:
            self.verifier.discard(record)
            raise
        record.message_id = message_id
        return record.verification_id, message_id
