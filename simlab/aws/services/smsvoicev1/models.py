"""The moto backend of ``pinpoint-sms-voice`` (v1): configuration sets, event destinations, calls.

v1 configuration sets are its own (the v2 API does not list them). A call goes through the v2
engine; when it ends, its events are delivered to the v1 set's destinations in the v1 shape
(``INITIATED_CALL``, ``RINGING``, ``ANSWERED``, ``COMPLETED_CALL``, ``BUSY``, ``FAILED``,
``NO_ANSWER``; v1 API reference:
https://docs.aws.amazon.com/pinpoint-sms-voice/latest/APIReference/v1-sms-voice-configuration-sets-configurationsetname-event-destinations.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.core.base_backend import BackendDict, BaseBackend

from simlab.aws.delivery import deliver
from simlab.aws.services.smsvoicev2.models import backend as v2_backend
from simlab.engage.sms import ConflictError, Message, NotFoundError, ValidationError

#: v2 voice event types and their v1 names.
V1_EVENT_TYPES = {
    "VOICE_INITIATED": "INITIATED_CALL",
    "VOICE_RINGING": "RINGING",
    "VOICE_ANSWERED": "ANSWERED",
    "VOICE_COMPLETED": "COMPLETED_CALL",
    "VOICE_BUSY": "BUSY",
    "VOICE_FAILED": "FAILED",
    "VOICE_NO_ANSWER": "NO_ANSWER",
    "VOICE_TTL_EXPIRED": "FAILED",
}


@dataclass
class V1EventDestination:
    name: str
    enabled: bool = False
    matching: list[str] = field(default_factory=list)
    cloudwatch_logs: dict[str, str] | None = None
    firehose: dict[str, str] | None = None
    sns: dict[str, str] | None = None

    def describe(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "Name": self.name,
            "Enabled": self.enabled,
            "MatchingEventTypes": list(self.matching),
        }
        for key, value in (
            ("CloudWatchLogsDestination", self.cloudwatch_logs),
            ("KinesisFirehoseDestination", self.firehose),
            ("SnsDestination", self.sns),
        ):
            if value:
                result[key] = value
        return result

    def targets(self) -> list[str]:
        return [
            t
            for t in (
                (self.cloudwatch_logs or {}).get("LogGroupArn"),
                (self.firehose or {}).get("DeliveryStreamArn"),
                (self.sns or {}).get("TopicArn"),
            )
            if t
        ]

    def update(self, definition: dict[str, Any]) -> None:
        self.enabled = bool(definition.get("Enabled", self.enabled))
        if definition.get("MatchingEventTypes") is not None:
            self.matching = list(definition["MatchingEventTypes"])
        self.cloudwatch_logs = definition.get("CloudWatchLogsDestination", self.cloudwatch_logs)
        self.firehose = definition.get("KinesisFirehoseDestination", self.firehose)
        self.sns = definition.get("SnsDestination", self.sns)


class SmsVoiceV1Backend(BaseBackend):
    """One account's v1 configuration sets in a Region; calls go through the v2 engine."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.configuration_sets: dict[str, dict[str, V1EventDestination]] = {}
        self.delivery_errors: list[str] = []

    def configuration_set(self, name: str) -> dict[str, V1EventDestination]:
        if name not in self.configuration_sets:
            raise NotFoundError("configuration-set", name)
        return self.configuration_sets[name]

    def create_configuration_set(self, name: str) -> None:
        if name in self.configuration_sets:
            raise ConflictError(
                f"configuration set {name} already exists",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="configuration-set",
                resource_id=name,
            )
        self.configuration_sets[name] = {}

    def delete_configuration_set(self, name: str) -> None:
        self.configuration_set(name)
        del self.configuration_sets[name]

    def put_destination(
        self, set_name: str, name: str, definition: dict[str, Any], new: bool
    ) -> None:
        destinations = self.configuration_set(set_name)
        if new and name in destinations:
            raise ConflictError(
                f"event destination {name} already exists in {set_name}",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="event-destination",
                resource_id=name,
            )
        if not new and name not in destinations:
            raise NotFoundError("event-destination", name)
        record = destinations.get(name) or V1EventDestination(name)
        record.update(definition)
        if not record.targets():
            raise ValidationError(
                "EventDestination needs a CloudWatchLogsDestination, KinesisFirehoseDestination "
                "or SnsDestination",
                field="EventDestination",
            )
        destinations[name] = record

    def delete_destination(self, set_name: str, name: str) -> None:
        destinations = self.configuration_set(set_name)
        if name not in destinations:
            raise NotFoundError("event-destination", name)
        del destinations[name]

    def send_voice_message(self, params: dict[str, Any]) -> str:
        """Places the call through the v2 engine; returns its MessageId."""
        content = params.get("Content") or {}
        body_type, text, voice_id = "TEXT", None, None
        if content.get("SSMLMessage"):
            body_type, text = "SSML", content["SSMLMessage"].get("Text")
            voice_id = content["SSMLMessage"].get("VoiceId")
        elif content.get("PlainTextMessage"):
            text = content["PlainTextMessage"].get("Text")
            voice_id = content["PlainTextMessage"].get("VoiceId")
        elif content.get("CallInstructionsMessage"):
            text = content["CallInstructionsMessage"].get("Text")
        for name in ("OriginationPhoneNumber", "DestinationPhoneNumber"):
            if not params.get(name):
                raise ValidationError(f"{name} is required", field=name)
        if not text:
            raise ValidationError(
                "Content needs a CallInstructionsMessage, PlainTextMessage or SSMLMessage with "
                "Text",
                field="Content",
            )
        set_name = params.get("ConfigurationSetName")
        if set_name:
            self.configuration_set(set_name)
        engine = v2_backend(self.region_name, self.account_id).engine
        message_id = engine.send_voice_message(
            params["DestinationPhoneNumber"],
            params["OriginationPhoneNumber"],
            text,
            body_type=body_type,
            voice_id=voice_id,
        )
        message = engine.messages[message_id]
        if set_name:
            message.on_final = lambda m, _event: self._report(set_name, m)
        return message_id

    def _report(self, set_name: str, message: Message) -> None:
        destinations = self.configuration_sets.get(set_name, {})
        for record in message.events:
            v1_type = V1_EVENT_TYPES.get(record["eventType"])
            if v1_type is None:
                continue
            v1_record = {**record, "eventType": v1_type}
            for destination in destinations.values():
                if destination.enabled and v1_type in destination.matching:
                    for target in destination.targets():
                        try:
                            deliver(target, v1_record)
                        except Exception as error:  # a missing destination loses the record
                            self.delivery_errors.append(f"{destination.name}: {error}")


REGIONS = boto3.session.Session().get_available_regions("pinpoint-sms-voice-v2")
pinpointsmsvoice_backends = BackendDict(
    SmsVoiceV1Backend, "pinpoint-sms-voice", additional_regions=REGIONS
)
