"""A small world for campaign-engine tests: a clock, a segment store and a sender answering by
address, plus endpoints to fill it with."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import numpy as np

from simlab.engage.campaigns import CampaignEngine
from simlab.engage.clock import Clock
from simlab.engage.engine.engagement import EngagementModel

EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
EMAIL = {"EmailMessage": {"Title": "Hello", "HtmlBody": "<p>Hi</p>", "FromAddress": "a@x.com"}}
SMS = {"SMSMessage": {"Body": "Hi", "MessageType": "PROMOTIONAL"}}


def email(i: int, zone: str | None = None, **extra: Any) -> dict[str, Any]:
    endpoint = {"Id": f"e{i}", "ChannelType": "EMAIL", "Address": f"user{i}@example.com"}
    if zone:
        endpoint["Demographic"] = {"Timezone": zone}
    return {**endpoint, **extra}


def phone(i: int, **extra: Any) -> dict[str, Any]:
    return {"Id": f"p{i}", "ChannelType": "SMS", "Address": f"+1206555{i:04d}", **extra}


class World:
    """A clock, a segment store and a sender that answers by address, as a learner's AWS would."""

    def __init__(self, endpoints: list[dict[str, Any]], *, seed: int = 7, engagement=False):
        self.clock = Clock(EPOCH)
        self.segments = {"everyone": endpoints}
        self.sends: list[tuple[float, str, str]] = []  # (seconds, channel, endpoint id)
        self.records: list[dict[str, Any]] = []
        self.functions: dict[str, Any] = {}
        self.templates = {("EMAIL", "Welcome")}
        self.failing: dict[str, str] = {}  # endpoint id -> DeliveryStatus
        self.engine = CampaignEngine(
            self.clock,
            segment_resolver=self.resolve,
            sender=self.send,
            record_event=self.records.append,
            rng=np.random.default_rng(seed),
            functions=self.function,
            template_exists=lambda kind, name, version: (kind, name) in self.templates,
            engagement=EngagementModel(np.random.default_rng(seed + 1)) if engagement else None,
        )

    def resolve(self, app_id: str, segment_id: str, version: int | None) -> list[dict[str, Any]]:
        return list(self.segments[segment_id])

    def send(self, channel, endpoints, messages, templates, context):
        assert messages or templates
        results = {}
        for endpoint in endpoints:
            self.sends.append((self.clock.seconds, channel, endpoint["Id"]))
            status = self.failing.get(endpoint["Id"], "SUCCESSFUL")
            results[endpoint["Id"]] = {"DeliveryStatus": status, "StatusCode": 200}
        return results

    def function(self, name: str):
        return self.functions[name.rsplit(":", 1)[-1]]

    def create(self, **request: Any):
        request.setdefault("SegmentId", "everyone")
        request.setdefault("MessageConfiguration", EMAIL)
        return self.engine.create("app", request)

    def statuses(self) -> Counter[str]:
        return Counter(r["attributes"]["campaign_send_status"] for r in self.records)
