"""Builders of Pinpoint event-stream records, in the documented schema (aws-facts 2.1-2.9).

Every record has the envelope of `facts.events.ENVELOPE_FIELDS` (``event_type``,
``event_timestamp``, ``arrival_timestamp``, ``event_version``, ``application {app_id, sdk}``,
``client {client_id}``, ``device``, ``session``, ``attributes``, ``metrics``, ``awsAccountId``).
A message's ``Context`` (from SendMessages) joins the record's ``attributes``, as botocore's
``MessageRequest.Context`` says it does for email and SMS. Campaign and journey records carry
the endpoint as JSON in ``client_context.custom.endpoint``.

The builders are pure: timestamps are Unix milliseconds passed in, nothing reads a clock, and
attribute values are strings as in the documented examples. Pinpoint streams no transactional
push or voice events (fact 2.9), so there are no builders for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from operator import getitem, itemgetter
from typing import Any

from simlab.facts import events as facts
from simlab.facts import pinpoint as pinpoint_facts
from simlab.primitives.compact_json import compact_encoder
from simlab.primitives.json_rows import AVAILABLE, encode_rows, plain_dicts

try:
    import orjson
except ImportError:  # pragma: no cover - installed with simlab; ``json`` writes every text
    orjson = None  # type: ignore[assignment]

#: The object of ``facets.email_channel.mail_event`` that each email event type carries.
MAIL_EVENT_OBJECTS: dict[str, str] = {
    "_email.send": "send",
    "_email.delivered": "delivery",
    "_email.rejected": "reject",
    "_email.hardbounce": "bounce",
    "_email.softbounce": "bounce",
    "_email.complaint": "complaint",
    "_email.open": "open",
    "_email.click": "click",
    "_email.unsubscribe": "unsubscribe",
    "_email.rendering_failure": "rendering_failure",
}
#: ``attributes.feedback`` of the email events whose value the developer guide shows.
EMAIL_FEEDBACK: dict[str, str] = {
    "_email.send": "received",
    "_email.delivered": "delivered",
    "_email.open": "opened",
}
MESSAGE_TYPES: tuple[str, ...] = ("Transactional", "Promotional")


def _check(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not valid; allowed: {', '.join(allowed)}")
    return value


def _ms(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be Unix milliseconds as an int, got {value!r}")
    return value


def _strings(values: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in (values or {}).items()}


_compact = compact_encoder()
_ID = itemgetter("Id")


def compact_json(value: Any) -> str:
    """The compact JSON every streamed record is written with: ``json.dumps`` with
    ``separators=(",", ":")``, the same text without building an encoder per call.
    Raises TypeError for a value JSON cannot hold."""
    return _compact(value)


def endpoint_json(endpoint: Mapping[str, Any]) -> str:
    """The endpoint as records carry it in ``client_context.custom.endpoint``: compact JSON
    without its ``Id`` (the id is ``client.client_id``), as in the documented examples."""
    shown = dict(endpoint)
    shown.pop("Id", None)
    return compact_json(shown)


def endpoint_json_many(endpoints: Sequence[Mapping[str, Any]]) -> list[str]:
    """``endpoint_json`` of each endpoint, in order: through orjson, which writes the same
    text ten times cheaper, when the endpoints are dicts with values it writes as ``json``
    does (``json_rows``), each with a text ``Id`` first and more (``_after_ids``: the run
    written as one text, then cut; else each written alone, ``encode_rows``); else one by
    one."""
    if not endpoints or not AVAILABLE or not plain_dicts(endpoints, scalars_first=True):
        return list(map(endpoint_json, endpoints))
    texts = _after_ids(endpoints)
    if texts is not None:
        return texts
    texts = encode_rows(endpoints, compact_json)
    if (
        all(map(str.startswith, texts, repeat('{"Id":"')))  # each its text Id first ...
        and min(map(len, endpoints)) >= 2  # ... and more
        and '"' not in "".join(map(_ID, endpoints))  # with no quote, it ends at the first '",'
    ):
        # each text less its first member: ``{"Id":<id>,`` gives way to ``{``
        return ["{" + text[text.index('",', 7) + 2 :] for text in texts]
    return list(map(endpoint_json, endpoints))


def endpoint_strings_many(endpoints: Sequence[Mapping[str, Any]]) -> list[str]:
    """``endpoint_json_many`` of the endpoints, each text written as a JSON string (quotes
    included), as a record holds it: the run written by orjson as one text, escaped in two
    steps and cut (``_after_ids``), when it can be; else each text escaped alone."""
    if endpoints and AVAILABLE and plain_dicts(endpoints, scalars_first=True):
        strings = _after_ids(endpoints, written=True)
        if strings is not None:
            return strings
    return list(map(_string_json, endpoint_json_many(endpoints)))


#: How ``compact_json`` writes a string (ASCII, escaped).
_string_json = json.encoder.encode_basestring_ascii
#: orjson writes a type it would write otherwise than ``json`` (a str subclass, a date) no
#: more: it raises TypeError (``json_rows``' options).
_PASSED = (
    0
    if not AVAILABLE
    else orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
#: Where one endpoint's text ends and the next one's begins, its ``Id`` first; and what
#: comes before the first one's id.
_NEXT = ',{"Id":"'
_FIRST = '[{"Id":"'
#: ``_NEXT`` and ``_FIRST`` in the run's text written as a JSON string (its quotes escaped).
_NEXT_WRITTEN = _NEXT.replace('"', '\\"')
_FIRST_WRITTEN = _FIRST.replace('"', '\\"')


def _after_ids(endpoints: Sequence[Mapping[str, Any]], written: bool = False) -> list[str] | None:
    """``endpoint_json_many`` of dicts ``plain_dicts`` passed, written by orjson as one list
    and cut at each ``,{"Id":"`` (each dict has its text ``Id`` first, one with no quote or
    backslash in it, and more), or None if they are not so, or the list is no printable
    ASCII, or it shows a cut in a dict's own values (a list of dicts of its own), or an
    ``Id`` escaped. ``written``: ``endpoint_strings_many`` of them, the list's text escaped
    as a JSON string before it is cut (orjson escapes an ASCII string without DEL as
    ``json`` does)."""
    count = len(endpoints)
    # each dict's first key (an empty dict's ends the list early: one short)
    if list(map(next, map(iter, endpoints))).count("Id") != count:
        return None
    ids = list(map(_ID, endpoints))
    try:
        joined = "".join(ids)  # (orjson refuses a str subclass among them below)
    except TypeError:  # an id that is no text
        return None
    if '"' in joined or "\\" in joined or min(map(len, endpoints)) < 2:
        return None
    try:
        whole = orjson.dumps(endpoints, None, _PASSED)
    except TypeError:  # a type passed through, a key that is not text, a huge integer
        return None
    if not whole.isascii() or 0x7F in whole:  # ``json`` escapes DEL and all above it
        return None
    if written:  # the whole text escaped as one JSON string (its quotes at either end)
        texts = orjson.dumps(whole.decode()).decode().split(_NEXT_WRITTEN)
        first, last, closing = len(_FIRST_WRITTEN) + 1, -2, 1  # an id's closing quote: ``\"``
    else:
        texts = whole.decode().split(_NEXT)
        first, last, closing = len(_FIRST), -1, 0
    if len(texts) != count:
        return None
    texts[0] = texts[0][first:]  # what comes before the first and after the last
    texts[-1] = texts[-1][:last]
    # each text now ``<id>",<the rest>}`` (``<id>\",<the rest>}`` written): its id written
    # as it is (no escape) if its closing quote follows it (an escape makes it longer, and it
    # holds no quote)
    ends = [len(endpoint_id) + closing for endpoint_id in ids]
    if "".join(map(getitem, texts, ends)) != '"' * count:
        return None
    if written:
        return [f'"{{{text[end + 2 :]}"' for text, end in zip(texts, ends, strict=True)]
    return ["{" + text[end + 2 :] for text, end in zip(texts, ends, strict=True)]


def envelope(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    client_id: str,
    event_timestamp: int,
    arrival_timestamp: int,
    attributes: Mapping[str, Any] | None = None,
    metrics: Mapping[str, float] | None = None,
    context: Mapping[str, str] | None = None,
    device: Mapping[str, Any] | None = None,
    session: Mapping[str, Any] | None = None,
    endpoint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields every Pinpoint stream record has (developer guide ``event-streams-data-*``).

    ``context`` joins ``attributes`` (record attributes win on a clash); ``endpoint``, if given,
    is written as JSON to ``client_context.custom.endpoint`` (`endpoint_json`). Campaign and
    journey reactions (an ``_email.open`` the engagement model draws, a conversion) are records
    of this shape with the campaign's or journey's attributes.
    """
    if not event_type:
        raise ValueError("event_type is required")
    record: dict[str, Any] = {
        "event_type": event_type,
        "event_timestamp": _ms(event_timestamp, "event_timestamp"),
        "arrival_timestamp": _ms(arrival_timestamp, "arrival_timestamp"),
        "event_version": facts.EVENT_VERSION.value,
        "application": {"app_id": app_id, "sdk": {}},
        "client": {"client_id": client_id},
        "device": dict(device) if device else {"platform": {}},
        "session": dict(session or {}),
        "attributes": {**_strings(context), **_strings(attributes)},
        "metrics": {str(k): float(v) for k, v in (metrics or {}).items()},
        "awsAccountId": account_id,
    }
    if endpoint is not None:
        record["client_context"] = {"custom": {"endpoint": endpoint_json(endpoint)}}
    return record


def _campaign_attributes(campaign: Mapping[str, Any] | None) -> dict[str, str]:
    if not campaign:
        return {}
    if not campaign.get("campaign_id"):
        raise ValueError("campaign needs campaign_id (and campaign_activity_id, treatment_id)")
    return {
        "campaign_id": str(campaign["campaign_id"]),
        "campaign_activity_id": str(campaign.get("campaign_activity_id", "")),
        "treatment_id": str(campaign.get("treatment_id", "0")),
    }


def _journey_attributes(journey: Mapping[str, Any] | None) -> dict[str, str]:
    if not journey:
        return {}
    missing = [k for k in facts.JOURNEY_RECORD_ATTRIBUTES.value if not journey.get(k)]
    if missing:
        raise ValueError(f"journey needs {', '.join(missing)}")
    return {k: str(journey[k]) for k in facts.JOURNEY_RECORD_ATTRIBUTES.value}


def email_record(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    endpoint_id: str,
    message_id: str,
    from_address: str,
    destination: str | Iterable[str],
    subject: str,
    send_timestamp: int,
    arrival_timestamp: int,
    feedback: str | None = None,
    detail: Mapping[str, Any] | None = None,
    headers: Iterable[Mapping[str, str]] = (),
    campaign: Mapping[str, Any] | None = None,
    journey: Mapping[str, Any] | None = None,
    context: Mapping[str, str] | None = None,
    endpoint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``_email.*`` record (developer guide ``event-streams-data-email.md``).

    ``event_timestamp`` is the send time for every event of one message, as documented;
    ``arrival_timestamp`` is when this event happened. ``facets.email_channel.mail_event``
    holds ``mail`` and the object of the event type (`MAIL_EVENT_OBJECTS`): ``delivery``
    defaults to an SMTP 250 for the recipients, ``click`` takes its ``link`` from
    ``feedback``; ``detail`` fills or overrides that object (``ip_address``, ``user_agent``,
    bounce or complaint fields). ``campaign`` holds campaign_id, campaign_activity_id and
    treatment_id; ``journey`` holds journey_id, journey_run_id and journey_activity_id.
    """
    _check(event_type, facts.EMAIL_EVENT_TYPES.value, "email event_type")
    recipients = [destination] if isinstance(destination, str) else list(destination)
    if not recipients:
        raise ValueError("destination needs at least one address")
    if event_type == "_email.click" and not feedback:
        raise ValueError("an _email.click record needs feedback: the URL that was clicked")
    attributes = {**_campaign_attributes(campaign), **_journey_attributes(journey)}
    shown = feedback if feedback is not None else EMAIL_FEEDBACK.get(event_type)
    if shown is not None:
        attributes["feedback"] = shown
    record = envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=endpoint_id,
        event_timestamp=send_timestamp,
        arrival_timestamp=arrival_timestamp,
        attributes=attributes,
        context=context,
    )
    mail_headers = [
        {"name": "From", "value": from_address},
        {"name": "To", "value": ", ".join(recipients)},
        {"name": "Subject", "value": subject},
        {"name": "MIME-Version", "value": "1.0"},
        *({"name": h["Name"], "value": h.get("Value", "")} for h in headers),
    ]
    mail = {
        "message_id": message_id,
        "message_send_timestamp": send_timestamp,
        "from_address": from_address,
        "destination": recipients,
        "headers_truncated": False,
        "headers": mail_headers,
        "common_headers": {"from": from_address, "to": recipients, "subject": subject},
    }
    event_object: dict[str, Any] = {}
    if event_type == "_email.delivered":
        event_object = {
            "smtp_response": "250 ok: Message accepted",
            "reporting_mta": "smtp-out.simlab.local",
            "recipients": recipients,
            "processing_time_millis": arrival_timestamp - send_timestamp,
        }
    elif event_type == "_email.click":
        event_object = {"link": feedback}
    event_object.update(detail or {})
    record["facets"] = {
        "email_channel": {
            "mail_event": {"mail": mail, MAIL_EVENT_OBJECTS[event_type]: event_object}
        }
    }
    custom: dict[str, Any] = {"legacy_identifier": app_id}
    if endpoint is not None:
        custom["endpoint"] = endpoint_json(endpoint)
    record["client_context"] = {"custom": custom}
    return record


def email_delivered_record(
    *, smtp_response: str, reporting_mta: str, processing_time_millis: int, **fields: Any
) -> dict[str, Any]:
    """``email_record`` of an ``_email.delivered`` record whose detail shows SES's SMTP
    response, reporting MTA and processing time (what Pinpoint's record of a Delivery shows).
    Raises ValueError as ``email_record`` does."""
    shown = {
        "smtp_response": smtp_response,
        "reporting_mta": reporting_mta,
        "processing_time_millis": processing_time_millis,
    }
    return email_record(**fields, detail=shown)


def sms_record(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    endpoint_id: str,
    message_id: str,
    origination_phone_number: str,
    destination_phone_number: str,
    record_status: str,
    iso_country_code: str,
    number_of_message_parts: int,
    message_type: str,
    event_timestamp: int,
    arrival_timestamp: int,
    price_in_millicents_usd: float | None = None,
    sender_request_id: str | None = None,
    campaign: Mapping[str, Any] | None = None,
    journey: Mapping[str, Any] | None = None,
    context: Mapping[str, str] | None = None,
    endpoint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``_SMS.*`` record (developer guide ``event-streams-data-sms.md``).

    ``record_status`` is one of `facts.events.SMS_RECORD_STATUSES`, ``message_type``
    Transactional or Promotional. The ``price_in_millicents_usd`` metric (645 = USD 0.00645)
    is required on every type but ``_SMS.BUFFERED``, where it must be absent.
    """
    _check(event_type, facts.SMS_EVENT_TYPES.value, "SMS event_type")
    _check(record_status, facts.SMS_RECORD_STATUSES.value, "record_status")
    _check(message_type, MESSAGE_TYPES, "message_type")
    metric = facts.SMS_PRICE_METRIC.value
    if event_type == "_SMS.BUFFERED":
        if price_in_millicents_usd is not None:
            raise ValueError(f"an _SMS.BUFFERED record has no {metric}")
        metrics = {}
    else:
        if price_in_millicents_usd is None:
            raise ValueError(f"an {event_type} record needs {metric}")
        metrics = {metric: price_in_millicents_usd}
    if number_of_message_parts < 1:
        raise ValueError("number_of_message_parts must be 1 or more")
    attributes = {
        "sender_request_id": sender_request_id or message_id,
        "origination_phone_number": origination_phone_number,
        "destination_phone_number": destination_phone_number,
        "record_status": record_status,
        "iso_country_code": iso_country_code,
        "treatment_id": str((context or {}).get("treatment_id", "0")),
        "number_of_message_parts": str(number_of_message_parts),
        "message_id": message_id,
        "message_type": message_type,
        **_campaign_attributes(campaign),
        **_journey_attributes(journey),
    }
    return envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=endpoint_id,
        event_timestamp=event_timestamp,
        arrival_timestamp=arrival_timestamp,
        attributes=attributes,
        metrics=metrics,
        context=context,
        endpoint=endpoint,
    )


def app_record(
    event_type: str,
    *,
    app_id: str,
    account_id: str,
    client_id: str,
    event_timestamp: int,
    arrival_timestamp: int,
    session_id: str | None = None,
    session_start: int | None = None,
    session_stop: int | None = None,
    attributes: Mapping[str, str] | None = None,
    metrics: Mapping[str, float] | None = None,
    demographic: Mapping[str, str] | None = None,
    app_package_name: str | None = None,
    app_title: str | None = None,
    app_version_code: str | None = None,
    sdk_name: str | None = None,
    sdk_version: str | None = None,
    cognito_id: str | None = None,
) -> dict[str, Any]:
    """A record of an app event reported with PutEvents (``event-streams-data-app.md``).

    ``event_type`` is a standard name (`facts.events.APP_EVENT_TYPES`) or any custom one;
    ``demographic`` is the endpoint's ``Demographic`` (Platform, PlatformVersion, Make,
    Model, Locale) and fills ``device``; the session times are Unix milliseconds.
    """
    demographic = demographic or {}
    locale = demographic.get("Locale", "")
    language, _, country = locale.partition("_")
    device = {
        "locale": {"code": locale, "country": country, "language": language},
        "make": demographic.get("Make", ""),
        "model": demographic.get("Model", ""),
        "platform": {
            "name": demographic.get("Platform", ""),
            "version": demographic.get("PlatformVersion", ""),
        },
    }
    session: dict[str, Any] = {}
    if session_id:
        session = {"session_id": session_id}
        if session_start is not None:
            session["start_timestamp"] = _ms(session_start, "session_start")
        if session_stop is not None:
            session["stop_timestamp"] = _ms(session_stop, "session_stop")
    record = envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=client_id,
        event_timestamp=event_timestamp,
        arrival_timestamp=arrival_timestamp,
        attributes=attributes,
        metrics=metrics,
        device=device,
        session=session,
    )
    application = record["application"]
    for key, value in (
        ("package_name", app_package_name),
        ("title", app_title),
        ("version_code", app_version_code),
    ):
        if value is not None:
            application[key] = value
    if sdk_name:
        application["sdk"] = {"name": sdk_name, "version": sdk_version or ""}
    if cognito_id:
        record["client"]["cognito_id"] = cognito_id
    return record


def campaign_send_record(
    *,
    app_id: str,
    account_id: str,
    endpoint_id: str,
    campaign_id: str,
    campaign_activity_id: str,
    delivery_type: str,
    campaign_send_status: str,
    event_timestamp: int,
    arrival_timestamp: int,
    treatment_id: str = "0",
    endpoint: Mapping[str, Any] | None = None,
    event_type: str = "_campaign.send",
    context: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A ``_campaign.*`` record (developer guide ``event-streams-data-campaign.md``).

    ``delivery_type`` is the channel the campaign delivered through (a ChannelType such as
    EMAIL, SMS, GCM or CUSTOM); ``campaign_send_status`` is passed through (its list of values
    is not published). The push-interaction types of `facts.events.CAMPAIGN_EVENT_TYPES` use
    the same shape.
    """
    _check(event_type, facts.CAMPAIGN_EVENT_TYPES.value, "campaign event_type")
    _check(delivery_type, pinpoint_facts.CHANNEL_TYPES.value, "delivery_type")
    if not campaign_send_status:
        raise ValueError("campaign_send_status is required (e.g. SUCCESS)")
    return envelope(
        event_type,
        app_id=app_id,
        account_id=account_id,
        client_id=endpoint_id,
        event_timestamp=event_timestamp,
        arrival_timestamp=arrival_timestamp,
        attributes={
            "treatment_id": str(treatment_id),
            "campaign_activity_id": campaign_activity_id,
            "delivery_type": delivery_type,
            "campaign_id": campaign_id,
            "campaign_send_status": campaign_send_status,
        },
        context=context,
        endpoint=endpoint if endpoint is not None else {},
    )


def journey_send_record(
    *,
    app_id: str,
    account_id: str,
    endpoint_id: str,
    journey_id: str,
    journey_run_id: str,
    journey_activity_id: str,
    journey_activity_type: str,
    journey_send_status: str,
    event_timestamp: int,
    arrival_timestamp: int,
    endpoint: Mapping[str, Any] | None = None,
    context: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A ``_journey.send`` record (developer guide ``event-streams-data-journey.md``).

    ``journey_activity_type`` is one of `facts.events.JOURNEY_ACTIVITY_TYPES` (there is no
    VOICE journey activity); ``journey_send_status`` is passed through.
    """
    _check(journey_activity_type, facts.JOURNEY_ACTIVITY_TYPES.value, "journey_activity_type")
    if not journey_send_status:
        raise ValueError("journey_send_status is required (e.g. SUCCESS)")
    return envelope(
        facts.JOURNEY_EVENT_TYPE.value,
        app_id=app_id,
        account_id=account_id,
        client_id=endpoint_id,
        event_timestamp=event_timestamp,
        arrival_timestamp=arrival_timestamp,
        attributes={
            "journey_run_id": journey_run_id,
            "journey_send_status": journey_send_status,
            "journey_id": journey_id,
            "journey_activity_id": journey_activity_id,
            "journey_activity_type": journey_activity_type,
        },
        context=context,
        endpoint=endpoint if endpoint is not None else {},
    )


__all__ = [
    "compact_json",
    "EMAIL_FEEDBACK",
    "MAIL_EVENT_OBJECTS",
    "MESSAGE_TYPES",
    "app_record",
    "campaign_send_record",
    "email_delivered_record",
    "email_record",
    "endpoint_json",
    "envelope",
    "journey_send_record",
    "sms_record",
]
