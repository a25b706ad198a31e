"""In-app messages: which IN_APP campaigns an endpoint may show now (``GetInAppMessages``).

Pinpoint hands the app every live in-app campaign with its caps and priority and lets the SDK
decide what to display (fact 1.35). Here the answer also leaves out campaigns whose caps the
endpoint has used up, counted from the ``_inapp.message_displayed`` events the app reports
through PutEvents, and sorts by ``Priority`` (1 is the highest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simlab.engage.campaigns import Campaign
from simlab.primitives.times import iso

#: The event an app reports when it shows an in-app message (Amplify's in-app analytics name).
DISPLAYED_EVENT = "_inapp.message_displayed"


@dataclass
class Displays:
    """When and in which session one endpoint was shown one campaign."""

    times: list[float] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)


class InAppTracker:
    """Counts displays per (endpoint, campaign) and remembers each endpoint's current session."""

    def __init__(self) -> None:
        self._displays: dict[tuple[str, str], Displays] = defaultdict(Displays)
        self._session: dict[str, str] = {}

    def observe(self, endpoint_id: str, event: Mapping[str, Any], now: float) -> None:
        """Takes one PutEvents event: session events move the session, displays are counted."""
        session = (event.get("Session") or {}).get("Id")
        if session:
            self._session[endpoint_id] = str(session)
        if event.get("EventType") != DISPLAYED_EVENT:
            return
        campaign_id = (event.get("Attributes") or {}).get("campaign_id")
        if campaign_id:
            shown = self._displays[(endpoint_id, str(campaign_id))]
            shown.times.append(now)
            shown.sessions.append(self._session.get(endpoint_id, ""))

    def capped(
        self, endpoint_id: str, campaign_id: str, limits: Mapping[str, int], now: float
    ) -> bool:
        """True when showing the campaign again would pass its Daily, Session or Total cap."""
        shown = self._displays.get((endpoint_id, campaign_id))
        if shown is None:
            return False
        total, daily, session = limits.get("Total"), limits.get("Daily"), limits.get("Session")
        if total and len(shown.times) >= total:
            return True
        if daily and sum(1 for t in shown.times if now - t < 86_400) >= daily:
            return True
        current = self._session.get(endpoint_id, "")
        return bool(session and shown.sessions.count(current) >= session)


def in_app_messages(
    campaigns: Iterable[Campaign],
    endpoint: Mapping[str, Any],
    tracker: InAppTracker,
    seconds: float,
    allocation: Any = None,
) -> dict[str, Any]:
    """Returns botocore's ``InAppMessagesResponse`` for ``endpoint``.

    ``allocation(campaign, endpoint_id)`` names the endpoint's treatment ("HOLDOUT" to skip).
    """
    endpoint_id = str(endpoint["Id"])
    found = []
    for campaign in campaigns:
        if tracker.capped(endpoint_id, campaign.id, campaign.limits, seconds):
            continue
        treatment_id = allocation(campaign, endpoint_id) if allocation else "0"
        if treatment_id == "HOLDOUT":
            continue
        treatment = next((t for t in campaign.treatments if t.id == treatment_id), campaign.default)
        message = treatment.message_configuration.get("InAppMessage") or {}
        schedule = treatment.schedule
        entry: dict[str, Any] = {
            "CampaignId": campaign.id,
            "TreatmentId": treatment.id,
            "InAppMessage": {
                key: message[key] for key in ("Content", "CustomConfig", "Layout") if key in message
            },
            "Priority": campaign.priority or 3,
            "DailyCap": campaign.limits.get("Daily", 0),
            "SessionCap": campaign.limits.get("Session", 0),
            "TotalCap": campaign.limits.get("Total", 0),
            "Schedule": {},
        }
        if schedule.end is not None:
            entry["Schedule"]["EndDate"] = iso(schedule.end)
        if schedule.event_filter:
            entry["Schedule"]["EventFilter"] = dict(schedule.event_filter)
        if schedule.quiet_time is not None:
            entry["Schedule"]["QuietTime"] = schedule.quiet_time.to_api()
        found.append(entry)
    found.sort(key=lambda entry: (entry["Priority"], entry["CampaignId"]))
    return {"InAppMessageCampaigns": found}
