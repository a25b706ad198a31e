"""Pinpoint event-stream records for sends and app events (aws-facts 2.1-2.6).

Every record has the documented envelope (``facts.events.ENVELOPE_FIELDS``); email records add
``facets.email_channel.mail_event`` and SMS records the documented attributes. Timestamps are
Unix milliseconds passed in, never read from a clock. simlab.engage.event_records, when present,
is the fuller set of builders; these cover what direct sends and PutEvents emit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simlab.facts import events

SDK: dict[str, str] = {}


def envelope(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    client_id: str,
    event_ms: int,
    arrival_ms: int,
    attributes: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    device: Mapping[str, Any] | None = None,
    session: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields every Pinpoint stream record has, in the documented order."""
    return {
        "event_type": event_type,
        "event_timestamp": int(event_ms),
        "arrival_timestamp": int(arrival_ms),
        "event_version": events.EVENT_VERSION.value,
        "application": {"app_id": app_id, "sdk": dict(SDK)},
        "client": {"client_id": client_id},
        "device": dict(device or {"platform": {}}),
        "session": dict(session or {}),
        "attributes": {k: str(v) for k, v in (attributes or {}).items()},
        "metrics": dict(metrics or {}),
        "awsAccountId": account_id,
    }


_MAIL_EVENT_KEYS = {
    "_email.send": "send",
    "_email.delivered": "delivery",
    "_email.softbounce": "bounce",
    "_email.hardbounce": "bounce",
    "_email.open": "open",
    "_email.click": "click",
    "_email.rejected": "reject",
}


def email_record(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    client_id: str,
    message_id: str,
    from_address: str,
    destination: str,
    subject: str,
    send_ms: int,
    arrival_ms: int,
    context: Mapping[str, str] | None = None,
    feedback: str = "",
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``_email.*`` record; ``event_timestamp`` is the send time for every event of a mail."""
    if event_type not in events.EMAIL_EVENT_TYPES.value:
        raise ValueError(f"not a Pinpoint email event type: {event_type!r}")
    attributes = {**(context or {}), "message_id": message_id}
    if feedback:
        attributes["feedback"] = feedback
    record = envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=client_id,
        event_ms=send_ms,
        arrival_ms=arrival_ms,
        attributes=attributes,
    )
    mail = {
        "message_id": message_id,
        "message_send_timestamp": int(send_ms),
        "from_address": from_address,
        "destination": [destination],
        "headers_truncated": False,
        "headers": [
            {"name": "From", "value": from_address},
            {"name": "To", "value": destination},
            {"name": "Subject", "value": subject},
        ],
        "common_headers": {"from": from_address, "to": [destination], "subject": subject},
    }
    mail_event = {"mail": mail, _MAIL_EVENT_KEYS.get(event_type, "event"): dict(detail or {})}
    record["facets"] = {"email_channel": {"mail_event": mail_event}}
    record["client_context"] = {"custom": {"legacy_identifier": app_id}}
    return record


def sms_record(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    client_id: str,
    message_id: str,
    origination: str,
    destination: str,
    record_status: str,
    parts: int,
    message_type: str,
    event_ms: int,
    arrival_ms: int,
    iso_country_code: str = "",
    price_millicents: float | None = None,
    context: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An ``_SMS.*`` record with the documented attributes; no price on ``_SMS.BUFFERED``."""
    if event_type not in events.SMS_EVENT_TYPES.value:
        raise ValueError(f"not a Pinpoint SMS event type: {event_type!r}")
    attributes = {
        **(context or {}),
        "sender_request_id": message_id,
        "origination_phone_number": origination,
        "destination_phone_number": destination,
        "record_status": record_status,
        "iso_country_code": iso_country_code,
        "number_of_message_parts": parts,
        "message_id": message_id,
        "message_type": message_type,
    }
    metrics: dict[str, Any] = {}
    if event_type != "_SMS.BUFFERED" and price_millicents is not None:
        metrics[events.SMS_PRICE_METRIC.value] = price_millicents
    return envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=client_id,
        event_ms=event_ms,
        arrival_ms=arrival_ms,
        attributes=attributes,
        metrics=metrics,
    )


def app_record(
    event: Mapping[str, Any],
    *,
    app_id: str,
    account_id: str,
    endpoint_id: str,
    endpoint: Mapping[str, Any] | None,
    event_ms: int,
    arrival_ms: int,
) -> dict[str, Any]:
    """A record of an app event sent with PutEvents (custom or ``_session.*``)."""
    demographic = (endpoint or {}).get("Demographic") or {}
    device = {
        "platform": {
            "name": demographic.get("Platform", ""),
            "version": demographic.get("PlatformVersion", ""),
        },
        "make": demographic.get("Make", ""),
        "model": demographic.get("Model", ""),
        "locale": {"code": demographic.get("Locale", "")},
    }
    session: dict[str, Any] = {}
    if event.get("Session"):
        given = event["Session"]
        session = {"session_id": given.get("Id"), "start_timestamp": given.get("StartTimestamp")}
        if given.get("StopTimestamp"):
            session["stop_timestamp"] = given["StopTimestamp"]
    record = envelope(
        str(event["EventType"]),
        app_id=app_id,
        account_id=account_id,
        client_id=endpoint_id,
        event_ms=event_ms,
        arrival_ms=arrival_ms,
        attributes=event.get("Attributes") or {},
        metrics=event.get("Metrics") or {},
        device=device,
        session=session,
    )
    record["application"]["package_name"] = event.get("AppPackageName", "")
    record["application"]["title"] = event.get("AppTitle", "")
    record["application"]["version_code"] = event.get("AppVersionCode", "")
    if event.get("SdkName"):
        record["application"]["sdk"] = {
            "name": event["SdkName"],
            "version": event.get("ClientSdkVersion", ""),
        }
    return record
