"""Campaigns: a message to a segment, on a schedule, run as SimPy processes on the simulated clock.

The engine knows nothing of boto3. It takes its collaborators as arguments:

* ``segment_resolver(app_id, segment_id, version) -> list[endpoint dict]`` (each with ``Id``),
* ``sender(channel, endpoints, message_config, template_config, context) -> {endpoint_id: result}``
  where a result is an ``EndpointMessageResult``-like dict with ``DeliveryStatus``,
* ``record_event(record)`` receiving every ``_campaign.send`` record (fact 2.7) and reaction,

so a test can drive it with fakes and the local AWS wires it to the real send path.

Every message is accounted for: ``sent = delivered + failed + opted_out + throttled + pending``
(``Tally``); what a campaign decides not to send (quiet time, caps, holdout, hook) is counted
apart in each activity's ``ExecutionMetrics``.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import simpy

from simlab import facts
from simlab.engage import event_records
from simlab.engage.engagement import EngagementModel
from simlab.engage.faults import FieldError, NotFound, reported_as
from simlab.engage.schedule import QuietTime, Schedule, iso

Endpoint = dict[str, Any]
SegmentResolver = Callable[[str, str, "int | None"], list[Endpoint]]
Sender = Callable[
    [str, list[Endpoint], Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]],
    Mapping[str, Mapping[str, Any]],
]
RecordEvent = Callable[[dict[str, Any]], None]

ACCOUNT_ID = "123456789012"

# -- channels -------------------------------------------------------------------------------------

PUSH_TYPES = (
    "GCM",
    "APNS",
    "APNS_SANDBOX",
    "APNS_VOIP",
    "APNS_VOIP_SANDBOX",
    "ADM",
    "BAIDU",
    "PUSH",
)
_PUSH_MESSAGE = {
    "GCM": "GCMMessage",
    "APNS": "APNSMessage",
    "APNS_SANDBOX": "APNSMessage",
    "APNS_VOIP": "APNSMessage",
    "APNS_VOIP_SANDBOX": "APNSMessage",
    "ADM": "ADMMessage",
    "BAIDU": "BaiduMessage",
}
#: The MessageConfiguration / TemplateConfiguration member that reaches each channel.
MESSAGE_KEYS = {"EMAIL": "EmailMessage", "SMS": "SMSMessage", "CUSTOM": "CustomMessage"}
TEMPLATE_KEYS = {"EMAIL": "EmailTemplate", "SMS": "SMSTemplate", "PUSH": "PushTemplate"}


def channel_of(endpoint: Mapping[str, Any]) -> str:
    """Returns the channel an endpoint is reached on: EMAIL, SMS, PUSH, CUSTOM, IN_APP or VOICE."""
    kind = str(endpoint.get("ChannelType", ""))
    return "PUSH" if kind in PUSH_TYPES else kind


def message_for(
    endpoint: Mapping[str, Any], messages: Mapping[str, Any], templates: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Returns the message and template configuration for the endpoint's channel, or None."""
    channel = channel_of(endpoint)
    if channel == "PUSH":
        key = _PUSH_MESSAGE.get(str(endpoint.get("ChannelType")), "DefaultMessage")
        message = messages.get(key) or messages.get("DefaultMessage")
        config = {key: message} if message else {}
    else:
        key = MESSAGE_KEYS.get(channel, "")
        config = {key: messages[key]} if key and messages.get(key) else {}
    template_key = TEMPLATE_KEYS.get(channel, "")
    template = {template_key: templates[template_key]} if templates.get(template_key) else {}
    if not config and not template:
        return None
    return config, template


# -- accounting -----------------------------------------------------------------------------------

#: How each ``DeliveryStatus`` counts toward ``sent = delivered + failed + opted_out + throttled``.
OUTCOMES = {"SUCCESSFUL": "delivered", "OPT_OUT": "opted_out", "THROTTLED": "throttled"}


def outcome(delivery_status: str) -> str:
    """Returns the tally a delivery status counts in: delivered, opted_out, throttled or failed."""
    return OUTCOMES.get(delivery_status, "failed")


def send_status(delivery_status: str) -> str:
    """Returns the ``*_send_status`` a delivery status is streamed as (SUCCESSFUL -> SUCCESS)."""
    return "SUCCESS" if delivery_status == "SUCCESSFUL" else delivery_status


@dataclass
class Tally:
    """Messages by fate; ``sent`` always equals the sum of the five fates."""

    sent: int = 0
    delivered: int = 0
    failed: int = 0
    opted_out: int = 0
    throttled: int = 0
    pending: int = 0

    def schedule(self, count: int = 1) -> None:
        """Counts ``count`` messages committed but not sent yet."""
        self.sent += count
        self.pending += count

    def cancel(self, count: int = 1) -> None:
        """Withdraws ``count`` pending messages that will never leave."""
        self.sent -= count
        self.pending -= count

    def settle(self, delivery_status: str) -> None:
        """Moves one pending message to the fate its delivery status names."""
        self.pending -= 1
        fate = outcome(delivery_status)
        setattr(self, fate, getattr(self, fate) + 1)

    def balanced(self) -> bool:
        """True when every sent message has exactly one fate."""
        parts = self.delivered + self.failed + self.opted_out + self.throttled + self.pending
        return self.sent == parts

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "delivered": self.delivered,
            "failed": self.failed,
            "opted_out": self.opted_out,
            "throttled": self.throttled,
            "pending": self.pending,
        }


class SendCaps:
    """Per-endpoint send history of one campaign or journey: daily (rolling 24 h) and total caps."""

    def __init__(self) -> None:
        self._times: dict[str, list[float]] = defaultdict(list)

    def refusal(self, endpoint_id: str, now: float, daily: int, total: int) -> str | None:
        """Returns DAILY_CAP or TOTAL_CAP if one more send would break a cap (0 = no cap)."""
        times = self._times.get(endpoint_id, ())
        if total and len(times) >= total:
            return "TOTAL_CAP"
        if daily and sum(1 for t in times if now - t < 86_400) >= daily:
            return "DAILY_CAP"
        return None

    def record(self, endpoint_id: str, now: float) -> None:
        self._times[endpoint_id].append(now)

    def count(self, endpoint_id: str) -> int:
        return len(self._times.get(endpoint_id, ()))


# -- event filters --------------------------------------------------------------------------------


def _set_matches(dimension: Mapping[str, Any] | None, value: str) -> bool:
    if not dimension:
        return True
    values = list(dimension.get("Values", ()))
    inside = value in values
    return not inside if dimension.get("DimensionType") == "EXCLUSIVE" else inside


def _attribute_matches(dimension: Mapping[str, Any], value: str | None) -> bool:
    values = [str(v) for v in dimension.get("Values", ())]
    kind = dimension.get("AttributeType", "INCLUSIVE")
    if kind == "EXCLUSIVE":
        return value is None or value not in values
    if value is None:
        return False
    if kind == "CONTAINS":
        return any(v in value for v in values)
    if kind in ("BEFORE", "AFTER", "ON", "BETWEEN"):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            bounds = [datetime.fromisoformat(v.replace("Z", "+00:00")) for v in values]
        except ValueError:
            return False
        if kind == "BEFORE":
            return moment < bounds[0]
        if kind == "AFTER":
            return moment > bounds[0]
        if kind == "ON":
            return moment.date() == bounds[0].date()
        return len(bounds) >= 2 and bounds[0] <= moment <= bounds[1]
    return value in values


_COMPARE = {
    "GREATER_THAN": lambda a, b: a > b,
    "LESS_THAN": lambda a, b: a < b,
    "GREATER_THAN_OR_EQUAL": lambda a, b: a >= b,
    "LESS_THAN_OR_EQUAL": lambda a, b: a <= b,
    "EQUAL": lambda a, b: a == b,
}


def event_matches(dimensions: Mapping[str, Any] | None, event: Mapping[str, Any]) -> bool:
    """True when a PutEvents ``Event`` meets ``EventDimensions`` (type, attributes, metrics)."""
    dimensions = dimensions or {}
    if not _set_matches(dimensions.get("EventType"), str(event.get("EventType", ""))):
        return False
    attributes = event.get("Attributes") or {}
    for name, dimension in (dimensions.get("Attributes") or {}).items():
        if not _attribute_matches(dimension, attributes.get(name)):
            return False
    metrics = event.get("Metrics") or {}
    for name, dimension in (dimensions.get("Metrics") or {}).items():
        if name not in metrics:
            return False
        compare = _COMPARE.get(dimension.get("ComparisonOperator", "EQUAL"), _COMPARE["EQUAL"])
        if not compare(float(metrics[name]), float(dimension.get("Value", 0))):
            return False
    return True


# -- records and analytics ------------------------------------------------------------------------


def millis(at: datetime) -> int:
    """Unix milliseconds of ``at``, as stream records carry time."""
    return round(at.timestamp() * 1000)


#: KPI names served by the Get*DateRangeKpi operations; each is computed from stream records.
KPI_NAMES = (
    "successful-delivery-rate",
    "successful-delivery-rate-grouped-by-date",
    "unique-deliveries",
    "unique-deliveries-grouped-by-date",
    "email-open-rate",
    "email-open-rate-grouped-by-date",
    "endpoint-deliveries",
    "endpoint-deliveries-grouped-by-date",
    "messages-sent",
    "messages-sent-grouped-by-date",
)


class Analytics:
    """Counts the records it is shown, so every KPI is computed from the event stream itself."""

    def __init__(self) -> None:
        # (scope id, date, metric) -> count ; scope is "app:<id>", "campaign:<id>", "journey:<id>"
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self._delivered: dict[tuple[str, str], set[str]] = defaultdict(set)

    def observe(self, record: Mapping[str, Any]) -> None:
        """Counts one stream record under its app, campaign and journey."""
        attributes = record.get("attributes") or {}
        scopes = [f"app:{record['application']['app_id']}"]
        if attributes.get("campaign_id"):
            scopes.append(f"campaign:{attributes['campaign_id']}")
        if attributes.get("journey_id"):
            scopes.append(f"journey:{attributes['journey_id']}")
        day = _day(record["event_timestamp"])
        kind = record["event_type"]
        status = attributes.get("campaign_send_status") or attributes.get("journey_send_status")
        metrics: list[str] = []
        if kind in ("_campaign.send", "_journey.send"):
            if status not in ("QUIET_TIME", "DAILY_CAP", "TOTAL_CAP", "TIMEFRAME_CAP"):
                metrics.append("sent")
            if status == "SUCCESS":
                metrics.append("delivered")
                if attributes.get("delivery_type", attributes.get("journey_activity_type")) in (
                    "EMAIL",
                ):
                    metrics.append("email_delivered")
        elif kind == "_email.open":
            metrics.append("email_open")
        for scope in scopes:
            for metric in metrics:
                self.counts[(scope, day, metric)] += 1
            if "delivered" in metrics:
                self._delivered[(scope, day)].add(record["client"]["client_id"])

    def kpi(self, name: str, scope: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Returns ``BaseKpiResult.Rows`` for ``name`` over the days in ``[start, end]``."""
        if name not in KPI_NAMES:
            raise KeyError(name)
        base, grouped = name.removesuffix("-grouped-by-date"), name.endswith("-grouped-by-date")
        days = _days(start, end)
        rows = []
        groups = [[d] for d in days] if grouped else [days]
        for group in groups:
            value = self._value(base, scope, group)
            grouped_by = [{"Key": "Date", "Type": "String", "Value": group[0]}] if grouped else []
            key = "".join(part.title() for part in base.split("-"))
            rows.append(
                {
                    "GroupedBys": grouped_by,
                    "Values": [{"Key": key, "Type": "Double", "Value": _number(value)}],
                }
            )
        return rows

    def _value(self, base: str, scope: str, days: list[str]) -> float:
        def total(metric: str) -> int:
            return sum(self.counts[(scope, day, metric)] for day in days)

        if base == "successful-delivery-rate":
            sent = total("sent")
            return total("delivered") / sent if sent else 0.0
        if base == "unique-deliveries":
            return float(len(set().union(*(self._delivered[(scope, d)] for d in days))))
        if base == "email-open-rate":
            delivered = total("email_delivered")
            return total("email_open") / delivered if delivered else 0.0
        if base == "endpoint-deliveries":
            return float(total("delivered"))
        return float(total("sent"))


@functools.lru_cache(maxsize=4096)
def _day_of(day_number: int) -> str:
    return datetime.fromtimestamp(day_number * 86_400, UTC).strftime("%Y-%m-%d")


def _day(timestamp_ms: int) -> str:
    """The UTC date (YYYY-MM-DD) of a Unix time in milliseconds."""
    return _day_of(int(timestamp_ms // 86_400_000))


def _days(start: datetime, end: datetime) -> list[str]:
    day, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    days = []
    while day <= last:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def _number(value: float) -> str:
    return str(round(value, 6))


def bucket(salt: str, endpoint_id: str) -> int:
    """Returns a stable number in [0, 10000) for an endpoint: the seed of every allocation."""
    digest = hashlib.blake2b(f"{salt}:{endpoint_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 10_000


# -- campaigns ------------------------------------------------------------------------------------


class CampaignError(FieldError):
    """A campaign definition AWS would refuse (BadRequestException); ``field`` names the member."""


class CampaignNotFound(NotFound):
    """No campaign with that id in that application (NotFoundException)."""


P = facts.pinpoint
STATUSES: tuple[str, ...] = P.CAMPAIGN_STATUSES.value
ACTIVE_STATUSES: tuple[str, ...] = P.ACTIVE_CAMPAIGN_STATUSES.value


@dataclass
class Activity:
    """One run of one treatment: what ``GetCampaignActivities`` lists."""

    id: str
    app_id: str
    campaign_id: str
    treatment_id: str
    scheduled_start: datetime
    start: datetime | None = None
    end: datetime | None = None
    state: str = "PENDING"
    result: str = ""
    tally: Tally = field(default_factory=Tally)
    metrics: Counter[str] = field(default_factory=Counter)
    timezones: set[str] = field(default_factory=set)
    timezones_done: set[str] = field(default_factory=set)

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``ActivityResponse``."""
        data: dict[str, Any] = {
            "ApplicationId": self.app_id,
            "CampaignId": self.campaign_id,
            "Id": self.id,
            "ScheduledStart": iso(self.scheduled_start),
            "State": self.state,
            "TreatmentId": self.treatment_id,
            "TotalEndpointCount": self.tally.sent,
            "SuccessfulEndpointCount": self.tally.delivered,
            "TimezonesTotalCount": len(self.timezones),
            "TimezonesCompletedCount": len(self.timezones_done),
            "ExecutionMetrics": {k: str(v) for k, v in sorted(self.metrics.items())},
        }
        if self.start is not None:
            data["Start"] = iso(self.start)
        if self.end is not None:
            data["End"] = iso(self.end)
        if self.result:
            data["Result"] = self.result
        return data


@dataclass
class Treatment:
    """The default message (id "0") or one A/B variant with its share of the segment."""

    id: str
    size_percent: int
    schedule: Schedule
    message_configuration: dict[str, Any]
    template_configuration: dict[str, Any]
    custom_delivery: dict[str, Any] | None = None
    name: str = ""
    description: str = ""
    status: str = "SCHEDULED"
    runs_left: int = 0

    def to_api(self, schedule_data: Mapping[str, Any] | None) -> dict[str, Any]:
        """Returns botocore's ``TreatmentResource``."""
        data: dict[str, Any] = {
            "Id": self.id,
            "SizePercent": self.size_percent,
            "MessageConfiguration": self.message_configuration,
            "TemplateConfiguration": self.template_configuration,
            "Schedule": self.schedule.to_api(),
            "State": {"CampaignStatus": self.status},
        }
        if self.custom_delivery:
            data["CustomDeliveryConfiguration"] = self.custom_delivery
        if self.name:
            data["TreatmentName"] = self.name
        if self.description:
            data["TreatmentDescription"] = self.description
        return data


@dataclass
class Campaign:
    """A campaign as the engine runs it; ``request`` keeps the write request of each version."""

    app_id: str
    id: str
    name: str
    segment_id: str
    segment_version: int | None  # None: the segment's latest version at each run
    treatments: list[Treatment]
    holdout_percent: int
    limits: dict[str, int]
    hook: dict[str, Any]
    is_paused: bool
    priority: int | None
    version: int
    created: datetime
    modified: datetime
    request: dict[str, Any]
    arn: str = ""
    salt: str = ""
    deleted: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    caps: SendCaps = field(default_factory=SendCaps)
    tally: Tally = field(default_factory=Tally)
    history: list[dict[str, Any]] = field(default_factory=list)
    #: Messages sent in the current simulated second, across all treatments: (second, count).
    paced: tuple[int, int] = (-1, 0)
    generation: int = 0

    @property
    def default(self) -> Treatment:
        return self.treatments[0]

    @property
    def status(self) -> str:
        """The campaign's status: COMPLETED only when every treatment is (fact 1.18)."""
        if self.deleted:
            return "DELETED"
        if self.is_paused:
            return "PAUSED"
        states = {t.status for t in self.treatments if t.size_percent > 0 or t.id == "0"}
        for status in ("EXECUTING", "PENDING_NEXT_RUN", "SCHEDULED"):
            if status in states:
                return status
        return "COMPLETED"

    @property
    def is_in_app(self) -> bool:
        return self.default.schedule.frequency == "IN_APP_EVENT" or bool(
            self.default.message_configuration.get("InAppMessage")
        )

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``CampaignResponse``."""
        default = self.default
        data: dict[str, Any] = {
            "ApplicationId": self.app_id,
            "Arn": self.arn,
            "Id": self.id,
            "Name": self.name,
            "CreationDate": iso(self.created),
            "LastModifiedDate": iso(self.modified),
            "SegmentId": self.segment_id,
            "SegmentVersion": self.segment_version or 1,
            "Version": self.version,
            "HoldoutPercent": self.holdout_percent,
            "IsPaused": self.is_paused,
            "Limits": dict(self.limits),
            "MessageConfiguration": default.message_configuration,
            "TemplateConfiguration": default.template_configuration,
            "Schedule": default.schedule.to_api(),
            "State": {"CampaignStatus": self.status},
            "DefaultState": {"CampaignStatus": self.status},
            "AdditionalTreatments": [t.to_api(None) for t in self.treatments[1:]],
            "tags": dict(self.tags),
        }
        for key, value in (
            ("Description", self.request.get("Description")),
            ("TreatmentName", default.name),
            ("TreatmentDescription", default.description),
            ("Priority", self.priority),
            ("CustomDeliveryConfiguration", default.custom_delivery),
        ):
            if value not in (None, ""):
                data[key] = value
        if self.hook:
            data["Hook"] = dict(self.hook)
        return data


class CampaignEngine:
    """Creates, runs, pauses and deletes campaigns on ``env`` (SimPy, seconds since ``epoch``).

    ``functions`` resolves a Lambda name or ARN to a Python callable (FILTER hooks and
    CustomDeliveryConfiguration); ``template_exists(kind, name, version)`` checks templates;
    ``app_defaults(app_id)`` returns the application's ``Limits``, ``QuietTime`` and
    ``CampaignHook``; ``engagement`` makes recipients react, reported through ``record_event``;
    ``segment_exists(app_id, segment_id, version)`` (KeyError if not) spares a full resolve.
    """

    def __init__(
        self,
        env: simpy.Environment,
        epoch: datetime,
        *,
        segment_resolver: SegmentResolver,
        sender: Sender,
        record_event: RecordEvent,
        rng: np.random.Generator,
        functions: Callable[[str], Callable[..., Any]] | None = None,
        template_exists: Callable[[str, str, str | None], bool] | None = None,
        app_defaults: Callable[[str], Mapping[str, Any]] | None = None,
        engagement: EngagementModel | None = None,
        new_id: Callable[[], str] | None = None,
        analytics: Analytics | None = None,
        account_id: str = ACCOUNT_ID,
        region: str = "us-east-1",
        on_reaction: Callable[[str, Endpoint, str, datetime, Mapping[str, str]], None]
        | None = None,
        segment_exists: Callable[[str, str, int | None], object] | None = None,
    ) -> None:
        self.env = env
        self.epoch = epoch
        self.segment_resolver = segment_resolver
        self.sender = sender
        self._record_event = record_event
        self.rng = rng
        self.functions = functions
        self.template_exists = template_exists
        self.app_defaults = app_defaults or (lambda app_id: {})
        self.engagement = engagement
        self.new_id = new_id or (lambda: rng.bytes(16).hex())
        self.analytics = analytics or Analytics()
        self.account_id = account_id
        self.region = region
        self.on_reaction = on_reaction
        self.segment_exists = segment_exists  # raises KeyError; cheaper than resolving
        self.campaigns: dict[tuple[str, str], Campaign] = {}

    # -- clock ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.epoch + timedelta(seconds=self.env.now)

    def _seconds(self, moment: datetime) -> float:
        return (moment - self.epoch).total_seconds()

    def _wait_until(self, moment: datetime) -> simpy.events.Timeout:
        return self.env.timeout(max(0.0, self._seconds(moment) - self.env.now))

    def record_event(self, record: dict[str, Any]) -> None:
        """Counts ``record`` for the KPIs and passes it on to the event stream."""
        self.analytics.observe(record)
        self._record_event(record)

    # -- API ------------------------------------------------------------------------------------

    def create(self, app_id: str, request: Mapping[str, Any]) -> Campaign:
        """Validates a ``WriteCampaignRequest`` and schedules the campaign's runs."""
        now = self.now()
        campaign_id = self.new_id()
        campaign = self._build(app_id, campaign_id, dict(request), now, version=1, created=now)
        self._check_quotas(campaign)
        campaign.arn = (
            f"arn:aws:mobiletargeting:{self.region}:{self.account_id}:apps/{app_id}"
            f"/campaigns/{campaign_id}"
        )
        campaign.salt = self.new_id()
        campaign.history.append(campaign.to_api())
        self.campaigns[(app_id, campaign_id)] = campaign
        self._start(campaign)
        return campaign

    def _check_quotas(self, campaign: Campaign) -> None:
        """Refuses a campaign past the active, event or in-app quota (fact 1.20)."""
        live = [c for c in self.campaigns.values() if c.status in ACTIVE_STATUSES]
        if len(live) >= P.MAX_ACTIVE_CAMPAIGNS.value:
            raise CampaignError(
                "Schedule",
                f"{len(live)} campaigns are active; the quota is {P.MAX_ACTIVE_CAMPAIGNS.value}",
            )
        same_app = [c for c in live if c.app_id == campaign.app_id]
        if campaign.default.schedule.frequency == "EVENT":
            events = sum(1 for c in same_app if c.default.schedule.frequency == "EVENT")
            if events >= P.MAX_EVENT_CAMPAIGNS.value:
                raise CampaignError(
                    "Schedule.Frequency",
                    f"the project has {events} event campaigns; the quota is "
                    f"{P.MAX_EVENT_CAMPAIGNS.value}",
                )
        if campaign.is_in_app:
            in_app = sum(1 for c in same_app if c.is_in_app)
            if in_app >= P.MAX_IN_APP_CAMPAIGNS.value:
                raise CampaignError(
                    "MessageConfiguration.InAppMessage",
                    f"the project has {in_app} in-app campaigns; the quota is "
                    f"{P.MAX_IN_APP_CAMPAIGNS.value}",
                )

    def update(self, app_id: str, campaign_id: str, request: Mapping[str, Any]) -> Campaign:
        """Replaces the campaign's definition with a new version; future runs follow it."""
        old = self.get(app_id, campaign_id)
        merged = {**old.request, **dict(request)}
        new = self._build(
            app_id,
            campaign_id,
            merged,
            self.now(),
            version=old.version + 1,
            created=old.created,
            past_ok="Schedule" not in request,
        )
        for attribute in ("arn", "salt", "tags", "activities", "caps", "tally", "history"):
            setattr(new, attribute, getattr(old, attribute))
        new.generation = old.generation + 1
        new.history.append(new.to_api())
        self.campaigns[(app_id, campaign_id)] = new
        self._start(new)
        return new

    def delete(self, app_id: str, campaign_id: str) -> Campaign:
        """Stops the campaign and forgets it; its pending messages are withdrawn."""
        campaign = self.get(app_id, campaign_id)
        campaign.deleted = True
        del self.campaigns[(app_id, campaign_id)]
        return campaign

    def get(self, app_id: str, campaign_id: str) -> Campaign:
        try:
            return self.campaigns[(app_id, campaign_id)]
        except KeyError:
            raise CampaignNotFound(f"Campaign {campaign_id} not found in {app_id}") from None

    def list(self, app_id: str) -> list[Campaign]:
        """Returns the application's campaigns, newest first (as the console lists them)."""
        found = [c for (a, _), c in self.campaigns.items() if a == app_id]
        return sorted(found, key=lambda c: (c.created, c.id), reverse=True)

    def version(self, app_id: str, campaign_id: str, version: int) -> dict[str, Any]:
        campaign = self.get(app_id, campaign_id)
        if not 1 <= version <= len(campaign.history):
            raise CampaignNotFound(f"Campaign {campaign_id} has no version {version}")
        return campaign.history[version - 1]

    def in_app_campaigns(self, app_id: str) -> list[Campaign]:
        """Returns the application's live in-app campaigns."""
        now = self.now()
        return [
            c
            for c in self.list(app_id)
            if c.is_in_app
            and not c.is_paused
            and c.default.schedule.start <= now
            and (c.default.schedule.end is None or now < c.default.schedule.end)
        ]

    # -- validation -----------------------------------------------------------------------------

    def _build(
        self,
        app_id: str,
        campaign_id: str,
        request: dict[str, Any],
        now: datetime,
        *,
        version: int,
        created: datetime,
        past_ok: bool = False,
    ) -> Campaign:
        name = request.get("Name") or ""
        segment_id = request.get("SegmentId")
        if not segment_id:
            raise CampaignError("SegmentId", "is required: the segment the campaign reaches")
        segment_version = request.get("SegmentVersion")
        try:
            if self.segment_exists is not None:
                self.segment_exists(app_id, segment_id, segment_version)
            else:
                self.segment_resolver(app_id, segment_id, segment_version)
        except KeyError as error:
            raise CampaignError("SegmentId", f"segment {segment_id} not found: {error}") from None
        holdout = _percent(request.get("HoldoutPercent", 0), "HoldoutPercent")
        limits = self._limits(request.get("Limits") or {})
        hook = dict(request.get("Hook") or {})
        self._check_hook(hook)
        treatments = [self._treatment("0", request, request, now, "", past_ok)]
        extra = request.get("AdditionalTreatments") or []
        for index, item in enumerate(extra, start=1):
            where = f"AdditionalTreatments[{index - 1}]"
            if "SizePercent" not in item:
                raise CampaignError(f"{where}.SizePercent", "is required (0-100)")
            treatments.append(self._treatment(str(index), item, request, now, where, past_ok))
        shares = sum(t.size_percent for t in treatments[1:])
        if holdout + shares > 100:
            raise CampaignError(
                "AdditionalTreatments",
                f"HoldoutPercent ({holdout}) plus the treatments' SizePercent ({shares}) is "
                f"{holdout + shares}%, over 100%",
            )
        treatments[0].size_percent = 100 - holdout - shares
        priority = request.get("Priority")
        if priority is not None and not 1 <= int(priority) <= 5:
            raise CampaignError("Priority", f"{priority} is not between 1 (highest) and 5")
        return Campaign(
            app_id=app_id,
            id=campaign_id,
            name=name,
            segment_id=segment_id,
            segment_version=int(segment_version) if segment_version else None,
            treatments=treatments,
            holdout_percent=holdout,
            limits=limits,
            hook=hook,
            is_paused=bool(request.get("IsPaused", False)),
            priority=priority,
            version=version,
            created=created,
            modified=now,
            request=request,
            tags=dict(request.get("tags") or {}),
        )

    def _limits(self, limits: Mapping[str, Any]) -> dict[str, int]:
        ranges = {
            "Daily": (0, facts.pinpoint.CAMPAIGN_DAILY_CAP_MAX.value),
            "Total": (0, facts.pinpoint.CAMPAIGN_TOTAL_CAP_MAX.value),
            "MessagesPerSecond": (
                facts.pinpoint.CAMPAIGN_MPS_MIN.value,
                facts.pinpoint.CAMPAIGN_MPS_MAX.value,
            ),
            "MaximumDuration": (facts.pinpoint.CAMPAIGN_MAXIMUM_DURATION_MIN_SECONDS.value, None),
            "Session": (0, None),
        }
        checked: dict[str, int] = {}
        for key, value in limits.items():
            if key not in ranges:
                raise CampaignError(f"Limits.{key}", f"is not one of {', '.join(ranges)}")
            low, high = ranges[key]
            if not isinstance(value, int) or value < low or (high is not None and value > high):
                allowed = f"{low} to {high}" if high is not None else f"at least {low}"
                raise CampaignError(f"Limits.{key}", f"{value!r} is not allowed: {allowed}")
            checked[key] = value
        return checked

    def _check_hook(self, hook: Mapping[str, Any]) -> None:
        if not hook:
            return
        mode = hook.get("Mode", "FILTER")
        if mode not in facts.pinpoint.HOOK_MODES.value:
            raise CampaignError("Hook.Mode", f"{mode!r} is not FILTER or DELIVERY")
        if mode == "DELIVERY":
            raise CampaignError(
                "Hook.Mode",
                "DELIVERY is deprecated and not emulated; use CustomDeliveryConfiguration",
            )
        if hook.get("WebUrl"):
            raise CampaignError(
                "Hook.WebUrl", "web hooks are not emulated; give LambdaFunctionName"
            )
        name = hook.get("LambdaFunctionName")
        if not name:
            raise CampaignError("Hook.LambdaFunctionName", "is required for a FILTER hook")
        self._resolve_function(name, "Hook.LambdaFunctionName")

    def _resolve_function(self, name: str, where: str) -> Callable[..., Any]:
        if name.startswith("https://") or name.startswith("http://"):
            raise CampaignError(where, "HTTPS delivery is not emulated; register a function")
        if self.functions is None:
            raise CampaignError(where, "no functions are available to this engine")
        try:
            return self.functions(name)
        except KeyError:
            raise CampaignError(where, f"no function registered as {name!r}") from None

    def _treatment(
        self,
        treatment_id: str,
        item: Mapping[str, Any],
        campaign: Mapping[str, Any],
        now: datetime,
        where: str,
        past_ok: bool = False,
    ) -> Treatment:
        prefix = f"{where}." if where else ""
        schedule_data = item.get("Schedule") or campaign.get("Schedule")
        with reported_as(CampaignError):
            schedule = Schedule.from_api(schedule_data, now, f"{prefix}Schedule")
        if not (past_ok or schedule.immediate or schedule.is_event) and schedule.start < now:
            raise CampaignError(
                f"{prefix}Schedule.StartTime", f"{iso(schedule.start)} is in the past ({iso(now)})"
            )
        messages = dict(item.get("MessageConfiguration") or {})
        templates = dict(item.get("TemplateConfiguration") or {})
        if not messages and not templates and not item.get("CustomDeliveryConfiguration"):
            raise CampaignError(
                f"{prefix}MessageConfiguration",
                "give a MessageConfiguration, a TemplateConfiguration or a "
                "CustomDeliveryConfiguration",
            )
        if templates.get("VoiceTemplate"):
            raise CampaignError(
                f"{prefix}TemplateConfiguration.VoiceTemplate", "is not supported for campaigns"
            )
        for key, template in templates.items():
            if self.template_exists is None:
                continue
            kind = key.removesuffix("Template").upper()
            name = (template or {}).get("Name")
            if not name or not self.template_exists(kind, name, (template or {}).get("Version")):
                version = (template or {}).get("Version")
                which = f"{name!r}" + (f" version {version}" if version else "")
                raise CampaignError(
                    f"{prefix}TemplateConfiguration.{key}.Name", f"no {kind} template {which}"
                )
        headers = (messages.get("EmailMessage") or {}).get("Headers") or []
        if len(headers) > facts.pinpoint.MAX_EMAIL_HEADERS.value:
            raise CampaignError(
                f"{prefix}MessageConfiguration.EmailMessage.Headers",
                f"{len(headers)} headers; at most {facts.pinpoint.MAX_EMAIL_HEADERS.value}",
            )
        custom = item.get("CustomDeliveryConfiguration")
        if custom:
            if not custom.get("DeliveryUri"):
                raise CampaignError(
                    f"{prefix}CustomDeliveryConfiguration.DeliveryUri", "is required"
                )
            self._resolve_function(
                custom["DeliveryUri"], f"{prefix}CustomDeliveryConfiguration.DeliveryUri"
            )
        return Treatment(
            id=treatment_id,
            size_percent=_percent(item.get("SizePercent", 100), f"{prefix}SizePercent"),
            schedule=schedule,
            message_configuration=messages,
            template_configuration=templates,
            custom_delivery=dict(custom) if custom else None,
            name=item.get("TreatmentName") or "",
            description=item.get("TreatmentDescription") or "",
        )

    # -- running --------------------------------------------------------------------------------

    def _start(self, campaign: Campaign) -> None:
        for treatment in campaign.treatments:
            schedule = treatment.schedule
            if schedule.is_event:
                treatment.status = "EXECUTING" if schedule.start <= self.now() else "SCHEDULED"
                self.env.process(self._event_window(campaign, treatment))
            elif treatment.size_percent > 0 or treatment.id == "0":
                self.env.process(self._scheduled(campaign, treatment))

    def _live(self, campaign: Campaign) -> bool:
        current = self.campaigns.get((campaign.app_id, campaign.id))
        return current is campaign and not campaign.deleted

    def _event_window(self, campaign: Campaign, treatment: Treatment) -> Iterator[Any]:
        schedule = treatment.schedule
        yield self._wait_until(schedule.start)
        if not self._live(campaign):
            return
        treatment.status = "EXECUTING"
        if schedule.end is not None:
            yield self._wait_until(schedule.end)
            if self._live(campaign):
                treatment.status = "COMPLETED"

    def _scheduled(self, campaign: Campaign, treatment: Treatment) -> Iterator[Any]:
        schedule = treatment.schedule
        now = self.now()
        runs = [r for r in _bounded(schedule.run_times(), 10_000) if r >= now]
        treatment.runs_left = len(runs)
        lead = timedelta(hours=14) if schedule.is_local_time else timedelta(0)
        for index, run_time in enumerate(runs):
            wake = max(run_time - lead, self.now())
            yield self._wait_until(wake)
            if not self._live(campaign):
                return
            treatment.runs_left = len(runs) - index - 1
            if campaign.is_paused:
                continue
            treatment.status = "EXECUTING"
            yield from self._run(campaign, treatment, run_time)
            if not self._live(campaign):
                return
            treatment.status = "PENDING_NEXT_RUN" if treatment.runs_left else "COMPLETED"
        if self._live(campaign):
            treatment.status = "COMPLETED"

    def _audience(
        self, campaign: Campaign, treatment: Treatment, activity: Activity
    ) -> list[Endpoint]:
        """Resolves the segment and keeps this treatment's eligible share of it."""
        endpoints = self.segment_resolver(
            campaign.app_id, campaign.segment_id, campaign.segment_version
        )
        metrics = activity.metrics
        metrics["ENDPOINT_PRODUCED"] += len(endpoints)
        seen: set[str] = set()
        kept: list[Endpoint] = []
        for endpoint in endpoints:
            endpoint_id = str(endpoint.get("Id"))
            if endpoint_id in seen:
                metrics["DUPLICATE_ENDPOINT"] += 1
                continue
            seen.add(endpoint_id)
            allocated = self._allocation(campaign, endpoint_id)
            if allocated != treatment.id:
                if allocated == "HOLDOUT" and treatment.id == "0":
                    metrics["HOLDOUT"] += 1
                continue
            if endpoint.get("EndpointStatus", "ACTIVE") == "INACTIVE":
                metrics["ENDPOINT_INACTIVE"] += 1
                continue
            if not endpoint.get("Address") and channel_of(endpoint) != "IN_APP":
                metrics["ENDPOINT_MISSING_ADDRESS"] += 1
                continue
            kept.append(endpoint)
        hook = campaign.hook or dict(self.app_defaults(campaign.app_id).get("CampaignHook") or {})
        if hook.get("LambdaFunctionName") and hook.get("Mode", "FILTER") == "FILTER":
            kept = self._filter_hook(campaign, treatment, activity, hook, kept)
        return kept

    def _allocation(self, campaign: Campaign, endpoint_id: str) -> str:
        """Holdout first, then each A/B treatment's share, the default treatment last."""
        point = bucket(campaign.salt, endpoint_id)
        edge = campaign.holdout_percent * 100
        if point < edge:
            return "HOLDOUT"
        for treatment in campaign.treatments[1:]:
            edge += treatment.size_percent * 100
            if point < edge:
                return treatment.id
        return "0"

    def _filter_hook(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        hook: Mapping[str, Any],
        endpoints: list[Endpoint],
    ) -> list[Endpoint]:
        function = self.functions(hook["LambdaFunctionName"]) if self.functions else None
        if function is None:
            return endpoints
        kept: list[Endpoint] = []
        for start in range(0, len(endpoints), 50):  # Pinpoint calls the hook in batches of 50
            batch = endpoints[start : start + 50]
            event = {
                "MessageConfiguration": treatment.message_configuration,
                "ApplicationId": campaign.app_id,
                "CampaignId": campaign.id,
                "TreatmentId": treatment.id,
                "ActivityId": activity.id,
                "ScheduledTime": iso(activity.scheduled_start),
                "Endpoints": {
                    str(e["Id"]): {k: v for k, v in e.items() if k != "Id"} for e in batch
                },
            }
            answer = function(event) or {}
            for endpoint_id, data in answer.items():
                kept.append({**dict(data), "Id": endpoint_id})
        activity.metrics["FILTERED_OUT_BY_HOOK"] += len(endpoints) - len(kept)
        return kept

    def _run(self, campaign: Campaign, treatment: Treatment, run_time: datetime) -> Iterator[Any]:
        """One activity: resolve, allocate, then send at each endpoint's time, paced."""
        activity = Activity(
            self.new_id(), campaign.app_id, campaign.id, treatment.id, run_time, start=self.now()
        )
        activity.state = "RUNNING"
        campaign.activities.append(activity)
        audience = self._audience(campaign, treatment, activity)
        by_time: dict[datetime, list[Endpoint]] = defaultdict(list)
        for endpoint in audience:
            if message_for(
                endpoint, treatment.message_configuration, treatment.template_configuration
            ) is None and not (self._custom_for(treatment, endpoint)):
                activity.metrics["ENDPOINT_CHANNEL_MISMATCH"] += 1
                continue
            moment = max(treatment.schedule.send_time(run_time, endpoint), self.now())
            zone = (endpoint.get("Demographic") or {}).get("Timezone") or "UTC"
            activity.timezones.add(zone)
            by_time[moment].append(endpoint)
        committed = sum(len(group) for group in by_time.values())
        activity.tally.schedule(committed)
        campaign.tally.schedule(committed)
        limits = {**(self.app_defaults(campaign.app_id).get("Limits") or {}), **campaign.limits}
        rate = int(limits.get("MessagesPerSecond") or facts.pinpoint.CAMPAIGN_MPS_MAX.value)
        deadline = (
            activity.start + timedelta(seconds=limits["MaximumDuration"])
            if limits.get("MaximumDuration")
            else None
        )
        quiet = treatment.schedule.quiet_time or QuietTime.from_api(
            self.app_defaults(campaign.app_id).get("QuietTime")
        )
        for moment in sorted(by_time):
            group = by_time[moment]
            yield self._wait_until(moment)
            start = 0
            while start < len(group):
                if not self._live(campaign):
                    left = len(group) - start + sum(len(by_time[m]) for m in by_time if m > moment)
                    activity.tally.cancel(left)
                    campaign.tally.cancel(left)
                    activity.metrics["CANCELLED"] += left
                    activity.state, activity.end = "CANCELLED", self.now()
                    return
                while campaign.is_paused and self._live(campaign):
                    yield self.env.timeout(60)
                # MessagesPerSecond is the campaign's: its treatments share each second's budget
                second = math.floor(self.env.now)
                used = campaign.paced[1] if campaign.paced[0] == second else 0
                if used >= rate:
                    yield self.env.timeout(second + 1 - self.env.now)
                    continue
                chunk = group[start : start + rate - used]
                campaign.paced = (second, used + len(chunk))
                expired = deadline is not None and self.now() > deadline
                self._deliver(campaign, treatment, activity, chunk, limits, quiet, expired)
                start += len(chunk)
            for endpoint in group:
                zone = (endpoint.get("Demographic") or {}).get("Timezone") or "UTC"
                activity.timezones_done.add(zone)
        activity.state, activity.end = "COMPLETED", self.now()
        activity.result = "SUCCESS"

    def _custom_for(self, treatment: Treatment, endpoint: Mapping[str, Any]) -> bool:
        custom = treatment.custom_delivery
        if not custom:
            return False
        types = custom.get("EndpointTypes") or []
        return not types or str(endpoint.get("ChannelType")) in types

    def _deliver(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: Sequence[Endpoint],
        limits: Mapping[str, int],
        quiet: QuietTime | None,
        expired: bool,
    ) -> None:
        """Applies quiet time and caps, then sends what is left, one sender call per channel."""
        now = self.now()
        seconds = self.env.now
        groups: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
        for endpoint in endpoints:
            endpoint_id = str(endpoint["Id"])
            refusal = None
            if expired:
                refusal = "TIMEOUT"
            elif quiet is not None and quiet.suppresses(endpoint, now):
                refusal = "QUIET_TIME"
            else:
                refusal = campaign.caps.refusal(
                    endpoint_id, seconds, limits.get("Daily", 0), limits.get("Total", 0)
                )
            if refusal is not None:
                if refusal == "TIMEOUT":
                    self._settle(campaign, treatment, activity, endpoint, "TIMEOUT", now)
                else:  # suppressed: never sent, so withdrawn from the tally
                    activity.tally.cancel()
                    campaign.tally.cancel()
                    activity.metrics[refusal] += 1
                    self._campaign_record(campaign, treatment, activity, endpoint, refusal, now)
                continue
            if endpoint.get("OptOut", "NONE") == "ALL":
                activity.metrics["ENDPOINT_OPT_OUT"] += 1
                self._settle(campaign, treatment, activity, endpoint, "OPT_OUT", now)
                continue
            channel = "CUSTOM" if self._custom_for(treatment, endpoint) else channel_of(endpoint)
            groups[(channel, str(endpoint.get("ChannelType")))].append(endpoint)
        for (channel, _kind), group in groups.items():
            results = self._send(campaign, treatment, activity, channel, group)
            for endpoint in group:
                result = results.get(str(endpoint["Id"])) or {"DeliveryStatus": "UNKNOWN_FAILURE"}
                campaign.caps.record(str(endpoint["Id"]), seconds)
                self._settle(
                    campaign, treatment, activity, endpoint, result["DeliveryStatus"], now, channel
                )

    def _send(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        channel: str,
        endpoints: list[Endpoint],
    ) -> Mapping[str, Mapping[str, Any]]:
        context = {
            "campaign_id": campaign.id,
            "campaign_activity_id": activity.id,
            "treatment_id": treatment.id,
            "application_id": campaign.app_id,
        }
        if channel == "CUSTOM" and treatment.custom_delivery:
            return self._custom_delivery(campaign, treatment, activity, endpoints)
        picked = message_for(
            endpoints[0], treatment.message_configuration, treatment.template_configuration
        )
        messages, templates = picked or ({}, {})
        try:
            return self.sender(channel, endpoints, messages, templates, context)
        except Exception as error:  # a failing channel fails its messages, not the campaign
            return {
                str(e["Id"]): {"DeliveryStatus": "PERMANENT_FAILURE", "StatusMessage": str(error)}
                for e in endpoints
            }

    def _custom_delivery(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: list[Endpoint],
    ) -> dict[str, dict[str, Any]]:
        uri = (treatment.custom_delivery or {})["DeliveryUri"]
        function = self._resolve_function(uri, "CustomDeliveryConfiguration.DeliveryUri")
        event = {
            "Message": treatment.message_configuration.get("CustomMessage") or {},
            "Data": (treatment.message_configuration.get("CustomMessage") or {}).get("Data", ""),
            "ApplicationId": campaign.app_id,
            "CampaignId": campaign.id,
            "TreatmentId": treatment.id,
            "ActivityId": activity.id,
            "ScheduledTime": iso(activity.scheduled_start),
            "Endpoints": {str(e["Id"]): _without_id(e) for e in endpoints},
        }
        try:
            function(event)
            status = "SUCCESSFUL"
        except Exception:
            status = "PERMANENT_FAILURE"
        return {str(e["Id"]): {"DeliveryStatus": status} for e in endpoints}

    def _settle(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        delivery_status: str,
        now: datetime,
        channel: str | None = None,
    ) -> None:
        activity.tally.settle(delivery_status)
        campaign.tally.settle(delivery_status)
        status = send_status(delivery_status)
        activity.metrics[status] += 1
        self._campaign_record(campaign, treatment, activity, endpoint, status, now)
        if delivery_status == "SUCCESSFUL" and self.engagement is not None:
            self._react(campaign, treatment, activity, endpoint, channel or channel_of(endpoint))

    def _campaign_record(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        status: str,
        now: datetime,
    ) -> None:
        self.record_event(
            event_records.campaign_send_record(
                app_id=campaign.app_id,
                account_id=self.account_id,
                endpoint_id=str(endpoint.get("Id", "")),
                campaign_id=campaign.id,
                campaign_activity_id=activity.id,
                delivery_type=str(endpoint.get("ChannelType", "")),
                campaign_send_status=status,
                event_timestamp=millis(now),
                arrival_timestamp=millis(now),
                treatment_id=treatment.id,
                endpoint=endpoint,
            )
        )

    def _react(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        channel: str,
    ) -> None:
        assert self.engagement is not None
        attributes = {
            "campaign_id": campaign.id,
            "campaign_activity_id": activity.id,
            "treatment_id": treatment.id,
        }
        for reaction in self.engagement.reactions(channel):
            self.env.process(self._reaction(campaign.app_id, endpoint, reaction, attributes))

    def _reaction(
        self, app_id: str, endpoint: Endpoint, reaction: Any, attributes: Mapping[str, str]
    ) -> Iterator[Any]:
        yield self.env.timeout(reaction.delay)
        now = self.now()
        self.record_event(
            event_records.envelope(
                reaction.event_type,
                app_id=app_id,
                account_id=self.account_id,
                client_id=str(endpoint.get("Id", "")),
                event_timestamp=millis(now),
                arrival_timestamp=millis(now),
                attributes=attributes,
                endpoint=endpoint,
            )
        )
        if self.on_reaction is not None:
            self.on_reaction(app_id, endpoint, reaction.event_type, now, attributes)

    # -- event-triggered campaigns ----------------------------------------------------------------

    def on_event(self, app_id: str, endpoint: Endpoint, event: Mapping[str, Any]) -> int:
        """Sends every live EVENT campaign whose filter ``event`` meets; returns how many did."""
        fired = 0
        for campaign in self.list(app_id):
            default = campaign.default
            schedule = default.schedule
            if schedule.frequency != "EVENT" or campaign.is_paused:
                continue
            now = self.now()
            if now < schedule.start or (schedule.end is not None and now >= schedule.end):
                continue
            event_filter = schedule.event_filter or {}
            if not event_matches(event_filter.get("Dimensions"), event):
                continue
            members = self.segment_resolver(app_id, campaign.segment_id, campaign.segment_version)
            if not any(str(m.get("Id")) == str(endpoint.get("Id")) for m in members):
                continue
            treatment_id = self._allocation(campaign, str(endpoint["Id"]))
            if treatment_id == "HOLDOUT":
                continue
            treatment = next(t for t in campaign.treatments if t.id == treatment_id)
            activity = self._event_activity(campaign, treatment)
            activity.metrics["ENDPOINT_PRODUCED"] += 1
            if message_for(
                endpoint, treatment.message_configuration, treatment.template_configuration
            ) is None and not self._custom_for(treatment, endpoint):
                activity.metrics["ENDPOINT_CHANNEL_MISMATCH"] += 1
                continue
            limits = {**(self.app_defaults(app_id).get("Limits") or {}), **campaign.limits}
            quiet = schedule.quiet_time or QuietTime.from_api(
                self.app_defaults(app_id).get("QuietTime")
            )
            activity.tally.schedule()
            campaign.tally.schedule()
            self._deliver(campaign, treatment, activity, [endpoint], limits, quiet, False)
            fired += 1
        return fired

    def _event_activity(self, campaign: Campaign, treatment: Treatment) -> Activity:
        for activity in campaign.activities:
            if activity.treatment_id == treatment.id:
                return activity
        activity = Activity(
            self.new_id(),
            campaign.app_id,
            campaign.id,
            treatment.id,
            treatment.schedule.start,
            start=self.now(),
            state="RUNNING",
        )
        campaign.activities.append(activity)
        return activity

    # -- printouts ------------------------------------------------------------------------------

    def summary(self, app_id: str, campaign_id: str) -> str:
        """Returns a stable text table of the campaign's activities, no ids or dates."""
        campaign = self.get(app_id, campaign_id)
        lines = [
            f"campaign {campaign.name or '(unnamed)'}: {campaign.status}, "
            f"version {campaign.version}",
            f"  {'run':>3} {'treatment':<9} {'state':<10} {'sent':>7} {'delivered':>9} "
            f"{'failed':>6} {'opt-out':>7} {'throttled':>9} {'pending':>7}  suppressed",
        ]
        runs: Counter[str] = Counter()
        for activity in campaign.activities:
            runs[activity.treatment_id] += 1
            t = activity.tally
            held = {
                k: v
                for k, v in sorted(activity.metrics.items())
                if k in ("QUIET_TIME", "DAILY_CAP", "TOTAL_CAP", "HOLDOUT", "FILTERED_OUT_BY_HOOK")
                and v
            }
            lines.append(
                f"  {runs[activity.treatment_id]:>3} {activity.treatment_id:<9} "
                f"{activity.state:<10} {t.sent:>7} {t.delivered:>9} {t.failed:>6} "
                f"{t.opted_out:>7} {t.throttled:>9} {t.pending:>7}  "
                + (", ".join(f"{k}={v}" for k, v in held.items()) or "-")
            )
        t = campaign.tally
        lines.append(
            f"  total: sent {t.sent} = delivered {t.delivered} + failed {t.failed} + opted out "
            f"{t.opted_out} + throttled {t.throttled} + pending {t.pending}"
        )
        return "\n".join(lines)


def _without_id(endpoint: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in endpoint.items() if k != "Id"}


def _percent(value: Any, field_name: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 100:
        raise CampaignError(field_name, f"{value!r} is not a whole percentage from 0 to 100")
    return value


def _bounded(items: Iterable[datetime], limit: int) -> Iterator[datetime]:
    for index, item in enumerate(items):
        if index >= limit:
            return
        yield item
