"""Learner-side helpers: short functions over an injected boto3 client or the records it returns.

Nothing here belongs to the local AWS: every function takes the client (or the parsed records) you
pass in, so the same call reads real AWS when you open a client for it by name. ``pinpoint`` reads
campaigns, journeys and in-app messages back through the Pinpoint API; ``stats`` puts an
uncertainty on a rate measured on a small sample.
"""

from simlab.toolkit.pinpoint import (
    activity_table,
    campaign_kpi,
    campaign_status,
    channel_segment,
    holdout_check,
    in_app_offers,
    journey_activity_metrics,
    journey_activity_table,
    open_rates,
    records_of,
    send_statuses,
)
from simlab.toolkit.stats import Rate, holdout_range, rate, rate_table, two_rate_p_value

__all__ = [
    "Rate",
    "activity_table",
    "campaign_kpi",
    "campaign_status",
    "channel_segment",
    "holdout_check",
    "holdout_range",
    "in_app_offers",
    "journey_activity_metrics",
    "journey_activity_table",
    "open_rates",
    "rate",
    "rate_table",
    "records_of",
    "send_statuses",
    "two_rate_p_value",
]
