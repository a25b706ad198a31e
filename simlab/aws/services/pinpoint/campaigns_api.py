"""Handlers of campaigns, their activities and KPIs, and GetInAppMessages.

Each Pinpoint app gets one ``Engagement``: a ``CampaignEngine`` and a ``JourneyEngine`` on the
local AWS's simulated clock, wired to the app's segments, templates, the real send path (so every
message is in the outbox and, with an event stream, in Firehose or Kinesis) and PutEvents.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.backends import get_backend

from simlab.aws.services.pinpoint.messages_api import deliver_all
from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.services.pinpoint.segments_api import page
from simlab.aws.state import DEFAULT_REGION, current_account, state
from simlab.engage import segments, sends
from simlab.engage.campaigns import (
    KPI_NAMES,
    Analytics,
    CampaignEngine,
    CampaignError,
    CampaignNotFound,
)
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.inapp import InAppTracker, in_app_messages
from simlab.engage.journeys import JourneyEngine
from simlab.engage.schedule import iso

#: Template type of each TemplateConfiguration member.
TEMPLATE_TYPES = {
    "EmailTemplate": "EMAIL",
    "SMSTemplate": "SMS",
    "PushTemplate": "PUSH",
    "VoiceTemplate": "VOICE",
    "InAppTemplate": "INAPP",
}
#: Channel events a journey's yes/no split can wait for.
_OBSERVED_PREFIXES = ("_email.", "_SMS.", "_campaign.", "_push.")


@dataclass
class Engagement:
    """The campaign and journey engines of one app, sharing one analytics tally."""

    campaigns: CampaignEngine
    journeys: JourneyEngine
    inapp: InAppTracker
    analytics: Analytics


_ENGAGEMENTS: weakref.WeakKeyDictionary[PinpointEngineBackend, dict[str, Engagement]] = (
    weakref.WeakKeyDictionary()
)


def engagement(backend: PinpointEngineBackend, project: Project) -> Engagement:
    """Returns the app's engines, building and wiring them on first use."""
    apps = _ENGAGEMENTS.setdefault(backend, {})
    found = apps.get(project.app_id)
    if found is None:
        found = apps[project.app_id] = _build(backend, project)
    return found


def engines_for(app_id: str, region: str = DEFAULT_REGION) -> Engagement:
    """The engines of one app of the open local AWS: ``engines_for(app).journeys.summary(...)``."""
    backend = get_backend("pinpoint")[current_account()][region]
    return engagement(backend, backend.project(app_id))


def _build(backend: PinpointEngineBackend, project: Project) -> Engagement:
    local = state(backend.account_id)
    clock = local.clock
    analytics = Analytics()
    emit = project.emit  # the stream writer; channel records pass through ``observed`` first

    def record(event: dict[str, Any]) -> None:
        emit(event)

    def new_id() -> str:
        from moto.moto_api._internal import mock_random

        return mock_random.uuid4().hex

    common = {
        "segment_resolver": lambda app_id, segment_id, version: resolve(
            project, segment_id, version
        ),
        "sender": lambda channel, endpoints, messages, templates, context: send(
            backend, project, endpoints, messages, templates, context
        ),
        "record_event": record,
        "template_exists": lambda kind, name, version: template_exists(
            backend, kind, name, version
        ),
        "new_id": new_id,
        "analytics": analytics,
        "account_id": project.account_id,
        "region": project.region,
    }
    campaigns = CampaignEngine(
        clock.env,
        clock.epoch,
        segment_exists=lambda app_id, segment_id, version: segment_exists(
            project, segment_id, version
        ),
        rng=local.rng(f"pinpoint.campaigns.{project.app_id}"),
        functions=local.functions.resolve,
        app_defaults=lambda app_id: project.app.settings.settings,
        **common,
    )
    journeys = JourneyEngine(
        clock.env,
        clock.epoch,
        rng=local.rng(f"pinpoint.journeys.{project.app_id}"),
        dimension_matcher=lambda app_id, endpoint, dimensions: dimensions_match(
            project, endpoint, dimensions
        ),
        contact_center=lambda app_id, endpoint, context: contact_center(
            backend, project, endpoint, context
        ),
        **common,
    )
    tracker = InAppTracker()

    def observed(event: dict[str, Any]) -> None:
        analytics.observe(event)
        # only a journey's split waits for channel events: with no journey, nobody reads them
        if journeys.journeys and str(event.get("event_type", "")).startswith(_OBSERVED_PREFIXES):
            journeys.observe(
                project.app_id,
                {"Id": event["client"]["client_id"]},
                {"EventType": event["event_type"], "Attributes": event.get("attributes") or {}},
            )
        emit(event)

    project.emit = observed  # type: ignore[method-assign]

    def on_app_event(endpoint_id: str, event: Mapping[str, Any], stored: Any) -> None:
        endpoint = {**dict(stored or {}), "Id": endpoint_id}
        tracker.observe(endpoint_id, event, clock.seconds)
        campaigns.on_event(project.app_id, endpoint, event)
        journeys.on_event(project.app_id, endpoint, event)

    project.audience.on_event(on_app_event)
    return Engagement(campaigns, journeys, tracker, analytics)


# -- collaborators ------------------------------------------------------------------------------


def resolve(project: Project, segment_id: str, version: int | None) -> list[dict[str, Any]]:
    """The endpoints of a segment now, as ``EndpointResponse`` dicts; KeyError if unknown."""
    audience = project.audience
    try:
        mask = audience.members(segment_id, state().clock.timestamp(), version)
    except NotFound as error:
        raise KeyError(error.message) from None
    except BadRequest as error:
        raise KeyError(error.message) from None
    store = audience.endpoints
    found = []
    for row in mask.nonzero()[0]:
        endpoint_id = store.ids[int(row)]
        if endpoint_id in store.index:
            found.append({**store.get(endpoint_id), "Id": endpoint_id})
    return found


def segment_exists(project: Project, segment_id: str, version: int | None) -> None:
    """Raises KeyError naming the segment (or version) if the app has no such segment."""
    try:
        project.audience.segment(segment_id).version(version)
    except (NotFound, BadRequest) as error:
        raise KeyError(error.message) from None


def dimensions_match(
    project: Project, endpoint: Mapping[str, Any], dimensions: Mapping[str, Any]
) -> bool:
    """True when the endpoint meets ``SegmentDimensions`` now (a journey condition)."""
    store = project.audience.endpoints
    row = store.index.get(str(endpoint["Id"]))
    if row is None:
        return False
    mask = segments.evaluate_dimensions(store, dimensions, state().clock.timestamp())
    return bool(mask[row])


def template_exists(
    backend: PinpointEngineBackend, kind: str, name: str, version: str | None
) -> bool:
    try:
        backend.templates.get(name, kind, version)
    except (LookupError, ValueError):
        return False
    return True


def direct_configuration(messages: Mapping[str, Any]) -> dict[str, Any]:
    """Turns a campaign's ``MessageConfiguration`` into the send path's direct configuration."""
    config: dict[str, Any] = {}
    email = messages.get("EmailMessage")
    if email is not None:
        simple: dict[str, Any] = {}
        if email.get("Title"):
            simple["Subject"] = {"Data": email["Title"]}
        if email.get("HtmlBody"):
            simple["HtmlPart"] = {"Data": email["HtmlBody"]}
        if email.get("Body"):
            simple["TextPart"] = {"Data": email["Body"]}
        config["EmailMessage"] = {
            **({"FromAddress": email["FromAddress"]} if email.get("FromAddress") else {}),
            **({"SimpleEmail": simple} if simple else {}),
        }
    if messages.get("SMSMessage") is not None:
        config["SMSMessage"] = dict(messages["SMSMessage"])
    for key in ("GCMMessage", "APNSMessage", "ADMMessage", "BaiduMessage"):
        if messages.get(key) is not None:
            config[key] = dict(messages[key])
    if messages.get("DefaultMessage") is not None:
        config["DefaultPushNotificationMessage"] = dict(messages["DefaultMessage"])
    if messages.get("CustomMessage") is not None:
        config["DefaultMessage"] = {"Body": str(messages["CustomMessage"].get("Data", ""))}
    return config


def send(
    backend: PinpointEngineBackend,
    project: Project,
    endpoints: list[dict[str, Any]],
    messages: Mapping[str, Any],
    templates: Mapping[str, Any],
    context: Mapping[str, Any],
) -> dict[str, dict[str, Any]]:
    """Sends through the app's real channels; returns ``MessageResult``s by endpoint id."""
    parts: dict[str, dict[str, Any]] = {}
    for key, reference in templates.items():
        if reference and reference.get("Name"):
            found = backend.templates.get(
                reference["Name"], TEMPLATE_TYPES[key], reference.get("Version")
            )
            parts[key] = dict(getattr(found, "content", found))
    recipients = [
        sends.Recipient(
            str(endpoint["Id"]),
            str(endpoint.get("ChannelType", "")),
            str(endpoint.get("Address", "")),
            endpoint,
            {},
        )
        for endpoint in endpoints
    ]
    request = {
        "MessageConfiguration": direct_configuration(messages),
        "Context": {k: str(v) for k, v in context.items() if k != "application_id"},
    }
    results = deliver_all(project, recipients, request, parts)
    return {r.recipient.key: r.message_result() for r in results}


def contact_center(
    backend: PinpointEngineBackend,
    project: Project,
    endpoint: Mapping[str, Any],
    context: Mapping[str, Any],
) -> str:
    """Places a simulated call: a VOICE message through the send path, outbox included."""
    voice = {**dict(endpoint), "ChannelType": "VOICE"}
    recipients = [
        sends.Recipient(str(endpoint["Id"]), "VOICE", str(endpoint.get("Address", "")), voice, {})
    ]
    request = {
        "MessageConfiguration": {
            "VoiceMessage": {"Body": "Amazon Connect contact center call (simulated)"}
        },
        "Context": {k: str(v) for k, v in context.items() if k != "application_id"},
    }
    [result] = deliver_all(project, recipients, request, {})
    return result.delivery_status


def plain(value: Any) -> Any:
    """Returns request data with datetimes as ISO 8601 strings, ready for the engines."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return iso(moment)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def kpi_window(params: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """The KPI query's StartTime and EndTime (default: the last 7 days up to now)."""
    now = state().clock.now()

    def read(key: str, default: datetime) -> datetime:
        value = params.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{key} must be an ISO 8601 time, got {value!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    end = read("EndTime", now)
    start = read("StartTime", end - timedelta(days=7))
    if start > end:
        raise BadRequest("StartTime must not be later than EndTime")
    if (end - start).days > 31:
        raise BadRequest("StartTime and EndTime may be at most 31 days apart")
    return start, end


def kpi_rows(analytics: Analytics, name: str, scope: str, params: Mapping[str, Any]) -> Any:
    start, end = kpi_window(params)
    if name not in KPI_NAMES:
        raise BadRequest(f"KpiName {name!r} is not one of {', '.join(KPI_NAMES)}")
    return start, end, {"Rows": analytics.kpi(name, scope, start, end)}


# -- handlers -----------------------------------------------------------------------------------


class CampaignHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def _engagement(self) -> tuple[Project, Engagement]:
        project = self.pinpoint_backend.project(self.params["ApplicationId"])
        return project, engagement(self.pinpoint_backend, project)

    def _campaign(self, engines: Engagement) -> Any:
        try:
            return engines.campaigns.get(self.params["ApplicationId"], self.params["CampaignId"])
        except CampaignNotFound as error:
            raise NotFound(str(error)) from None

    def create_campaign(self) -> Any:
        project, engines = self._engagement()
        request = plain(self.params.get("WriteCampaignRequest") or {})
        try:
            campaign = engines.campaigns.create(project.app_id, request)
        except CampaignError as error:
            raise BadRequest(str(error)) from None
        return self.reply(campaign.to_api())

    def update_campaign(self) -> Any:
        project, engines = self._engagement()
        campaign = self._campaign(engines)
        request = plain(self.params.get("WriteCampaignRequest") or {})
        try:
            campaign = engines.campaigns.update(project.app_id, campaign.id, request)
        except CampaignError as error:
            raise BadRequest(str(error)) from None
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
        return self.reply(_listing(items, self.params))

    def get_campaign_version(self) -> Any:
        project, engines = self._engagement()
        campaign = self._campaign(engines)
        try:
            number = int(self.params["Version"])
            return self.reply(engines.campaigns.version(project.app_id, campaign.id, number))
        except ValueError:
            raise BadRequest(f"Version must be a number, got {self.params['Version']!r}") from None
        except CampaignNotFound as error:
            raise NotFound(str(error)) from None

    def get_campaign_versions(self) -> Any:
        _, engines = self._engagement()
        campaign = self._campaign(engines)
        return self.reply(_listing(list(reversed(campaign.history)), self.params))

    def get_campaign_activities(self) -> Any:
        _, engines = self._engagement()
        campaign = self._campaign(engines)
        items = [a.to_api() for a in reversed(campaign.activities)]
        return self.reply(_listing(items, self.params))

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


def _listing(items: list[Any], params: Mapping[str, Any]) -> dict[str, Any]:
    chunk, following = page(items, params.get("PageSize"), params.get("Token"))
    data: dict[str, Any] = {"Item": chunk}
    if following:
        data["NextToken"] = following
    return data
