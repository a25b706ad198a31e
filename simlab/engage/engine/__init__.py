"""What the campaign and journey engines share: ``EngineBase`` on a ``Clock``, channels, accounting,
event filters and stream-computed KPIs."""

from simlab.engage.engine.accounting import OUTCOMES, SendCaps, Tally, outcome, send_status
from simlab.engage.engine.analytics import KPI_NAMES, Analytics
from simlab.engage.engine.base import (
    ACCOUNT_ID,
    Endpoint,
    EngineBase,
    RecordEvent,
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
from simlab.engage.engine.events import event_matches, millis

__all__ = [
    "ACCOUNT_ID",
    "KPI_NAMES",
    "MESSAGE_KEYS",
    "OUTCOMES",
    "PUSH_TYPES",
    "TEMPLATE_KEYS",
    "Analytics",
    "Endpoint",
    "EngineBase",
    "RecordEvent",
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
