"""Walks participants through a journey as SimPy processes: entries, waits, splits and exits.

A segment journey lets its segment in at ``StartTime`` and again every ``RefreshFrequency``; an
event journey lets an endpoint in from ``on_event``. Entry rules (re-entry cap and interval,
one active walk per endpoint) and the state machine (fact 1.25) are kept here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simpy.events import ProcessGenerator

from simlab.engage.engine import (
    Endpoint,
    event_matches,
)
from simlab.engage.journeys.delivery import JourneyDelivery
from simlab.engage.journeys.model import (
    MESSAGE_TYPES,
    Journey,
    JourneyRun,
    Participant,
    activity_type,
    paths,
)
from simlab.engage.journeys.validation import _wait_time


class JourneyRunner(JourneyDelivery):
    """Entries, walks and exits of participants; a base of ``JourneyEngine``."""

    def _publish(self, journey: Journey) -> None:
        if journey.event_filter is None:
            self.env.process(self._segment_entries(journey))
        else:
            self.env.process(self._event_window(journey))

    def _live(self, journey: Journey) -> bool:
        return self.journeys.get((journey.app_id, journey.id)) is journey

    def _segment_entries(self, journey: Journey) -> ProcessGenerator:
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

    def _event_window(self, journey: Journey) -> ProcessGenerator:
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

    def _walk(self, journey: Journey, run: JourneyRun, endpoint: Endpoint) -> ProcessGenerator:
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
    ) -> ProcessGenerator:
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
