"""Amazon SNS: topic and message limits, FIFO figures, SMS settings and delivery rates."""

from collections.abc import Mapping

from . import _sources as s
from ._fact import Fact

_PUBLISH = f"{s.BOTOCORE} sns PublishInput/PublishBatch documentation"
_SMS_PREFS = "AWS-doc SNS Developer Guide sms_preferences.md, sns-sms-sandbox.md"

# Messages (4.16) --------------------------------------------------------------------------------
MAX_MESSAGE_BYTES: Fact[int] = Fact(
    262_144,
    "bytes",
    _PUBLISH,
    s.BASELINE,
    "4.16",
    note="256 KiB including message attributes; the default for every topic.",
)
MAX_MESSAGE_BYTES_RAISED: Fact[int] = Fact(
    1_048_576,
    "bytes",
    _PUBLISH,
    s.BASELINE,
    "4.16",
    note="1 MiB, reachable by raising a topic's MaximumMessageSize attribute. moto does not "
    "model this attribute (0.2).",
)
EXTENDED_CLIENT_MAX_BYTES: Fact[int] = Fact(
    2 * 1024**3,
    "bytes",
    "AWS-doc SNS Developer Guide large-message-payloads.md",
    s.SNS_DEV_2023,
    "4.16",
    note="The extended client library stores the payload in S3 and publishes a pointer; "
    "AWS writes '2 GB'.",
)
BILLING_CHUNK_BYTES: Fact[int] = Fact(
    64 * 1024,
    "bytes",
    "2nd repository quoting https://aws.amazon.com/sns/pricing/",
    s.JUNE_2026,
    "4.16",
    note="Each started 64 KB of a payload is billed as one request.",
)
PUBLISH_BATCH_MAX: Fact[int] = Fact(
    10,
    "messages",
    _PUBLISH,
    s.BASELINE,
    "4.16",
    note="The batch as a whole must also fit in the topic's maximum message size.",
)

# Topics and subscriptions (4.15) ----------------------------------------------------------------
STANDARD_TOPICS: Fact[int] = Fact(100_000, "topics per account", s.SNS_FEATURES, s.BASELINE, "4.15")
SUBSCRIPTIONS_PER_TOPIC: Fact[int] = Fact(
    12_500_000, "subscriptions per standard topic", s.SNS_FEATURES, s.BASELINE, "4.15"
)
FIFO_TOPICS: Fact[int] = Fact(1_000, "FIFO topics per account", s.SNS_FEATURES, s.BASELINE, "4.15")
SUBSCRIPTIONS_PER_FIFO_TOPIC: Fact[int] = Fact(
    100, "subscriptions per FIFO topic", s.SNS_FEATURES, s.BASELINE, "4.15"
)

FIFO_SUBSCRIBER_QUEUES: Fact[tuple[str, ...]] = Fact(
    ("SQS FIFO", "SQS standard"),
    "queue types a FIFO topic delivers to",
    "AWS-doc https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html",
    s.LOOKED_UP_DEC,
    "4.15",
    note="A standard queue takes a FIFO topic's messages without the order and exactly-once "
    "guarantees; AWS's FIFO example subscribes two FIFO queues and one standard queue.",
)

FIFO_ARCHIVE_MAX_DAYS: Fact[int] = Fact(
    365,
    "days",
    "AWS-doc https://docs.aws.amazon.com/sns/latest/dg/fifo-message-archiving-replay.html",
    s.LOOKED_UP_DEC,
    "4.15",
    note="A FIFO topic's archive policy keeps published messages 1 to 365 days; a subscription's "
    "replay policy redelivers them. Standard topics have no archive.",
)

# FIFO throughput (4.17) -------------------------------------------------------------------------
_CDK_FIFO = "AWS-doc CDK aws_sns FifoThroughputScope"
FIFO_TOPIC_MESSAGES_PER_SECOND: Fact[int] = Fact(
    3_000,
    "messages/s per topic",
    _CDK_FIFO,
    s.BASELINE,
    "4.17",
    note="FifoThroughputScope TOPIC; with MESSAGE_GROUP scope the regional maximum applies.",
)
FIFO_TOPIC_MB_PER_SECOND: Fact[int] = Fact(
    20, "MB/s per topic", _CDK_FIFO, s.BASELINE, "4.17", note="FifoThroughputScope TOPIC."
)
FIFO_LEGACY_MESSAGES_PER_SECOND: Fact[int] = Fact(
    300,
    "messages/s per topic",
    f"{s.SNS_FEATURES} (older version)",
    s.BASELINE,
    "4.17",
    note="The earlier published FIFO ceiling, superseded by the 3,000/s TOPIC scope.",
)
FIFO_LEGACY_MB_PER_SECOND: Fact[int] = Fact(
    10, "MB/s per topic", f"{s.SNS_FEATURES} (older version)", s.BASELINE, "4.17"
)
FIFO_DEDUPLICATION_WINDOW_SECONDS: Fact[int] = Fact(300, "s", _CDK_FIFO, s.BASELINE, "4.17")

# Publish rate (4.18) ----------------------------------------------------------------------------
PUBLISH_TPS_BY_REGION: Fact[Mapping[str, int]] = Fact(
    {"us-east-1": 30_000, "us-west-2": 9_000, "eu-west-1": 9_000, "other": 1_500},
    "Publish requests/s per account (soft)",
    "2nd third-party notes quoting the SNS quotas page",
    s.BASELINE,
    "4.18",
    confirmed=False,
    note="Standard topics; 'other' covers every Region not named. FIFO figures differ.",
)

# Delivery (4.19, 3.5) ---------------------------------------------------------------------------
EMAIL_DELIVERIES_PER_SECOND: Fact[int] = Fact(
    10,
    "deliveries/s per account",
    "AWS-doc https://repost.aws/knowledge-center/sns-email-subscription-disabled",
    s.BASELINE,
    "4.19",
    note="Email subscriptions pushed past this rate are disabled by SNS.",
)
HTTP_RETRY_POLICY_MAX_SECONDS: Fact[int] = Fact(
    3_600,
    "s",
    "AWS-doc SNS Developer Guide sns-message-delivery-retries.md",
    s.SNS_DEV_2023,
    "4.19",
    note="Upper bound on the total time of a custom HTTP/S delivery retry policy.",
)
CONFIRMATION_TOKEN_VALID_DAYS: Fact[int] = Fact(
    2,
    "days",
    f"{s.BOTOCORE} sns Subscribe documentation",
    s.BASELINE,
    "4.19",
    note="Email and HTTP/S subscriptions stay pending until ConfirmSubscription gets the token "
    "sent to the endpoint.",
)
OPT_IN_COOLDOWN_DAYS: Fact[int] = Fact(
    30,
    "days",
    "AWS-doc SNS Developer Guide sms_manage.md",
    s.SNS_DEV_2023,
    "3.5",
    note="An opted-out number can be opted back in only once per this period.",
)

# SMS through SNS (4.20) -------------------------------------------------------------------------
SMS_MAX_CHARS: Fact[int] = Fact(
    1_600,
    "characters",
    _SMS_PREFS,
    s.SNS_DEV_2023,
    "4.20",
    note="Per Publish; longer text is refused, shorter text is split into message parts.",
)
DEFAULT_MONTHLY_SMS_SPEND_USD: Fact[float] = Fact(
    1.00, "USD per month", _SMS_PREFS, s.SNS_DEV_2023, "4.20"
)
SMS_SANDBOX_MAX_NUMBERS: Fact[int] = Fact(
    10, "verified destination numbers", _SMS_PREFS, s.SNS_DEV_2023, "4.20"
)
SMS_TYPES: Fact[tuple[str, ...]] = Fact(
    ("Promotional", "Transactional"),
    "",
    _SMS_PREFS,
    s.SNS_DEV_2023,
    "4.20",
    note="Promotional costs least; Transactional is sent for the highest reliability.",
)
DEFAULT_SMS_TYPE: Fact[str] = Fact("Promotional", "", _SMS_PREFS, s.SNS_DEV_2023, "4.20")

# Endpoint kinds (7.2) ---------------------------------------------------------------------------
A2A_ENDPOINTS: Fact[tuple[str, ...]] = Fact(
    ("SQS", "Firehose", "Lambda", "HTTPS"),
    "",
    s.SNS_FEATURES,
    s.BASELINE,
    "7.2",
    note="Application-to-application subscribers.",
)
A2P_ENDPOINTS: Fact[tuple[str, ...]] = Fact(
    ("SMS", "mobile push", "email"),
    "",
    s.SNS_FEATURES,
    s.BASELINE,
    "7.2",
    note="Application-to-person subscribers.",
)
