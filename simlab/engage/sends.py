"""The send path: a list of recipients and a message configuration in, one result per recipient out.

``send`` applies Pinpoint's rules in order — duplicates, opt-outs, inactive endpoints, invalid
addresses, missing content, quotas — composes each channel's message from the
``DirectMessageConfiguration`` (DefaultMessage, then the channel's own message, then the
recipient's overrides and substitutions), and hands what is left to a ``Gateway`` that really
delivers it. Direct sends (``SendMessages``, ``SendUsersMessages``) and, later, campaigns and
journeys all go through here.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from simlab.engage.batch_gc import older_objects_frozen
from simlab.engage.faults import BadRequest
from simlab.engage.sms import parse_e164
from simlab.primitives.channels import DIRECT_MESSAGE_KEYS

#: The DirectMessageConfiguration member that carries each channel's message.
MESSAGE_KEYS = DIRECT_MESSAGE_KEYS
#: Which template of a TemplateConfiguration each channel uses.
TEMPLATE_KEYS: dict[str, str] = {
    "EMAIL": "EmailTemplate",
    "SMS": "SMSTemplate",
    "VOICE": "VoiceTemplate",
    **{c: "PushTemplate" for c in ("GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP")},
    **{c: "PushTemplate" for c in ("APNS_VOIP_SANDBOX", "ADM", "BAIDU", "PUSH")},
}
PUSH_CHANNELS = frozenset(
    ("GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "BAIDU", "PUSH")
)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
#: The channels whose addresses are phone numbers (E.164).
_PHONE_CHANNELS = frozenset(("SMS", "VOICE"))
EMAIL = re.compile(r"^[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+$")
_VARIABLE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")

#: Renders ``text`` for an endpoint (EndpointResponse shape) with message substitutions and a
#: template's default substitutions (used only where the endpoint has no value). A text without
#: ``{{`` has no variable and renders as itself, so the send path passes it over.
Renderer = Callable[
    [str, Mapping[str, Any] | None, Mapping[str, Sequence[str]], Mapping[str, Any]], str
]
_PUSH_TEMPLATE_PART = {"GCM": "GCM", "ADM": "ADM", "BAIDU": "Baidu"}


# Recipient, Outgoing and Result are made once per message: their ``__init__`` fills the
# instance dict in one call instead of the frozen dataclass's one ``object.__setattr__`` per
# field (half the cost); they stay frozen, compared and shown field by field.


@dataclass(frozen=True, init=False)
class Recipient:
    """One recipient: an address (``Addresses``) or an endpoint (``Endpoints``, users)."""

    key: str
    channel: str
    address: str
    endpoint: Mapping[str, Any] | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    missing: bool = False  # an endpoint id that names no endpoint

    def __init__(
        self,
        key: str,
        channel: str,
        address: str,
        endpoint: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        missing: bool = False,
    ) -> None:
        self.__dict__.update(
            key=key,
            channel=channel,
            address=address,
            endpoint=endpoint,
            config={} if config is None else config,
            missing=missing,
            # ``endpoint_id``, read a few times per message, worked out once here
            endpoint_id=key if missing else None if endpoint is None else str(endpoint.get("Id")),
        )

    @functools.cached_property  # ``__init__`` fills it in the instance's dict
    def endpoint_id(self) -> str | None:
        if self.missing:
            return self.key
        return None if self.endpoint is None else str(self.endpoint.get("Id"))


#: A recipient's instance dict as ``__init__`` fills it: a copy filled in makes a recipient
#: without an ``__init__`` call (``recipients_of``, ``SendMessages``' endpoints).
RECIPIENT_FIELDS = vars(Recipient("", "", "", {}, {})).copy()


def recipients_of(endpoints: Iterable[Mapping[str, Any]]) -> list[Recipient]:
    """``Recipient(str(Id), str(ChannelType), str(Address), endpoint, {})`` of each endpoint
    (``EndpointResponse`` shape), each filled without an ``__init__`` call. Raises KeyError
    for an endpoint without an ``Id``."""
    recipients: list[Recipient] = []
    append, blank, new = recipients.append, RECIPIENT_FIELDS, object.__new__
    for endpoint in endpoints:
        recipient = new(Recipient)
        fields = recipient.__dict__  # empty: given ``__init__``'s keys in its order
        fields.update(blank)
        fields["key"] = key = str(endpoint["Id"])
        fields["channel"] = str(endpoint.get("ChannelType", ""))
        fields["address"] = str(endpoint.get("Address", ""))
        fields["endpoint"] = endpoint
        fields["config"] = {}
        fields["endpoint_id"] = key
        append(recipient)
    return recipients


@dataclass(frozen=True, init=False)
class Outgoing:
    """One composed message, ready for its channel."""

    recipient: Recipient
    title: str
    body: str
    html: str | None
    settings: Mapping[str, Any]  # the channel's message (SMSMessage, APNSMessage ...)
    raw_content: str | None
    context: Mapping[str, str]

    def __init__(
        self,
        recipient: Recipient,
        title: str,
        body: str,
        html: str | None,
        settings: Mapping[str, Any],
        raw_content: str | None,
        context: Mapping[str, str],
    ) -> None:
        self.__dict__.update(
            recipient=recipient,
            title=title,
            body=body,
            html=html,
            settings=settings,
            raw_content=raw_content,
            context=context,
            # the recipient's, read a few times per message: in the instance's dict
            channel=recipient.channel,
            address=recipient.address,
        )

    @functools.cached_property  # ``__init__`` fills it in the instance's dict
    def channel(self) -> str:
        return self.recipient.channel

    @functools.cached_property  # ``__init__`` fills it in the instance's dict
    def address(self) -> str:
        return self.recipient.address


@dataclass(frozen=True, init=False)
class Result:
    """What happened to one recipient, as Pinpoint reports it."""

    recipient: Recipient
    delivery_status: str
    status_code: int
    status_message: str
    message_id: str | None = None
    updated_token: str | None = None

    def __init__(
        self,
        recipient: Recipient,
        delivery_status: str,
        status_code: int,
        status_message: str,
        message_id: str | None = None,
        updated_token: str | None = None,
    ) -> None:
        self.__dict__.update(
            recipient=recipient,
            delivery_status=delivery_status,
            status_code=status_code,
            status_message=status_message,
            message_id=message_id,
            updated_token=updated_token,
        )

    def message_result(self) -> dict[str, Any]:
        """The ``MessageResult`` shape."""
        data: dict[str, Any] = {
            "DeliveryStatus": self.delivery_status,
            "StatusCode": self.status_code,
            "StatusMessage": self.status_message,
        }
        if self.message_id:
            data["MessageId"] = self.message_id
        if self.updated_token:
            data["UpdatedToken"] = self.updated_token
        return data

    def endpoint_result(self) -> dict[str, Any]:
        """The ``EndpointMessageResult`` shape."""
        return {"Address": self.recipient.address, **self.message_result()}


class Gateway(Protocol):
    """Delivers composed messages on their channels (SES, SMS, push providers ...)."""

    def deliver(self, message: Outgoing) -> Result: ...


def deliver_each(gateway: Gateway, messages: Sequence[Outgoing]) -> list[Result]:
    """Delivers messages in order, through ``gateway.deliver_many`` when it has one.

    A gateway's ``deliver_many(messages)`` returns one result per message, in order, having
    delivered them exactly as one ``deliver`` call each would (same order, same draws); a
    channel's own failure on one message is that message's UNKNOWN_FAILURE result.
    """
    many = getattr(gateway, "deliver_many", None)
    if many is not None:
        results: list[Result] = many(messages)
        return results
    return [deliver_one(gateway.deliver, message) for message in messages]


def deliver_one(deliver: Callable[[Outgoing], Result], message: Outgoing) -> Result:
    """One message through ``deliver``; a channel's own failure is its result."""
    try:
        return deliver(message)
    except Exception as error:  # a channel's own failure, reported per recipient
        return Result(message.recipient, "UNKNOWN_FAILURE", 500, str(error))


def fill(
    text: str,
    endpoint: Mapping[str, Any] | None,
    substitutions: Mapping[str, Sequence[str]],
    defaults: Mapping[str, Any] | None = None,
) -> str:
    """Replaces ``{{Name}}`` and ``{{Attributes.X}}``-style variables; unknown ones vanish."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in substitutions and substitutions[name]:
            return str(substitutions[name][0])
        found: Any = endpoint or {}
        for part in name.split("."):
            found = found.get(part) if isinstance(found, Mapping) else None
        if isinstance(found, list):
            found = found[0] if found else None
        if found is None:
            found = (defaults or {}).get(name)
        return "" if found is None else str(found)

    return _VARIABLE.sub(value, text)


@functools.lru_cache(maxsize=4_096)
def destination_country(number: str) -> str:
    """The ISO country of a destination phone number, parsed once while its message is live.

    A text's route, its carrier receipt and each of its stream records all need the country;
    parsing is the costly part of a send, and a recent number's answer is kept (a bounded
    cache: a campaign's messages are live for minutes, not forever).
    Raises ValidationError (``parse_e164``'s) if ``number`` is not in E.164 format.
    """
    return parse_e164(number, "DestinationPhoneNumber")[1]


def check_addresses(recipients: Iterable[Recipient]) -> None:
    """Refuses a request whose ``Addresses`` hold a malformed phone number or channel."""
    for recipient in recipients:
        if recipient.endpoint is not None or recipient.missing:
            continue
        if recipient.channel not in MESSAGE_KEYS and recipient.channel != "IN_APP":
            raise BadRequest(
                f"Addresses[{recipient.key!r}].ChannelType must be one of "
                f"{', '.join(MESSAGE_KEYS)}, got {recipient.channel!r}"
            )
        if recipient.channel in ("SMS", "VOICE") and not E164.match(recipient.address):
            raise BadRequest(
                f"Addresses[{recipient.key!r}] is not a phone number in E.164 format "
                "(+ then country code and number, up to 15 digits, e.g. +12065550100)"
            )


@dataclass(frozen=True, slots=True)
class _Parts:
    """What a channel's message is made of before it is rendered for one recipient."""

    own: dict[str, Any]
    substitutions: dict[str, Any]
    defaults: Any
    title: Any
    html: Any
    body: Any
    raw: Any


def _parts(
    channel: str,
    config: Mapping[str, Any],
    templates: Mapping[str, Mapping[str, Any]] | None,
    overrides: Mapping[str, Any],
) -> _Parts:
    default = dict(config.get("DefaultMessage") or {})
    own = dict(config.get(MESSAGE_KEYS.get(channel, "DefaultMessage")) or {})
    if channel in PUSH_CHANNELS and channel != "PUSH":
        push_default = config.get("DefaultPushNotificationMessage") or {}
        own = {**push_default, **own}
    template = dict((templates or {}).get(TEMPLATE_KEYS.get(channel, "")) or {})
    defaults = template.pop("DefaultSubstitutions", None) or {}
    if isinstance(defaults, str):
        defaults = json.loads(defaults)
    if channel in PUSH_CHANNELS and template:
        part = "APNS" if channel.startswith("APNS") else _PUSH_TEMPLATE_PART.get(channel, "")
        template = {**(template.get("Default") or {}), **(template.get(part) or {})}
    substitutions = {
        **(default.get("Substitutions") or {}),
        **(own.get("Substitutions") or {}),
        **(overrides.get("Substitutions") or {}),
    }
    simple = own.get("SimpleEmail") or {}
    title = (
        overrides.get("TitleOverride")
        or (simple.get("Subject") or {}).get("Data")
        or own.get("Title")
        or template.get("Subject")
        or template.get("Title")
        or ""
    )
    html = (simple.get("HtmlPart") or {}).get("Data") or template.get("HtmlPart")
    body = (
        overrides.get("BodyOverride")
        or (simple.get("TextPart") or {}).get("Data")
        or own.get("Body")
        or default.get("Body")
        or template.get("TextPart")
        or template.get("Body")
        or ""
    )
    raw_email = (own.get("RawEmail") or {}).get("Data")
    raw = overrides.get("RawContent") or own.get("RawContent") or raw_email
    return _Parts(own, substitutions, defaults, title, html, body, raw)


def compose(
    recipient: Recipient,
    config: Mapping[str, Any],
    *,
    templates: Mapping[str, Mapping[str, Any]] | None = None,
    context: Mapping[str, str] | None = None,
    render: Renderer = fill,
) -> Outgoing | None:
    """Builds the recipient's message, or None if the configuration has nothing for it."""
    parts = _parts(recipient.channel, config, templates, recipient.config)
    return _outgoing(recipient, parts, context, render, dict(parts.own), dict(context or {}))


def _outgoing(
    recipient: Recipient,
    parts: _Parts,
    context: Mapping[str, str] | None,
    render: Renderer,
    settings: Mapping[str, Any],
    plain_context: Mapping[str, str],
) -> Outgoing | None:
    """The recipient's message; ``settings`` is its channel's message (``parts.own``) and
    ``plain_context`` the request's ``context``, both as the message keeps them (the messages
    of one request share them: nothing writes to either)."""
    if not (parts.body or parts.html or parts.raw):
        return None
    endpoint, substitutions, defaults = recipient.endpoint, parts.substitutions, parts.defaults
    title, body, html = str(parts.title), str(parts.body), parts.html
    if "{{" in title:
        title = render(title, endpoint, substitutions, defaults)
    if "{{" in body:
        body = render(body, endpoint, substitutions, defaults)
    if html is not None:
        html = str(html)
        if "{{" in html:
            html = render(html, endpoint, substitutions, defaults)
    own_context = recipient.config.get("Context") if recipient.config else None
    return Outgoing(
        recipient,
        title,
        body,
        html,
        settings,
        None if parts.raw is None else str(parts.raw),
        {**(context or {}), **own_context} if own_context else plain_context,
    )


def send(
    recipients: Sequence[Recipient],
    config: Mapping[str, Any],
    gateway: Gateway,
    *,
    templates: Mapping[str, Mapping[str, Any]] | None = None,
    context: Mapping[str, str] | None = None,
    admit: Callable[[Outgoing], bool] | None = None,
    render: Renderer = fill,
) -> list[Result]:
    """Sends one message to each recipient; returns their results in the same order."""
    with older_objects_frozen():
        return _send(recipients, config, gateway, templates, context, admit, render)


def _send(
    recipients: Sequence[Recipient],
    config: Mapping[str, Any],
    gateway: Gateway,
    templates: Mapping[str, Mapping[str, Any]] | None,
    context: Mapping[str, str] | None,
    admit: Callable[[Outgoing], bool] | None,
    render: Renderer,
) -> list[Result]:
    # composing and admitting draw nothing and change nothing a channel reads, so every
    # admitted message is composed first and the channels then get them all, in order
    results: list[Result | None] = []
    admitted: list[Outgoing] = []
    places: list[int] = []
    seen: set[tuple[str, str]] = set()
    # by channel, for recipients without overrides: the parts and the channel's message as
    # the messages keep it, and the fields of an ``Outgoing`` that needs no rendering
    shared: dict[str, tuple[_Parts, dict[str, Any], dict[str, Any] | None]] = {}
    plain_context = dict(context or {})
    new = object.__new__
    for recipient in recipients:
        refused = _refusal(recipient, seen)
        if refused is not None:
            results.append(refused)
            continue
        reused = None if recipient.config else shared.get(recipient.channel)
        if reused is None:
            parts = _parts(recipient.channel, config, templates, recipient.config)
            own = dict(parts.own)
            fields = None
            if not recipient.config:
                fields = _plain_fields(recipient.channel, parts, own, plain_context)
                shared[recipient.channel] = (parts, own, fields)
        else:
            parts, own, fields = reused
        if fields is None:
            message = _outgoing(recipient, parts, context, render, own, plain_context)
        else:  # ``_outgoing`` of a message with nothing to render: its fields, copied
            message = new(Outgoing)
            filled = message.__dict__  # empty: given the fields in ``__init__``'s order
            filled.update(fields)
            filled["recipient"], filled["address"] = recipient, recipient.address
        if message is None:
            results.append(
                Result(
                    recipient,
                    "PERMANENT_FAILURE",
                    400,
                    f"MessageConfiguration has no message for the {recipient.channel} channel "
                    f"(give {MESSAGE_KEYS.get(recipient.channel, 'DefaultMessage')}, "
                    "DefaultMessage, a template or a BodyOverride)",
                )
            )
            continue
        if admit is not None and not admit(message):
            results.append(
                Result(recipient, "THROTTLED", 429, "Sending rate exceeded; try again later")
            )
            continue
        places.append(len(results))
        admitted.append(message)
        results.append(None)
    for place, result in zip(places, deliver_each(gateway, admitted), strict=True):
        results[place] = result
    return results  # type: ignore[return-value]  # every place is filled


def _plain_fields(
    channel: str, parts: _Parts, settings: dict[str, Any], plain_context: dict[str, str]
) -> dict[str, Any] | None:
    """The instance dict ``_outgoing`` gives a ``channel`` recipient without overrides, less
    its ``recipient`` and ``address``, when the parts have a message and nothing to render
    (the same for every such recipient); else None."""
    if not (parts.body or parts.html or parts.raw):
        return None
    title, body, html = str(parts.title), str(parts.body), parts.html
    if html is not None:
        html = str(html)
    if "{{" in title or "{{" in body or (html is not None and "{{" in html):
        return None
    return {
        "recipient": None,
        "title": title,
        "body": body,
        "html": html,
        "settings": settings,
        "raw_content": None if parts.raw is None else str(parts.raw),
        "context": plain_context,
        "channel": channel,
        "address": None,
    }


def _refusal(recipient: Recipient, seen: set[tuple[str, str]]) -> Result | None:
    if recipient.missing:
        return Result(recipient, "PERMANENT_FAILURE", 404, f"Endpoint {recipient.key} not found")
    channel, address = recipient.channel, recipient.address
    key = (channel, address)
    if key in seen:
        return Result(recipient, "DUPLICATE", 400, f"Duplicate address {address} in this request")
    seen.add(key)
    endpoint = recipient.endpoint
    if endpoint:
        if endpoint.get("OptOut") == "ALL":
            return Result(recipient, "OPT_OUT", 400, "The endpoint has opted out (OptOut is ALL)")
        if endpoint.get("EndpointStatus") == "INACTIVE":
            return Result(
                recipient,
                "PERMANENT_FAILURE",
                400,
                "The endpoint is INACTIVE; messages are not sent",
            )
    if channel == "IN_APP":
        return Result(
            recipient,
            "PERMANENT_FAILURE",
            400,
            "IN_APP endpoints get in-app messages through campaigns, not direct sends",
        )
    if channel not in MESSAGE_KEYS:
        return Result(recipient, "PERMANENT_FAILURE", 400, f"Unknown channel {channel!r}")
    if not address:
        return Result(recipient, "PERMANENT_FAILURE", 400, "The endpoint has no Address")
    if channel in _PHONE_CHANNELS:
        if not E164.match(address):
            return Result(
                recipient,
                "PERMANENT_FAILURE",
                400,
                f"Invalid phone number {address!r}: not in E.164 format",
            )
    elif channel == "EMAIL" and not EMAIL.match(address):
        return Result(recipient, "PERMANENT_FAILURE", 400, f"Invalid email address {address!r}")
    return None


def tally(results: Iterable[Result]) -> dict[str, int]:
    """Counts results by DeliveryStatus (every recipient appears exactly once)."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.delivery_status] = counts.get(result.delivery_status, 0) + 1
    return counts
