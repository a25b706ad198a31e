"""A campaign as the engine keeps it: treatments, activities (runs) and their tallies.

``to_api`` of each class answers in botocore's shapes (``CampaignResponse``,
``TreatmentResource``, ``ActivityResponse``); ``bucket`` is the stable per-endpoint number every
holdout and A/B allocation is drawn from.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simlab import facts
from simlab.engage.engine import (
    SendCaps,
    Tally,
)
from simlab.engage.engine.schedule import Schedule, iso
from simlab.engage.faults import FieldError, NotFound

P = facts.pinpoint
STATUSES: tuple[str, ...] = P.CAMPAIGN_STATUSES.value
ACTIVE_STATUSES: tuple[str, ...] = P.ACTIVE_CAMPAIGN_STATUSES.value


class CampaignError(FieldError):
    """A campaign definition AWS would refuse (BadRequestException); ``field`` names the member."""


class CampaignNotFound(NotFound):
    """No campaign with that id in that application (NotFoundException)."""


def bucket(salt: str, endpoint_id: str) -> int:
    """Returns a stable number in [0, 10000) for an endpoint: the seed of every allocation."""
    digest = hashlib.blake2b(f"{salt}:{endpoint_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 10_000


@dataclass
class Activity:
    """One run of one treatment: what ``GetCampaignActivities`` lists."""

    id: str
    app_id: str
    campaign_id: str
    treatment_id: str
    scheduled_start: datetime
    start: datetime | None = None
    end: datetime | None = None
    state: str = "PENDING"
    result: str = ""
    tally: Tally = field(default_factory=Tally)
    metrics: Counter[str] = field(default_factory=Counter)
    timezones: set[str] = field(default_factory=set)
    timezones_done: set[str] = field(default_factory=set)

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``ActivityResponse``."""
        data: dict[str, Any] = {
            "ApplicationId": self.app_id,
            "CampaignId": self.campaign_id,
            "Id": self.id,
            "ScheduledStart": iso(self.scheduled_start),
            "State": self.state,
            "TreatmentId": self.treatment_id,
            "TotalEndpointCount": self.tally.sent,
            "SuccessfulEndpointCount": self.tally.delivered,
            "TimezonesTotalCount": len(self.timezones),
            "TimezonesCompletedCount": len(self.timezones_done),
            "ExecutionMetrics": {k: str(v) for k, v in sorted(self.metrics.items())},
        }
        if self.start is not None:
            data["Start"] = iso(self.start)
        if self.end is not None:
            data["End"] = iso(self.end)
        if self.result:
            data["Result"] = self.result
        return data


@dataclass
class Treatment:
    """The default message (id "0") or one A/B variant with its share of the segment."""

    id: str
    size_percent: int
    schedule: Schedule
    message_configuration: dict[str, Any]
    template_configuration: dict[str, Any]
    custom_delivery: dict[str, Any] | None = None
    name: str = ""
    description: str = ""
    status: str = "SCHEDULED"
    runs_left: int = 0

    def to_api(self, schedule_data: Mapping[str, Any] | None) -> dict[str, Any]:
        """Returns botocore's ``TreatmentResource``."""
        data: dict[str, Any] = {
            "Id": self.id,
            "SizePercent": self.size_percent,
            "MessageConfiguration": self.message_configuration,
            "TemplateConfiguration": self.template_configuration,
            "Schedule": self.schedule.to_api(),
            "State": {"CampaignStatus": self.status},
        }
        if self.custom_delivery:
            data["CustomDeliveryConfiguration"] = self.custom_delivery
        if self.name:
            data["TreatmentName"] = self.name
        if self.description:
            data["TreatmentDescription"] = self.description
        return data


@dataclass
class Campaign:
    """A campaign as the engine runs it; ``request`` keeps the write request of each version."""

    app_id: str
    id: str
    name: str
    segment_id: str
    segment_version: int | None  # None: the segment's latest version at each run
    treatments: list[Treatment]
    holdout_percent: int
    limits: dict[str, int]
    hook: dict[str, Any]
    is_paused: bool
    priority: int | None
    version: int
    created: datetime
    modified: datetime
    request: dict[str, Any]
    arn: str = ""
    salt: str = ""
    deleted: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    caps: SendCaps = field(default_factory=SendCaps)
    tally: Tally = field(default_factory=Tally)
    history: list[dict[str, Any]] = field(default_factory=list)
    #: Messages sent in the current simulated second, across all treatments: (second, count).
    paced: tuple[int, int] = (-1, 0)
    generation: int = 0

    @property
    def default(self) -> Treatment:
        return self.treatments[0]

    @property
    def status(self) -> str:
        """The campaign's status: COMPLETED only when every treatment is (fact 1.18)."""
        if self.deleted:
            return "DELETED"
        if self.is_paused:
            return "PAUSED"
        states = {t.status for t in self.treatments if t.size_percent > 0 or t.id == "0"}
        for status in ("EXECUTING", "PENDING_NEXT_RUN", "SCHEDULED"):
            if status in states:
                return status
        return "COMPLETED"

    @property
    def is_in_app(self) -> bool:
        return self.default.schedule.frequency == "IN_APP_EVENT" or bool(
            self.default.message_configuration.get("InAppMessage")
        )

    def to_api(self) -> dict[str, Any]:
        """Returns botocore's ``CampaignResponse``."""
        default = self.default
        data: dict[str, Any] = {
            "ApplicationId": self.app_id,
            "Arn": self.arn,
            "Id": self.id,
            "Name": self.name,
            "CreationDate": iso(self.created),
            "LastModifiedDate": iso(self.modified),
            "SegmentId": self.segment_id,
            "SegmentVersion": self.segment_version or 1,
            "Version": self.version,
            "HoldoutPercent": self.holdout_percent,
            "IsPaused": self.is_paused,
            "Limits": dict(self.limits),
            "MessageConfiguration": default.message_configuration,
            "TemplateConfiguration": default.template_configuration,
            "Schedule": default.schedule.to_api(),
            "State": {"CampaignStatus": self.status},
            "DefaultState": {"CampaignStatus": self.status},
            "AdditionalTreatments": [t.to_api(None) for t in self.treatments[1:]],
            "tags": dict(self.tags),
        }
        for key, value in (
            ("Description", self.request.get("Description")),
            ("TreatmentName", default.name),
            ("TreatmentDescription", default.description),
            ("Priority", self.priority),
            ("CustomDeliveryConfiguration", default.custom_delivery),
        ):
            if value not in (None, ""):
                data[key] = value
        if self.hook:
            data["Hook"] = dict(self.hook)
        return data
