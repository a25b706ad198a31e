"""``JourneyEngine``: create, update, publish, pause and read journeys; the runner walks them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from simlab.engage.clock import Clock
from simlab.engage.engine import (
    ACCOUNT_ID,
    Analytics,
    Endpoint,
    RecordEvent,
    SegmentResolver,
    SendCaps,
    Sender,
    TemplateExists,
)
from simlab.engage.engine.engagement import EngagementModel
from simlab.engage.journeys import analytics
from simlab.engage.journeys.model import (
    TRANSITIONS,
    UPDATE_STATES,
    Journey,
    JourneyError,
    JourneyRun,
)
from simlab.engage.journeys.runner import JourneyRunner


class JourneyEngine(JourneyRunner):
    """Creates journeys and walks their participants on ``clock`` (its SimPy ``env``).

    Collaborators as for ``CampaignEngine``, plus ``dimension_matcher(app_id, endpoint,
    dimensions)`` for ``SegmentDimensions`` conditions and ``contact_center(app_id, endpoint,
    context)`` returning a delivery status for ContactCenter activities.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        segment_resolver: SegmentResolver,
        sender: Sender,
        record_event: RecordEvent,
        rng: np.random.Generator,
        template_exists: TemplateExists | None = None,
        dimension_matcher: Callable[[str, Endpoint, Mapping[str, Any]], bool] | None = None,
        contact_center: Callable[[str, Endpoint, Mapping[str, Any]], str] | None = None,
        engagement: EngagementModel | None = None,
        new_id: Callable[[], str] | None = None,
        analytics: Analytics | None = None,
        account_id: str = ACCOUNT_ID,
        region: str = "us-east-1",
    ) -> None:
        super().__init__(
            clock,
            segment_resolver=segment_resolver,
            sender=sender,
            record_event=record_event,
            rng=rng,
            template_exists=template_exists,
            engagement=engagement,
            new_id=new_id,
            analytics=analytics,
            account_id=account_id,
            region=region,
        )
        self.dimension_matcher = dimension_matcher
        self.contact_center = contact_center
        self.journeys: dict[tuple[str, str], Journey] = {}
        #: (app id, endpoint id) -> events seen, for event conditions.
        self.history: dict[tuple[str, str], list[tuple[float, dict[str, Any]]]] = defaultdict(list)
        #: Sends per endpoint across all journeys, for TimeframeCap.
        self.timeframe = SendCaps()

    def create(self, app_id: str, request: Mapping[str, Any]) -> Journey:
        """Validates a ``WriteJourneyRequest``; an ACTIVE journey starts at once."""
        now = self.now()
        journey = self._build(app_id, self.new_id(), dict(request), now, created=now)
        journey.arn = self.arn(app_id, "journeys", journey.id)
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

    # -- metrics and printouts ------------------------------------------------------------------

    def execution_metrics(self, journey: Journey, run: JourneyRun | None = None) -> dict[str, str]:
        """Returns the journey (or run) execution metrics as strings, ``ENDPOINT_ACTIVE`` too."""
        return analytics.execution_metrics(journey, run)

    def activity_metrics(
        self, journey: Journey, activity_id: str, run: JourneyRun | None = None
    ) -> tuple[str, dict[str, str]]:
        """Returns (ActivityType, metrics) for one activity; JourneyNotFound if there is none."""
        return analytics.activity_metrics(journey, activity_id, run)

    def run(self, journey: Journey, run_id: str) -> JourneyRun:
        """Returns the journey's run ``run_id``; JourneyNotFound if there is none."""
        return analytics.find_run(journey, run_id)

    def summary(self, app_id: str, journey_id: str) -> str:
        """Draws the journey as a text tree with counts per activity; no ids of runs or dates."""
        return analytics.summary(self.get(app_id, journey_id))
