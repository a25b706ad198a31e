"""``CampaignEngine``: create, update, delete and read campaigns; the runs are the runner's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage.campaigns import analytics
from simlab.engage.campaigns.model import Campaign, CampaignNotFound
from simlab.engage.campaigns.runner import CampaignRunner
from simlab.engage.clock import Clock
from simlab.engage.engine import (
    ACCOUNT_ID,
    Analytics,
    Endpoint,
    RecordEvent,
    RecordTexts,
    SegmentResolver,
    Sender,
    TemplateExists,
)
from simlab.engage.engine.engagement import EngagementModel


class CampaignEngine(CampaignRunner):
    """Creates, runs, pauses and deletes campaigns on ``clock`` (its SimPy ``env``).

    ``functions`` resolves a Lambda name or ARN to a Python callable (FILTER hooks and
    CustomDeliveryConfiguration); ``template_exists(kind, name, version)`` checks templates;
    ``app_defaults(app_id)`` returns the application's ``Limits``, ``QuietTime`` and
    ``CampaignHook``; ``engagement`` makes recipients react, reported through ``record_event``;
    ``segment_exists(app_id, segment_id, version)`` (KeyError if not) spares a full resolve.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        segment_resolver: SegmentResolver,
        sender: Sender,
        record_event: RecordEvent,
        rng: np.random.Generator,
        functions: Callable[[str], Callable[..., Any]] | None = None,
        template_exists: TemplateExists | None = None,
        app_defaults: Callable[[str], Mapping[str, Any]] | None = None,
        engagement: EngagementModel | None = None,
        new_id: Callable[[], str] | None = None,
        analytics: Analytics | None = None,
        account_id: str = ACCOUNT_ID,
        region: str = "us-east-1",
        on_reaction: Callable[[str, Endpoint, str, datetime, Mapping[str, str]], None]
        | None = None,
        segment_exists: Callable[[str, str, int | None], object] | None = None,
        record_texts: RecordTexts | None = None,
    ) -> None:
        super().__init__(
            clock,
            segment_resolver=segment_resolver,
            sender=sender,
            record_event=record_event,
            rng=rng,
            template_exists=template_exists,
            engagement=engagement,
            new_id=new_id,
            analytics=analytics,
            account_id=account_id,
            region=region,
            record_texts=record_texts,
        )
        self.functions = functions
        self.app_defaults = app_defaults or (lambda app_id: {})
        self.on_reaction = on_reaction
        self.segment_exists = segment_exists  # raises KeyError; cheaper than resolving
        self.campaigns: dict[tuple[str, str], Campaign] = {}
        self._send_templates = {}

    def create(self, app_id: str, request: Mapping[str, Any]) -> Campaign:
        """Validates a ``WriteCampaignRequest`` and schedules the campaign's runs."""
        now = self.now()
        campaign_id = self.new_id()
        campaign = self._build(app_id, campaign_id, dict(request), now, version=1, created=now)
        self._check_quotas(campaign)
        campaign.arn = self.arn(app_id, "campaigns", campaign_id)
        campaign.salt = self.new_id()
        campaign.history.append(campaign.to_api())
        self.campaigns[(app_id, campaign_id)] = campaign
        self._start(campaign)
        return campaign

    def update(self, app_id: str, campaign_id: str, request: Mapping[str, Any]) -> Campaign:
        """Replaces the campaign's definition with a new version; future runs follow it."""
        old = self.get(app_id, campaign_id)
        merged = {**old.request, **dict(request)}
        new = self._build(
            app_id,
            campaign_id,
            merged,
            self.now(),
            version=old.version + 1,
            created=old.created,
            past_ok="Schedule" not in request,
        )
        for attribute in ("arn", "salt", "tags", "activities", "caps", "tally", "history"):
            setattr(new, attribute, getattr(old, attribute))
        new.generation = old.generation + 1
        new.history.append(new.to_api())
        self.campaigns[(app_id, campaign_id)] = new
        self._start(new)
        return new

    def delete(self, app_id: str, campaign_id: str) -> Campaign:
        """Stops the campaign and forgets it; its pending messages are withdrawn."""
        campaign = self.get(app_id, campaign_id)
        campaign.deleted = True
        del self.campaigns[(app_id, campaign_id)]
        return campaign

    def version(self, app_id: str, campaign_id: str, version: int) -> dict[str, Any]:
        campaign = self.get(app_id, campaign_id)
        if not 1 <= version <= len(campaign.history):
            raise CampaignNotFound(f"Campaign {campaign_id} has no version {version}")
        return campaign.history[version - 1]

    def in_app_campaigns(self, app_id: str) -> list[Campaign]:
        """Returns the application's live in-app campaigns."""
        now = self.now()
        return [
            c
            for c in self.list(app_id)
            if c.is_in_app
            and not c.is_paused
            and c.default.schedule.start <= now
            and (c.default.schedule.end is None or now < c.default.schedule.end)
        ]

    def summary(self, app_id: str, campaign_id: str) -> str:
        """Returns a stable text table of the campaign's activities, no ids or dates."""
        return analytics.summary(self.get(app_id, campaign_id))
