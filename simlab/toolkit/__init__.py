"""Learner-side helpers: short functions over an injected boto3 client or the records it returns.

Nothing here belongs to the local AWS: every function takes the client (or the parsed records) you
pass in, so the same call reads real AWS when you open a client for it by name.

* `read` — records back from S3, SQS and CloudWatch Logs; send results and templates as text.
* `sinks` — the places events land: a queue on a topic, Firehose to S3, a log group.
* `sms` — many texts sent and every attempt counted; what a text costs; a registration filled.
* `sms_events` — SMS event records turned into counts that add up and a delivery curve.
* `pinpoint` — campaigns, journeys and in-app messages read back through the Pinpoint API.
* `stats` — an uncertainty on a rate measured on a small sample.
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
from simlab.toolkit.read import (
    Delivery,
    deliveries,
    delivery_table,
    log_messages,
    queue_messages,
    s3_json_records,
    s3_object_count,
    tally,
    template_version,
)
from simlab.toolkit.sinks import TopicQueue, firehose_to_bucket, log_group, topic_with_queue
from simlab.toolkit.sms import (
    BATCH_SIZES,
    EXAMPLE_ANSWERS,
    REFUSALS,
    Batch,
    TextCost,
    batch_size,
    cost_table,
    customer_numbers,
    refusal_of,
    register,
    registration_status,
    send_texts,
    text_costs,
)
from simlab.toolkit.sms_events import (
    DELIVERED_STATUSES,
    LIFECYCLE,
    DeliveryCurve,
    DeliveryTally,
    delivery_curve,
    delivery_report,
    event_type_counts,
    side_by_side,
    tally_deliveries,
)
from simlab.toolkit.stats import Rate, holdout_range, rate, rate_table, two_rate_p_value

__all__ = [
    "BATCH_SIZES",
    "DELIVERED_STATUSES",
    "EXAMPLE_ANSWERS",
    "LIFECYCLE",
    "REFUSALS",
    "Batch",
    "Delivery",
    "DeliveryCurve",
    "DeliveryTally",
    "Rate",
    "TextCost",
    "TopicQueue",
    "activity_table",
    "batch_size",
    "campaign_kpi",
    "campaign_status",
    "channel_segment",
    "cost_table",
    "customer_numbers",
    "deliveries",
    "delivery_curve",
    "delivery_report",
    "delivery_table",
    "event_type_counts",
    "firehose_to_bucket",
    "holdout_check",
    "holdout_range",
    "in_app_offers",
    "journey_activity_metrics",
    "journey_activity_table",
    "log_group",
    "log_messages",
    "open_rates",
    "queue_messages",
    "rate",
    "rate_table",
    "records_of",
    "refusal_of",
    "register",
    "registration_status",
    "s3_json_records",
    "s3_object_count",
    "send_statuses",
    "send_texts",
    "side_by_side",
    "tally",
    "tally_deliveries",
    "template_version",
    "text_costs",
    "topic_with_queue",
    "two_rate_p_value",
]
