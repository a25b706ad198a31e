"""Campaigns: a message to a segment, on a schedule, run as SimPy processes on the simulated clock.

``model`` holds what a campaign is, ``validation`` checks a write request, ``runner`` schedules
and paces its runs, ``delivery`` sends and accounts for each message, ``analytics`` prints what
happened, and ``engine.CampaignEngine`` is the face the local AWS and tests use.

Every message is accounted for: ``sent = delivered + failed + opted_out + throttled + pending``
(``Tally``); what a campaign decides not to send (quiet time, caps, holdout, hook) is counted
apart in each activity's ``ExecutionMetrics``.
"""

from simlab.engage.campaigns.engine import CampaignEngine
from simlab.engage.campaigns.model import (
    ACTIVE_STATUSES,
    STATUSES,
    Activity,
    Campaign,
    CampaignError,
    CampaignNotFound,
    Treatment,
    bucket,
)

__all__ = [
    "ACTIVE_STATUSES",
    "STATUSES",
    "Activity",
    "Campaign",
    "CampaignEngine",
    "CampaignError",
    "CampaignNotFound",
    "Treatment",
    "bucket",
]
