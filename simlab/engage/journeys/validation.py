"""Checks a ``WriteJourneyRequest`` the way Pinpoint does and builds the ``Journey`` it asks for.

Every refusal is a ``JourneyError`` (BadRequestException) naming the member at fault: activity
ids and types, paths that lead nowhere or loop without a Wait, limits, schedule, start
condition, and the active-journey quotas (facts 1.21-1.26).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from simlab.engage.engine import (
    Endpoint,
    EngineBase,
)
from simlab.engage.engine.schedule import (
    QuietTime,
    parse_duration,
    parse_instant,
    parse_offset,
)
from simlab.engage.faults import reported_as
from simlab.engage.journeys.model import (
    _ACTIVITY_ID,
    MESSAGE_TYPES,
    WRITE_STATES,
    Journey,
    JourneyError,
    JourneyNotFound,
    OpeningRules,
    P,
    _instant,
    activity_type,
    paths,
)


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


class JourneyValidation(EngineBase):
    """The journeys of every app, looked up and checked; a base of ``JourneyEngine``."""

    journeys: dict[tuple[str, str], Journey]
    dimension_matcher: Callable[[str, Endpoint, Mapping[str, Any]], bool] | None

    def get(self, app_id: str, journey_id: str) -> Journey:
        try:
            return self.journeys[(app_id, journey_id)]
        except KeyError:
            raise JourneyNotFound(f"Journey {journey_id} not found in {app_id}") from None

    def list(self, app_id: str) -> list[Journey]:
        found = [j for (a, _), j in self.journeys.items() if a == app_id]
        return sorted(found, key=lambda j: (j.created, j.id))

    def _build(
        self,
        app_id: str,
        journey_id: str,
        request: dict[str, Any],
        now: datetime,
        *,
        created: datetime,
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
