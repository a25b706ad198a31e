"""What the campaign and journey engines share: a clock, their collaborators and the stream.

The engines know nothing of boto3. They take their collaborators as arguments:

* ``segment_resolver(app_id, segment_id, version) -> endpoint dicts`` (a sequence, each with
  ``Id``),
* ``sender(channel, endpoints, message_config, template_config, context) -> {endpoint_id: result}``
  where a result is an ``EndpointMessageResult``-like dict with ``DeliveryStatus``,
* ``record_event(record)`` receiving every send record (facts 2.7, 2.8) and reaction,
* optionally ``record_texts([(client_id, json_text), ...])`` receiving a chunk's send records
  at once as compact JSON text (else each goes to ``record_event`` as a dict),

so a test can drive them with fakes and the local AWS wires them to the real send path. Both
run as SimPy processes on ``clock.env``, one simulated second per unit since ``clock.epoch``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import simpy

from simlab.engage.clock import Clock
from simlab.engage.engine.analytics import Analytics
from simlab.engage.engine.engagement import EngagementModel

Endpoint = dict[str, Any]
SegmentResolver = Callable[[str, str, "int | None"], Sequence[Endpoint]]
Sender = Callable[
    [str, list[Endpoint], Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]],
    Mapping[str, Mapping[str, Any]],
]
RecordEvent = Callable[[dict[str, Any]], None]
RecordTexts = Callable[[Sequence[tuple[str, str]]], None]
TemplateExists = Callable[[str, str, "str | None"], bool]

ACCOUNT_ID = "123456789012"


class EngineBase:
    """The clock, collaborators, ids and KPI tally of one engine.

    ``template_exists(kind, name, version)`` checks templates; ``engagement`` makes recipients
    react, reported through ``record_event``; ``analytics`` (shared between engines of one app)
    counts every record the engine streams.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        segment_resolver: SegmentResolver,
        sender: Sender,
        record_event: RecordEvent,
        rng: np.random.Generator,
        template_exists: TemplateExists | None = None,
        engagement: EngagementModel | None = None,
        new_id: Callable[[], str] | None = None,
        analytics: Analytics | None = None,
        account_id: str = ACCOUNT_ID,
        region: str = "us-east-1",
        record_texts: RecordTexts | None = None,
    ) -> None:
        self.clock = clock
        self.env: simpy.Environment = clock.env
        self.epoch: datetime = clock.epoch
        self.segment_resolver = segment_resolver
        self.sender = sender
        self._record_event = record_event
        self._record_texts = record_texts
        self.rng = rng
        self.template_exists = template_exists
        self.engagement = engagement
        self.new_id = new_id or (lambda: rng.bytes(16).hex())
        self.analytics = analytics or Analytics()
        self.account_id = account_id
        self.region = region

    def now(self) -> datetime:
        """The simulated time the engine's processes see (no live-clock catch-up)."""
        return self.epoch + timedelta(seconds=self.env.now)

    def _until(self, moment: datetime) -> simpy.events.Timeout:
        """A timeout that fires at ``moment`` (at once if it has passed)."""
        seconds = (moment - self.epoch).total_seconds()
        return self.env.timeout(max(0.0, seconds - self.env.now))

    def arn(self, app_id: str, kind: str, resource_id: str) -> str:
        """The ARN of an app's campaign or journey (``kind`` is campaigns or journeys)."""
        return (
            f"arn:aws:mobiletargeting:{self.region}:{self.account_id}:apps/{app_id}"
            f"/{kind}/{resource_id}"
        )

    def record_event(self, record: dict[str, Any]) -> None:
        """Counts ``record`` for the KPIs and passes it on to the event stream."""
        self.analytics.observe(record)
        self._record_event(record)

    def record_texts(self, records: Sequence[tuple[str, str]]) -> None:
        """Passes records already counted for the KPIs on to the stream, in order.

        Each is ``(client_id, compact JSON text)``; without a ``record_texts`` collaborator
        each goes to ``record_event`` as the dict its text encodes.
        """
        if self._record_texts is not None:
            self._record_texts(records)
            return
        for _, text in records:
            self._record_event(json.loads(text))
