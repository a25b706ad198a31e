"""Sends one chunk of a campaign run: quiet time, caps, opt-outs, then one sender call per channel.

Each message settles in the activity's and the campaign's ``Tally`` and is streamed as a
``_campaign.send`` record (fact 2.7); a delivered message may draw reactions from the
engagement model, streamed later on the simulated clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from simpy.events import ProcessGenerator

from simlab.engage import event_records
from simlab.engage.batch_gc import older_objects_frozen
from simlab.engage.campaigns.model import Activity, Campaign, Treatment
from simlab.engage.campaigns.validation import CampaignValidation
from simlab.engage.engine import (
    PUSH_TYPES,
    Endpoint,
    channel_of,
    message_for,
    millis,
    send_status,
)
from simlab.engage.engine.schedule import QuietTime, iso
from simlab.engage.record_templates import RecordTemplate, campaign_send_template

#: The result of a message its sender said nothing about.
_UNKNOWN = {"DeliveryStatus": "UNKNOWN_FAILURE"}
#: The holes of a campaign send record's template, in the order ``fill_row`` takes them.
_SEND_HOLES = (
    "endpoint_id",
    "campaign_send_status",
    "endpoint_text",
    "event_timestamp",
    "arrival_timestamp",
)
#: Send-record templates an engine keeps (one per campaign run and channel) before it starts over.
_TEMPLATES_KEPT = 64


class CampaignDelivery(CampaignValidation):
    """Delivery of messages the runner has released; a base of ``CampaignEngine``."""

    on_reaction: Callable[[str, Endpoint, str, datetime, Mapping[str, str]], None] | None
    _send_templates: dict[tuple[str, ...], RecordTemplate]

    def _custom_for(self, treatment: Treatment, endpoint: Mapping[str, Any]) -> bool:
        custom = treatment.custom_delivery
        if not custom:
            return False
        types = custom.get("EndpointTypes") or []
        return not types or str(endpoint.get("ChannelType")) in types

    def _deliver(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: Sequence[Endpoint],
        limits: Mapping[str, int],
        quiet: QuietTime | None,
        expired: bool,
    ) -> None:
        """Applies quiet time and caps, then sends what is left, one sender call per channel.

        The chunk shares one instant: every record of it carries the same timestamps.
        """
        with older_objects_frozen():
            self._deliver_chunk(campaign, treatment, activity, endpoints, limits, quiet, expired)

    def _deliver_chunk(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: Sequence[Endpoint],
        limits: Mapping[str, int],
        quiet: QuietTime | None,
        expired: bool,
    ) -> None:
        now = self.now()
        stamp = millis(now)
        seconds = self.env.now
        daily, total = limits.get("Daily", 0), limits.get("Total", 0)
        caps = campaign.caps
        capped = bool(daily or total)
        custom = bool(treatment.custom_delivery)
        groups: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
        for endpoint in endpoints:
            refusal = None
            if expired:
                refusal = "TIMEOUT"
            elif quiet is not None and quiet.suppresses(endpoint, now):
                refusal = "QUIET_TIME"
            elif capped:
                refusal = caps.refusal(str(endpoint["Id"]), seconds, daily, total)
            if refusal is not None:
                if refusal == "TIMEOUT":
                    self._settle(campaign, treatment, activity, endpoint, "TIMEOUT", stamp)
                else:  # suppressed: never sent, so withdrawn from the tally
                    activity.tally.cancel()
                    campaign.tally.cancel()
                    activity.metrics[refusal] += 1
                    self._campaign_record(campaign, treatment, activity, endpoint, refusal, stamp)
                continue
            if endpoint.get("OptOut", "NONE") == "ALL":
                activity.metrics["ENDPOINT_OPT_OUT"] += 1
                self._settle(campaign, treatment, activity, endpoint, "OPT_OUT", stamp)
                continue
            if custom and self._custom_for(treatment, endpoint):
                channel = "CUSTOM"
            else:  # ``channel_of``
                channel = str(endpoint.get("ChannelType", ""))
                if channel in PUSH_TYPES:
                    channel = "PUSH"
            groups[(channel, str(endpoint.get("ChannelType")))].append(endpoint)
        for (channel, _kind), group in groups.items():
            results = self._send(campaign, treatment, activity, channel, group)
            if self.engagement is None:  # no reactions to schedule between the records
                self._settle_group(campaign, treatment, activity, group, results, stamp, seconds)
                continue
            for endpoint in group:
                endpoint_id = str(endpoint["Id"])
                result = results.get(endpoint_id) or {"DeliveryStatus": "UNKNOWN_FAILURE"}
                caps.record(endpoint_id, seconds)
                status = result["DeliveryStatus"]
                self._settle(campaign, treatment, activity, endpoint, status, stamp, channel)

    def _send(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        channel: str,
        endpoints: list[Endpoint],
    ) -> Mapping[str, Mapping[str, Any]]:
        context = {
            "campaign_id": campaign.id,
            "campaign_activity_id": activity.id,
            "treatment_id": treatment.id,
            "application_id": campaign.app_id,
        }
        if channel == "CUSTOM" and treatment.custom_delivery:
            return self._custom_delivery(campaign, treatment, activity, endpoints)
        picked = message_for(
            endpoints[0], treatment.message_configuration, treatment.template_configuration
        )
        messages, templates = picked or ({}, {})
        try:
            return self.sender(channel, endpoints, messages, templates, context)
        except Exception as error:  # a failing channel fails its messages, not the campaign
            return {
                str(e["Id"]): {"DeliveryStatus": "PERMANENT_FAILURE", "StatusMessage": str(error)}
                for e in endpoints
            }

    def _custom_delivery(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoints: list[Endpoint],
    ) -> dict[str, dict[str, Any]]:
        uri = (treatment.custom_delivery or {})["DeliveryUri"]
        function = self._resolve_function(uri, "CustomDeliveryConfiguration.DeliveryUri")
        event = {
            "Message": treatment.message_configuration.get("CustomMessage") or {},
            "Data": (treatment.message_configuration.get("CustomMessage") or {}).get("Data", ""),
            "ApplicationId": campaign.app_id,
            "CampaignId": campaign.id,
            "TreatmentId": treatment.id,
            "ActivityId": activity.id,
            "ScheduledTime": iso(activity.scheduled_start),
            "Endpoints": {str(e["Id"]): _without_id(e) for e in endpoints},
        }
        try:
            function(event)
            status = "SUCCESSFUL"
        except Exception:
            status = "PERMANENT_FAILURE"
        return {str(e["Id"]): {"DeliveryStatus": status} for e in endpoints}

    def _settle(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        delivery_status: str,
        stamp: int,
        channel: str | None = None,
    ) -> None:
        """Gives one message its fate, streams its record (``stamp``: Unix ms) and reactions."""
        activity.tally.settle(delivery_status)
        campaign.tally.settle(delivery_status)
        status = send_status(delivery_status)
        activity.metrics[status] += 1
        self._campaign_record(campaign, treatment, activity, endpoint, status, stamp)
        if delivery_status == "SUCCESSFUL" and self.engagement is not None:
            self._react(campaign, treatment, activity, endpoint, channel or channel_of(endpoint))

    def _settle_group(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        group: Sequence[Endpoint],
        results: Mapping[str, Mapping[str, Any]],
        stamp: int,
        seconds: float,
    ) -> None:
        """``_settle`` for each message of one channel's group, records streamed together.

        The records are filled into one template (the group shares its channel and instant)
        and go to the stream in one call, in the order ``_settle`` would have sent them.
        """
        delivery_type = str(group[0].get("ChannelType", ""))
        key = (campaign.app_id, campaign.id, activity.id, delivery_type, treatment.id)
        template = self._send_templates.get(key)
        if template is None:
            if len(self._send_templates) >= _TEMPLATES_KEPT:
                self._send_templates.clear()
            template = self._send_templates[key] = campaign_send_template(
                app_id=campaign.app_id,
                account_id=self.account_id,
                campaign_id=campaign.id,
                campaign_activity_id=activity.id,
                delivery_type=delivery_type,
                treatment_id=treatment.id,
                endpoint_written=True,
            )
            if template.holes != _SEND_HOLES:
                raise ValueError(f"a send record's holes are {template.holes}, not {_SEND_HOLES}")
        fill = template.fill_args
        endpoint_texts = event_records.endpoint_strings_many(group)  # as the records write them
        ids = [str(endpoint["Id"]) for endpoint in group]
        campaign.caps.record_many(ids, seconds)
        settled: dict[str, int] = {}  # delivery status -> messages
        statuses: dict[str, str] = {}  # delivery status -> send status, worked out once each
        sent: list[tuple[str, str]] = []  # (endpoint id, send status)
        texts: list[tuple[str, str]] = []
        for endpoint_id, endpoint_text in zip(ids, endpoint_texts, strict=True):
            delivery_status = (results.get(endpoint_id) or _UNKNOWN)["DeliveryStatus"]
            status = statuses.get(delivery_status)
            if status is None:
                status = statuses[delivery_status] = send_status(delivery_status)
                if not status:
                    raise ValueError("campaign_send_status is required (e.g. SUCCESS)")
            settled[delivery_status] = settled.get(delivery_status, 0) + 1
            sent.append((endpoint_id, status))
            # the holes in the template's order (``_SEND_HOLES``)
            texts.append((endpoint_id, fill(endpoint_id, status, endpoint_text, stamp, stamp)))
        for delivery_status, count in settled.items():
            activity.tally.settle(delivery_status, count)
            campaign.tally.settle(delivery_status, count)
            activity.metrics[send_status(delivery_status)] += count
        self.analytics.observe_sends(campaign.app_id, campaign.id, None, delivery_type, stamp, sent)
        self.record_texts(texts)

    def _campaign_record(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        status: str,
        stamp: int,
    ) -> None:
        self.record_event(
            event_records.campaign_send_record(
                app_id=campaign.app_id,
                account_id=self.account_id,
                endpoint_id=str(endpoint.get("Id", "")),
                campaign_id=campaign.id,
                campaign_activity_id=activity.id,
                delivery_type=str(endpoint.get("ChannelType", "")),
                campaign_send_status=status,
                event_timestamp=stamp,
                arrival_timestamp=stamp,
                treatment_id=treatment.id,
                endpoint=endpoint,
            )
        )

    def _react(
        self,
        campaign: Campaign,
        treatment: Treatment,
        activity: Activity,
        endpoint: Endpoint,
        channel: str,
    ) -> None:
        assert self.engagement is not None
        attributes = {
            "campaign_id": campaign.id,
            "campaign_activity_id": activity.id,
            "treatment_id": treatment.id,
        }
        for reaction in self.engagement.reactions(channel):
            self.env.process(self._reaction(campaign.app_id, endpoint, reaction, attributes))

    def _reaction(
        self, app_id: str, endpoint: Endpoint, reaction: Any, attributes: Mapping[str, str]
    ) -> ProcessGenerator:
        yield self.env.timeout(reaction.delay)
        now = self.now()
        self.record_event(
            event_records.envelope(
                reaction.event_type,
                app_id=app_id,
                account_id=self.account_id,
                client_id=str(endpoint.get("Id", "")),
                event_timestamp=millis(now),
                arrival_timestamp=millis(now),
                attributes=attributes,
                endpoint=endpoint,
            )
        )
        if self.on_reaction is not None:
            self.on_reaction(app_id, endpoint, reaction.event_type, now, attributes)


def _without_id(endpoint: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in endpoint.items() if k != "Id"}
