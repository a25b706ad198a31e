"""A journey as the engine keeps it: activities, opening hours, runs, participants and counts.

``activity_type`` and ``paths`` read one activity of a ``WriteJourneyRequest``;
``OpeningRules`` holds ``OpenHours`` and ``ClosedDays`` per channel (``SendingSchedule``);
``to_api`` answers in botocore's shapes (``JourneyResponse``, ``JourneyRunResponse``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from simlab import facts
from simlab.engage.engine import (
    SendCaps,
    Tally,
)
from simlab.engage.engine.schedule import QuietTime, iso, parse_hhmm, parse_instant
from simlab.engage.faults import FieldError, NotFound, reported_as

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
