"""The campaign and journey engines of one Pinpoint app, wired to the local AWS.

Each app's ``Project`` owns one ``Engagement``, built on first use by ``engagement``: a
``CampaignEngine`` and a ``JourneyEngine`` on the local AWS's simulated clock, reading the app's
segments and templates, sending through the real send path (so every message is in the outbox
and, with an event stream, in Firehose or Kinesis) and reacting to PutEvents. The engines live
and die with their app, in the backend of its account and Region, so ``mock_aws`` and
``LocalAWS.reset`` wipe them with everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from moto.backends import get_backend
from moto.moto_api._internal import mock_random

from simlab.aws.services.pinpoint.messages_api import deliver_all
from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.state import DEFAULT_REGION, current_account, state
from simlab.engage import segments, sends
from simlab.engage.campaigns import CampaignEngine
from simlab.engage.endpoint_views import EndpointRows
from simlab.engage.engine import Analytics
from simlab.engage.faults import EngageError
from simlab.engage.inapp import InAppTracker
from simlab.engage.journeys import JourneyEngine

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

    app_id: str
    campaigns: CampaignEngine
    journeys: JourneyEngine
    inapp: InAppTracker
    analytics: Analytics

    def observe(self, record: dict[str, Any]) -> None:
        """Counts a channel or app record for the KPIs; a journey's split may wait for it."""
        self.analytics.observe(record)
        # only a journey's split waits for channel events: with no journey, nobody reads them
        kind = str(record.get("event_type", ""))
        if self.journeys.journeys and kind.startswith(_OBSERVED_PREFIXES):
            self.journeys.observe(
                self.app_id,
                {"Id": record["client"]["client_id"]},
                {"EventType": kind, "Attributes": record.get("attributes") or {}},
            )

    def observes(self, event_type: str) -> bool:
        """False when ``observe`` would pass a record of ``event_type`` over unread."""
        if event_type in Analytics.COUNTED:  # ``Analytics.counted``, without the call
            return True
        return bool(self.journeys.journeys) and event_type.startswith(_OBSERVED_PREFIXES)

    def on_app_event(self, endpoint_id: str, event: Mapping[str, Any], stored: Any) -> None:
        """Lets a PutEvents event trigger in-app, EVENT campaigns and event journeys."""
        endpoint = {**dict(stored or {}), "Id": endpoint_id}
        self.inapp.observe(endpoint_id, event, self.campaigns.clock.seconds)
        self.campaigns.on_event(self.app_id, endpoint, event)
        self.journeys.on_event(self.app_id, endpoint, event)


def wire(backend: PinpointEngineBackend, project: Project) -> Engagement:
    """Builds the app's engines on the local AWS's clock and hooks them to its PutEvents."""
    local = state(backend.account_id)
    analytics = Analytics()
    common: dict[str, Any] = {
        "segment_resolver": lambda app_id, segment_id, version: resolve(
            project, segment_id, version
        ),
        "sender": lambda channel, endpoints, messages, templates, context: send(
            backend, project, endpoints, messages, templates, context
        ),
        "record_event": project.stream,  # the engines count their own records
        "template_exists": lambda kind, name, version: template_exists(
            backend, kind, name, version
        ),
        "new_id": lambda: mock_random.uuid4().hex,
        "analytics": analytics,
        "account_id": project.account_id,
        "region": project.region,
    }
    campaigns = CampaignEngine(
        local.clock,
        segment_exists=lambda app_id, segment_id, version: segment_exists(
            project, segment_id, version
        ),
        rng=local.rng(f"pinpoint.campaigns.{project.app_id}"),
        functions=local.functions.resolve,
        app_defaults=lambda app_id: project.app.settings.settings,
        record_texts=project.stream_texts,
        **common,
    )
    journeys = JourneyEngine(
        local.clock,
        rng=local.rng(f"pinpoint.journeys.{project.app_id}"),
        dimension_matcher=lambda app_id, endpoint, dimensions: dimensions_match(
            project, endpoint, dimensions
        ),
        contact_center=lambda app_id, endpoint, context: contact_center(project, endpoint, context),
        **common,
    )
    engagement = Engagement(project.app_id, campaigns, journeys, InAppTracker(), analytics)
    project.audience.on_event(engagement.on_app_event)
    return engagement


def engagement(backend: PinpointEngineBackend, app_id: str) -> Engagement:
    """The app's engines, built on first use and kept on its ``Project``; NotFound if no app.

    They belong to the app in this backend (one per account and Region), so they go with the
    app and with every reset of moto's backends.
    """
    project = backend.project(app_id)
    if not isinstance(project.engagement, Engagement):
        project.engagement = wire(backend, project)
    return project.engagement


def engines_for(
    app_id: str, region: str = DEFAULT_REGION, account_id: str | None = None
) -> Engagement:
    """The engines of one app of the open local AWS: ``engines_for(app).journeys.summary(...)``.

    Raises NotFound (NotFoundException) if the account has no such app in ``region``.
    """
    account = account_id or current_account()
    backend = cast(PinpointEngineBackend, get_backend("pinpoint")[account][region])
    return engagement(backend, app_id)


# -- collaborators ------------------------------------------------------------------------------


def resolve(project: Project, segment_id: str, version: int | None) -> EndpointRows:
    """The endpoints of a segment now, read as ``EndpointResponse`` dicts; KeyError if unknown."""
    audience = project.audience
    try:
        mask = audience.members(segment_id, state().clock.timestamp(), version)
    except EngageError as error:
        raise KeyError(error.message) from None
    store = audience.endpoints
    ids, index = store.ids, store.index
    live = [index.get(ids[row]) for row in mask.nonzero()[0].tolist()]  # each one's live row
    return EndpointRows(store, np.array([row for row in live if row is not None], dtype=np.intp))


def segment_exists(project: Project, segment_id: str, version: int | None) -> None:
    """Raises KeyError naming the segment (or version) if the app has no such segment."""
    try:
        project.audience.segment(segment_id).version(version)
    except EngageError as error:
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
    """True when the account has a ``kind`` template ``name`` (at ``version``, if given)."""
    try:
        backend.templates.get(name, kind, version)
    except EngageError:
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
            parts[key] = dict(cast("Mapping[str, Any]", getattr(found, "content", found)))
    recipients = sends.recipients_of(endpoints)
    request = {
        "MessageConfiguration": direct_configuration(messages),
        "Context": {k: str(v) for k, v in context.items() if k != "application_id"},
    }
    results = deliver_all(project, recipients, request, parts)
    return {r.recipient.key: r.message_result() for r in results}


def contact_center(
    project: Project, endpoint: Mapping[str, Any], context: Mapping[str, Any]
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
