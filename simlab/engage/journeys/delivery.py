"""Sends one message activity to one participant, honouring opening hours, quiet time and caps.

Each message settles in the journey's ``Tally`` and is streamed as a ``_journey.send`` record
(fact 2.8), one for one with the activity's metrics; reactions come later on the clock and are
remembered for the splits that wait for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from simpy.events import ProcessGenerator

from simlab.engage import event_records
from simlab.engage.engine import (
    Endpoint,
    SendCaps,
    channel_of,
    millis,
    send_status,
)
from simlab.engage.engine.engagement import Reaction
from simlab.engage.engine.schedule import (
    endpoint_zone,
)
from simlab.engage.journeys.model import (
    MESSAGE_TYPES,
    RECORD_TYPES,
    Journey,
    JourneyRun,
)
from simlab.engage.journeys.validation import JourneyValidation


class JourneyDelivery(JourneyValidation):
    """Message activities and the events they cause; a base of ``JourneyEngine``."""

    history: dict[tuple[str, str], list[tuple[float, dict[str, Any]]]]
    timeframe: SendCaps
    contact_center: Callable[[str, Endpoint, Mapping[str, Any]], str] | None

    def _activity_count(
        self, journey: Journey, run: JourneyRun, activity_id: str, metric: str
    ) -> None:
        journey.activity_metrics[activity_id][metric] += 1
        run.activity_metrics[activity_id][metric] += 1
        run.updated = self.now()

    def _message(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        body: Mapping[str, Any],
        endpoint: Endpoint,
    ) -> ProcessGenerator:
        """Sends one message activity to one participant, honouring every limit."""
        endpoint_id = str(endpoint["Id"])
        channel = "VOICE" if kind == "ContactCenter" else kind
        wrong = channel_of(endpoint) not in (
            ("SMS", "VOICE") if kind == "ContactCenter" else (kind,)
        )
        if kind != "CUSTOM" and wrong:  # a call needs a phone number
            self._activity_count(journey, run, activity_id, "ENDPOINT_CHANNEL_MISMATCH")
            return
        zone = endpoint_zone(endpoint) or journey.zone
        opening = journey.opening.next_open(channel, self.now(), zone)
        if opening > self.now():
            yield self._until(opening)
        if journey.quiet_time is not None and journey.quiet_time.suppresses(endpoint, self.now()):
            if not journey.wait_for_quiet_time:
                self._suppress(journey, run, activity_id, kind, endpoint, "QUIET_TIME")
                return
            yield self._until(journey.quiet_time.ends_after(endpoint, self.now()))
        refusal = journey.caps.refusal(
            endpoint_id,
            self.env.now,
            journey.limits.get("DailyCap") or 0,
            journey.limits.get("TotalCap") or 0,
        )
        frame = journey.limits.get("TimeframeCap") or {}
        if refusal is None and frame.get("Cap") and frame.get("Days"):
            sent = sum(
                1
                for t in self.timeframe.times(endpoint_id)
                if self.env.now - t < frame["Days"] * 86_400
            )
            if sent >= frame["Cap"]:
                refusal = "TIMEFRAME_CAP"
        if refusal is not None:
            self._suppress(journey, run, activity_id, kind, endpoint, refusal)
            return
        rate = journey.limits.get("MessagesPerSecond")
        if rate:
            slot = max(self.env.now, journey.next_slot)
            journey.next_slot = slot + 1.0 / rate
            if slot > self.env.now:
                yield self.env.timeout(slot - self.env.now)
        journey.tally.schedule()
        context = {
            "journey_id": journey.id,
            "journey_activity_id": activity_id,
            "journey_run_id": run.id,
            "application_id": journey.app_id,
        }
        if endpoint.get("OptOut", "NONE") == "ALL":
            status = "OPT_OUT"
        elif kind == "ContactCenter":
            status = (
                self.contact_center(journey.app_id, endpoint, context)
                if self.contact_center
                else "PERMANENT_FAILURE"
            )
        else:
            status = self._send(kind, body, endpoint, context)
        journey.tally.settle(status)
        if status != "OPT_OUT":
            journey.caps.record(endpoint_id, self.env.now)
            self.timeframe.record(endpoint_id, self.env.now)
        self._activity_count(journey, run, activity_id, send_status(status))
        self._journey_record(journey, run, activity_id, kind, endpoint, send_status(status))
        if status == "SUCCESSFUL" and self.engagement is not None and kind in MESSAGE_TYPES:
            for reaction in self.engagement.reactions(channel_of(endpoint)):
                self.env.process(self._reaction(journey, endpoint, reaction, context))

    def _send(
        self, kind: str, body: Mapping[str, Any], endpoint: Endpoint, context: Mapping[str, Any]
    ) -> str:
        template_key = {"EMAIL": "EmailTemplate", "SMS": "SMSTemplate", "PUSH": "PushTemplate"}
        templates: dict[str, Any] = {}
        if body.get("TemplateName") and kind in template_key:
            templates[template_key[kind]] = {"Name": body["TemplateName"]}
            if body.get("TemplateVersion"):
                templates[template_key[kind]]["Version"] = body["TemplateVersion"]
        config = dict(body.get("MessageConfig") or {})
        key = {"EMAIL": "EmailMessage", "SMS": "SMSMessage", "PUSH": "DefaultMessage"}
        messages = {key.get(kind, "CustomMessage"): config}
        if kind == "CUSTOM" and body.get("DeliveryUri"):
            messages["DeliveryUri"] = body["DeliveryUri"]
        try:
            results = self.sender(kind, [endpoint], messages, templates, context)
        except Exception:  # a failing channel fails the message, not the journey
            return "PERMANENT_FAILURE"
        result = results.get(str(endpoint["Id"])) or {}
        return str(result.get("DeliveryStatus", "UNKNOWN_FAILURE"))

    def _suppress(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        endpoint: Endpoint,
        reason: str,
    ) -> None:
        self._activity_count(journey, run, activity_id, reason)
        self._journey_record(journey, run, activity_id, kind, endpoint, reason)

    def _journey_record(
        self,
        journey: Journey,
        run: JourneyRun,
        activity_id: str,
        kind: str,
        endpoint: Endpoint,
        status: str,
    ) -> None:
        now = millis(self.now())
        self.record_event(
            event_records.journey_send_record(
                app_id=journey.app_id,
                account_id=self.account_id,
                endpoint_id=str(endpoint.get("Id", "")),
                journey_id=journey.id,
                journey_run_id=run.id,
                journey_activity_id=activity_id,
                journey_activity_type=RECORD_TYPES[kind],
                journey_send_status=status,
                event_timestamp=now,
                arrival_timestamp=now,
                endpoint=endpoint,
            )
        )

    def _reaction(
        self, journey: Journey, endpoint: Endpoint, reaction: Reaction, context: Mapping[str, Any]
    ) -> ProcessGenerator:
        yield self.env.timeout(reaction.delay)
        attributes = {k: str(v) for k, v in context.items() if k != "application_id"}
        now = millis(self.now())
        self.record_event(
            event_records.envelope(
                reaction.event_type,
                app_id=journey.app_id,
                account_id=self.account_id,
                client_id=str(endpoint.get("Id", "")),
                event_timestamp=now,
                arrival_timestamp=now,
                attributes=attributes,
                endpoint=endpoint,
            )
        )
        self.observe(
            journey.app_id, endpoint, {"EventType": reaction.event_type, "Attributes": attributes}
        )

    def observe(self, app_id: str, endpoint: Endpoint, event: Mapping[str, Any]) -> None:
        """Remembers an event an endpoint produced, for later ConditionalSplit evaluation."""
        self.history[(app_id, str(endpoint["Id"]))].append((self.env.now, dict(event)))
