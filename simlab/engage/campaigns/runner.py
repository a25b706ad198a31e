"""Runs campaigns as SimPy processes: each scheduled run resolves the segment, allocates treatments
and holdout, then releases messages at each endpoint's time, paced by ``MessagesPerSecond``.

Event-triggered campaigns (``Frequency: EVENT``) send from ``on_event`` instead, one endpoint at a
time. What a run decides not to send (holdout, inactive, no address, hook) is counted in the
activity's ``ExecutionMetrics``.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from simpy.events import ProcessGenerator

from simlab import facts
from simlab.engage.campaigns.delivery import CampaignDelivery
from simlab.engage.campaigns.model import Activity, Campaign, Treatment, bucket
from simlab.engage.campaigns.plan import Plan, plan_rows
from simlab.engage.endpoint_views import EndpointRows
from simlab.engage.engine import (
    Endpoint,
    channel_of,
    event_matches,
    message_for,
)
from simlab.engage.engine.schedule import QuietTime, iso


class CampaignRunner(CampaignDelivery):
    """Scheduling, allocation and pacing of campaign runs; a base of ``CampaignEngine``."""

    def _start(self, campaign: Campaign) -> None:
        for treatment in campaign.treatments:
            schedule = treatment.schedule
            if schedule.is_event:
                treatment.status = "EXECUTING" if schedule.start <= self.now() else "SCHEDULED"
                self.env.process(self._event_window(campaign, treatment))
            elif treatment.size_percent > 0 or treatment.id == "0":
                self.env.process(self._scheduled(campaign, treatment))

    def _live(self, campaign: Campaign) -> bool:
        current = self.campaigns.get((campaign.app_id, campaign.id))
        return current is campaign and not campaign.deleted

    def _event_window(self, campaign: Campaign, treatment: Treatment) -> ProcessGenerator:
        schedule = treatment.schedule
        yield self._until(schedule.start)
        if not self._live(campaign):
            return
        treatment.status = "EXECUTING"
        if schedule.end is not None:
            yield self._until(schedule.end)
            if self._live(campaign):
                treatment.status = "COMPLETED"

    def _scheduled(self, campaign: Campaign, treatment: Treatment) -> ProcessGenerator:
        schedule = treatment.schedule
        now = self.now()
        runs = [r for r in _bounded(schedule.run_times(), 10_000) if r >= now]
        treatment.runs_left = len(runs)
        lead = timedelta(hours=14) if schedule.is_local_time else timedelta(0)
        for index, run_time in enumerate(runs):
            wake = max(run_time - lead, self.now())
            yield self._until(wake)
            if not self._live(campaign):
                return
            treatment.runs_left = len(runs) - index - 1
            if campaign.is_paused:
                continue
            treatment.status = "EXECUTING"
            yield from self._run(campaign, treatment, run_time)
            if not self._live(campaign):
                return
            treatment.status = "PENDING_NEXT_RUN" if treatment.runs_left else "COMPLETED"
        if self._live(campaign):
            treatment.status = "COMPLETED"

    def _audience(
        self, campaign: Campaign, treatment: Treatment, activity: Activity
    ) -> tuple[Sequence[Endpoint], Iterator[tuple[int, Endpoint]] | None]:
        """Resolves the segment; returns it and (position, brief endpoint) of this treatment's
        eligible share, counted in the activity's metrics as the pairs are read; None instead
        of the pairs when the audience is a store's rows, planned column-wise (``plan_rows``).

        A brief endpoint has what the run reads before it sends (``brief``); the messages go
        out with the whole endpoint, read again by position when its chunk is sent.
        """
        endpoints = self.segment_resolver(
            campaign.app_id, campaign.segment_id, campaign.segment_version
        )
        activity.metrics["ENDPOINT_PRODUCED"] += len(endpoints)
        hook = campaign.hook or dict(self.app_defaults(campaign.app_id).get("CampaignHook") or {})
        eligible = self._eligible(campaign, treatment, activity, endpoints)
        if hook.get("LambdaFunctionName") and hook.get("Mode", "FILTER") == "FILTER":
            kept = _pick(endpoints, [position for position, _ in eligible])
            kept = self._filter_hook(campaign, treatment, activity, hook, kept)
            return kept, enumerate(kept)
        if isinstance(endpoints, EndpointRows):
            return endpoints, None
        return endpoints, eligible

    def _fits(self, treatment: Treatment, endpoint: Mapping[str, Any]) -> bool:
        """Whether the treatment has a message (or a custom delivery) for the endpoint's channel."""
        return message_for(
            endpoint, treatment.message_configuration, treatment.template_configuration
        ) is not None or self._custom_for(treatment, endpoint)

    def _plan(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        audience: Sequence[Endpoint],
        eligible: Iterator[tuple[int, Endpoint]] | None,
        run_time: datetime,
    ) -> Plan:
        """Positions into the audience by send time, and the time zones each moment reaches."""
        now, schedule = self.now(), treatment.schedule
        if eligible is None:
            assert isinstance(audience, EndpointRows)
            plan = plan_rows(
                campaign,
                treatment,
                activity,
                audience,
                lambda endpoint: self._fits(treatment, endpoint),
                lambda endpoint: max(schedule.send_time(run_time, endpoint), now),
            )
            if plan is not None:
                return plan
            eligible = self._eligible(campaign, treatment, activity, audience)
        by_time: dict[datetime, array[int]] = defaultdict(lambda: array("q"))
        zones: dict[datetime, set[str]] = defaultdict(set)
        reachable: dict[Any, bool] = {}  # by ChannelType: does the treatment reach it?
        for position, endpoint in eligible:
            kind = endpoint.get("ChannelType")
            fits = reachable.get(kind)
            if fits is None:
                fits = reachable[kind] = self._fits(treatment, endpoint)
            if not fits:
                activity.metrics["ENDPOINT_CHANNEL_MISMATCH"] += 1
                continue
            moment = max(schedule.send_time(run_time, endpoint), now)
            by_time[moment].append(position)
            zones[moment].add((endpoint.get("Demographic") or {}).get("Timezone") or "UTC")
        return by_time, zones

    def _eligible(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: Sequence[Endpoint],
    ) -> Iterator[tuple[int, Endpoint]]:
        metrics = activity.metrics
        seen: set[str] = set()
        for position, endpoint in enumerate(_brief(endpoints)):
            endpoint_id = str(endpoint.get("Id"))
            if endpoint_id in seen:
                metrics["DUPLICATE_ENDPOINT"] += 1
                continue
            seen.add(endpoint_id)
            allocated = self._allocation(campaign, endpoint_id)
            if allocated != treatment.id:
                if allocated == "HOLDOUT" and treatment.id == "0":
                    metrics["HOLDOUT"] += 1
                continue
            if endpoint.get("EndpointStatus", "ACTIVE") == "INACTIVE":
                metrics["ENDPOINT_INACTIVE"] += 1
                continue
            if not endpoint.get("Address") and channel_of(endpoint) != "IN_APP":
                metrics["ENDPOINT_MISSING_ADDRESS"] += 1
                continue
            yield position, endpoint

    def _allocation(self, campaign: Campaign, endpoint_id: str) -> str:
        """Holdout first, then each A/B treatment's share, the default treatment last."""
        if not campaign.holdout_percent and len(campaign.treatments) == 1:
            return "0"  # every bucket falls to the default treatment: none is worked out
        point = bucket(campaign.salt, endpoint_id)
        edge = campaign.holdout_percent * 100
        if point < edge:
            return "HOLDOUT"
        for treatment in campaign.treatments[1:]:
            edge += treatment.size_percent * 100
            if point < edge:
                return treatment.id
        return "0"

    def _filter_hook(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        hook: Mapping[str, Any],
        endpoints: list[Endpoint],
    ) -> list[Endpoint]:
        function = self.functions(hook["LambdaFunctionName"]) if self.functions else None
        if function is None:
            return endpoints
        kept: list[Endpoint] = []
        for start in range(0, len(endpoints), 50):  # Pinpoint calls the hook in batches of 50
            batch = endpoints[start : start + 50]
            event = {
                "MessageConfiguration": treatment.message_configuration,
                "ApplicationId": campaign.app_id,
                "CampaignId": campaign.id,
                "TreatmentId": treatment.id,
                "ActivityId": activity.id,
                "ScheduledTime": iso(activity.scheduled_start),
                "Endpoints": {
                    str(e["Id"]): {k: v for k, v in e.items() if k != "Id"} for e in batch
                },
            }
            answer = function(event) or {}
            for endpoint_id, data in answer.items():
                kept.append({**dict(data), "Id": endpoint_id})
        activity.metrics["FILTERED_OUT_BY_HOOK"] += len(endpoints) - len(kept)
        return kept

    def _run(
        self, campaign: Campaign, treatment: Treatment, run_time: datetime
    ) -> ProcessGenerator:
        """One activity: resolve, allocate, then send at each endpoint's time, paced."""
        activity = Activity(
            self.new_id(), campaign.app_id, campaign.id, treatment.id, run_time, start=self.now()
        )
        activity.state = "RUNNING"
        campaign.activities.append(activity)
        audience, eligible = self._audience(campaign, treatment, activity)
        by_time, zones = self._plan(campaign, treatment, activity, audience, eligible, run_time)
        now = self.now()
        for reached in zones.values():
            activity.timezones |= reached
        committed = sum(len(group) for group in by_time.values())
        activity.tally.schedule(committed)
        campaign.tally.schedule(committed)
        limits = {**(self.app_defaults(campaign.app_id).get("Limits") or {}), **campaign.limits}
        rate = int(limits.get("MessagesPerSecond") or facts.pinpoint.CAMPAIGN_MPS_MAX.value)
        deadline: datetime | None = None
        if limits.get("MaximumDuration"):
            deadline = (activity.start or now) + timedelta(seconds=limits["MaximumDuration"])
        quiet = treatment.schedule.quiet_time or QuietTime.from_api(
            self.app_defaults(campaign.app_id).get("QuietTime")
        )
        for moment in sorted(by_time):
            group = by_time[moment]
            yield self._until(moment)
            start = 0
            while start < len(group):
                if not self._live(campaign):
                    left = len(group) - start + sum(len(by_time[m]) for m in by_time if m > moment)
                    activity.tally.cancel(left)
                    campaign.tally.cancel(left)
                    activity.metrics["CANCELLED"] += left
                    activity.state, activity.end = "CANCELLED", self.now()
                    return
                while campaign.is_paused and self._live(campaign):
                    yield self.env.timeout(60)
                # MessagesPerSecond is the campaign's: its treatments share each second's budget
                second = math.floor(self.env.now)
                used = campaign.paced[1] if campaign.paced[0] == second else 0
                if used >= rate:
                    yield self.env.timeout(second + 1 - self.env.now)
                    continue
                chunk = _pick(audience, group[start : start + rate - used])
                campaign.paced = (second, used + len(chunk))
                expired = deadline is not None and self.now() > deadline
                self._deliver(campaign, treatment, activity, chunk, limits, quiet, expired)
                start += len(chunk)
            activity.timezones_done |= zones[moment]
        activity.state, activity.end = "COMPLETED", self.now()
        activity.result = "SUCCESS"

    def on_event(self, app_id: str, endpoint: Endpoint, event: Mapping[str, Any]) -> int:
        """Sends every live EVENT campaign whose filter ``event`` meets; returns how many did."""
        fired = 0
        for campaign in self.list(app_id):
            default = campaign.default
            schedule = default.schedule
            if schedule.frequency != "EVENT" or campaign.is_paused:
                continue
            now = self.now()
            if now < schedule.start or (schedule.end is not None and now >= schedule.end):
                continue
            event_filter = schedule.event_filter or {}
            if not event_matches(event_filter.get("Dimensions"), event):
                continue
            members = self.segment_resolver(app_id, campaign.segment_id, campaign.segment_version)
            if not any(str(m.get("Id")) == str(endpoint.get("Id")) for m in members):
                continue
            treatment_id = self._allocation(campaign, str(endpoint["Id"]))
            if treatment_id == "HOLDOUT":
                continue
            treatment = next(t for t in campaign.treatments if t.id == treatment_id)
            activity = self._event_activity(campaign, treatment)
            activity.metrics["ENDPOINT_PRODUCED"] += 1
            if message_for(
                endpoint, treatment.message_configuration, treatment.template_configuration
            ) is None and not self._custom_for(treatment, endpoint):
                activity.metrics["ENDPOINT_CHANNEL_MISMATCH"] += 1
                continue
            limits = {**(self.app_defaults(app_id).get("Limits") or {}), **campaign.limits}
            quiet = schedule.quiet_time or QuietTime.from_api(
                self.app_defaults(app_id).get("QuietTime")
            )
            activity.tally.schedule()
            campaign.tally.schedule()
            self._deliver(campaign, treatment, activity, [endpoint], limits, quiet, False)
            fired += 1
        return fired

    def _event_activity(self, campaign: Campaign, treatment: Treatment) -> Activity:
        for activity in campaign.activities:
            if activity.treatment_id == treatment.id:
                return activity
        activity = Activity(
            self.new_id(),
            campaign.app_id,
            campaign.id,
            treatment.id,
            treatment.schedule.start,
            start=self.now(),
            state="RUNNING",
        )
        campaign.activities.append(activity)
        return activity


def _brief(endpoints: Sequence[Endpoint]) -> Iterable[Endpoint]:
    """The endpoints as a run first reads them: ``EndpointRows.brief`` when it can."""
    return endpoints.brief() if isinstance(endpoints, EndpointRows) else endpoints


def _pick(endpoints: Sequence[Endpoint], positions: Sequence[int]) -> list[Endpoint]:
    """The endpoints at ``positions``, whole, in that order."""
    if isinstance(endpoints, EndpointRows):
        return endpoints.pick(positions)
    return [endpoints[position] for position in positions]


def _bounded(items: Iterable[datetime], limit: int) -> Iterator[datetime]:
    for index, item in enumerate(items):
        if index >= limit:
            return
        yield item
