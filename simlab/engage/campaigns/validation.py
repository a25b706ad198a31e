"""Checks a ``WriteCampaignRequest`` the way Pinpoint does and builds the ``Campaign`` it asks for.

Every refusal is a ``CampaignError`` (BadRequestException) naming the request member at fault
and what is allowed; the quotas come from ``simlab.facts.pinpoint`` (facts 1.14-1.20).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from simlab import facts
from simlab.engage.campaigns.model import (
    ACTIVE_STATUSES,
    Campaign,
    CampaignError,
    CampaignNotFound,
    P,
    Treatment,
)
from simlab.engage.engine import (
    EngineBase,
)
from simlab.engage.engine.schedule import Schedule, iso
from simlab.engage.faults import reported_as


class CampaignValidation(EngineBase):
    """The campaigns of every app, looked up and checked; a base of ``CampaignEngine``."""

    campaigns: dict[tuple[str, str], Campaign]
    functions: Callable[[str], Callable[..., Any]] | None
    app_defaults: Callable[[str], Mapping[str, Any]]
    segment_exists: Callable[[str, str, int | None], object] | None

    def get(self, app_id: str, campaign_id: str) -> Campaign:
        try:
            return self.campaigns[(app_id, campaign_id)]
        except KeyError:
            raise CampaignNotFound(f"Campaign {campaign_id} not found in {app_id}") from None

    def list(self, app_id: str) -> list[Campaign]:
        """Returns the application's campaigns, newest first (as the console lists them)."""
        found = [c for (a, _), c in self.campaigns.items() if a == app_id]
        return sorted(found, key=lambda c: (c.created, c.id), reverse=True)

    def _check_quotas(self, campaign: Campaign) -> None:
        """Refuses a campaign past the active, event or in-app quota (fact 1.20)."""
        live = [c for c in self.campaigns.values() if c.status in ACTIVE_STATUSES]
        if len(live) >= P.MAX_ACTIVE_CAMPAIGNS.value:
            raise CampaignError(
                "Schedule",
                f"{len(live)} campaigns are active; the quota is {P.MAX_ACTIVE_CAMPAIGNS.value}",
            )
        same_app = [c for c in live if c.app_id == campaign.app_id]
        if campaign.default.schedule.frequency == "EVENT":
            events = sum(1 for c in same_app if c.default.schedule.frequency == "EVENT")
            if events >= P.MAX_EVENT_CAMPAIGNS.value:
                raise CampaignError(
                    "Schedule.Frequency",
                    f"the project has {events} event campaigns; the quota is "
                    f"{P.MAX_EVENT_CAMPAIGNS.value}",
                )
        if campaign.is_in_app:
            in_app = sum(1 for c in same_app if c.is_in_app)
            if in_app >= P.MAX_IN_APP_CAMPAIGNS.value:
                raise CampaignError(
                    "MessageConfiguration.InAppMessage",
                    f"the project has {in_app} in-app campaigns; the quota is "
                    f"{P.MAX_IN_APP_CAMPAIGNS.value}",
                )

    def _build(
        self,
        app_id: str,
        campaign_id: str,
        request: dict[str, Any],
        now: datetime,
        *,
        version: int,
        created: datetime,
        past_ok: bool = False,
    ) -> Campaign:
        name = request.get("Name") or ""
        segment_id = request.get("SegmentId")
        if not segment_id:
            raise CampaignError("SegmentId", "is required: the segment the campaign reaches")
        segment_version = request.get("SegmentVersion")
        try:
            if self.segment_exists is not None:
                self.segment_exists(app_id, segment_id, segment_version)
            else:
                self.segment_resolver(app_id, segment_id, segment_version)
        except KeyError as error:
            raise CampaignError("SegmentId", f"segment {segment_id} not found: {error}") from None
        holdout = _percent(request.get("HoldoutPercent", 0), "HoldoutPercent")
        limits = self._limits(request.get("Limits") or {})
        hook = dict(request.get("Hook") or {})
        self._check_hook(hook)
        treatments = [self._treatment("0", request, request, now, "", past_ok)]
        extra = request.get("AdditionalTreatments") or []
        for index, item in enumerate(extra, start=1):
            where = f"AdditionalTreatments[{index - 1}]"
            if "SizePercent" not in item:
                raise CampaignError(f"{where}.SizePercent", "is required (0-100)")
            treatments.append(self._treatment(str(index), item, request, now, where, past_ok))
        shares = sum(t.size_percent for t in treatments[1:])
        if holdout + shares > 100:
            raise CampaignError(
                "AdditionalTreatments",
                f"HoldoutPercent ({holdout}) plus the treatments' SizePercent ({shares}) is "
                f"{holdout + shares}%, over 100%",
            )
        treatments[0].size_percent = 100 - holdout - shares
        priority = request.get("Priority")
        if priority is not None and not 1 <= int(priority) <= 5:
            raise CampaignError("Priority", f"{priority} is not between 1 (highest) and 5")
        return Campaign(
            app_id=app_id,
            id=campaign_id,
            name=name,
            segment_id=segment_id,
            segment_version=int(segment_version) if segment_version else None,
            treatments=treatments,
            holdout_percent=holdout,
            limits=limits,
            hook=hook,
            is_paused=bool(request.get("IsPaused", False)),
            priority=priority,
            version=version,
            created=created,
            modified=now,
            request=request,
            tags=dict(request.get("tags") or {}),
        )

    def _limits(self, limits: Mapping[str, Any]) -> dict[str, int]:
        ranges = {
            "Daily": (0, facts.pinpoint.CAMPAIGN_DAILY_CAP_MAX.value),
            "Total": (0, facts.pinpoint.CAMPAIGN_TOTAL_CAP_MAX.value),
            "MessagesPerSecond": (
                facts.pinpoint.CAMPAIGN_MPS_MIN.value,
                facts.pinpoint.CAMPAIGN_MPS_MAX.value,
            ),
            "MaximumDuration": (facts.pinpoint.CAMPAIGN_MAXIMUM_DURATION_MIN_SECONDS.value, None),
            "Session": (0, None),
        }
        checked: dict[str, int] = {}
        for key, value in limits.items():
            if key not in ranges:
                raise CampaignError(f"Limits.{key}", f"is not one of {', '.join(ranges)}")
            low, high = ranges[key]
            if not isinstance(value, int) or value < low or (high is not None and value > high):
                allowed = f"{low} to {high}" if high is not None else f"at least {low}"
                raise CampaignError(f"Limits.{key}", f"{value!r} is not allowed: {allowed}")
            checked[key] = value
        return checked

    def _check_hook(self, hook: Mapping[str, Any]) -> None:
        if not hook:
            return
        mode = hook.get("Mode", "FILTER")
        if mode not in facts.pinpoint.HOOK_MODES.value:
            raise CampaignError("Hook.Mode", f"{mode!r} is not FILTER or DELIVERY")
        if mode == "DELIVERY":
            raise CampaignError(
                "Hook.Mode",
                "DELIVERY is deprecated and not emulated; use CustomDeliveryConfiguration",
            )
        if hook.get("WebUrl"):
            raise CampaignError(
                "Hook.WebUrl", "web hooks are not emulated; give LambdaFunctionName"
            )
        name = hook.get("LambdaFunctionName")
        if not name:
            raise CampaignError("Hook.LambdaFunctionName", "is required for a FILTER hook")
        self._resolve_function(name, "Hook.LambdaFunctionName")

    def _resolve_function(self, name: str, where: str) -> Callable[..., Any]:
        if name.startswith("https://") or name.startswith("http://"):
            raise CampaignError(where, "HTTPS delivery is not emulated; register a function")
        if self.functions is None:
            raise CampaignError(where, "no functions are available to this engine")
        try:
            return self.functions(name)
        except KeyError:
            raise CampaignError(where, f"no function registered as {name!r}") from None

    def _treatment(
        self,
        treatment_id: str,
        item: Mapping[str, Any],
        campaign: Mapping[str, Any],
        now: datetime,
        where: str,
        past_ok: bool = False,
    ) -> Treatment:
        prefix = f"{where}." if where else ""
        schedule_data = item.get("Schedule") or campaign.get("Schedule")
        with reported_as(CampaignError):
            schedule = Schedule.from_api(schedule_data, now, f"{prefix}Schedule")
        if not (past_ok or schedule.immediate or schedule.is_event) and schedule.start < now:
            raise CampaignError(
                f"{prefix}Schedule.StartTime", f"{iso(schedule.start)} is in the past ({iso(now)})"
            )
        messages = dict(item.get("MessageConfiguration") or {})
        templates = dict(item.get("TemplateConfiguration") or {})
        if not messages and not templates and not item.get("CustomDeliveryConfiguration"):
            raise CampaignError(
                f"{prefix}MessageConfiguration",
                "give a MessageConfiguration, a TemplateConfiguration or a "
                "CustomDeliveryConfiguration",
            )
        if templates.get("VoiceTemplate"):
            raise CampaignError(
                f"{prefix}TemplateConfiguration.VoiceTemplate", "is not supported for campaigns"
            )
        for key, template in templates.items():
            if self.template_exists is None:
                continue
            kind = key.removesuffix("Template").upper()
            name = (template or {}).get("Name")
            if not name or not self.template_exists(kind, name, (template or {}).get("Version")):
                version = (template or {}).get("Version")
                which = f"{name!r}" + (f" version {version}" if version else "")
                raise CampaignError(
                    f"{prefix}TemplateConfiguration.{key}.Name", f"no {kind} template {which}"
                )
        headers = (messages.get("EmailMessage") or {}).get("Headers") or []
        if len(headers) > facts.pinpoint.MAX_EMAIL_HEADERS.value:
            raise CampaignError(
                f"{prefix}MessageConfiguration.EmailMessage.Headers",
                f"{len(headers)} headers; at most {facts.pinpoint.MAX_EMAIL_HEADERS.value}",
            )
        custom = item.get("CustomDeliveryConfiguration")
        if custom:
            if not custom.get("DeliveryUri"):
                raise CampaignError(
                    f"{prefix}CustomDeliveryConfiguration.DeliveryUri", "is required"
                )
            self._resolve_function(
                custom["DeliveryUri"], f"{prefix}CustomDeliveryConfiguration.DeliveryUri"
            )
        return Treatment(
            id=treatment_id,
            size_percent=_percent(item.get("SizePercent", 100), f"{prefix}SizePercent"),
            schedule=schedule,
            message_configuration=messages,
            template_configuration=templates,
            custom_delivery=dict(custom) if custom else None,
            name=item.get("TreatmentName") or "",
            description=item.get("TreatmentDescription") or "",
        )


def _percent(value: Any, field_name: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= 100:
        raise CampaignError(field_name, f"{value!r} is not a whole percentage from 0 to 100")
    return value
