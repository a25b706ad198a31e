"""Handlers of campaigns, their activities and KPIs, and GetInAppMessages.

The engines are the app's (``PinpointEngineBackend.engagement``); a handler reads the request,
calls them and answers. Their refusals (``CampaignError``, ``CampaignNotFound``) are
``EngageError``s, answered by ``PinpointResponse`` as the modeled exception.
"""

from __future__ import annotations

from typing import Any

from simlab.aws.services.pinpoint.engagement import Engagement, engagement, resolve
from simlab.aws.services.pinpoint.engagement_api import kpi_rows, listing, plain
from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.state import state
from simlab.engage.engine.schedule import iso
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.inapp import in_app_messages


class CampaignHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def _engagement(self) -> tuple[Project, Engagement]:
        app_id = self.params["ApplicationId"]
        return self.pinpoint_backend.project(app_id), engagement(self.pinpoint_backend, app_id)

    def _campaign(self, engines: Engagement) -> Any:
        return engines.campaigns.get(self.params["ApplicationId"], self.params["CampaignId"])

    def create_campaign(self) -> Any:
        project, engines = self._engagement()
        request = plain(self.params.get("WriteCampaignRequest") or {})
        campaign = engines.campaigns.create(project.app_id, request)
        return self.reply(campaign.to_api())

    def update_campaign(self) -> Any:
        project, engines = self._engagement()
        campaign = self._campaign(engines)
        request = plain(self.params.get("WriteCampaignRequest") or {})
        campaign = engines.campaigns.update(project.app_id, campaign.id, request)
        return self.reply(campaign.to_api())

    def get_campaign(self) -> Any:
        _, engines = self._engagement()
        return self.reply(self._campaign(engines).to_api())

    def delete_campaign(self) -> Any:
        project, engines = self._engagement()
        campaign = engines.campaigns.delete(project.app_id, self._campaign(engines).id)
        return self.reply(campaign.to_api())

    def get_campaigns(self) -> Any:
        project, engines = self._engagement()
        items = [c.to_api() for c in engines.campaigns.list(project.app_id)]
        return self.reply(listing(items, self.params))

    def get_campaign_version(self) -> Any:
        project, engines = self._engagement()
        campaign = self._campaign(engines)
        try:
            number = int(self.params["Version"])
        except ValueError:
            raise BadRequest(f"Version must be a number, got {self.params['Version']!r}") from None
        return self.reply(engines.campaigns.version(project.app_id, campaign.id, number))

    def get_campaign_versions(self) -> Any:
        _, engines = self._engagement()
        campaign = self._campaign(engines)
        return self.reply(listing(list(reversed(campaign.history)), self.params))

    def get_campaign_activities(self) -> Any:
        _, engines = self._engagement()
        campaign = self._campaign(engines)
        items = [a.to_api() for a in reversed(campaign.activities)]
        return self.reply(listing(items, self.params))

    def get_campaign_date_range_kpi(self) -> Any:
        project, engines = self._engagement()
        campaign = self._campaign(engines)
        name = self.params["KpiName"]
        start, end, result = kpi_rows(
            engines.analytics, name, f"campaign:{campaign.id}", self.params
        )
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "CampaignId": campaign.id,
                "KpiName": name,
                "StartTime": iso(start),
                "EndTime": iso(end),
                "KpiResult": result,
            }
        )

    def get_application_date_range_kpi(self) -> Any:
        project, engines = self._engagement()
        name = self.params["KpiName"]
        start, end, result = kpi_rows(engines.analytics, name, f"app:{project.app_id}", self.params)
        return self.reply(
            {
                "ApplicationId": project.app_id,
                "KpiName": name,
                "StartTime": iso(start),
                "EndTime": iso(end),
                "KpiResult": result,
            }
        )

    def get_in_app_messages(self) -> Any:
        project, engines = self._engagement()
        endpoint_id = self.params["EndpointId"]
        store = project.audience.endpoints
        if endpoint_id not in store:
            raise NotFound(f"Endpoint {endpoint_id!r} not found")
        live = []
        for campaign in engines.campaigns.in_app_campaigns(project.app_id):
            members = resolve(project, campaign.segment_id, campaign.segment_version)
            if any(m["Id"] == endpoint_id for m in members):
                live.append(campaign)
        endpoint = {**store.get(endpoint_id), "Id": endpoint_id}
        answer = in_app_messages(
            live,
            endpoint,
            engines.inapp,
            state().clock.seconds,
            engines.campaigns._allocation,
        )
        return self.reply(answer)
