"""Amazon SES: sending quotas, message limits, reputation thresholds, events and the simulator."""

from collections.abc import Mapping

from . import _sources as s
from ._fact import Fact

_MiB = 1024 * 1024

# Sending quotas (4.12, 4.13) --------------------------------------------------------------------
SANDBOX_MAX_24_HOUR_SEND: Fact[int] = Fact(
    200,
    "messages/24h",
    s.SES_QUOTAS,
    s.SES_DEV_2023,
    "4.12",
    note="Counted per recipient and per Region; sandbox accounts reach verified recipients only.",
)
SANDBOX_MAX_SEND_RATE: Fact[int] = Fact(
    1, "messages/s", s.SES_QUOTAS, s.SES_DEV_2023, "4.12", note="Counted per recipient."
)
PRODUCTION_MAX_24_HOUR_SEND: Fact[int] = Fact(
    50_000,
    "messages/24h",
    "2nd widely reported first production grant; AWS says only that it varies by use case",
    s.BASELINE,
    "4.12",
    confirmed=False,
)
PRODUCTION_MAX_SEND_RATE: Fact[int] = Fact(
    14,
    "messages/s",
    "2nd widely reported first production grant; AWS says only that it varies by use case",
    s.BASELINE,
    "4.12",
    confirmed=False,
)
SEND_QUOTA_UNLIMITED: Fact[int] = Fact(
    -1,
    "",
    s.SES_QUOTAS,
    s.SES_DEV_2023,
    "4.13",
    note="GetSendQuota reports Max24HourSend = -1 for an account without a daily cap.",
)
MAX_RECIPIENTS_PER_MESSAGE: Fact[int] = Fact(
    50,
    "recipients",
    "AWS-doc https://docs.aws.amazon.com/ses/latest/APIReference/API_SendRawEmail.html",
    s.BASELINE,
    "4.13",
    note="To, CC and BCC together.",
)
MAX_MESSAGE_BYTES_V1: Fact[int] = Fact(
    10 * _MiB,
    "bytes",
    s.SES_QUOTAS,
    s.SES_DEV_2023,
    "4.13",
    note="SES API v1. AWS writes '10 MB'; simlab reads it as 10 x 2**20 bytes after base64.",
)
MAX_MESSAGE_BYTES_V2: Fact[int] = Fact(
    40 * _MiB,
    "bytes",
    s.SES_QUOTAS,
    s.SES_DEV_2023,
    "4.13",
    note="SES API v2 and SMTP. AWS writes '40 MB'; simlab reads it as 40 x 2**20 bytes.",
)
MAX_VERIFIED_IDENTITIES: Fact[int] = Fact(
    10_000, "identities per Region", s.PINPOINT_QUOTAS_2023, s.PINPOINT_DEV_2023, "4.5"
)

# Reputation (4.14) -------------------------------------------------------------------------------
BOUNCE_RATE_BEST_PRACTICE: Fact[float] = Fact(
    0.02, "fraction", s.SES_REPUTATION, s.SES_DEV_2023, "4.14", note="Keep bounces below this."
)
BOUNCE_RATE_REVIEW: Fact[float] = Fact(
    0.05,
    "fraction",
    s.SES_REPUTATION,
    s.SES_DEV_2023,
    "4.14",
    note="At or above this, the account is placed under review.",
)
BOUNCE_RATE_PAUSE: Fact[float] = Fact(
    0.10,
    "fraction",
    s.SES_REPUTATION,
    s.SES_DEV_2023,
    "4.14",
    note="At or above this, SES may pause sending.",
)
COMPLAINT_RATE_REVIEW: Fact[float] = Fact(
    0.001,
    "fraction",
    s.SES_REPUTATION,
    s.SES_DEV_2023,
    "4.14",
    note="At or above this, the account is placed under review.",
)
COMPLAINT_RATE_PAUSE: Fact[float] = Fact(
    0.005,
    "fraction",
    s.SES_REPUTATION,
    s.SES_DEV_2023,
    "4.14",
    note="At or above this, SES may pause sending. Rates are taken over a representative volume.",
)

# Events (2.11) -----------------------------------------------------------------------------------
EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "SEND",
        "REJECT",
        "BOUNCE",
        "COMPLAINT",
        "DELIVERY",
        "OPEN",
        "CLICK",
        "RENDERING_FAILURE",
        "DELIVERY_DELAY",
        "SUBSCRIPTION",
    ),
    "",
    f"{s.BOTOCORE} sesv2 EventType",
    s.BASELINE,
    "2.11",
    note="BOUNCE is a hard bounce (soft bounces appear only once retries give up); "
    "REJECT means SES found a virus.",
)
EVENT_RECORD_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "Send",
        "Delivery",
        "Bounce",
        "Complaint",
        "Open",
        "Click",
        "Reject",
        "Rendering Failure",
        "DeliveryDelay",
        "Subscription",
    ),
    "",
    s.SES_FIREHOSE_CONTENTS,
    s.LOOKED_UP,
    "2.11",
    note="Values of `eventType` in published event records (camelCase schema, not Pinpoint's). "
    "Without event publishing the field is named `notificationType`. Looked up for simlab.",
)
EVENT_TYPE_TO_RECORD_TYPE: Fact[Mapping[str, str]] = Fact(
    {
        "SEND": "Send",
        "REJECT": "Reject",
        "BOUNCE": "Bounce",
        "COMPLAINT": "Complaint",
        "DELIVERY": "Delivery",
        "OPEN": "Open",
        "CLICK": "Click",
        "RENDERING_FAILURE": "Rendering Failure",
        "DELIVERY_DELAY": "DeliveryDelay",
        "SUBSCRIPTION": "Subscription",
    },
    "",
    f"{s.BOTOCORE} sesv2 EventType; {s.SES_FIREHOSE_CONTENTS}",
    s.LOOKED_UP,
    "2.11",
    note="Pairs each SES v2 EventType with the `eventType` string its records carry.",
)
EVENT_DESTINATIONS: Fact[tuple[str, ...]] = Fact(
    ("CloudWatch", "Firehose", "SNS", "EventBridge", "Pinpoint"),
    "",
    f"{s.BOTOCORE} sesv2 EventDestination",
    s.BASELINE,
    "2.11",
    note="Destinations of a configuration set's event destination.",
)

# Receiving (7.3) --------------------------------------------------------------------------------
RECEIPT_RULE_ACTIONS: Fact[tuple[str, ...]] = Fact(
    ("S3", "SNS", "Lambda", "Bounce", "AddHeader", "Stop", "WorkMail"),
    "",
    s.SES_RECEIVING,
    s.SES_DEV_2023,
    "7.3",
)

# Mailbox simulator (looked up; used by the sandbox, 4.12) --------------------------------------
MAILBOX_SIMULATOR_DOMAIN: Fact[str] = Fact(
    "simulator.amazonses.com", "", s.SES_SIMULATOR, s.SES_DEV_2023, "4.12"
)
MAILBOX_SIMULATOR: Fact[Mapping[str, str]] = Fact(
    {
        "success@simulator.amazonses.com": "SUCCESSFUL_DELIVERY",
        "bounce@simulator.amazonses.com": "BOUNCE",
        "ooto@simulator.amazonses.com": "AUTOMATIC_RESPONSE",
        "complaint@simulator.amazonses.com": "COMPLAINT",
        "suppressionlist@simulator.amazonses.com": "SUPPRESSION_LIST",
    },
    "",
    s.SES_SIMULATOR,
    s.SES_DEV_2023,
    "4.12",
    note="Looked up for simlab. BOUNCE: hard bounce with SMTP 550 5.1.1, address not added to "
    "the suppression list. AUTOMATIC_RESPONSE: delivered, then an out-of-office reply. "
    "COMPLAINT: delivered, then marked as spam. SUPPRESSION_LIST: hard bounce as if listed. "
    "Works in the sandbox; billed, limited by the send rate, but outside the daily quota and "
    "reputation metrics. Labels are allowed, e.g. bounce+x@simulator.amazonses.com.",
)
