"""When campaigns run and when each endpoint gets its message: schedules, time zones, quiet time.

Pinpoint's ``Schedule`` (fact 1.14): a ``Frequency``, a ``StartTime`` (``IMMEDIATE`` or ISO 8601),
an optional ``EndTime``, a starting ``Timezone`` written as a UTC offset (``UTC+05:30``) and
``IsLocalTime``, which delivers each run at the same wall-clock time in every endpoint's own
``Demographic.Timezone``. ``QuietTime`` (fact 1.15) suppresses a send only when the endpoint has a
valid time zone and its local time lies within ``[Start, End]``; a campaign does not send a
suppressed message later, a journey with ``WaitForQuietTime`` holds it until quiet time ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simlab import facts
from simlab.engage.clock import parse_time
from simlab.engage.faults import FieldError
from simlab.primitives.times import iso as iso  # re-exported: the engines write times with it

FREQUENCIES: tuple[str, ...] = facts.pinpoint.SCHEDULE_FREQUENCIES.value
#: Frequencies whose runs follow the calendar; the others are driven by events.
RECURRING: dict[str, str] = {
    "ONCE": "once",
    "HOURLY": "hours",
    "DAILY": "days",
    "WEEKLY": "weeks",
    "MONTHLY": "months",
}
EVENT_FREQUENCIES = ("EVENT", "IN_APP_EVENT")

_OFFSET = re.compile(r"^UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class ScheduleError(FieldError):
    """A schedule value AWS would refuse (BadRequestException); ``field`` names the member."""


def parse_offset(text: str, field: str = "Schedule.Timezone") -> timezone:
    """Returns the fixed offset written as ``UTC``, ``UTC+01``, ``UTC-11`` or ``UTC+05:30``."""
    match = _OFFSET.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ScheduleError(field, f"{text!r} is not a UTC offset such as UTC, UTC+01 or UTC+05:30")
    sign, hours, minutes = match.groups()
    if sign is None:
        return UTC
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > timedelta(hours=14):
        raise ScheduleError(field, f"{text!r} is beyond UTC+14/UTC-14")
    return timezone(-delta if sign == "-" else delta)


def parse_duration(text: str, field: str = "WaitFor") -> timedelta:
    """Returns the ISO 8601 duration ``PnWnDTnHnMnS`` (``PT1H``, ``P7D``) as a timedelta."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in ("P", "PT") or text.endswith("T"):
        raise ScheduleError(field, f"{text!r} is not an ISO 8601 duration such as PT1H or P1D")
    parts = {key: float(value) for key, value in match.groupdict().items() if value}
    return timedelta(**parts)


def parse_hhmm(text: str, field: str) -> time:
    """Returns the 24-hour ``HH:MM`` time (``02:30``, ``22:00``)."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    if match is None:
        raise ScheduleError(field, f"{text!r} is not a 24-hour HH:MM time such as 02:30 or 22:00")
    return time(int(match.group(1)), int(match.group(2)))


def parse_instant(text: str, field: str) -> datetime:
    """Returns an aware UTC datetime from an ISO 8601 string (naive means UTC)."""
    try:
        return parse_time(text.replace("Z", "+00:00") if isinstance(text, str) else text)
    except (TypeError, ValueError):
        raise ScheduleError(field, f"{text!r} is not an ISO 8601 time") from None


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def endpoint_zone(endpoint: Mapping[str, Any]) -> tzinfo | None:
    """Returns the endpoint's ``Demographic.Timezone`` as a zone, or None if absent or invalid."""
    name = (endpoint.get("Demographic") or {}).get("Timezone")
    return _zone(name) if isinstance(name, str) and name else None


@dataclass(frozen=True, slots=True)
class QuietTime:
    """A daily window ``[start, end]`` (both included) that may wrap past midnight."""

    start: time
    end: time

    @classmethod
    def from_api(cls, data: Mapping[str, Any] | None, field: str = "QuietTime") -> QuietTime | None:
        """Reads ``{"Start": "22:00", "End": "07:00"}``; None when absent or empty."""
        if not data or not (data.get("Start") or data.get("End")):
            return None
        if not (data.get("Start") and data.get("End")):
            raise ScheduleError(field, "give both Start and End (HH:MM) or neither")
        return cls(
            parse_hhmm(data["Start"], f"{field}.Start"), parse_hhmm(data["End"], f"{field}.End")
        )

    def to_api(self) -> dict[str, str]:
        return {"Start": f"{self.start:%H:%M}", "End": f"{self.end:%H:%M}"}

    def contains(self, local: time) -> bool:
        """True when the local wall-clock time lies within the window."""
        moment = local.replace(second=0, microsecond=0, tzinfo=None)
        if self.start <= self.end:
            return self.start <= moment <= self.end
        return moment >= self.start or moment <= self.end

    def suppresses(self, endpoint: Mapping[str, Any], moment: datetime) -> bool:
        """True when quiet time stops a send to ``endpoint`` at ``moment`` (fact 1.15)."""
        zone = endpoint_zone(endpoint)
        return zone is not None and self.contains(moment.astimezone(zone).time())

    def ends_after(self, endpoint: Mapping[str, Any], moment: datetime) -> datetime:
        """Returns the first instant after ``moment`` outside quiet time for ``endpoint``."""
        zone = endpoint_zone(endpoint)
        if zone is None or not self.suppresses(endpoint, moment):
            return moment
        local = moment.astimezone(zone)
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
            day += timedelta(days=1)
        reopen = datetime.combine(day, self.end, tzinfo=zone) + timedelta(minutes=1)
        return reopen.astimezone(UTC)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _step(moment: datetime, frequency: str, count: int) -> datetime:
    unit = RECURRING[frequency]
    if unit == "months":
        return _add_months(moment, count)
    return moment + timedelta(**{unit: count})


@dataclass(frozen=True, slots=True)
class Schedule:
    """A campaign schedule, validated; times are aware datetimes in UTC."""

    frequency: str
    start: datetime
    end: datetime | None = None
    timezone: tzinfo = UTC
    is_local_time: bool = False
    quiet_time: QuietTime | None = None
    event_filter: Mapping[str, Any] | None = None
    immediate: bool = False

    @classmethod
    def from_api(
        cls, data: Mapping[str, Any] | None, now: datetime, field: str = "Schedule"
    ) -> Schedule:
        """Reads a botocore ``Schedule``; ``IMMEDIATE`` (or no schedule) starts at ``now``."""
        if data is None:
            return cls("ONCE", now, immediate=True)
        frequency = data.get("Frequency", "ONCE")
        if frequency not in FREQUENCIES:
            raise ScheduleError(
                f"{field}.Frequency", f"{frequency!r} is not one of {', '.join(FREQUENCIES)}"
            )
        raw_start = data.get("StartTime")
        if not raw_start:
            raise ScheduleError(f"{field}.StartTime", "is required: IMMEDIATE or an ISO 8601 time")
        zone = parse_offset(data["Timezone"], f"{field}.Timezone") if data.get("Timezone") else UTC
        immediate = raw_start == "IMMEDIATE"
        start = now if immediate else _in_zone(raw_start, zone, f"{field}.StartTime")
        end = _in_zone(data["EndTime"], zone, f"{field}.EndTime") if data.get("EndTime") else None
        if end is not None and end <= start:
            raise ScheduleError(f"{field}.EndTime", "must be later than StartTime")
        if frequency not in ("ONCE", *EVENT_FREQUENCIES) and end is None:
            raise ScheduleError(f"{field}.EndTime", f"is required for a {frequency} campaign")
        event_filter = data.get("EventFilter")
        if frequency == "EVENT" and not event_filter:
            raise ScheduleError(f"{field}.EventFilter", "is required when Frequency is EVENT")
        return cls(
            frequency,
            start,
            end,
            zone,
            bool(data.get("IsLocalTime", False)),
            QuietTime.from_api(data.get("QuietTime"), f"{field}.QuietTime"),
            event_filter,
            immediate,
        )

    @property
    def is_event(self) -> bool:
        return self.frequency in EVENT_FREQUENCIES

    def run_times(self) -> Iterator[datetime]:
        """Yields each run's start (UTC) in order; event-driven schedules yield none."""
        if self.is_event:
            return
        if self.frequency == "ONCE":
            yield self.start
            return
        local_start = self.start.astimezone(self.timezone)
        for count in range(1_000_000):
            moment = _step(local_start, self.frequency, count).astimezone(UTC)
            if self.end is not None and moment >= self.end:
                return
            yield moment

    def send_time(self, run_time: datetime, endpoint: Mapping[str, Any]) -> datetime:
        """When ``endpoint`` gets the run starting at ``run_time``.

        With ``IsLocalTime`` the run's wall-clock time in the schedule's time zone is kept in the
        endpoint's own time zone (09:00 Tokyo and 09:00 Lisbon alike); endpoints without a valid
        time zone, and schedules without local time, get it at ``run_time``.
        """
        zone = endpoint_zone(endpoint) if self.is_local_time and not self.immediate else None
        if zone is None:
            return run_time
        wall = run_time.astimezone(self.timezone).replace(tzinfo=None)
        return wall.replace(tzinfo=zone).astimezone(UTC)

    def to_api(self) -> dict[str, Any]:
        """Returns the schedule as botocore's ``Schedule`` shape."""
        data: dict[str, Any] = {
            "Frequency": self.frequency,
            "StartTime": "IMMEDIATE" if self.immediate else iso(self.start),
            "IsLocalTime": self.is_local_time,
            "Timezone": offset_name(self.timezone),
        }
        if self.end is not None:
            data["EndTime"] = iso(self.end)
        if self.quiet_time is not None:
            data["QuietTime"] = self.quiet_time.to_api()
        if self.event_filter:
            data["EventFilter"] = dict(self.event_filter)
        return data


def _in_zone(text: str, zone: tzinfo, field: str) -> datetime:
    """Reads an ISO time; one without an offset is taken in the schedule's time zone."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        raise ScheduleError(field, f"{text!r} is not IMMEDIATE or an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def offset_name(zone: tzinfo) -> str:
    """Returns a fixed offset as Pinpoint writes it: ``UTC``, ``UTC+05:30``, ``UTC-11``."""
    delta = zone.utcoffset(None) or timedelta(0)
    if not delta:
        return "UTC"
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")
