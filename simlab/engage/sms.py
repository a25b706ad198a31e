"""SMS and voice as AWS End User Messaging (``pinpoint-sms-voice-v2``) runs them, in plain Python.

The engine holds an account's origination identities (phone numbers, sender IDs, pools),
configuration sets and their event destinations, keywords, opt-out lists, the sandbox's
verified destinations and spend limits, and sends text and voice messages on the simulated
clock: a send is checked (identity, opt-out, sandbox, spend, MPS), recorded in the outbox,
reported as ``TEXT_QUEUED``/``TEXT_PENDING`` at once and as a final event after a seeded
carrier latency (``TEXT_UNKNOWN`` after 72 h without a receipt). Customer replies run the
number's keywords (STOP opts out, HELP answers) and go to its two-way SNS topic.

Every AWS figure comes from ``simlab.facts``; carrier outcomes and latencies are simulation
assumptions (``CarrierModel``), not AWS figures. Rejections raise ``SmsError`` subclasses that
name the modeled exception of the v2 API (``ValidationException``, ``ConflictException`` ...).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import phonenumbers
import phonenumbers.re_util

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox, OutboxMessage
from simlab.facts import prices, sms
from simlab.sim.rates import GSM7, MpsLimiter, RollingWindow, TokenBucket, count_parts

# Keep every compiled phonenumbers pattern: the re module's bounded cache drops them between
# sends, and recompiling them made each new destination cost milliseconds.
phonenumbers.re_util.enable_pattern_cache()

SERVICE = "sms-voice"
DEFAULT_OPT_OUT_LIST = "Default"
#: How AWS names the encodings in event records.
ENCODING_NAMES = {GSM7: "GSM", "UCS-2": "Unicode"}
#: The default answers of the two keywords every number starts with (our wording).
DEFAULT_KEYWORD_MESSAGES = {
    "HELP": "Reply STOP to stop receiving messages. Message and data rates may apply.",
    "STOP": "You are unsubscribed and will receive no more messages from this number.",
}
_DEFAULT_KEYWORD_ACTIONS = {"HELP": "AUTOMATIC_RESPONSE", "STOP": "OPT_OUT"}
#: Mobile country codes (ITU E.212) for the countries numbers are offered in.
MCC = {
    "US": "310", "CA": "302", "GB": "234", "DE": "262", "FR": "208", "ES": "214", "IT": "222",
    "IN": "404", "AU": "505", "JP": "440", "BR": "724", "MX": "334", "SG": "525", "VN": "452",
}  # fmt: skip
#: Where each requestable number type is offered here.
NUMBER_COUNTRIES = {
    "TEN_DLC": ("US",),
    "TOLL_FREE": ("US", "CA"),
    "SIMULATOR": ("US",),
    "LONG_CODE": tuple(c for c in MCC if c != "US"),
    "SHORT_CODE": tuple(MCC),
}
#: Countries where alphanumeric sender IDs are not supported.
NO_SENDER_ID_COUNTRIES = ("US", "CA")
#: The generic sender ID a shared route shows where it uses one (End User Messaging guide).
SHARED_ROUTE_SENDER_ID = "NOTICE"
SPEND_KINDS = {"TEXT": 0, "VOICE": 1, "MEDIA": 2, "NOTIFY": 3, "RCS": 4}
_VOICE_WORDS_PER_SECOND = 2.5  # a simulation assumption: how fast a TTS voice speaks

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


# -- errors ---------------------------------------------------------------------------------------


class SmsError(Exception):
    """A rejected request; ``code`` is the modeled exception of the v2 API."""

    code = "ValidationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def members(self) -> dict[str, Any]:
        """The modeled members of the exception besides Message."""
        return {}


class ValidationError(SmsError):
    code = "ValidationException"

    def __init__(self, message: str, *, reason: str = "FIELD_VALIDATION_FAILED", field: str = ""):
        super().__init__(message)
        self.reason, self.field = reason, field

    def members(self) -> dict[str, Any]:
        fields = [{"Name": self.field, "Message": self.message}] if self.field else []
        return {"Reason": self.reason, "Fields": fields}


class ConflictError(SmsError):
    code = "ConflictException"

    def __init__(self, message: str, *, reason: str, resource_type: str, resource_id: str):
        super().__init__(message)
        self.reason, self.resource_type, self.resource_id = reason, resource_type, resource_id

    def members(self) -> dict[str, Any]:
        return {
            "Reason": self.reason,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
        }


class NotFoundError(SmsError):
    code = "ResourceNotFoundException"

    def __init__(self, resource_type: str, resource_id: str, hint: str = ""):
        super().__init__(f"no {resource_type} {resource_id!r} in this account{hint}")
        self.resource_type, self.resource_id = resource_type, resource_id

    def members(self) -> dict[str, Any]:
        return {"ResourceType": self.resource_type, "ResourceId": self.resource_id}


class QuotaError(SmsError):
    code = "ServiceQuotaExceededException"

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason

    def members(self) -> dict[str, Any]:
        return {"Reason": self.reason}


class ThrottledError(SmsError):
    code = "ThrottlingException"


# -- records --------------------------------------------------------------------------------------


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
        k: Keyword(k, DEFAULT_KEYWORD_MESSAGES[k], a) for k, a in _DEFAULT_KEYWORD_ACTIONS.items()
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
        return _drop_none(
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
                "TwoWayEnabled": self.two_way_enabled,
                "TwoWayChannelArn": self.two_way_channel_arn,
                "TwoWayChannelRole": self.two_way_channel_role,
                "SelfManagedOptOutsEnabled": self.self_managed_opt_outs,
                "OptOutListName": self.opt_out_list_name,
                "InternationalSendingEnabled": self.international_sending,
                "DeletionProtectionEnabled": self.deletion_protection,
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
            "two-way-enabled": [_flag(self.two_way_enabled)],
            "self-managed-opt-outs-enabled": [_flag(self.self_managed_opt_outs)],
            "opt-out-list-name": [self.opt_out_list_name],
            "deletion-protection-enabled": [_flag(self.deletion_protection)],
            "two-way-channel-arn": [self.two_way_channel_arn or ""],
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
            "deletion-protection-enabled": [_flag(self.deletion_protection)],
            "registered": [_flag(self.registered)],
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
        return _drop_none(
            {
                "PoolArn": self.arn,
                "PoolId": self.pool_id,
                "Status": self.status,
                "MessageType": self.message_type,
                "TwoWayEnabled": self.two_way_enabled,
                "TwoWayChannelArn": self.two_way_channel_arn,
                "TwoWayChannelRole": self.two_way_channel_role,
                "SelfManagedOptOutsEnabled": self.self_managed_opt_outs,
                "OptOutListName": self.opt_out_list_name,
                "SharedRoutesEnabled": self.shared_routes,
                "DeletionProtectionEnabled": self.deletion_protection,
                "CreatedTimestamp": self.created,
            }
        )

    def filter_values(self, name: str) -> list[str]:
        return {
            "status": [self.status],
            "message-type": [self.message_type],
            "two-way-enabled": [_flag(self.two_way_enabled)],
            "self-managed-opt-outs-enabled": [_flag(self.self_managed_opt_outs)],
            "opt-out-list-name": [self.opt_out_list_name],
            "shared-routes-enabled": [_flag(self.shared_routes)],
            "deletion-protection-enabled": [_flag(self.deletion_protection)],
            "two-way-channel-arn": [self.two_way_channel_arn or ""],
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
        return _drop_none(
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
        return _drop_none(
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


@dataclass
class Message:
    """A text or voice message the account sent, with the events it produced."""

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
    events: list[dict[str, Any]] = field(default_factory=list)
    #: Called as ``on_final(message, event_type)`` once the final event is emitted.
    on_final: Callable[[Message, str], None] | None = field(default=None, repr=False)


@dataclass
class CarrierModel:
    """What carriers do with a message: outcome odds and receipt latency (assumptions).

    ``outcomes`` maps a final text status to its probability; ``UNKNOWN`` means no receipt
    ever comes, so the engine reports ``TEXT_UNKNOWN`` when the 72-hour wait runs out.
    Latency is lognormal around ``median_latency_s``. ``forced`` pins the outcome for a
    destination, e.g. to show a learner a block.
    """

    outcomes: Mapping[str, float] = field(
        default_factory=lambda: {
            "DELIVERED": 0.955,
            "UNREACHABLE": 0.012,
            "CARRIER_UNREACHABLE": 0.005,
            "BLOCKED": 0.008,
            "CARRIER_BLOCKED": 0.005,
            "SPAM": 0.005,
            "INVALID": 0.005,
            "UNKNOWN": 0.005,
        }
    )
    voice_outcomes: Mapping[str, float] = field(
        default_factory=lambda: {"COMPLETED": 0.85, "NO_ANSWER": 0.08, "BUSY": 0.04, "FAILED": 0.03}
    )
    median_latency_s: float = 4.0
    latency_sigma: float = 1.0
    ring_seconds: float = 8.0
    forced: dict[str, str] = field(default_factory=dict)

    def force(self, destination: str, status: str) -> None:
        """Makes every message to ``destination`` end as ``status`` (e.g. ``"BLOCKED"``)."""
        allowed = {*self.outcomes, *self.voice_outcomes, "TTL_EXPIRED"}
        if status not in allowed:
            raise ValueError(f"status must be one of {sorted(allowed)}, got {status!r}")
        self.forced[destination] = status


# -- helpers --------------------------------------------------------------------------------------


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _matches_filters(record: Any, filters: Iterable[Mapping[str, Any]] | None) -> bool:
    for item in filters or ():
        values = record.filter_values(item["Name"])
        if not set(values).intersection(item["Values"]):
            return False
    return True


@functools.lru_cache(maxsize=65_536)
def parse_e164(number: str, field_name: str) -> tuple[str, str]:
    """Returns (number, ISO country) of an E.164 number; raises ValidationError naming the field."""
    problem = f"{field_name} must be a phone number in E.164 format (+, country code, number)"
    if not number.startswith("+"):
        raise ValidationError(f"{problem}, got {number!r}", field=field_name)
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"{problem}, got {number!r}", field=field_name) from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(
            f"{problem}; {number!r} has the wrong length for its country", field=field_name
        )
    country = phonenumbers.region_code_for_number(parsed) or "ZZ"
    if country == "ZZ":
        country = phonenumbers.region_code_for_country_code(parsed.country_code)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), country


def _choose(rng: np.random.Generator, odds: Mapping[str, float]) -> str:
    """Draws one name with probability proportional to its odds."""
    point = float(rng.random()) * sum(odds.values())
    for name, weight in odds.items():
        point -= weight
        if point < 0:
            return name
    return next(reversed(odds))


# -- the engine -----------------------------------------------------------------------------------


class SmsVoiceEngine:
    """One account's End User Messaging SMS and voice in one Region, on a simulated clock.

    ``deliver(arn, record)`` writes an event record to a destination ARN (Logs, Firehose, SNS);
    ``publish(topic_arn, text)`` publishes an inbound message to a two-way SNS topic;
    ``new_id()`` returns a fresh UUID string; ``rng(name)`` a seeded random stream.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        outbox: Outbox,
        rng: Callable[[str], np.random.Generator],
        new_id: Callable[[], str],
        account_id: str = "123456789012",
        region: str = "us-east-1",
        deliver: Callable[[str, dict[str, Any]], None] | None = None,
        publish: Callable[[str, str], None] | None = None,
        carrier: CarrierModel | None = None,
    ) -> None:
        self.clock, self.outbox, self.rng, self.new_id = clock, outbox, rng, new_id
        self.account_id, self.region = account_id, region
        self.deliver, self.publish = deliver, publish
        self.carrier = carrier or CarrierModel()
        self.numbers: dict[str, PhoneNumber] = {}
        self.sender_ids: dict[tuple[str, str], SenderId] = {}
        self.pools: dict[str, Pool] = {}
        self.configuration_sets: dict[str, ConfigurationSet] = {}
        self.opt_out_lists: dict[str, OptOutList] = {}
        self.verified: dict[str, VerifiedNumber] = {}
        self.messages: dict[str, Message] = {}
        self.inbound: list[dict[str, Any]] = []
        self.delivery_errors: list[str] = []
        self.tier = "SANDBOXED"
        self.max_spend = {k: sms.DEFAULT_MONTHLY_SPEND_LIMIT_USD.value for k in SPEND_KINDS}
        self.max_spend["MEDIA"] = sms.DEFAULT_MONTHLY_MMS_SPEND_LIMIT_USD.value
        self.spend_overrides: dict[str, float] = {}
        self.spent: dict[tuple[str, str], float] = {}
        self.refused: dict[tuple[str, str], int] = {}
        self.mps = MpsLimiter()
        self._dry_runs: dict[str, TokenBucket] = {}
        self.opt_out_listeners: list[Callable[[str], None]] = []
        #: Called as ``check(identity, destination, channel, configuration_set)`` before a send
        #: is accepted (registrations, protect configurations); a check raises to refuse it.
        self.send_checks: list[Callable[..., None]] = []
        self._last_outbound: dict[tuple[str, str], str] = {}
        self._voice_minute = RollingWindow(60, sms.VOICE_SANDBOX_CALLS_PER_MINUTE.value)
        self._voice_day = RollingWindow(86_400, sms.VOICE_SANDBOX_CALLS_PER_24H.value)
        self._voice_per_recipient: dict[str, RollingWindow] = {}
        self._allocated: set[str] = set()
        self._shared_routes: dict[tuple[str, str], SenderId] = {}
        self.opt_out_lists[DEFAULT_OPT_OUT_LIST] = OptOutList(
            DEFAULT_OPT_OUT_LIST, self._arn("opt-out-list", DEFAULT_OPT_OUT_LIST), self.clock.now()
        )

    # -- ids and lookups -------------------------------------------------------------------

    def _arn(self, kind: str, name: str) -> str:
        return f"arn:aws:sms-voice:{self.region}:{self.account_id}:{kind}/{name}"

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{self.new_id().replace('-', '')}"

    def phone_number(self, ref: str, field_name: str = "PhoneNumberId") -> PhoneNumber:
        """Finds a number by id, ARN or the number itself."""
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        for number in self.numbers.values():
            if key in (number.phone_number_id, number.number):
                return number
        raise NotFoundError("phone-number", ref, f" ({field_name}: give a PhoneNumberId or ARN)")

    def pool(self, ref: str) -> Pool:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.pools:
            raise NotFoundError("pool", ref)
        return self.pools[key]

    def sender_id(self, ref: str, iso_country: str | None = None) -> SenderId:
        if ref.startswith("arn:"):
            parts = ref.split("/")
            ref, iso_country = parts[-2], parts[-1]
        for (name, country), record in self.sender_ids.items():
            if name == ref and (iso_country is None or iso_country == country):
                return record
        raise NotFoundError("sender-id", ref if iso_country is None else f"{ref}/{iso_country}")

    def configuration_set(self, ref: str) -> ConfigurationSet:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.configuration_sets:
            raise NotFoundError("configuration-set", ref)
        return self.configuration_sets[key]

    def opt_out_list(self, ref: str) -> OptOutList:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.opt_out_lists:
            raise NotFoundError("opt-out-list", ref)
        return self.opt_out_lists[key]

    def keyword_owner(self, ref: str) -> PhoneNumber | Pool:
        """A number or pool (keywords live on either)."""
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key in self.pools:
            return self.pools[key]
        return self.phone_number(ref, "OriginationIdentity")

    def origination(self, ref: str) -> PhoneNumber | SenderId | Pool:
        """Resolves an OriginationIdentity: number, id or ARN; pool id or ARN; sender ID or ARN."""
        if ref.startswith("arn:") and ":sender-id/" in ref:
            return self.sender_id(ref)
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key in self.pools:
            return self.pools[key]
        try:
            return self.phone_number(ref, "OriginationIdentity")
        except NotFoundError:
            pass
        for (name, _), record in self.sender_ids.items():
            if name == key:
                return record
        raise NotFoundError(
            "phone-number",
            ref,
            " (OriginationIdentity: give a phone number, its id or ARN, a pool id or ARN, or a "
            "sender ID)",
        )

    def settings_of(self, identity: PhoneNumber | SenderId) -> TwoWaySettings:
        """The settings that apply to an identity: its pool's when it is in one."""
        if identity.pool_id is not None and identity.pool_id in self.pools:
            return self.pools[identity.pool_id]
        return identity if isinstance(identity, PhoneNumber) else TwoWaySettings()

    # -- phone numbers ---------------------------------------------------------------------

    def request_phone_number(
        self,
        *,
        iso_country: str,
        message_type: str,
        capabilities: Iterable[str],
        number_type: str,
        opt_out_list_name: str | None = None,
        pool_id: str | None = None,
        deletion_protection: bool = False,
        international_sending: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> PhoneNumber:
        """Leases a number of ``number_type`` in ``iso_country``, allocated deterministically."""
        offered = NUMBER_COUNTRIES.get(number_type, ())
        if iso_country not in offered:
            raise ValidationError(
                f"{number_type} numbers are offered here in {', '.join(offered)}; "
                f"IsoCountryCode {iso_country!r} is not one of them",
                reason="COUNTRY_NOT_ENABLED" if number_type != "TEN_DLC" else "INVALID_PARAMETER",
                field="IsoCountryCode",
            )
        if len(self.numbers) >= sms.MAX_PHONE_NUMBERS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_PHONE_NUMBERS.value} phone numbers, its quota",
                reason="PHONE_NUMBERS_PER_ACCOUNT",
            )
        opt_list = self.opt_out_list(opt_out_list_name or DEFAULT_OPT_OUT_LIST).name
        pool = self.pool(pool_id) if pool_id else None
        phone_id = self._id("phone")
        record = PhoneNumber(
            phone_number_id=phone_id,
            arn=self._arn("phone-number", phone_id),
            number=self._allocate(number_type, iso_country),
            iso_country=iso_country,
            message_type=message_type,
            capabilities=tuple(dict.fromkeys(capabilities)),
            number_type=number_type,
            created=self.clock.now(),
            opt_out_list_name=opt_list,
            deletion_protection=deletion_protection,
            international_sending=international_sending,
            tags=list(tags or []),
        )
        self.numbers[phone_id] = record
        if pool is not None:
            self.associate(pool.pool_id, record.phone_number_id)
        return record

    def provision_short_code(
        self, iso_country: str = "US", message_type: str = "TRANSACTIONAL"
    ) -> PhoneNumber:
        """Adds a short code (AWS leases them through a support case, not RequestPhoneNumber)."""
        return self.request_phone_number(
            iso_country=iso_country,
            message_type=message_type,
            capabilities=("SMS",),
            number_type="SHORT_CODE",
        )

    def _allocate(self, number_type: str, iso_country: str) -> str:
        rng = self.rng(f"sms.numbers.{number_type}.{iso_country}")
        for _ in range(200):
            candidate = self._candidate(rng, number_type, iso_country)
            if candidate not in self._allocated:
                self._allocated.add(candidate)
                return candidate
        raise QuotaError(
            f"no more {number_type} numbers in {iso_country}", reason="PHONE_NUMBERS_PER_ACCOUNT"
        )

    @staticmethod
    def _candidate(rng: np.random.Generator, number_type: str, iso_country: str) -> str:
        digits = lambda n: "".join(str(d) for d in rng.integers(0, 10, n))  # noqa: E731
        if number_type == "SHORT_CODE":
            return str(rng.integers(2, 10)) + digits(4)
        if number_type == "SIMULATOR":  # the 555-01XX block is reserved for fiction
            return "+1206555" + "01" + digits(2)
        kind = {
            "TOLL_FREE": phonenumbers.PhoneNumberType.TOLL_FREE,
            "TEN_DLC": phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        }.get(number_type, phonenumbers.PhoneNumberType.MOBILE)
        example = phonenumbers.example_number_for_type(iso_country, kind)
        national = str(example.national_number)
        keep = max(3, len(national) - 6)
        for _ in range(50):
            parsed = phonenumbers.parse(
                f"+{example.country_code}{national[:keep]}{digits(len(national) - keep)}", None
            )
            if phonenumbers.is_valid_number(parsed):
                return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return f"+{example.country_code}{national}"

    def describe_phone_numbers(
        self, ids: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[PhoneNumber]:
        records = [self.phone_number(i) for i in ids] if ids else list(self.numbers.values())
        return [r for r in records if _matches_filters(r, filters)]

    def update_phone_number(self, ref: str, **changes: Any) -> PhoneNumber:
        """Changes two-way, opt-out and protection settings of a number."""
        record = self.phone_number(ref)
        self._update_settings(record, changes)
        if changes.get("international_sending") is not None:
            record.international_sending = bool(changes["international_sending"])
        return record

    def _update_settings(self, record: PhoneNumber | Pool, changes: Mapping[str, Any]) -> None:
        two_way = changes.get("two_way_enabled")
        channel = changes.get("two_way_channel_arn") or record.two_way_channel_arn
        if two_way and not channel:
            raise ValidationError(
                "TwoWayChannelArn is required when TwoWayEnabled is true (the SNS topic ARN, or "
                "'connect.<region>.amazonaws.com' for Amazon Connect)",
                reason="TWO_WAY_CHANNEL_NOT_PRESENT",
                field="TwoWayChannelArn",
            )
        if changes.get("opt_out_list_name"):
            record.opt_out_list_name = self.opt_out_list(changes["opt_out_list_name"]).name
        for key in ("two_way_enabled", "self_managed_opt_outs", "deletion_protection"):
            if changes.get(key) is not None:
                setattr(record, key, bool(changes[key]))
        for key in ("two_way_channel_arn", "two_way_channel_role"):
            if changes.get(key) is not None:
                setattr(record, key, changes[key])
        if isinstance(record, Pool) and changes.get("shared_routes") is not None:
            record.shared_routes = bool(changes["shared_routes"])

    def release_phone_number(self, ref: str) -> PhoneNumber:
        record = self.phone_number(ref)
        if record.deletion_protection:
            raise ConflictError(
                f"{record.number} has deletion protection; turn DeletionProtectionEnabled off "
                "with UpdatePhoneNumber first",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="phone-number",
                resource_id=record.phone_number_id,
            )
        if record.pool_id is not None:
            raise ConflictError(
                f"{record.number} belongs to pool {record.pool_id}; disassociate it first",
                reason="PHONE_NUMBER_ASSOCIATED_TO_POOL",
                resource_type="phone-number",
                resource_id=record.phone_number_id,
            )
        del self.numbers[record.phone_number_id]
        self.mps.forget(record.arn)
        record.status = "DELETED"
        return record

    # -- sender IDs ------------------------------------------------------------------------

    def request_sender_id(
        self,
        sender_id: str,
        iso_country: str,
        message_types: Iterable[str] = (),
        deletion_protection: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> SenderId:
        if iso_country in NO_SENDER_ID_COUNTRIES:
            raise ValidationError(
                f"sender IDs are not supported in {iso_country}; use a phone number there",
                reason="SENDER_ID_NOT_SUPPORTED",
                field="IsoCountryCode",
            )
        if sender_id.isdigit():
            raise ValidationError(
                "SenderId must contain at least one letter",
                reason="INVALID_PARAMETER",
                field="SenderId",
            )
        key = (sender_id, iso_country)
        if key in self.sender_ids:
            raise ConflictError(
                f"sender ID {sender_id} already exists for {iso_country}",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="sender-id",
                resource_id=sender_id,
            )
        record = SenderId(
            sender_id,
            iso_country,
            self._arn("sender-id", f"{sender_id}/{iso_country}"),
            tuple(message_types) or ("TRANSACTIONAL", "PROMOTIONAL"),
            deletion_protection,
            tags=list(tags or []),
        )
        self.sender_ids[key] = record
        return record

    def describe_sender_ids(
        self,
        ids: Iterable[Mapping[str, str]] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> list[SenderId]:
        if ids:
            records = [self.sender_id(i["SenderId"], i["IsoCountryCode"]) for i in ids]
        else:
            records = list(self.sender_ids.values())
        return [r for r in records if _matches_filters(r, filters)]

    def release_sender_id(self, ref: str, iso_country: str) -> SenderId:
        record = self.sender_id(ref, iso_country)
        if record.pool_id is not None:
            raise ConflictError(
                f"sender ID {record.sender_id} belongs to pool {record.pool_id}; disassociate it",
                reason="SENDER_ID_ASSOCIATED_TO_POOL",
                resource_type="sender-id",
                resource_id=record.sender_id,
            )
        if record.deletion_protection:
            raise ConflictError(
                f"sender ID {record.sender_id} has deletion protection",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="sender-id",
                resource_id=record.sender_id,
            )
        del self.sender_ids[(record.sender_id, record.iso_country)]
        return record

    # -- pools -----------------------------------------------------------------------------

    def _member(self, ref: str, iso_country: str | None) -> PhoneNumber | SenderId:
        if ref.startswith("arn:") and ":sender-id/" in ref:
            return self.sender_id(ref)
        try:
            return self.phone_number(ref, "OriginationIdentity")
        except NotFoundError:
            if iso_country is None and any(n == ref for n, _ in self.sender_ids):
                raise ValidationError(
                    "IsoCountryCode is required to name a sender ID",
                    reason="MISSING_PARAMETER",
                    field="IsoCountryCode",
                ) from None
            return self.sender_id(ref, iso_country)

    def create_pool(
        self,
        origination_identity: str,
        message_type: str,
        iso_country: str | None = None,
        deletion_protection: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> Pool:
        if len(self.pools) >= sms.MAX_POOLS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_POOLS.value} pools, its quota",
                reason="POOLS_PER_ACCOUNT",
            )
        member = self._member(origination_identity, iso_country)
        pool_id = self._id("pool")
        pool = Pool(
            pool_id=pool_id,
            arn=self._arn("pool", pool_id),
            message_type=message_type,
            created=self.clock.now(),
            deletion_protection=deletion_protection,
            tags=list(tags or []),
        )
        self._check_joinable(pool, member)
        self.pools[pool_id] = pool
        self._join(pool, member)
        return pool

    def _check_joinable(self, pool: Pool, member: PhoneNumber | SenderId) -> None:
        if member.pool_id is not None:
            reason = (
                "PHONE_NUMBER_ASSOCIATED_TO_POOL"
                if isinstance(member, PhoneNumber)
                else "SENDER_ID_ASSOCIATED_TO_POOL"
            )
            raise ConflictError(
                f"{member.identity} already belongs to pool {member.pool_id}",
                reason=reason,
                resource_type=member.kind,
                resource_id=member.identity,
            )
        types = (member.message_type,) if isinstance(member, PhoneNumber) else member.message_types
        if pool.message_type not in types:
            raise ConflictError(
                f"{member.identity} sends {'/'.join(types)} messages; the pool sends "
                f"{pool.message_type}",
                reason="MESSAGE_TYPE_MISMATCH",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        if len(pool.members) >= sms.MAX_IDENTITIES_PER_POOL.value:
            raise QuotaError(
                f"pool {pool.pool_id} already has {sms.MAX_IDENTITIES_PER_POOL.value} identities",
                reason="ORIGINATION_IDENTITIES_PER_POOL",
            )

    def _join(self, pool: Pool, member: PhoneNumber | SenderId) -> None:
        pool.members.append(member)
        member.pool_id = pool.pool_id

    def associate(
        self, pool_id: str, origination_identity: str, iso_country: str | None = None
    ) -> tuple[Pool, PhoneNumber | SenderId]:
        pool = self.pool(pool_id)
        member = self._member(origination_identity, iso_country)
        if member.pool_id == pool.pool_id:
            raise ConflictError(
                f"{member.identity} is already in pool {pool.pool_id}",
                reason="RESOURCE_ALREADY_ASSOCIATED",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        self._check_joinable(pool, member)
        self._join(pool, member)
        return pool, member

    def disassociate(
        self, pool_id: str, origination_identity: str, iso_country: str | None = None
    ) -> tuple[Pool, PhoneNumber | SenderId]:
        pool = self.pool(pool_id)
        member = self._member(origination_identity, iso_country)
        if member.pool_id != pool.pool_id:
            raise ConflictError(
                f"{member.identity} is not in pool {pool.pool_id}",
                reason="PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        if len(pool.members) == 1:
            raise ConflictError(
                f"{member.identity} is the last identity of pool {pool.pool_id}; delete the pool",
                reason="LAST_PHONE_NUMBER",
                resource_type="pool",
                resource_id=pool.pool_id,
            )
        pool.members.remove(member)
        member.pool_id = None
        return pool, member

    def pool_members(
        self, pool_id: str, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> tuple[Pool, list[PhoneNumber | SenderId]]:
        pool = self.pool(pool_id)
        wanted = []
        for member in pool.members:
            values = {
                "iso-country-code": [member.iso_country],
                "number-capability": list(member.capabilities),
            }
            if all(set(values[f["Name"]]).intersection(f["Values"]) for f in filters or ()):
                wanted.append(member)
        return pool, wanted

    def describe_pools(
        self, ids: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[Pool]:
        records = [self.pool(i) for i in ids] if ids else list(self.pools.values())
        return [r for r in records if _matches_filters(r, filters)]

    def update_pool(self, ref: str, **changes: Any) -> Pool:
        pool = self.pool(ref)
        self._update_settings(pool, changes)
        return pool

    def delete_pool(self, ref: str) -> Pool:
        pool = self.pool(ref)
        if pool.deletion_protection:
            raise ConflictError(
                f"pool {pool.pool_id} has deletion protection; turn it off with UpdatePool",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="pool",
                resource_id=pool.pool_id,
            )
        for member in pool.members:
            member.pool_id = None
        del self.pools[pool.pool_id]
        pool.status = "DELETING"
        return pool

    # -- configuration sets and event destinations -----------------------------------------

    def create_configuration_set(
        self, name: str, tags: list[dict[str, str]] | None = None
    ) -> ConfigurationSet:
        if name in self.configuration_sets:
            raise ConflictError(
                f"configuration set {name} already exists",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="configuration-set",
                resource_id=name,
            )
        if len(self.configuration_sets) >= sms.MAX_CONFIGURATION_SETS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_CONFIGURATION_SETS.value} configuration sets",
                reason="CONFIGURATION_SETS_PER_ACCOUNT",
            )
        record = ConfigurationSet(
            name, self._arn("configuration-set", name), self.clock.now(), tags=list(tags or [])
        )
        self.configuration_sets[name] = record
        return record

    def describe_configuration_sets(
        self, names: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[ConfigurationSet]:
        records = (
            [self.configuration_set(n) for n in names]
            if names
            else list(self.configuration_sets.values())
        )
        return [r for r in records if _matches_filters(r, filters)]

    def delete_configuration_set(self, ref: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        del self.configuration_sets[record.name]
        return record

    def set_default_sender_id(self, ref: str, sender_id: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        record.default_sender_id = sender_id
        return record

    def set_default_message_type(self, ref: str, message_type: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        record.default_message_type = message_type
        return record

    def _destination(
        self,
        name: str,
        matching: Iterable[str],
        cloudwatch_logs: dict[str, str] | None,
        firehose: dict[str, str] | None,
        sns_topic: dict[str, str] | None,
    ) -> EventDestination:
        matching = tuple(dict.fromkeys(matching))
        if "TEXT_SENT" in matching:
            raise ValidationError(
                "TEXT_SENT cannot be used as an event destination filter; use TEXT_ALL or the "
                "TEXT_* statuses",
                reason="INVALID_PARAMETER",
                field="MatchingEventTypes",
            )
        given = [d for d in (cloudwatch_logs, firehose, sns_topic) if d]
        if len(given) != 1:
            raise ValidationError(
                "give exactly one of CloudWatchLogsDestination, KinesisFirehoseDestination or "
                f"SnsDestination (got {len(given)})",
                reason="INVALID_PARAMETER" if given else "MISSING_PARAMETER",
                field="EventDestination",
            )
        return EventDestination(name, matching, True, cloudwatch_logs, firehose, sns_topic)

    def create_event_destination(
        self,
        configuration_set: str,
        name: str,
        matching: Iterable[str],
        *,
        cloudwatch_logs: dict[str, str] | None = None,
        firehose: dict[str, str] | None = None,
        sns_topic: dict[str, str] | None = None,
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        if name in record.destinations:
            raise ConflictError(
                f"event destination {name} already exists in {record.name}",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="event-destination",
                resource_id=name,
            )
        limit = sms.MAX_EVENT_DESTINATIONS_PER_CONFIGURATION_SET.value
        if len(record.destinations) >= limit:
            raise QuotaError(
                f"configuration set {record.name} already has {limit} event destinations",
                reason="EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
            )
        destination = self._destination(name, matching, cloudwatch_logs, firehose, sns_topic)
        record.destinations[name] = destination
        return record, destination

    def update_event_destination(
        self,
        configuration_set: str,
        name: str,
        *,
        enabled: bool | None = None,
        matching: Iterable[str] | None = None,
        cloudwatch_logs: dict[str, str] | None = None,
        firehose: dict[str, str] | None = None,
        sns_topic: dict[str, str] | None = None,
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        old = record.destinations.get(name)
        if old is None:
            raise NotFoundError("event-destination", name)
        targets = (cloudwatch_logs, firehose, sns_topic)
        if not any(targets):
            targets = (old.cloudwatch_logs, old.firehose, old.sns)
        new = self._destination(name, matching or old.matching, *targets)
        record.destinations[name] = replace(
            new, enabled=old.enabled if enabled is None else enabled
        )
        return record, record.destinations[name]

    def delete_event_destination(
        self, configuration_set: str, name: str
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        if name not in record.destinations:
            raise NotFoundError("event-destination", name)
        return record, record.destinations.pop(name)

    # -- keywords --------------------------------------------------------------------------

    def put_keyword(
        self, owner_ref: str, keyword: str, message: str, action: str | None = None
    ) -> tuple[PhoneNumber | Pool, Keyword]:
        owner = self.keyword_owner(owner_ref)
        word = keyword.strip().upper()
        fixed = _DEFAULT_KEYWORD_ACTIONS.get(word)
        if fixed is not None and action is not None and action != fixed:
            raise ConflictError(
                f"the action of {word} is {fixed} and cannot change; only its message can",
                reason="KEYWORD_MISMATCH",
                resource_type="keyword",
                resource_id=word,
            )
        if word not in owner.keywords and len(owner.keywords) >= sms.MAX_KEYWORDS_PER_NUMBER.value:
            raise QuotaError(
                f"{owner_ref} already has {sms.MAX_KEYWORDS_PER_NUMBER.value} keywords",
                reason="KEYWORDS_PER_POOL"
                if isinstance(owner, Pool)
                else "KEYWORDS_PER_PHONE_NUMBER",
            )
        record = Keyword(word, message, action or fixed or "AUTOMATIC_RESPONSE")
        owner.keywords[word] = record
        return owner, record

    def describe_keywords(
        self,
        owner_ref: str,
        keywords: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> tuple[PhoneNumber | Pool, list[Keyword]]:
        owner = self.keyword_owner(owner_ref)
        records = list(owner.keywords.values())
        if keywords:
            wanted = {k.upper() for k in keywords}
            records = [r for r in records if r.keyword in wanted]
        for item in filters or ():
            records = [r for r in records if r.action in item["Values"]]
        return owner, records

    def delete_keyword(self, owner_ref: str, keyword: str) -> tuple[PhoneNumber | Pool, Keyword]:
        owner = self.keyword_owner(owner_ref)
        word = keyword.strip().upper()
        if word in _DEFAULT_KEYWORD_ACTIONS:
            raise ConflictError(
                f"{word} is required on every number and cannot be deleted",
                reason="RESOURCE_DELETION_NOT_ALLOWED",
                resource_type="keyword",
                resource_id=word,
            )
        if word not in owner.keywords:
            raise NotFoundError("keyword", word)
        return owner, owner.keywords.pop(word)

    # -- opt-out lists ---------------------------------------------------------------------

    def create_opt_out_list(self, name: str) -> OptOutList:
        if name in self.opt_out_lists:
            raise ConflictError(
                f"opt-out list {name} already exists",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="opt-out-list",
                resource_id=name,
            )
        if len(self.opt_out_lists) >= sms.MAX_OPT_OUT_LISTS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_OPT_OUT_LISTS.value} opt-out lists "
                "(Default included)",
                reason="OPT_OUT_LISTS_PER_ACCOUNT",
            )
        record = OptOutList(name, self._arn("opt-out-list", name), self.clock.now())
        self.opt_out_lists[name] = record
        return record

    def describe_opt_out_lists(self, names: Iterable[str] | None = None) -> list[OptOutList]:
        return [self.opt_out_list(n) for n in names] if names else list(self.opt_out_lists.values())

    def delete_opt_out_list(self, ref: str) -> OptOutList:
        record = self.opt_out_list(ref)
        users = [
            n.phone_number_id for n in self.numbers.values() if n.opt_out_list_name == record.name
        ]
        users += [p.pool_id for p in self.pools.values() if p.opt_out_list_name == record.name]
        if record.name == DEFAULT_OPT_OUT_LIST or users:
            why = "it is the account's Default list" if not users else f"{users[0]} uses it"
            raise ConflictError(
                f"opt-out list {record.name} cannot be deleted: {why}",
                reason="RESOURCE_DELETION_NOT_ALLOWED",
                resource_type="opt-out-list",
                resource_id=record.name,
            )
        return self.opt_out_lists.pop(record.name)

    def put_opted_out_number(
        self, list_ref: str, number: str, *, end_user: bool = False
    ) -> tuple[OptOutList, OptedOutNumber]:
        record = self.opt_out_list(list_ref)
        number, _ = parse_e164(number, "OptedOutNumber")
        entry = record.numbers.get(number)
        if entry is None or (end_user and not entry.end_user):
            entry = OptedOutNumber(number, self.clock.now(), end_user)
            record.numbers[number] = entry
        return record, entry

    def describe_opted_out_numbers(
        self,
        list_ref: str,
        numbers: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> tuple[OptOutList, list[OptedOutNumber]]:
        record = self.opt_out_list(list_ref)
        entries = list(record.numbers.values())
        if numbers:
            entries = [e for e in entries if e.number in set(numbers)]
        for item in filters or ():
            entries = [e for e in entries if _flag(e.end_user) in item["Values"]]
        return record, entries

    def delete_opted_out_number(
        self, list_ref: str, number: str
    ) -> tuple[OptOutList, OptedOutNumber]:
        record = self.opt_out_list(list_ref)
        if number not in record.numbers:
            raise NotFoundError("opted-out-number", number)
        return record, record.numbers.pop(number)

    def is_opted_out(self, list_name: str, number: str) -> bool:
        record = self.opt_out_lists.get(list_name)
        return record is not None and number in record.numbers

    # -- account, spend, sandbox -----------------------------------------------------------

    def leave_sandbox(self, monthly_spend_limit: float | None = None) -> None:
        """Moves the account to production (AWS does it through a support case)."""
        self.tier = "PRODUCTION"
        self._voice_minute.limit = sms.VOICE_PRODUCTION_CALLS_PER_MINUTE.value
        self._voice_day.limit = -1
        if monthly_spend_limit is not None:
            for kind in SPEND_KINDS:
                self.max_spend[kind] = float(monthly_spend_limit)

    def spend_limit(self, kind: str) -> float:
        """The limit enforced on ``kind`` (TEXT, VOICE ...) this month, in USD."""
        return self.spend_overrides.get(kind, self.max_spend[kind])

    def spent_this_month(self, kind: str) -> float:
        return self.spent.get((kind, f"{self.clock.now():%Y-%m}"), 0.0)

    def set_spend_limit_override(self, kind: str, limit: int) -> int:
        if limit > self.max_spend[kind]:
            raise ValidationError(
                f"MonthlyLimit {limit} is above this account's {kind} limit of "
                f"{self.max_spend[kind]:g} USD; ask AWS Support for more",
                reason="REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT",
                field="MonthlyLimit",
            )
        self.spend_overrides[kind] = float(limit)
        return limit

    def delete_spend_limit_override(self, kind: str) -> int:
        return int(self.spend_overrides.pop(kind, self.max_spend[kind]))

    def describe_spend_limits(self) -> list[dict[str, Any]]:
        return [
            {
                "Name": f"{kind}_MESSAGE_MONTHLY_SPEND_LIMIT",
                "EnforcedLimit": int(self.spend_limit(kind)),
                "MaxLimit": int(self.max_spend[kind]),
                "Overridden": kind in self.spend_overrides,
            }
            for kind in SPEND_KINDS
        ]

    def account_limits(self) -> list[dict[str, Any]]:
        used = {
            "PHONE_NUMBERS": (len(self.numbers), sms.MAX_PHONE_NUMBERS.value),
            "POOLS": (len(self.pools), sms.MAX_POOLS.value),
            "CONFIGURATION_SETS": (len(self.configuration_sets), sms.MAX_CONFIGURATION_SETS.value),
            "OPT_OUT_LISTS": (len(self.opt_out_lists), sms.MAX_OPT_OUT_LISTS.value),
            "VERIFIED_DESTINATION_NUMBERS": (
                len(self.verified),
                sms.SANDBOX_MAX_VERIFIED_NUMBERS.value,
            ),
        }
        return [{"Name": k, "Used": u, "Max": m} for k, (u, m) in used.items()]

    def create_verified_destination_number(self, number: str) -> VerifiedNumber:
        number, _ = parse_e164(number, "DestinationPhoneNumber")
        if any(v.number == number for v in self.verified.values()):
            raise ConflictError(
                f"{number} is already a verified destination number",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="verified-destination-number",
                resource_id=number,
            )
        if len(self.verified) >= sms.SANDBOX_MAX_VERIFIED_NUMBERS.value:
            raise QuotaError(
                f"the sandbox allows {sms.SANDBOX_MAX_VERIFIED_NUMBERS.value} verified destination "
                "numbers; delete one first",
                reason="VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT",
            )
        verified_id = self._id("verifieddestinationnumber")
        record = VerifiedNumber(
            verified_id,
            self._arn("verified-destination-number", verified_id),
            number,
            self.clock.now(),
        )
        self.verified[verified_id] = record
        return record

    def verified_number(self, ref: str) -> VerifiedNumber:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.verified:
            raise NotFoundError("verified-destination-number", ref)
        return self.verified[key]

    def send_verification_code(
        self,
        ref: str,
        channel: str = "TEXT",
        origination_identity: str | None = None,
        configuration_set: str | None = None,
        context: Mapping[str, str] | None = None,
    ) -> str:
        """Sends a fresh code to a verified destination (the code is in the outbox)."""
        record = self.verified_number(ref)
        if record.status == "VERIFIED":
            raise ConflictError(
                f"{record.number} is already verified",
                reason="VERIFICATION_ALREADY_COMPLETE",
                resource_type="verified-destination-number",
                resource_id=record.verified_id,
            )
        code = "".join(str(d) for d in self.rng("sms.verification").integers(0, 10, 6))
        record.code = code
        body = f"Your AWS End User Messaging verification code is {code}"
        origin = "AWS"
        if origination_identity:
            origin = self._pick_identity(
                self.origination(origination_identity), record.number, "SMS", 1
            )[0].identity
        message_id = self.new_id()
        self.outbox.add(
            OutboxMessage(
                channel="VOICE" if channel == "VOICE" else "SMS",
                service=SERVICE,
                origin=origin,
                destination=record.number,
                body=body,
                message_id=message_id,
                sent_at=self.clock.now(),
                status="DELIVERED",
                detail={"purpose": "verification", "code": code, "context": dict(context or {})},
            )
        )
        return message_id

    def verify_destination_number(self, ref: str, code: str) -> VerifiedNumber:
        record = self.verified_number(ref)
        if record.status == "VERIFIED":
            raise ConflictError(
                f"{record.number} is already verified",
                reason="VERIFICATION_ALREADY_COMPLETE",
                resource_type="verified-destination-number",
                resource_id=record.verified_id,
            )
        if record.code is None:
            raise ConflictError(
                "no verification code has been sent to this number; call "
                "SendDestinationNumberVerificationCode first",
                reason="VERIFICATION_CODE_EXPIRED",
                resource_type="verified-destination-number",
                resource_id=record.verified_id,
            )
        if code != record.code:
            raise ValidationError(
                "VerificationCode does not match the code sent",
                reason="VERIFICATION_CODE_MISMATCH",
                field="VerificationCode",
            )
        record.status = "VERIFIED"
        return record

    def describe_verified_numbers(
        self,
        ids: Iterable[str] | None = None,
        numbers: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> list[VerifiedNumber]:
        records = [self.verified_number(i) for i in ids] if ids else list(self.verified.values())
        if numbers:
            records = [r for r in records if r.number in set(numbers)]
        for item in filters or ():
            if item["Name"] == "status":
                records = [r for r in records if r.status in item["Values"]]
        return records

    def delete_verified_number(self, ref: str) -> VerifiedNumber:
        record = self.verified_number(ref)
        return self.verified.pop(record.verified_id)

    def _check_sandbox(self, destination: str) -> None:
        if self.tier != "SANDBOXED":
            return
        if not any(
            v.number == destination and v.status == "VERIFIED" for v in self.verified.values()
        ):
            raise ConflictError(
                f"the account is in the SMS sandbox and {destination} is not a verified "
                "destination number; verify it (CreateVerifiedDestinationNumber, "
                "SendDestinationNumberVerificationCode, VerifyDestinationNumber) or leave the "
                "sandbox",
                reason="DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
                resource_type="verified-destination-number",
                resource_id=destination,
            )

    # -- sending ---------------------------------------------------------------------------

    def _pick_identity(
        self,
        chosen: PhoneNumber | SenderId | Pool,
        destination: str,
        capability: str,
        parts: int,
        *,
        field_name: str = "OriginationIdentity",
    ) -> tuple[PhoneNumber | SenderId, str]:
        """Returns (identity, its country) to send from; for a pool, one with MPS to spare."""
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        members = chosen.members if isinstance(chosen, Pool) else [chosen]
        usable = [m for m in members if capability in m.capabilities]
        if not usable:
            if capability == "VOICE":
                raise ValidationError(
                    f"{field_name} cannot place voice calls (no VOICE capability)",
                    reason="VOICE_CAPABILITY_NOT_AVAILABLE",
                    field=field_name,
                )
            raise ConflictError(
                f"{field_name} has no {capability} capability",
                reason="NUMBER_CAPABILITIES_MISMATCH",
                resource_type="phone-number",
                resource_id=getattr(chosen, "identity", getattr(chosen, "pool_id", "")),
            )
        local = [m for m in usable if m.iso_country == country or m.international_sending]
        if not local:
            raise ValidationError(
                f"{field_name} ({usable[0].iso_country}) cannot send to {destination} ({country}); "
                "use an identity of that country or enable international sending",
                reason="INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
                field=field_name,
            )
        now = self.clock.seconds
        for member in local:
            bucket = self.mps.bucket(member.arn, member.number_type, member.iso_country, now=now)
            if bucket.available(now) + 1e-9 >= min(parts, bucket.burst):
                return member, country
        return local[0], country

    def _default_identity(
        self, destination: str, config: ConfigurationSet | None, capability: str
    ) -> PhoneNumber | SenderId | Pool:
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if config is not None and config.default_sender_id and capability == "SMS":
            for (name, c), record in self.sender_ids.items():
                if name == config.default_sender_id and c == country:
                    return record
        for number in self.numbers.values():
            if number.iso_country == country and capability in number.capabilities:
                return number
        raise ConflictError(
            f"no origination identity in this account can send {capability} to {country}; "
            "request a phone number or give OriginationIdentity",
            reason="NO_ORIGINATION_IDENTITIES_FOUND",
            resource_type="phone-number",
            resource_id=destination,
        )

    def shared_route(self, destination: str, sender_id: str | None = None) -> SenderId:
        """The shared origination identity AWS sends from when the account has none.

        Shared routes exist only in some countries, not in the United States
        (``facts.sms.SHARED_ROUTES_UNAVAILABLE``); the
        route shows ``sender_id`` where the country allows sender IDs, else a generic one.
        It belongs to no account list (DescribeSenderIds does not show it).
        """
        _, country = parse_e164(destination, "DestinationPhoneNumber")
        if country in sms.SHARED_ROUTES_UNAVAILABLE.value:
            raise ConflictError(
                f"no origination identity in this account can send SMS to {country}, and "
                f"{country} has no shared routes; request a phone number there (RequestPhoneNumber)"
                " or give an OriginationNumber",
                reason="NO_ORIGINATION_IDENTITIES_FOUND",
                resource_type="phone-number",
                resource_id=destination,
            )
        allowed = sender_id and country not in NO_SENDER_ID_COUNTRIES
        name = sender_id if allowed and sender_id else SHARED_ROUTE_SENDER_ID
        key = (name, country)
        if key not in self._shared_routes:
            arn = self._arn("shared-route", f"{name}/{country}")
            self._shared_routes[key] = SenderId(
                name, country, arn, ("TRANSACTIONAL", "PROMOTIONAL")
            )
        return self._shared_routes[key]

    def _charge(self, kind: str, price: float) -> None:
        limit = self.spend_limit(kind)
        spent = self.spent_this_month(kind)
        if spent + price > limit + 1e-12:
            raise QuotaError(
                f"this message ({price:.5f} USD) would take {kind.lower()} spend this month past "
                f"its limit of {limit:g} USD ({spent:.5f} USD spent); raise it with "
                f"Set{kind.title()}MessageSpendLimitOverride",
                reason=f"MONTHLY_SPEND_LIMIT_REACHED_FOR_{kind}",
            )

    def _refuse(
        self, channel: str, category: str, origin: str, destination: str, body: str
    ) -> None:
        """Counts a send AWS refused (opted out, throttled) so every attempt adds up."""
        self.refused[(channel, category)] = self.refused.get((channel, category), 0) + 1
        self.outbox.add(
            OutboxMessage(
                channel=channel,
                service=SERVICE,
                origin=origin,
                destination=destination,
                body=body,
                message_id="",
                sent_at=self.clock.now(),
                status=category,
                detail={"accepted": False},
            )
        )

    def send_text_message(
        self,
        destination: str,
        body: str,
        *,
        origination_identity: str | None = None,
        message_type: str | None = None,
        configuration_set: str | None = None,
        max_price: str | None = None,
        ttl: int | None = None,
        context: Mapping[str, str] | None = None,
        dry_run: bool = False,
        keyword: str | None = None,
        route: PhoneNumber | SenderId | Pool | None = None,
        on_final: Callable[[Message, str], None] | None = None,
    ) -> str:
        """Sends a text; returns its MessageId. Raises the error AWS would answer.

        ``route`` is an origination record already chosen by the caller (Pinpoint's own
        choice, or a ``shared_route``); ``on_final(message, event_type)`` is called when the
        carrier's final outcome arrives.
        """
        destination, country = parse_e164(destination, "DestinationPhoneNumber")
        if not body or not body.strip():
            raise ValidationError(
                "MessageBody is required and must not be blank",
                reason="MISSING_PARAMETER",
                field="MessageBody",
            )
        config = self.configuration_set(configuration_set) if configuration_set else None
        if route is not None:
            chosen: PhoneNumber | SenderId | Pool = route
        elif origination_identity:
            chosen = self.origination(origination_identity)
        else:
            chosen = self._default_identity(destination, config, "SMS")
        parts = count_parts(body)
        identity, _ = self._pick_identity(chosen, destination, "SMS", parts.parts)
        for check in self.send_checks:
            check(identity, destination, "SMS", config)
        message_type = message_type or (config.default_message_type if config else None)
        message_type = message_type or "TRANSACTIONAL"
        price = round(parts.parts * prices.SMS_EXAMPLE_PRICE_US_2019.value, 5)
        if max_price is not None and price > float(max_price):
            raise ValidationError(
                f"the message costs {price:.5f} USD ({parts.parts} parts), above MaxPrice "
                f"{max_price}",
                reason="PRICE_OVER_THRESHOLD",
                field="MaxPrice",
            )
        settings = self.settings_of(identity)
        origin = identity.identity
        if self.is_opted_out(settings.opt_out_list_name, destination):
            self._refuse("SMS", "OPTED_OUT", origin, destination, body)
            raise ConflictError(
                f"{destination} has opted out of messages from {origin} (opt-out list "
                f"{settings.opt_out_list_name})",
                reason="DESTINATION_PHONE_NUMBER_OPTED_OUT",
                resource_type="opted-out-number",
                resource_id=destination,
            )
        self._check_sandbox(destination)
        now = self.clock.seconds
        if dry_run:
            bucket = self._dry_runs.setdefault(
                identity.arn, TokenBucket(sms.DRY_RUN_MPS.value, sms.DRY_RUN_MPS.value, now=now)
            )
            if not bucket.try_take(now, min(parts.parts, bucket.burst)):
                raise ThrottledError(
                    f"DryRun sends are limited to {sms.DRY_RUN_MPS.value} message parts per second"
                )
            return self.new_id()
        self._charge("TEXT", price)
        if not self.mps.try_send(
            identity.arn, identity.number_type, identity.iso_country, parts.parts, now
        ):
            self._refuse("SMS", "THROTTLED", origin, destination, body)
            rate = self.mps.rate_of(identity.number_type, identity.iso_country)
            wait = self.mps.wait_time(
                identity.arn, identity.number_type, identity.iso_country, parts.parts, now
            )
            raise ThrottledError(
                f"{origin} ({identity.number_type}) sends {rate:g} message parts per second; "
                f"this {parts.parts}-part message exceeds it — retry after "
                f"{wait:.2f} s"
            )
        month = f"{self.clock.now():%Y-%m}"
        self.spent[("TEXT", month)] = self.spent.get(("TEXT", month), 0.0) + price
        message = Message(
            message_id=self.new_id(),
            channel="SMS",
            origin=origin,
            destination=destination,
            body=body,
            message_type=message_type,
            requested_at=self.clock.now(),
            parts=parts.parts,
            encoding=ENCODING_NAMES[parts.encoding],
            price=price,
            context=dict(context or {}),
            configuration_set=config.name if config else None,
            international=identity.iso_country != country,
            on_final=on_final,
        )
        self._accept(message, keyword=keyword)
        self._emit(message, "TEXT_QUEUED")
        self._emit(message, "TEXT_PENDING")
        self._schedule_text_outcome(message, ttl)
        return message.message_id

    def _accept(self, message: Message, **detail: Any) -> None:
        self.messages[message.message_id] = message
        self._last_outbound[(message.origin, message.destination)] = message.message_id
        self.outbox.add(
            OutboxMessage(
                channel=message.channel,
                service=SERVICE,
                origin=message.origin,
                destination=message.destination,
                body=message.body,
                message_id=message.message_id,
                sent_at=message.requested_at,
                status="PENDING",
                detail={
                    "accepted": True,
                    "parts": message.parts,
                    "encoding": message.encoding,
                    "price": message.price,
                    "message_type": message.message_type,
                    "configuration_set": message.configuration_set,
                    "context": message.context,
                    **{k: v for k, v in detail.items() if v is not None},
                },
            )
        )

    def _schedule_text_outcome(self, message: Message, ttl: int | None) -> None:
        rng = self.rng("sms.carrier")
        outcome = self.carrier.forced.get(message.destination) or _choose(
            rng, self.carrier.outcomes
        )
        latency = float(
            rng.lognormal(math.log(self.carrier.median_latency_s), self.carrier.latency_sigma)
        )
        timeout = sms.CARRIER_RECEIPT_TIMEOUT_HOURS.value * 3600
        if outcome == "UNKNOWN" or latency >= timeout:
            outcome, latency = "UNKNOWN", timeout
        if ttl is not None and latency > ttl and outcome != "UNKNOWN":
            outcome, latency = "TTL_EXPIRED", float(ttl)
        self.clock.call_later(latency, lambda: self._finish(message, f"TEXT_{outcome}"))

    def _finish(self, message: Message, event_type: str) -> None:
        status = event_type.split("_", 1)[1]
        self.outbox.update_status(message.message_id, status, event_type=event_type)
        self._emit(message, event_type, final=True)
        if message.on_final is not None:
            message.on_final(message, event_type)

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
        destination, country = parse_e164(destination, "DestinationPhoneNumber")
        if not body or not body.strip():
            raise ValidationError(
                "MessageBody is required and must not be blank",
                reason="MISSING_PARAMETER",
                field="MessageBody",
            )
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
        rng = self.rng("sms.voice")
        outcome = self.carrier.forced.get(message.destination) or _choose(
            rng, self.carrier.voice_outcomes
        )
        ring = self.carrier.ring_seconds
        self.clock.call_later(1.0, lambda: self._emit(message, "VOICE_RINGING"))
        if ttl is not None and ring > ttl and outcome == "COMPLETED":
            outcome = "TTL_EXPIRED"
        if outcome != "COMPLETED":
            self.clock.call_later(ring, lambda: self._finish(message, f"VOICE_{outcome}"))
            return
        words = len(message.body.split())
        speech = max(1.0, words / _VOICE_WORDS_PER_SECOND)
        self.clock.call_later(ring, lambda: self._emit(message, "VOICE_ANSWERED"))
        self.clock.call_later(ring + speech, lambda: self._finish(message, "VOICE_COMPLETED"))

    # -- events ----------------------------------------------------------------------------

    def event_record(self, message: Message, event_type: str, final: bool) -> dict[str, Any]:
        """The v2 event record of ``event_type`` for ``message`` (camelCase, eventVersion 1.0)."""
        status = event_type.split("_", 1)[1]
        descriptions = (
            TEXT_STATUS_DESCRIPTIONS if message.channel == "SMS" else VOICE_STATUS_DESCRIPTIONS
        )
        _, country = parse_e164(message.destination, "DestinationPhoneNumber")
        record: dict[str, Any] = {
            "eventType": event_type,
            "eventVersion": sms.EVENT_RECORD_VERSION.value,
            "eventTimestamp": self.clock.timestamp_ms(),
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

    def _emit(self, message: Message, event_type: str, final: bool = False) -> None:
        record = self.event_record(message, event_type, final)
        message.events.append(record)
        message.status, message.final = record["messageStatus"], final
        config = self.configuration_sets.get(message.configuration_set or "")
        if config is None or self.deliver is None:
            return
        for destination in config.destinations.values():
            if destination.matches(event_type):
                try:
                    self.deliver(destination.target_arn, record)
                except Exception as error:  # a missing destination loses the record, as at AWS
                    self.delivery_errors.append(f"{destination.name}: {error}")

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event record emitted, oldest first."""
        records = [r for m in self.messages.values() for r in m.events]
        return sorted(records, key=lambda r: r["eventTimestamp"])

    # -- inbound ---------------------------------------------------------------------------

    def receive(self, from_number: str, to_number: str, body: str) -> dict[str, Any]:
        """A customer texts ``body`` to one of our numbers: keywords run, two-way publishes.

        Returns the inbound payload as published to the two-way topic.
        """
        customer, _ = parse_e164(from_number, "originationNumber")
        try:
            number = self.phone_number(to_number, "destinationNumber")
        except NotFoundError:
            raise NotFoundError(
                "phone-number", to_number, " (destinationNumber must be one of your numbers)"
            ) from None
        settings = self.settings_of(number)
        owner: PhoneNumber | Pool = self.pools.get(number.pool_id or "", number)
        word = (body.strip().split() or [""])[0].upper().strip(".,!?")
        keyword = owner.keywords.get(word)
        action = keyword.action if keyword else None
        carriers_words = (
            sms.TOLL_FREE_OPT_OUT_KEYWORDS.value
            if number.number_type == "TOLL_FREE" and number.iso_country == "US"
            else sms.OPT_OUT_KEYWORDS.value
        )
        if action is None and word in carriers_words:
            keyword, action = owner.keywords["STOP"], "OPT_OUT"
        payload = {
            "originationNumber": customer,
            "destinationNumber": number.number,
            "messageKeyword": keyword.keyword if keyword else "",
            "messageBody": body,
            "inboundMessageId": self.new_id(),
            "previousPublishedMessageId": self._last_outbound.get((number.number, customer), ""),
        }
        self.inbound.append(payload)
        # Self-managed opt-outs leave HELP, STOP and opting in or out to the learner's code.
        left_to_learner = settings.self_managed_opt_outs and (
            word in _DEFAULT_KEYWORD_ACTIONS or action in ("OPT_OUT", "OPT_IN")
        )
        if keyword is not None and not left_to_learner:
            if action == "OPT_OUT":
                self.put_opted_out_number(settings.opt_out_list_name, customer, end_user=True)
                for listener in list(self.opt_out_listeners):
                    listener(customer)
            elif action == "OPT_IN":
                self.opt_out_lists[settings.opt_out_list_name].numbers.pop(customer, None)
            self._auto_reply(number, customer, keyword.message, keyword.keyword)
        if settings.two_way_enabled and settings.two_way_channel_arn and self.publish is not None:
            self.publish(settings.two_way_channel_arn, json.dumps(payload))
        return payload

    def _auto_reply(self, number: PhoneNumber, customer: str, text: str, keyword: str) -> None:
        self.outbox.add(
            OutboxMessage(
                channel="SMS",
                service=SERVICE,
                origin=number.number,
                destination=customer,
                body=text,
                message_id=self.new_id(),
                sent_at=self.clock.now(),
                status="DELIVERED",
                detail={"accepted": True, "automatic_response": keyword},
            )
        )

    # -- reports ---------------------------------------------------------------------------

    def counts(self, channel: str = "SMS") -> dict[str, int]:
        """sent = delivered + failed + opted_out + throttled + pending, for one channel."""
        totals = {"delivered": 0, "failed": 0, "opted_out": 0, "throttled": 0, "pending": 0}
        for message in self.messages.values():
            if message.channel != channel:
                continue
            if not message.final:
                totals["pending"] += 1
            elif message.status in ("DELIVERED", "SUCCESSFUL", "COMPLETED"):
                totals["delivered"] += 1
            else:
                totals["failed"] += 1
        totals["opted_out"] = self.refused.get((channel, "OPTED_OUT"), 0)
        totals["throttled"] = self.refused.get((channel, "THROTTLED"), 0)
        return {"sent": sum(totals.values()), **totals}

    def summary(self) -> str:
        """A stable text report: identities, then message counts per channel, then spend."""
        lines = [f"account tier: {self.tier}"]
        for number in sorted(self.numbers.values(), key=lambda n: n.number):
            two_way = "two-way" if self.settings_of(number).two_way_enabled else "one-way"
            rate = self.mps.rate_of(number.number_type, number.iso_country)
            lines.append(
                f"number  {number.number:<16} {number.number_type:<10} {number.iso_country} "
                f"{rate:>5g} MPS  {two_way}"
            )
        for (name, country), _ in sorted(self.sender_ids.items()):
            lines.append(f"sender  {name:<16} SENDER_ID  {country}")
        for channel in ("SMS", "VOICE"):
            c = self.counts(channel)
            lines.append(
                f"{channel:<5}  sent {c['sent']:>4} = delivered {c['delivered']} + failed "
                f"{c['failed']} + opted-out {c['opted_out']} + throttled {c['throttled']} + "
                f"pending {c['pending']}"
            )
        opted = sum(len(o.numbers) for o in self.opt_out_lists.values())
        lines.append(f"opted-out numbers: {opted}")
        lines.append(
            f"text spend this month: {self.spent_this_month('TEXT'):.5f} of "
            f"{self.spend_limit('TEXT'):g} USD"
        )
        return "\n".join(lines)

    def events_summary(self) -> str:
        """One line per event record: time offset, type, destination, final flag."""
        start = self.clock.epoch.timestamp() * 1000
        lines = []
        for record in self.events:
            offset = (record["eventTimestamp"] - start) / 1000
            final = "final" if record["isFinal"] else ""
            to = record["destinationPhoneNumber"]
            lines.append(f"{offset:>10.1f}s  {record['eventType']:<22} {to:<16} {final}".rstrip())
        return "\n".join(lines)
