"""The v2 event record of a text or voice message, built from the message and one event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simlab.engage.sms.common import parse_e164
from simlab.engage.sms.constants import MCC
from simlab.facts import sms

if TYPE_CHECKING:
    from simlab.engage.sms.records import Message

TEXT_STATUS_DESCRIPTIONS = {
    "QUEUED": "Message is queued to be sent",
    "PENDING": "Message has been sent to the carrier and awaits a delivery receipt",
    "SUCCESSFUL": "Message has been accepted by phone carrier",
    "DELIVERED": "Message has been delivered to the handset",
    "INVALID": "The destination phone number is not valid",
    "INVALID_MESSAGE": "The message body is not valid for the destination",
    "UNREACHABLE": "The handset is unreachable (switched off or out of coverage)",
    "CARRIER_UNREACHABLE": "The carrier of the destination is unreachable",
    "BLOCKED": "The handset blocked the message",
    "CARRIER_BLOCKED": "The carrier blocked the message",
    "SPAM": "The carrier flagged the message as spam",
    "UNKNOWN": "No delivery receipt within 72 hours; what happened is not known",
    "TTL_EXPIRED": "The message was not delivered within its TimeToLive",
}
VOICE_STATUS_DESCRIPTIONS = {
    "INITIATED": "The call is being placed",
    "RINGING": "The destination phone is ringing",
    "ANSWERED": "The call was answered",
    "COMPLETED": "The message was played and the call ended",
    "BUSY": "The destination line was busy",
    "NO_ANSWER": "The call was not answered",
    "FAILED": "The call could not be placed",
    "TTL_EXPIRED": "The call was not answered within its TimeToLive",
}


def build_record(
    message: Message, event_type: str, timestamp_ms: int, final: bool
) -> dict[str, Any]:
    """The v2 event record of ``event_type`` for ``message`` (camelCase, eventVersion 1.0)."""
    status = event_type.split("_", 1)[1]
    descriptions = (
        TEXT_STATUS_DESCRIPTIONS if message.channel == "SMS" else VOICE_STATUS_DESCRIPTIONS
    )
    _, country = parse_e164(message.destination, "DestinationPhoneNumber")
    record: dict[str, Any] = {
        "eventType": event_type,
        "eventVersion": sms.EVENT_RECORD_VERSION.value,
        "eventTimestamp": timestamp_ms,
        "isFinal": final,
        "originationPhoneNumber": message.origin,
        "destinationPhoneNumber": message.destination,
        "isoCountryCode": country,
        "isInternationalSend": message.international,
        "mcc": MCC.get(country),
        "mnc": None,
        "messageId": message.message_id,
        "messageRequestTimestamp": round(message.requested_at.timestamp() * 1000),
        "messageEncoding": message.encoding,
        "messageType": message.message_type,
        "messageStatus": status,
        "messageStatusDescription": descriptions.get(status, status),
        "context": dict(message.context),
        "totalMessageParts": message.parts,
        "totalMessagePrice": message.price,
        "totalCarrierFee": 0.0,
    }
    return {k: v for k, v in record.items() if v is not None}
