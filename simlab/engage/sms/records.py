"""The account's records: keywords, numbers, sender IDs, pools, configuration sets, opt-outs,
verified destinations and messages, each able to describe itself as the v2 API does."""

from __future__ import annotations

import marshal
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from itertools import starmap
from typing import Any

from simlab.engage.sms.common import drop_none, flag
from simlab.engage.sms.constants import (
    DEFAULT_KEYWORD_ACTIONS,
    DEFAULT_KEYWORD_MESSAGES,
    DEFAULT_OPT_OUT_LIST,
)
from simlab.engage.sms.event_record import build_record
from simlab.primitives.spill import row_form


@dataclass
class Keyword:
    """A keyword a customer can text to a number or pool, and what it does."""

    keyword: str
    message: str
    action: str = "AUTOMATIC_RESPONSE"

    def describe(self) -> dict[str, Any]:
        return {
            "Keyword": self.keyword,
            "KeywordMessage": self.message,
            "KeywordAction": self.action,
        }


def _default_keywords() -> dict[str, Keyword]:
    return {
        k: Keyword(k, DEFAULT_KEYWORD_MESSAGES[k], a) for k, a in DEFAULT_KEYWORD_ACTIONS.items()
    }


@dataclass
class TwoWaySettings:
    """Settings a number shares with a pool: two-way, opt-outs, deletion protection."""

    two_way_enabled: bool = False
    two_way_channel_arn: str | None = None
    two_way_channel_role: str | None = None
    self_managed_opt_outs: bool = False
    opt_out_list_name: str = DEFAULT_OPT_OUT_LIST
    deletion_protection: bool = False

    def describe_settings(self) -> dict[str, Any]:
        """The settings as the v2 API names them (a number and a pool describe them alike)."""
        return {
            "TwoWayEnabled": self.two_way_enabled,
            "TwoWayChannelArn": self.two_way_channel_arn,
            "TwoWayChannelRole": self.two_way_channel_role,
            "SelfManagedOptOutsEnabled": self.self_managed_opt_outs,
            "OptOutListName": self.opt_out_list_name,
            "DeletionProtectionEnabled": self.deletion_protection,
        }

    def settings_filters(self) -> dict[str, list[str]]:
        """The values the settings show to a Describe* filter, by filter name."""
        return {
            "two-way-enabled": [flag(self.two_way_enabled)],
            "self-managed-opt-outs-enabled": [flag(self.self_managed_opt_outs)],
            "opt-out-list-name": [self.opt_out_list_name],
            "deletion-protection-enabled": [flag(self.deletion_protection)],
            "two-way-channel-arn": [self.two_way_channel_arn or ""],
        }


@dataclass
class PhoneNumber(TwoWaySettings):
    """A phone number (or short code) leased by the account."""

    phone_number_id: str = ""
    arn: str = ""
    number: str = ""
    iso_country: str = "US"
    message_type: str = "TRANSACTIONAL"
    capabilities: tuple[str, ...] = ("SMS",)
    number_type: str = "TEN_DLC"
    created: datetime | None = None
    status: str = "ACTIVE"
    international_sending: bool = False
    pool_id: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    keywords: dict[str, Keyword] = field(default_factory=_default_keywords)

    kind = "phone-number"

    @property
    def identity(self) -> str:
        return self.number

    def describe(self) -> dict[str, Any]:
        return drop_none(
            {
                "PhoneNumberArn": self.arn,
                "PhoneNumberId": self.phone_number_id,
                "PhoneNumber": self.number,
                "Status": self.status,
                "IsoCountryCode": self.iso_country,
                "MessageType": self.message_type,
                "NumberCapabilities": list(self.capabilities),
                "NumberType": self.number_type,
                "MonthlyLeasingPrice": "0.00",
                **self.describe_settings(),
                "InternationalSendingEnabled": self.international_sending,
                "PoolId": self.pool_id,
                "CreatedTimestamp": self.created,
            }
        )

    def filter_values(self, name: str) -> list[str]:
        return {
            "status": [self.status],
            "iso-country-code": [self.iso_country],
            "message-type": [self.message_type],
            "number-capability": list(self.capabilities),
            "number-type": [self.number_type],
            **self.settings_filters(),
        }[name]


@dataclass
class SenderId:
    """An alphanumeric sender ID registered for one country (send-only)."""

    sender_id: str
    iso_country: str
    arn: str
    message_types: tuple[str, ...]
    deletion_protection: bool = False
    registered: bool = False
    pool_id: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)

    kind = "sender-id"
    capabilities = ("SMS",)
    number_type = "SENDER_ID"
    international_sending = False

    @property
    def identity(self) -> str:
        return self.sender_id

    def describe(self) -> dict[str, Any]:
        return {
            "SenderIdArn": self.arn,
            "SenderId": self.sender_id,
            "IsoCountryCode": self.iso_country,
            "MessageTypes": list(self.message_types),
            "MonthlyLeasingPrice": "0.00",
            "DeletionProtectionEnabled": self.deletion_protection,
            "Registered": self.registered,
        }

    def filter_values(self, name: str) -> list[str]:
        return {
            "sender-id": [self.sender_id],
            "iso-country-code": [self.iso_country],
            "message-type": list(self.message_types),
            "deletion-protection-enabled": [flag(self.deletion_protection)],
            "registered": [flag(self.registered)],
        }[name]


@dataclass
class Pool(TwoWaySettings):
    """A pool of origination identities that sends as one."""

    pool_id: str = ""
    arn: str = ""
    message_type: str = "TRANSACTIONAL"
    created: datetime | None = None
    status: str = "ACTIVE"
    shared_routes: bool = False
    members: list[PhoneNumber | SenderId] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    keywords: dict[str, Keyword] = field(default_factory=_default_keywords)

    kind = "pool"

    def describe(self) -> dict[str, Any]:
        return drop_none(
            {
                "PoolArn": self.arn,
                "PoolId": self.pool_id,
                "Status": self.status,
                "MessageType": self.message_type,
                **self.describe_settings(),
                "SharedRoutesEnabled": self.shared_routes,
                "CreatedTimestamp": self.created,
            }
        )

    def filter_values(self, name: str) -> list[str]:
        return {
            "status": [self.status],
            "message-type": [self.message_type],
            "shared-routes-enabled": [flag(self.shared_routes)],
            **self.settings_filters(),
        }[name]


@dataclass
class EventDestination:
    """Where a configuration set sends the events it matches: Logs, Firehose or SNS."""

    name: str
    matching: tuple[str, ...]
    enabled: bool = True
    cloudwatch_logs: dict[str, str] | None = None
    firehose: dict[str, str] | None = None
    sns: dict[str, str] | None = None

    @property
    def target_arn(self) -> str:
        if self.cloudwatch_logs:
            return self.cloudwatch_logs["LogGroupArn"]
        if self.firehose:
            return self.firehose["DeliveryStreamArn"]
        return (self.sns or {})["TopicArn"]

    def matches(self, event_type: str) -> bool:
        family = event_type.split("_", 1)[0]
        return self.enabled and bool(
            {"ALL", f"{family}_ALL", event_type}.intersection(self.matching)
        )

    def describe(self) -> dict[str, Any]:
        return drop_none(
            {
                "EventDestinationName": self.name,
                "Enabled": self.enabled,
                "MatchingEventTypes": list(self.matching),
                "CloudWatchLogsDestination": self.cloudwatch_logs,
                "KinesisFirehoseDestination": self.firehose,
                "SnsDestination": self.sns,
            }
        )


@dataclass
class ConfigurationSet:
    """Named send settings: event destinations, default sender ID and message type."""

    name: str
    arn: str
    created: datetime
    destinations: dict[str, EventDestination] = field(default_factory=dict)
    default_message_type: str | None = None
    default_sender_id: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return drop_none(
            {
                "ConfigurationSetArn": self.arn,
                "ConfigurationSetName": self.name,
                "EventDestinations": [d.describe() for d in self.destinations.values()],
                "DefaultMessageType": self.default_message_type,
                "DefaultSenderId": self.default_sender_id,
                "CreatedTimestamp": self.created,
            }
        )

    def filter_values(self, name: str) -> list[str]:
        return {
            "event-destination-name": list(self.destinations),
            "matching-event-types": sorted(
                {t for d in self.destinations.values() for t in d.matching}
            ),
            "default-message-type": [self.default_message_type or ""],
            "default-sender-id": [self.default_sender_id or ""],
        }.get(name, [])


@dataclass
class OptedOutNumber:
    number: str
    at: datetime
    end_user: bool

    def describe(self) -> dict[str, Any]:
        return {
            "OptedOutNumber": self.number,
            "OptedOutTimestamp": self.at,
            "EndUserOptedOut": self.end_user,
        }


@dataclass
class OptOutList:
    name: str
    arn: str
    created: datetime
    numbers: dict[str, OptedOutNumber] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "OptOutListArn": self.arn,
            "OptOutListName": self.name,
            "CreatedTimestamp": self.created,
        }


@dataclass
class VerifiedNumber:
    """A destination the sandbox may send to once its code has been verified."""

    verified_id: str
    arn: str
    number: str
    created: datetime
    status: str = "PENDING"
    code: str | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "VerifiedDestinationNumberArn": self.arn,
            "VerifiedDestinationNumberId": self.verified_id,
            "DestinationPhoneNumber": self.number,
            "Status": self.status,
            "CreatedTimestamp": self.created,
        }


@dataclass(slots=True)
class Message:
    """A text or voice message the account sent, with the events it produced.

    The events are kept as a compact trail (type, time, final); ``events`` rebuilds the records
    exactly as they were delivered, so a message costs a few hundred bytes, not kilobytes.
    """

    message_id: str
    channel: str  # SMS or VOICE
    origin: str
    destination: str
    body: str
    message_type: str
    requested_at: datetime
    parts: int = 1
    encoding: str = "GSM"
    price: float = 0.0
    context: dict[str, str] = field(default_factory=dict)
    configuration_set: str | None = None
    international: bool = False
    status: str = "QUEUED"
    final: bool = False
    #: ``(event type, eventTimestamp in ms, isFinal)`` of each event emitted, oldest first.
    trail: list[tuple[str, int, bool]] = field(default_factory=list)
    #: Called as ``on_final(message, event_type)`` once the final event is emitted.
    on_final: Callable[[Message, str], None] | None = field(default=None, repr=False)

    @property
    def events(self) -> list[dict[str, Any]]:
        """The event records the message produced, oldest first."""
        return [build_record(self, kind, at, final) for kind, at, final in self.trail]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_REQUESTED_AT = [f.name for f in fields(Message)].index("requested_at")
_values = operator.attrgetter(*(f.name for f in fields(Message)))
#: The last request time ``message_state`` wrote, and its microseconds since the epoch.
_LAST_AT: tuple[datetime | None, int] = (None, 0)


def message_state(message: Message) -> list[Any] | Message:
    """``message`` as plain values for ``message_from_state``: its fields in order, the request
    time as microseconds since the epoch (pickling a datetime costs more than the rest of a
    message). A message whose time is not plain UTC, or with a callback, stays as it is."""
    at = message.requested_at
    if message.on_final is not None or at.tzinfo is not UTC or at.fold:
        return message
    global _LAST_AT
    last = _LAST_AT
    if last[0] is not at:  # the texts of a run share their request time: worked out once
        last = _LAST_AT = (at, (at - _EPOCH) // _MICROSECOND)
    values = list(_values(message))
    values[_REQUESTED_AT] = last[1]
    return values


def message_from_state(state: list[Any] | Message) -> Message:
    """The message ``message_state`` wrote, equal to it field for field."""
    if isinstance(state, Message):
        return state
    values = state  # a state read back from the database is the caller's alone
    values[_REQUESTED_AT] = _EPOCH + values[_REQUESTED_AT] * _MICROSECOND
    return Message(*values)


def message_states(messages: list[Message]) -> bytes | list[tuple[Any, ...]]:
    """The states of a database row's ``messages``, read back by ``messages_from_states``.

    The fields of each in order, all written by ``marshal`` in one call with each request
    time as microseconds since the epoch: marshal writes plain values (strings, numbers,
    tuples, lists, dicts) in fewer steps than pickle, and a row of texts holds nothing else.
    A row with anything marshal does not write as it is (a callback, a subclass, a time that
    is not plain UTC) is written as it was before: each message's fields, for pickle.
    """
    states: list[list[Any]] = []
    keep = states.append
    last_at: datetime | None = None
    since = 0
    for m in messages:
        at = m.requested_at
        if at is not last_at:  # the texts of a run share their request time
            if type(at) is not datetime or at.tzinfo is not UTC or at.fold:
                return _field_states(messages)
            last_at, since = at, (at - _EPOCH) // _MICROSECOND
        keep(
            [
                m.message_id,
                m.channel,
                m.origin,
                m.destination,
                m.body,
                m.message_type,
                since,
                m.parts,
                m.encoding,
                m.price,
                m.context,
                m.configuration_set,
                m.international,
                m.status,
                m.final,
                m.trail,
                m.on_final,
            ]
        )
    try:
        return marshal.dumps(states)
    except ValueError:  # "unmarshallable object": not a plain value of a built-in type
        return _field_states(messages)


def _field_states(messages: list[Message]) -> list[tuple[Any, ...]]:
    """The fields of each of ``messages`` in order, as they are (the request time shared by
    the texts of a run is one object, which pickle then writes once a row)."""
    return [
        (
            m.message_id,
            m.channel,
            m.origin,
            m.destination,
            m.body,
            m.message_type,
            m.requested_at,
            m.parts,
            m.encoding,
            m.price,
            m.context,
            m.configuration_set,
            m.international,
            m.status,
            m.final,
            m.trail,
            m.on_final,
        )
        for m in messages
    ]


def messages_from_states(states: bytes | list[tuple[Any, ...]]) -> list[Message]:
    """The messages ``message_states`` wrote, equal to them field for field."""
    if not isinstance(states, bytes):
        return list(starmap(Message, states))
    made: list[Message] = []
    keep = made.append
    last: int | None = None
    at = _EPOCH
    for values in marshal.loads(states):  # lists of the caller's alone
        since = values[_REQUESTED_AT]
        if since != last:
            last, at = since, _EPOCH + since * _MICROSECOND
        values[_REQUESTED_AT] = at
        keep(Message(*values))
    return made


#: A spilling container whose codec is ``StateCodec(message_state, message_from_state)`` writes
#: and reads a row of messages at once.
row_form(message_state, message_states, messages_from_states)
