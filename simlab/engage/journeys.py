"""Journeys: participants walk a graph of activities on the simulated clock.

A journey is Pinpoint's ``WriteJourneyRequest`` (facts 1.21-1.26): activities keyed by id
(EMAIL, SMS, PUSH, CUSTOM, ContactCenter, Wait, ConditionalSplit, MultiCondition, RandomSplit,
Holdout), a ``StartActivity``, a ``StartCondition`` (a segment, refreshed every
``RefreshFrequency``, or an event), ``Limits``, ``QuietTime`` (with ``WaitForQuietTime``) and,
with ``SendingSchedule``, ``OpenHours`` and ``ClosedDays`` per channel. Each participant is a
SimPy process, so a week of waits plays out in one ``clock.advance``.

States follow fact 1.25: DRAFT -> ACTIVE (publish) -> CLOSED (no new entries) -> COMPLETED
(nobody left inside); ACTIVE <-> PAUSED; any live state -> CANCELLED. Counts reconcile with the
``_journey.send`` records (fact 2.8) one for one.

Execution-metric names follow the Pinpoint Developer Guide's journey execution metrics
(``ENDPOINT_ENTERED``, ``ENDPOINT_ACTIVE``, ``ENDPOINT_LEFT``, ``CANCELLED``,
``REENTRY_CAP_EXCEEDED``, ``ACTIVE_ENDPOINT_REJECTED``); per-activity metrics use the send
statuses for messages and simlab's own path names for splits (``TRUE``/``FALSE``, ``Branch_<n>``,
``DEFAULT``, ``HOLDOUT``/``PASSED``, ``WAIT_STARTED``/``WAIT_COMPLETED``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

import numpy as np
import simpy

from simlab import facts
from simlab.engage import event_records
from simlab.engage.campaigns import (
    ACCOUNT_ID,
    Analytics,
    Endpoint,
    RecordEvent,
    SegmentResolver,
    SendCaps,
    Sender,
    Tally,
    channel_of,
    event_matches,
    millis,
    send_status,
)
from simlab.engage.engagement import EngagementModel, Reaction
from simlab.engage.faults import FieldError, NotFound, reported_as
from simlab.engage.schedule import (
    QuietTime,
    endpoint_zone,
    iso,
    parse_duration,
    parse_hhmm,
    parse_instant,
    parse_offset,
)

P = facts.pinpoint
STATES: tuple[str, ...] = P.JOURNEY_STATES.value
WRITE_STATES: tuple[str, ...] = P.JOURNEY_WRITE_STATES.value
UPDATE_STATES: tuple[str, ...] = P.JOURNEY_UPDATE_STATES.value
ACTIVITY_TYPES: tuple[str, ...] = P.ACTIVITY_TYPES.value
MESSAGE_TYPES = ("EMAIL", "SMS", "PUSH", "CUSTOM")
#: ``ActivityType`` of the execution-metrics responses, per activity member.
METRIC_TYPES = {
    "EMAIL": "MESSAGE",
    "SMS": "MESSAGE",
    "PUSH": "MESSAGE",
    "CUSTOM": "MESSAGE",
    "ContactCenter": "CONTACT_CENTER",
    "Wait": "WAIT",
    "ConditionalSplit": "CONDITIONAL_SPLIT",
    "MultiCondition": "MULTI_CONDITIONAL_SPLIT",
    "RandomSplit": "RANDOM_SPLIT",
    "Holdout": "HOLDOUT",
}
#: ``journey_activity_type`` of the ``_journey.send`` records (fact 2.8).
RECORD_TYPES = {
    "EMAIL": "EMAIL",
    "SMS": "SMS",
    "PUSH": "PUSH",
    "CUSTOM": "CUSTOM",
    "ContactCenter": "CONTACT_CENTER",
}
#: What UpdateJourneyState may move a journey to, from each state.
TRANSITIONS = {
    "DRAFT": {"ACTIVE", "CANCELLED"},
    "ACTIVE": {"PAUSED", "CANCELLED"},
    "PAUSED": {"ACTIVE", "CANCELLED"},
    "CLOSED": {"CANCELLED"},
    "COMPLETED": set(),
    "CANCELLED": set(),
}
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_ACTIVITY_ID = re.compile(r"^[A-Za-z0-9]+$")


class JourneyError(FieldError):
    """A journey definition or change AWS would refuse; ``field`` names the member at fault."""


class JourneyNotFound(NotFound):
    """No journey with that id in that application (NotFoundException)."""


def activity_type(activity: Mapping[str, Any], where: str = "Activities") -> str:
    """Returns the one activity member set (EMAIL, Wait, ...); refuses none or several."""
    kinds = [kind for kind in ACTIVITY_TYPES if activity.get(kind) is not None]
    if len(kinds) != 1:
        found = ", ".join(kinds) or "none"
        raise JourneyError(
            where, f"must set exactly one of {', '.join(ACTIVITY_TYPES)} (found {found})"
        )
    return kinds[0]


def paths(activity: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Returns ``(label, next activity id)`` for every way out of ``activity``."""
    kind = activity_type(activity)
    body = activity[kind] or {}
    if kind == "ConditionalSplit":
        found = [("TRUE", body.get("TrueActivity")), ("FALSE", body.get("FalseActivity"))]
    elif kind == "MultiCondition":
        found = [
            (f"Branch_{i}", branch.get("NextActivity"))
            for i, branch in enumerate(body.get("Branches") or [])
        ]
        found.append(("DEFAULT", body.get("DefaultActivity")))
    elif kind == "RandomSplit":
        found = [
            (f"Branch_{i}", branch.get("NextActivity"))
            for i, branch in enumerate(body.get("Branches") or [])
        ]
    else:
        found = [("NEXT", body.get("NextActivity"))]
    return [(label, target) for label, target in found if target]


def _wait_time(
    data: Mapping[str, Any] | None, where: str
) -> tuple[timedelta | None, datetime | None]:
    if not data:
        return None, None
    if bool(data.get("WaitFor")) == bool(data.get("WaitUntil")):
        raise JourneyError(where, "give exactly one of WaitFor (ISO 8601 duration) or WaitUntil")
    with reported_as(JourneyError):
        if data.get("WaitFor"):
            return parse_duration(data["WaitFor"], f"{where}.WaitFor"), None
        return None, parse_instant(data["WaitUntil"], f"{where}.WaitUntil")


def _cap(limits: Mapping[str, Any], key: str, high: int | None, low: int = 0) -> int | None:
    value = limits.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or value < low or (high is not None and value > high):
        allowed = f"{low} to {high}" if high is not None else f"at least {low}"
        raise JourneyError(f"Limits.{key}", f"{value!r} is not allowed: {allowed}")
    return value


@dataclass
class OpeningRules:
    """``OpenHours`` and ``ClosedDays`` per channel, read when ``SendingSchedule`` is true."""

    open_hours: dict[str, dict[int, list[tuple[time, time]]]] = field(default_factory=dict)
    closed: dict[str, list[tuple[datetime, datetime]]] = field(default_factory=dict)

    @classmethod
    def from_api(cls, request: Mapping[str, Any]) -> OpeningRules:
        rules = cls()
        if not request.get("SendingSchedule"):
            return rules
        for channel, days in (request.get("OpenHours") or {}).items():
            where = f"OpenHours.{channel}"
            if channel not in P.JOURNEY_SENDING_SCHEDULE_CHANNELS.value:
                raise JourneyError(where, "is not one of EMAIL, SMS, PUSH, VOICE, CUSTOM")
            table: dict[int, list[tuple[time, time]]] = {}
            for day, windows in (days or {}).items():
                if day not in WEEKDAYS:
                    raise JourneyError(f"{where}.{day}", f"is not one of {', '.join(WEEKDAYS)}")
                table[WEEKDAYS.index(day)] = [
                    (
                        _hhmm(w.get("StartTime"), f"{where}.{day}.StartTime"),
                        _hhmm(w.get("EndTime"), f"{where}.{day}.EndTime"),
                    )
                    for w in windows
                ]
            rules.open_hours[channel] = table
        for channel, days in (request.get("ClosedDays") or {}).items():
            where = f"ClosedDays.{channel}"
            spans = []
            for index, rule in enumerate(days or []):
                start = _instant(rule.get("StartDateTime"), f"{where}[{index}].StartDateTime")
                end = _instant(rule.get("EndDateTime"), f"{where}[{index}].EndDateTime")
                if end <= start:
                    raise JourneyError(f"{where}[{index}].EndDateTime", "must be after the start")
                spans.append((start, end))
            rules.closed[channel] = spans
        return rules

    def next_open(self, channel: str, moment: datetime, zone: tzinfo) -> datetime:
        """Returns the first instant at or after ``moment`` when ``channel`` may send."""
        for _ in range(64):
            moved = False
            for start, end in self.closed.get(channel, ()):
                if start <= moment < end:
                    moment, moved = end, True
            table = self.open_hours.get(channel)
            if table:
                local = moment.astimezone(zone)
                windows = table.get(local.weekday())
                now = local.time().replace(tzinfo=None)
                if not windows or not any(a <= now < b for a, b in windows):
                    moment, moved = self._next_window(table, local), True
            if not moved:
                return moment
        return moment

    @staticmethod
    def _next_window(table: Mapping[int, list[tuple[time, time]]], local: datetime) -> datetime:
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            for start, _end in sorted(table.get(day.weekday(), [])):
                candidate = datetime.combine(day, start, tzinfo=local.tzinfo)
                if candidate > local:
                    return candidate.astimezone(UTC)
        return (local + timedelta(days=7)).astimezone(UTC)


def _hhmm(value: Any, where: str) -> time:
    with reported_as(JourneyError):
        return parse_hhmm(value, where)


def _instant(value: Any, where: str) -> datetime:
    with reported_as(JourneyError):
        return parse_instant(value, where)


@dataclass
class JourneyRun:
    """One evaluation of the start condition and the participants it let in."""

    id: str
    created: datetime
    updated: datetime
    status: str = "RUNNING"
    active: int = 0
    metrics: Counter[str] = field(default_factory=Counter)
    activity_metrics: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``JourneyRunResponse``."""
        return {
            "RunId": self.id,
            "CreationTime": iso(self.created),
            "LastUpdateTime": iso(self.updated),
            "Status": self.status,
        }


@dataclass
class Participant:
    """An endpoint's history with one journey."""

    entries: int = 0
    active: bool = False
    last_entry: float = -1.0


@dataclass
class Journey:
    """A journey as the engine runs it."""

    app_id: str
    id: str
    name: str
    request: dict[str, Any]
    state: str
    created: datetime
    modified: datetime
    activities: dict[str, dict[str, Any]]
    start_activity: str
    limits: dict[str, Any]
    quiet_time: QuietTime | None
    wait_for_quiet_time: bool
    opening: OpeningRules
    start: datetime | None
    end: datetime | None
    zone: tzinfo
    refresh: timedelta | None
    reentry_interval: timedelta | None
    arn: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    runs: list[JourneyRun] = field(default_factory=list)
    metrics: Counter[str] = field(default_factory=Counter)
    activity_metrics: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    participants: dict[str, Participant] = field(default_factory=dict)
    caps: SendCaps = field(default_factory=SendCaps)
    tally: Tally = field(default_factory=Tally)
    active: int = 0
    next_slot: float = 0.0
    last_evaluated: datetime | None = None
    paused_total: float = 0.0
    paused_since: float | None = None

    def paused_for(self, now: float) -> float:
        """Seconds the journey has spent PAUSED so far."""
        ongoing = now - self.paused_since if self.paused_since is not None else 0.0
        return self.paused_total + ongoing

    @property
    def start_condition(self) -> Mapping[str, Any]:
        return self.request.get("StartCondition") or {}

    @property
    def segment_id(self) -> str | None:
        condition = self.start_condition
        segment = (condition.get("SegmentStartCondition") or {}).get("SegmentId")
        return segment or (condition.get("EventStartCondition") or {}).get("SegmentId")

    @property
    def event_filter(self) -> Mapping[str, Any] | None:
        return (self.start_condition.get("EventStartCondition") or {}).get("EventFilter")

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``JourneyResponse``."""
        data = {
            key: value
            for key, value in self.request.items()
            if key not in ("CreationDate", "LastModifiedDate", "State", "tags")
        }
        data.update(
            {
                "ApplicationId": self.app_id,
                "Id": self.id,
                "Name": self.name,
                "State": self.state,
                "CreationDate": iso(self.created),
                "LastModifiedDate": iso(self.modified),
                "tags": dict(self.tags),
            }
        )
        return data


class JourneyEngine:
    """Creates journeys and walks their participants on ``env`` (SimPy, seconds since ``epoch``).

    Collaborators as for ``CampaignEngine``, plus ``dimension_matcher(app_id, endpoint,
    dimensions)`` for ``SegmentDimensions`` conditions and ``contact_center(app_id, endpoint,
    context)`` returning a delivery status for ContactCenter activities.
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
        template_exists: Callable[[str, str, str | None], bool] | None = None,
        dimension_matcher: Callable[[str, Endpoint, Mapping[str, Any]], bool] | None = None,
        contact_center: Callable[[str, Endpoint, Mapping[str, Any]], str] | None = None,
        engagement: EngagementModel | None = None,
        new_id: Callable[[], str] | None = None,
        analytics: Analytics | None = None,
        account_id: str = ACCOUNT_ID,
        region: str = "us-east-1",
    ) -> None:
        self.env = env
        self.epoch = epoch
        self.segment_resolver = segment_resolver
        self.sender = sender
        self._record_event = record_event
        self.rng = rng
        self.template_exists = template_exists
        self.dimension_matcher = dimension_matcher
        self.contact_center = contact_center
        self.engagement = engagement
        self.new_id = new_id or (lambda: rng.bytes(16).hex())
        self.analytics = analytics or Analytics()
        self.account_id = account_id
        self.region = region
        self.journeys: dict[tuple[str, str], Journey] = {}
        #: (app id, endpoint id) -> events seen, for event conditions.
        self.history: dict[tuple[str, str], list[tuple[float, dict[str, Any]]]] = defaultdict(list)
        #: Sends per endpoint across all journeys, for TimeframeCap.
        self.timeframe = SendCaps()

    # -- clock ----------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.epoch + timedelta(seconds=self.env.now)

    def _until(self, moment: datetime) -> simpy.events.Timeout:
        seconds = (moment - self.epoch).total_seconds()
        return self.env.timeout(max(0.0, seconds - self.env.now))

    def record_event(self, record: dict[str, Any]) -> None:
        self.analytics.observe(record)
        self._record_event(record)

    # -- API ------------------------------------------------------------------------------------

    def create(self, app_id: str, request: Mapping[str, Any]) -> Journey:
        """Validates a ``WriteJourneyRequest``; an ACTIVE journey starts at once."""
        now = self.now()
        journey = self._build(app_id, self.new_id(), dict(request), now, created=now)
        journey.arn = (
            f"arn:aws:mobiletargeting:{self.region}:{self.account_id}:apps/{app_id}"
            f"/journeys/{journey.id}"
        )
        self.journeys[(app_id, journey.id)] = journey
        if journey.state == "ACTIVE":
            self._publish(journey)
        return journey

    def update(self, app_id: str, journey_id: str, request: Mapping[str, Any]) -> Journey:
        """Replaces a DRAFT journey's definition (an ACTIVE one's activities are fixed)."""
        old = self.get(app_id, journey_id)
        if old.state != "DRAFT":
            raise JourneyError(
                "State", f"the journey is {old.state}; only a DRAFT journey can be updated"
            )
        new = self._build(app_id, journey_id, dict(request), self.now(), created=old.created)
        new.arn, new.tags = old.arn, old.tags
        self.journeys[(app_id, journey_id)] = new
        if new.state == "ACTIVE":
            self._publish(new)
        return new

    def delete(self, app_id: str, journey_id: str) -> Journey:
        """Cancels and forgets the journey."""
        journey = self.get(app_id, journey_id)
        if journey.state in ("ACTIVE", "PAUSED", "CLOSED"):
            journey.state = "CANCELLED"
        del self.journeys[(app_id, journey_id)]
        return journey

    def get(self, app_id: str, journey_id: str) -> Journey:
        try:
            return self.journeys[(app_id, journey_id)]
        except KeyError:
            raise JourneyNotFound(f"Journey {journey_id} not found in {app_id}") from None

    def list(self, app_id: str) -> list[Journey]:
        found = [j for (a, _), j in self.journeys.items() if a == app_id]
        return sorted(found, key=lambda j: (j.created, j.id))

    def set_state(self, app_id: str, journey_id: str, state: str) -> Journey:
        """Applies UpdateJourneyState: ACTIVE (publish or resume), PAUSED or CANCELLED."""
        journey = self.get(app_id, journey_id)
        if state not in UPDATE_STATES:
            raise JourneyError("State", f"{state!r} is not one of {', '.join(UPDATE_STATES)}")
        if state not in TRANSITIONS[journey.state]:
            raise JourneyError("State", f"a {journey.state} journey cannot become {state}")
        if state == "PAUSED" and journey.refresh is None and journey.event_filter is None:
            raise JourneyError(
                "State", "PAUSED only supports journeys with a segment refresh interval (or events)"
            )
        previous, journey.state = journey.state, state
        journey.modified = self.now()
        if state == "PAUSED":
            journey.paused_since = self.env.now
        elif journey.paused_since is not None:
            journey.paused_total += self.env.now - journey.paused_since
            journey.paused_since = None
        if previous == "DRAFT" and state == "ACTIVE":
            try:
                self._check_publishable(journey)
                self._check_quotas(journey)
            except JourneyError:
                journey.state = previous
                raise
            self._publish(journey)
        if state == "CANCELLED":
            for run in journey.runs:
                if run.status in ("RUNNING", "SCHEDULED"):
                    run.status, run.updated = "CANCELLED", self.now()
        return journey

    # -- validation -----------------------------------------------------------------------------

    def _build(
        self, app_id: str, journey_id: str, request: dict[str, Any], now: datetime, *, created
    ) -> Journey:
        name = request.get("Name")
        if not name or not isinstance(name, str):
            raise JourneyError("Name", "is required")
        if len(name) > P.MAX_JOURNEY_NAME_CHARS.value or " " in name:
            raise JourneyError(
                "Name", f"at most {P.MAX_JOURNEY_NAME_CHARS.value} characters and no spaces"
            )
        state = request.get("State", "DRAFT")
        if state not in WRITE_STATES:
            raise JourneyError("State", f"{state!r} is not one of {', '.join(WRITE_STATES)}")
        activities = dict(request.get("Activities") or {})
        self._check_activities(app_id, activities, request.get("StartActivity"))
        limits = dict(request.get("Limits") or {})
        _cap(limits, "DailyCap", P.JOURNEY_DAILY_CAP_MAX.value)
        _cap(limits, "TotalCap", P.JOURNEY_TOTAL_CAP_MAX.value)
        _cap(limits, "EndpointReentryCap", P.JOURNEY_REENTRY_CAP_MAX.value)
        _cap(limits, "MessagesPerSecond", None, 1)
        timeframe = limits.get("TimeframeCap") or {}
        if timeframe:
            _cap({"TimeframeCap.Cap": timeframe.get("Cap", 0)}, "TimeframeCap.Cap", 100)
            _cap(
                {"TimeframeCap.Days": timeframe.get("Days", 0)},
                "TimeframeCap.Days",
                P.JOURNEY_TIMEFRAME_DAYS_MAX.value,
            )
        reentry = None
        if limits.get("EndpointReentryInterval"):
            reentry = self._duration(
                limits["EndpointReentryInterval"], "Limits.EndpointReentryInterval"
            )
        schedule = request.get("Schedule") or {}
        zone = UTC
        if schedule.get("Timezone"):
            with reported_as(JourneyError):
                zone = parse_offset(schedule["Timezone"], "Schedule.Timezone")
        start = (
            _instant(_text(schedule["StartTime"]), "Schedule.StartTime")
            if schedule.get("StartTime")
            else None
        )
        end = (
            _instant(_text(schedule["EndTime"]), "Schedule.EndTime")
            if schedule.get("EndTime")
            else None
        )
        if start and end and end <= start:
            raise JourneyError("Schedule.EndTime", "must be later than Schedule.StartTime")
        if start and end and (end - start).days > P.MAX_JOURNEY_RUN_DAYS.value:
            raise JourneyError(
                "Schedule.EndTime", f"a journey runs at most {P.MAX_JOURNEY_RUN_DAYS.value} days"
            )
        refresh = None
        if request.get("RefreshFrequency"):
            refresh = self._duration(request["RefreshFrequency"], "RefreshFrequency")
        self._check_start_condition(app_id, request.get("StartCondition") or {})
        with reported_as(JourneyError):
            quiet = QuietTime.from_api(request.get("QuietTime"))
        journey = Journey(
            app_id=app_id,
            id=journey_id,
            name=name,
            request=request,
            state=state,
            created=created,
            modified=now,
            activities=activities,
            start_activity=request.get("StartActivity") or "",
            limits=limits,
            quiet_time=quiet,
            wait_for_quiet_time=bool(request.get("WaitForQuietTime", False)),
            opening=OpeningRules.from_api(request),
            start=start,
            end=end,
            zone=zone,
            refresh=refresh,
            reentry_interval=reentry,
            tags=dict(request.get("tags") or {}),
        )
        if state == "ACTIVE":
            self._check_publishable(journey)
            self._check_quotas(journey)
        return journey

    @staticmethod
    def _duration(text: str, where: str) -> timedelta:
        with reported_as(JourneyError):
            return parse_duration(text, where)

    def _check_publishable(self, journey: Journey) -> None:
        if not journey.activities:
            raise JourneyError("Activities", "an ACTIVE journey needs at least one activity")
        if not journey.start_activity:
            raise JourneyError("StartActivity", "is required to publish the journey")
        if not journey.start_condition:
            raise JourneyError("StartCondition", "is required to publish the journey")

    def _check_start_condition(self, app_id: str, condition: Mapping[str, Any]) -> None:
        segment = condition.get("SegmentStartCondition")
        event = condition.get("EventStartCondition")
        if segment and event:
            raise JourneyError(
                "StartCondition", "give SegmentStartCondition or EventStartCondition, not both"
            )
        where, segment_id = "", None
        if segment:
            where, segment_id = (
                "StartCondition.SegmentStartCondition.SegmentId",
                segment.get("SegmentId"),
            )
            if not segment_id:
                raise JourneyError(where, "is required")
        if event:
            where = "StartCondition.EventStartCondition.SegmentId"
            segment_id = event.get("SegmentId")
            event_filter = event.get("EventFilter") or {}
            if not event_filter.get("Dimensions"):
                raise JourneyError(
                    "StartCondition.EventStartCondition.EventFilter.Dimensions", "is required"
                )
            if event_filter.get("FilterType") not in P.EVENT_FILTER_TYPES.value:
                raise JourneyError(
                    "StartCondition.EventStartCondition.EventFilter.FilterType",
                    f"{event_filter.get('FilterType')!r} is not SYSTEM or ENDPOINT",
                )
        if segment_id:
            self._check_segment(app_id, segment_id, where)

    def _check_segment(self, app_id: str, segment_id: str, where: str) -> None:
        try:
            self.segment_resolver(app_id, segment_id, None)
        except KeyError:
            raise JourneyError(where, f"segment {segment_id} not found") from None

    def _check_activities(
        self, app_id: str, activities: Mapping[str, Any], start: str | None
    ) -> None:
        most = P.MAX_ACTIVITIES_PER_JOURNEY.value
        if len(activities) > most:
            raise JourneyError("Activities", f"{len(activities)} activities; at most {most}")
        contact_centers = 0
        for activity_id, activity in activities.items():
            where = f"Activities.{activity_id}"
            if not _ACTIVITY_ID.match(activity_id) or len(activity_id) > 100:
                raise JourneyError(where, "activity ids are alphanumeric, at most 100 characters")
            kind = activity_type(activity or {}, where)
            body = activity[kind] or {}
            contact_centers += kind == "ContactCenter"
            for label, target in paths(activity):
                if target not in activities:
                    raise JourneyError(
                        f"{where}.{kind}",
                        f"{label} points to {target!r}, which is not an activity of this journey",
                    )
            self._check_activity(app_id, kind, body, f"{where}.{kind}")
        if contact_centers > P.MAX_CONTACT_CENTER_ACTIVITIES.value:
            raise JourneyError(
                "Activities",
                f"{contact_centers} ContactCenter activities; at most "
                f"{P.MAX_CONTACT_CENTER_ACTIVITIES.value}",
            )
        if start and start not in activities:
            raise JourneyError("StartActivity", f"{start!r} is not an activity of this journey")
        loop = _cycle_without_wait(activities)
        if loop:
            raise JourneyError(
                f"Activities.{loop[0]}",
                f"the path {' -> '.join(loop + [loop[0]])} loops without a Wait activity",
            )

    def _check_activity(self, app_id: str, kind: str, body: Mapping[str, Any], where: str) -> None:
        if kind in MESSAGE_TYPES:
            name = body.get("TemplateName")
            if kind != "CUSTOM" and not name:
                raise JourneyError(f"{where}.TemplateName", "is required for a message activity")
            if name and self.template_exists is not None:
                template_kind = "PUSH" if kind == "PUSH" else kind
                if not self.template_exists(template_kind, name, body.get("TemplateVersion")):
                    raise JourneyError(f"{where}.TemplateName", f"no {kind} template {name!r}")
        elif kind == "Wait":
            _wait_time(body.get("WaitTime"), f"{where}.WaitTime")
            if not body.get("WaitTime"):
                raise JourneyError(f"{where}.WaitTime", "is required")
        elif kind == "Holdout":
            pct = body.get("Percentage")
            if not isinstance(pct, int) or not 0 <= pct <= 100:
                raise JourneyError(f"{where}.Percentage", f"{pct!r} is not a percentage 0-100")
        elif kind == "RandomSplit":
            branches = body.get("Branches") or []
            if len(branches) > P.MAX_RANDOM_SPLIT_PATHS.value:
                raise JourneyError(
                    f"{where}.Branches",
                    f"{len(branches)} paths; at most {P.MAX_RANDOM_SPLIT_PATHS.value}",
                )
            total = sum(int(b.get("Percentage") or 0) for b in branches)
            if total > 100:
                raise JourneyError(f"{where}.Branches", f"percentages add up to {total}, over 100")
        elif kind == "MultiCondition":
            branches = body.get("Branches") or []
            if len(branches) + 1 > P.MAX_MULTI_CONDITION_PATHS.value:
                raise JourneyError(
                    f"{where}.Branches",
                    f"{len(branches)} branches plus the default; at most "
                    f"{P.MAX_MULTI_CONDITION_PATHS.value} paths",
                )
            _wait_time(body.get("EvaluationWaitTime"), f"{where}.EvaluationWaitTime")
            for index, branch in enumerate(branches):
                self._check_condition(
                    app_id, branch.get("Condition") or {}, f"{where}.Branches[{index}].Condition"
                )
        elif kind == "ConditionalSplit":
            _wait_time(body.get("EvaluationWaitTime"), f"{where}.EvaluationWaitTime")
            condition = body.get("Condition") or {}
            if condition.get("Operator", "ALL") not in ("ALL", "ANY"):
                raise JourneyError(f"{where}.Condition.Operator", "is not ALL or ANY")
            for index, simple in enumerate(condition.get("Conditions") or []):
                self._check_condition(app_id, simple, f"{where}.Condition.Conditions[{index}]")

    def _check_condition(self, app_id: str, simple: Mapping[str, Any], where: str) -> None:
        set_members = [
            k for k in ("EventCondition", "SegmentCondition", "SegmentDimensions") if simple.get(k)
        ]
        if len(set_members) != 1:
            raise JourneyError(
                where, "set exactly one of EventCondition, SegmentCondition, SegmentDimensions"
            )
        if simple.get("SegmentCondition"):
            segment_id = simple["SegmentCondition"].get("SegmentId")
            if not segment_id:
                raise JourneyError(f"{where}.SegmentCondition.SegmentId", "is required")
            self._check_segment(app_id, segment_id, f"{where}.SegmentCondition.SegmentId")
        if simple.get("SegmentDimensions") and self.dimension_matcher is None:
            raise JourneyError(f"{where}.SegmentDimensions", "is not emulated by this engine")

    # -- running --------------------------------------------------------------------------------

    def _check_quotas(self, journey: Journey) -> None:
        """Refuses publishing past the active or event-journey quota (fact 1.26)."""
        live = [
            j
            for j in self.journeys.values()
            if j.state in ("ACTIVE", "PAUSED") and j is not journey
        ]
        if len(live) >= P.MAX_ACTIVE_JOURNEYS.value:
            raise JourneyError(
                "State",
                f"{len(live)} journeys are active; the quota is {P.MAX_ACTIVE_JOURNEYS.value}",
            )
        events = sum(1 for j in live if j.event_filter is not None)
        if journey.event_filter is not None and events >= P.MAX_ACTIVE_EVENT_JOURNEYS.value:
            raise JourneyError(
                "StartCondition.EventStartCondition",
                f"{events} event-triggered journeys are active; the quota is "
                f"{P.MAX_ACTIVE_EVENT_JOURNEYS.value}",
            )

    def _publish(self, journey: Journey) -> None:
        if journey.event_filter is None:
            self.env.process(self._segment_entries(journey))
        else:
            self.env.process(self._event_window(journey))

    def _live(self, journey: Journey) -> bool:
        return self.journeys.get((journey.app_id, journey.id)) is journey

    def _segment_entries(self, journey: Journey) -> Iterator[Any]:
        if journey.start is not None:
            yield self._until(journey.start)
        while self._live(journey) and journey.state in ("ACTIVE", "PAUSED"):
            if journey.end is not None and self.now() >= journey.end:
                break
            if journey.state == "ACTIVE":
                self._evaluate_segment(journey)
            if journey.refresh is None:
                break
            yield self.env.timeout(journey.refresh.total_seconds())
        self._close(journey)

    def _event_window(self, journey: Journey) -> Iterator[Any]:
        if journey.end is not None:
            yield self._until(journey.end)
            self._close(journey)

    def _close(self, journey: Journey) -> None:
        if self._live(journey) and journey.state in ("ACTIVE", "PAUSED"):
            journey.state = "CLOSED"
            self._maybe_complete(journey)

    def _maybe_complete(self, journey: Journey) -> None:
        if journey.state == "CLOSED" and journey.active == 0:
            journey.state = "COMPLETED"

    def _evaluate_segment(self, journey: Journey) -> None:
        endpoints = self.segment_resolver(journey.app_id, journey.segment_id or "", None)
        run = JourneyRun(self.new_id(), self.now(), self.now())
        journey.runs.append(run)
        journey.last_evaluated = self.now()
        run.metrics["ENDPOINT_PRODUCED"] += len(endpoints)
        journey.metrics["ENDPOINT_PRODUCED"] += len(endpoints)
        for endpoint in endpoints:
            self._enter(journey, run, endpoint)
        if run.active == 0:
            run.status = "COMPLETED"

    def _event_run(self, journey: Journey) -> JourneyRun:
        if not journey.runs:
            journey.runs.append(JourneyRun(self.new_id(), self.now(), self.now()))
        return journey.runs[-1]

    def _enter(self, journey: Journey, run: JourneyRun, endpoint: Endpoint) -> bool:
        endpoint_id = str(endpoint["Id"])
        if endpoint.get("EndpointStatus", "ACTIVE") == "INACTIVE":
            self._count(journey, run, "ENDPOINT_INACTIVE")
            return False
        participant = journey.participants.setdefault(endpoint_id, Participant())
        if participant.active:
            self._count(journey, run, "ACTIVE_ENDPOINT_REJECTED")
            return False
        if participant.entries:
            cap = journey.limits.get("EndpointReentryCap")
            if cap is None or (cap and participant.entries > cap):
                self._count(journey, run, "REENTRY_CAP_EXCEEDED")
                return False
            interval = journey.reentry_interval
            if interval and self.env.now - participant.last_entry < interval.total_seconds():
                self._count(journey, run, "REENTRY_CAP_EXCEEDED")
                return False
        participant.entries += 1
        participant.active = True
        participant.last_entry = self.env.now
        journey.active += 1
        run.active += 1
        self._count(journey, run, "ENDPOINT_ENTERED")
        self.env.process(self._walk(journey, run, dict(endpoint)))
        return True

    @staticmethod
    def _count(journey: Journey, run: JourneyRun, metric: str, amount: int = 1) -> None:
        journey.metrics[metric] += amount
        run.metrics[metric] += amount

    def _activity_count(
        self, journey: Journey, run: JourneyRun, activity_id: str, metric: str
    ) -> None:
        journey.activity_metrics[activity_id][metric] += 1
        run.activity_metrics[activity_id][metric] += 1
        run.updated = self.now()

    def _leave(self, journey: Journey, run: JourneyRun, endpoint_id: str, metric: str) -> None:
        journey.participants[endpoint_id].active = False
        journey.active -= 1
        run.active -= 1
        self._count(journey, run, metric)
        run.updated = self.now()
        if (
            run.active == 0
            and run.status == "RUNNING"
            and (journey.event_filter is None or journey.state in ("CLOSED", "CANCELLED"))
        ):
            run.status = "COMPLETED"
        self._maybe_complete(journey)

    def _walk(self, journey: Journey, run: JourneyRun, endpoint: Endpoint) -> Iterator[Any]:
        endpoint_id = str(endpoint["Id"])
        entered_at = self.env.now
        current: str | None = journey.start_activity
        while current:
            if journey.state == "CANCELLED":
                self._leave(journey, run, endpoint_id, "CANCELLED")
                return
            while journey.state == "PAUSED":
                yield self.env.timeout(60)
            if journey.state == "CANCELLED":
                continue
            activity = journey.activities[current]
            kind = activity_type(activity)
            body = activity[kind] or {}
            nexts = dict(paths(activity))
            if kind in MESSAGE_TYPES or kind == "ContactCenter":
                yield from self._message(journey, run, current, kind, body, endpoint)
                current = nexts.get("NEXT")
            elif kind == "Wait":
                self._activity_count(journey, run, current, "WAIT_STARTED")
                yield from self._wait(body.get("WaitTime"), journey)
                self._activity_count(journey, run, current, "WAIT_COMPLETED")
                current = nexts.get("NEXT")
            elif kind == "Holdout":
                held = self.rng.random() * 100 < body["Percentage"]
                self._activity_count(journey, run, current, "HOLDOUT" if held else "PASSED")
                if held:
                    self._leave(journey, run, endpoint_id, "ENDPOINT_LEFT")
                    return
                current = nexts.get("NEXT")
            elif kind == "RandomSplit":
                label = self._random_branch(body.get("Branches") or [])
                self._activity_count(journey, run, current, label or "NO_BRANCH")
                current = nexts.get(label) if label else None
            elif kind == "ConditionalSplit":
                yield from self._wait(body.get("EvaluationWaitTime"))
                condition = body.get("Condition") or {}
                results = [
                    self._holds(journey, endpoint, simple, entered_at)
                    for simple in condition.get("Conditions") or []
                ]
                any_of = condition.get("Operator", "ALL") == "ANY"
                verdict = any(results) if any_of else all(results)
                label = "TRUE" if verdict else "FALSE"
                self._activity_count(journey, run, current, label)
                current = nexts.get(label)
            elif kind == "MultiCondition":
                yield from self._wait(body.get("EvaluationWaitTime"))
                label = "DEFAULT"
                for index, branch in enumerate(body.get("Branches") or []):
                    if self._holds(journey, endpoint, branch.get("Condition") or {}, entered_at):
                        label = f"Branch_{index}"
                        break
                self._activity_count(journey, run, current, label)
                current = nexts.get(label)
        self._leave(journey, run, endpoint_id, "ENDPOINT_LEFT")

    def _wait(
        self, wait_time: Mapping[str, Any] | None, journey: Journey | None = None
    ) -> Iterator[Any]:
        """Waits ``WaitFor`` or until ``WaitUntil``; a WaitFor clock stops while paused."""
        duration, until = _wait_time(wait_time, "WaitTime")
        if duration is not None:
            paused_at_start = journey.paused_for(self.env.now) if journey else 0.0
            yield self.env.timeout(duration.total_seconds())
            while journey is not None and journey.state != "CANCELLED":
                owed = journey.paused_for(self.env.now) - paused_at_start
                if journey.state != "PAUSED" and owed <= 0:
                    break
                step = 60.0 if journey.state == "PAUSED" else owed
                paused_at_start += 0 if journey.state == "PAUSED" else owed
                yield self.env.timeout(step)
        elif until is not None:
            yield self._until(until)

    def _random_branch(self, branches: list[Mapping[str, Any]]) -> str | None:
        draw = self.rng.random() * 100
        edge = 0.0
        for index, branch in enumerate(branches):
            edge += float(branch.get("Percentage") or 0)
            if draw < edge:
                return f"Branch_{index}"
        return None

    def _holds(
        self, journey: Journey, endpoint: Endpoint, simple: Mapping[str, Any], since: float
    ) -> bool:
        if simple.get("EventCondition"):
            condition = simple["EventCondition"]
            wanted = condition.get("MessageActivity")
            for at, event in self.history.get((journey.app_id, str(endpoint["Id"])), ()):
                if at < since:
                    continue
                attributes = event.get("Attributes") or {}
                if wanted and attributes.get("journey_activity_id") != wanted:
                    continue
                if wanted and attributes.get("journey_id") not in (None, journey.id):
                    continue
                if event_matches(condition.get("Dimensions"), event):
                    return True
            return False
        if simple.get("SegmentCondition"):
            members = self.segment_resolver(
                journey.app_id, simple["SegmentCondition"]["SegmentId"], None
            )
            return any(str(m.get("Id")) == str(endpoint["Id"]) for m in members)
        if simple.get("SegmentDimensions") and self.dimension_matcher is not None:
            return self.dimension_matcher(journey.app_id, endpoint, simple["SegmentDimensions"])
        return False

    def _message(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        body: Mapping[str, Any],
        endpoint: Endpoint,
    ) -> Iterator[Any]:
        """Sends one message activity to one participant, honouring every limit."""
        endpoint_id = str(endpoint["Id"])
        channel = "VOICE" if kind == "ContactCenter" else kind
        wrong = channel_of(endpoint) not in (
            ("SMS", "VOICE") if kind == "ContactCenter" else (kind,)
        )
        if kind != "CUSTOM" and wrong:  # a call needs a phone number
            self._activity_count(journey, run, activity_id, "ENDPOINT_CHANNEL_MISMATCH")
            return
        zone = endpoint_zone(endpoint) or journey.zone
        opening = journey.opening.next_open(channel, self.now(), zone)
        if opening > self.now():
            yield self._until(opening)
        if journey.quiet_time is not None and journey.quiet_time.suppresses(endpoint, self.now()):
            if not journey.wait_for_quiet_time:
                self._suppress(journey, run, activity_id, kind, endpoint, "QUIET_TIME")
                return
            yield self._until(journey.quiet_time.ends_after(endpoint, self.now()))
        refusal = journey.caps.refusal(
            endpoint_id,
            self.env.now,
            journey.limits.get("DailyCap") or 0,
            journey.limits.get("TotalCap") or 0,
        )
        frame = journey.limits.get("TimeframeCap") or {}
        if refusal is None and frame.get("Cap") and frame.get("Days"):
            sent = sum(
                1
                for t in self.timeframe._times.get(endpoint_id, ())
                if self.env.now - t < frame["Days"] * 86_400
            )
            if sent >= frame["Cap"]:
                refusal = "TIMEFRAME_CAP"
        if refusal is not None:
            self._suppress(journey, run, activity_id, kind, endpoint, refusal)
            return
        rate = journey.limits.get("MessagesPerSecond")
        if rate:
            slot = max(self.env.now, journey.next_slot)
            journey.next_slot = slot + 1.0 / rate
            if slot > self.env.now:
                yield self.env.timeout(slot - self.env.now)
        journey.tally.schedule()
        context = {
            "journey_id": journey.id,
            "journey_activity_id": activity_id,
            "journey_run_id": run.id,
            "application_id": journey.app_id,
        }
        if endpoint.get("OptOut", "NONE") == "ALL":
            status = "OPT_OUT"
        elif kind == "ContactCenter":
            status = (
                self.contact_center(journey.app_id, endpoint, context)
                if self.contact_center
                else "PERMANENT_FAILURE"
            )
        else:
            status = self._send(kind, body, endpoint, context)
        journey.tally.settle(status)
        if status != "OPT_OUT":
            journey.caps.record(endpoint_id, self.env.now)
            self.timeframe.record(endpoint_id, self.env.now)
        self._activity_count(journey, run, activity_id, send_status(status))
        self._journey_record(journey, run, activity_id, kind, endpoint, send_status(status))
        if status == "SUCCESSFUL" and self.engagement is not None and kind in MESSAGE_TYPES:
            for reaction in self.engagement.reactions(channel_of(endpoint)):
                self.env.process(self._reaction(journey, endpoint, reaction, context))

    def _send(
        self, kind: str, body: Mapping[str, Any], endpoint: Endpoint, context: Mapping[str, Any]
    ) -> str:
        template_key = {"EMAIL": "EmailTemplate", "SMS": "SMSTemplate", "PUSH": "PushTemplate"}
        templates: dict[str, Any] = {}
        if body.get("TemplateName") and kind in template_key:
            templates[template_key[kind]] = {"Name": body["TemplateName"]}
            if body.get("TemplateVersion"):
                templates[template_key[kind]]["Version"] = body["TemplateVersion"]
        config = dict(body.get("MessageConfig") or {})
        key = {"EMAIL": "EmailMessage", "SMS": "SMSMessage", "PUSH": "DefaultMessage"}
        messages = {key.get(kind, "CustomMessage"): config}
        if kind == "CUSTOM" and body.get("DeliveryUri"):
            messages["DeliveryUri"] = body["DeliveryUri"]
        try:
            results = self.sender(kind, [endpoint], messages, templates, context)
        except Exception:  # a failing channel fails the message, not the journey
            return "PERMANENT_FAILURE"
        result = results.get(str(endpoint["Id"])) or {}
        return str(result.get("DeliveryStatus", "UNKNOWN_FAILURE"))

    def _suppress(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        endpoint: Endpoint,
        reason: str,
    ) -> None:
        self._activity_count(journey, run, activity_id, reason)
        self._journey_record(journey, run, activity_id, kind, endpoint, reason)

    def _journey_record(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        endpoint: Endpoint,
        status: str,
    ) -> None:
        now = millis(self.now())
        self.record_event(
            event_records.journey_send_record(
                app_id=journey.app_id,
                account_id=self.account_id,
                endpoint_id=str(endpoint.get("Id", "")),
                journey_id=journey.id,
                journey_run_id=run.id,
                journey_activity_id=activity_id,
                journey_activity_type=RECORD_TYPES[kind],
                journey_send_status=status,
                event_timestamp=now,
                arrival_timestamp=now,
                endpoint=endpoint,
            )
        )

    def _reaction(
        self, journey: Journey, endpoint: Endpoint, reaction: Reaction, context: Mapping[str, Any]
    ) -> Iterator[Any]:
        yield self.env.timeout(reaction.delay)
        attributes = {k: str(v) for k, v in context.items() if k != "application_id"}
        now = millis(self.now())
        self.record_event(
            event_records.envelope(
                reaction.event_type,
                app_id=journey.app_id,
                account_id=self.account_id,
                client_id=str(endpoint.get("Id", "")),
                event_timestamp=now,
                arrival_timestamp=now,
                attributes=attributes,
                endpoint=endpoint,
            )
        )
        self.observe(
            journey.app_id, endpoint, {"EventType": reaction.event_type, "Attributes": attributes}
        )

    # -- events ---------------------------------------------------------------------------------

    def observe(self, app_id: str, endpoint: Endpoint, event: Mapping[str, Any]) -> None:
        """Remembers an event an endpoint produced, for later ConditionalSplit evaluation."""
        self.history[(app_id, str(endpoint["Id"]))].append((self.env.now, dict(event)))

    def on_event(self, app_id: str, endpoint: Endpoint, event: Mapping[str, Any]) -> int:
        """Records ``event`` and lets the endpoint into every event journey it triggers."""
        self.observe(app_id, endpoint, event)
        entered = 0
        for journey in self.list(app_id):
            event_filter = journey.event_filter
            if journey.state != "ACTIVE" or event_filter is None:
                continue
            now = self.now()
            if (journey.start and now < journey.start) or (journey.end and now >= journey.end):
                continue
            if not event_matches(event_filter.get("Dimensions"), event):
                continue
            if journey.segment_id:
                members = self.segment_resolver(app_id, journey.segment_id, None)
                if not any(str(m.get("Id")) == str(endpoint.get("Id")) for m in members):
                    continue
            run = self._event_run(journey)
            run.metrics["ENDPOINT_PRODUCED"] += 1
            journey.metrics["ENDPOINT_PRODUCED"] += 1
            entered += self._enter(journey, run, endpoint)
        return entered

    # -- metrics --------------------------------------------------------------------------------

    def execution_metrics(self, journey: Journey, run: JourneyRun | None = None) -> dict[str, str]:
        """Returns the journey (or run) execution metrics as strings, ``ENDPOINT_ACTIVE`` too."""
        metrics = Counter(run.metrics if run else journey.metrics)
        metrics["ENDPOINT_ACTIVE"] = run.active if run else journey.active
        return {k: str(v) for k, v in sorted(metrics.items())}

    def activity_metrics(
        self, journey: Journey, activity_id: str, run: JourneyRun | None = None
    ) -> tuple[str, dict[str, str]]:
        """Returns (ActivityType, metrics) for one activity of the journey or of one run."""
        if activity_id not in journey.activities:
            raise JourneyNotFound(f"Activity {activity_id} not found in journey {journey.id}")
        kind = METRIC_TYPES[activity_type(journey.activities[activity_id])]
        source = (run.activity_metrics if run else journey.activity_metrics).get(activity_id, {})
        return kind, {k: str(v) for k, v in sorted(source.items())}

    def run(self, journey: Journey, run_id: str) -> JourneyRun:
        for run in journey.runs:
            if run.id == run_id:
                return run
        raise JourneyNotFound(f"Run {run_id} not found in journey {journey.id}")

    # -- printouts ------------------------------------------------------------------------------

    def summary(self, app_id: str, journey_id: str) -> str:
        """Draws the journey as a text tree with counts per activity; no ids of runs or dates."""
        journey = self.get(app_id, journey_id)
        m = journey.metrics
        lines = [
            f"journey {journey.name}: {journey.state}; entered {m['ENDPOINT_ENTERED']}, "
            f"active {journey.active}, left {m['ENDPOINT_LEFT']}",
        ]
        seen: set[str] = set()

        def draw(activity_id: str, prefix: str, label: str) -> None:
            activity = journey.activities[activity_id]
            kind = activity_type(activity)
            counts = journey.activity_metrics.get(activity_id, {})
            shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"
            if activity_id in seen:
                lines.append(f"{prefix}{label}[{activity_id}] (back to it)")
                return
            seen.add(activity_id)
            lines.append(f"{prefix}{label}[{activity_id}] {kind}: {shown}")
            outs = paths(activity)
            inner = prefix + ("|  " if label.startswith("|-") else "   " if label else "")
            for index, (path, target) in enumerate(outs):
                tag = "" if path == "NEXT" else f"{path}: "
                last = index == len(outs) - 1
                draw(target, inner, ("`- " if last else "|- ") + tag)

        if journey.start_activity:
            draw(journey.start_activity, "  ", "")
        t = journey.tally
        lines.append(
            f"  messages: sent {t.sent} = delivered {t.delivered} + failed {t.failed} + "
            f"opted out {t.opted_out} + throttled {t.throttled} + pending {t.pending}"
        )
        return "\n".join(lines)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _cycle_without_wait(activities: Mapping[str, Any]) -> list[str]:
    """Returns the activity ids of a loop that passes no Wait activity, or []."""
    graph = {
        activity_id: [target for _label, target in paths(activity)]
        for activity_id, activity in activities.items()
        if activity_type(activity) != "Wait"
    }
    color: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        color[node] = 1
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if color.get(target) == 1:
                return stack[stack.index(target) :]
            if target not in color:
                found = visit(target)
                if found:
                    return found
        color[node] = 2
        stack.pop()
        return []

    for node in graph:
        if node not in color:
            found = visit(node)
            if found:
                return found
    return []
