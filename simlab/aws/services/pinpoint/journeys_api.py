"""Handlers of journeys: definitions, state, runs, execution metrics and KPIs."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.pinpoint.engagement import Engagement, engagement
from simlab.aws.services.pinpoint.engagement_api import kpi_rows, listing, plain
from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.engage.engine.schedule import iso
from simlab.engage.faults import BadRequest
from simlab.engage.journeys import Journey, JourneyRun


class JourneyHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def _journeys(self) -> tuple[Project, Engagement]:
        app_id = self.params["ApplicationId"]
        return self.pinpoint_backend.project(app_id), engagement(self.pinpoint_backend, app_id)

    def _journey(self, engines: Engagement) -> Journey:
        return engines.journeys.get(self.params["ApplicationId"], self.params["JourneyId"])

    def _run(self, engines: Engagement, journey: Journey) -> JourneyRun:
        return engines.journeys.run(journey, self.params["RunId"])

    def create_journey(self) -> Any:
        project, engines = self._journeys()
        request = plain(self.params.get("WriteJourneyRequest") or {})
        journey = engines.journeys.create(project.app_id, request)
        return self.reply(journey.to_api())

    def update_journey(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        request = plain(self.params.get("WriteJourneyRequest") or {})
        journey = engines.journeys.update(project.app_id, journey.id, request)
        return self.reply(journey.to_api())

    def update_journey_state(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        wanted = (self.params.get("JourneyStateRequest") or {}).get("State")
        if not wanted:
            raise BadRequest("JourneyStateRequest.State is required: ACTIVE, PAUSED or CANCELLED")
        journey = engines.journeys.set_state(project.app_id, journey.id, wanted)
        return self.reply(journey.to_api())

    def get_journey(self) -> Any:
        _, engines = self._journeys()
        return self.reply(self._journey(engines).to_api())

    def delete_journey(self) -> Any:
        project, engines = self._journeys()
        journey = engines.journeys.delete(project.app_id, self._journey(engines).id)
        return self.reply(journey.to_api())

    def list_journeys(self) -> Any:
        project, engines = self._journeys()
        items = [j.to_api() for j in engines.journeys.list(project.app_id)]
        return self.reply(listing(items, self.params))

    def get_journey_runs(self) -> Any:
        _, engines = self._journeys()
        journey = self._journey(engines)
        items = [run.to_api() for run in reversed(journey.runs)]
        return self.reply(listing(items, self.params))

    def _evaluated(self, journey: Journey) -> str:
        return iso(journey.last_evaluated or journey.modified)

    def get_journey_execution_metrics(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "JourneyId": journey.id,
                "LastEvaluatedTime": self._evaluated(journey),
                "Metrics": engines.journeys.execution_metrics(journey),
            }
        )

    def get_journey_run_execution_metrics(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        run = self._run(engines, journey)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "JourneyId": journey.id,
                "RunId": run.id,
                "LastEvaluatedTime": iso(run.updated),
                "Metrics": engines.journeys.execution_metrics(journey, run),
            }
        )

    def _activity(self, engines: Engagement, journey: Journey, run: JourneyRun | None) -> Any:
        return engines.journeys.activity_metrics(journey, self.params["JourneyActivityId"], run)

    def get_journey_execution_activity_metrics(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        kind, metrics = self._activity(engines, journey, None)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "JourneyId": journey.id,
                "JourneyActivityId": self.params["JourneyActivityId"],
                "ActivityType": kind,
                "LastEvaluatedTime": self._evaluated(journey),
                "Metrics": metrics,
            }
        )

    def get_journey_run_execution_activity_metrics(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        run = self._run(engines, journey)
        kind, metrics = self._activity(engines, journey, run)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "JourneyId": journey.id,
                "RunId": run.id,
                "JourneyActivityId": self.params["JourneyActivityId"],
                "ActivityType": kind,
                "LastEvaluatedTime": iso(run.updated),
                "Metrics": metrics,
            }
        )

    def get_journey_date_range_kpi(self) -> Any:
        project, engines = self._journeys()
        journey = self._journey(engines)
        name = self.params["KpiName"]
        start, end, result = kpi_rows(engines.analytics, name, f"journey:{journey.id}", self.params)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "JourneyId": journey.id,
                "KpiName": name,
                "StartTime": iso(start),
                "EndTime": iso(end),
                "KpiResult": result,
            }
        )
