"""When a journey may send on each channel: ``OpenHours`` and ``ClosedDays`` per channel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from simlab.engage.engine.schedule import (
    parse_hhmm,
    parse_instant,
)
from simlab.engage.faults import reported_as
from simlab.engage.journeys.model import WEEKDAYS, JourneyError, P


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
