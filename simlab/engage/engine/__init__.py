"""What the campaign and journey engines share.

``EngineBase`` on a ``Clock``; ``schedule`` (when runs happen, time zones, quiet time);
``engagement`` (how recipients react); ``channels`` (which message reaches an endpoint);
``accounting`` (every message has one fate); ``events`` (event filters); ``analytics`` (KPIs
computed from the stream).
"""

from simlab.engage.engine.accounting import OUTCOMES, SendCaps, Tally, outcome, send_status
from simlab.engage.engine.analytics import KPI_NAMES, Analytics
from simlab.engage.engine.base import (
    ACCOUNT_ID,
    Endpoint,
    EngineBase,
    RecordEvent,
    RecordTexts,
    SegmentResolver,
    Sender,
    TemplateExists,
)
from simlab.engage.engine.channels import (
    MESSAGE_KEYS,
    PUSH_TYPES,
    TEMPLATE_KEYS,
    channel_of,
    message_for,
)
from simlab.engage.engine.engagement import EngagementModel, Rates, Reaction
from simlab.engage.engine.events import event_matches, millis
from simlab.engage.engine.schedule import QuietTime, Schedule, ScheduleError

__all__ = [
    "ACCOUNT_ID",
    "KPI_NAMES",
    "MESSAGE_KEYS",
    "OUTCOMES",
    "PUSH_TYPES",
    "TEMPLATE_KEYS",
    "Analytics",
    "Endpoint",
    "EngagementModel",
    "EngineBase",
    "QuietTime",
    "Rates",
    "Reaction",
    "RecordEvent",
    "RecordTexts",
    "Schedule",
    "ScheduleError",
    "SegmentResolver",
    "SendCaps",
    "Sender",
    "Tally",
    "TemplateExists",
    "channel_of",
    "event_matches",
    "message_for",
    "millis",
    "outcome",
    "send_status",
]
