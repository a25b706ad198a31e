"""List prices in USD (us-east-1 unless noted) for SES, SNS, Pinpoint, SMS, Firehose and Logs.

Each value is a float in the unit its `unit` names. Prices change; the as-of dates matter.
"""

from collections.abc import Mapping
from datetime import date

from . import _sources as s
from ._fact import Fact

_SES = (
    "2nd api-evangelist amazon-ses/plans/amazon-ses-plans-pricing.yml "
    "(AWS Price List read 2026-07-22); SES FAQ"
)
_SNS = "2nd repository quoting https://aws.amazon.com/sns/pricing/; factualminds blog 2026-06"
_PINPOINT = "2nd api-evangelist amazon-pinpoint/plans (read 2026-08-13)"
_LOGS = "2nd c3x.dev, June 2026"

# SES a la carte (5.1) ---------------------------------------------------------------------------
SES_PER_1000_RECIPIENTS: Fact[float] = Fact(
    0.10,
    "USD per 1,000 recipients",
    _SES,
    s.PRICE_LIST_READ,
    "5.1",
    note="Outbound email, i.e. USD 0.0001 per recipient.",
)
SES_ATTACHMENTS_PER_GB: Fact[float] = Fact(0.12, "USD per GB", _SES, s.PRICE_LIST_READ, "5.1")
SES_INBOUND_PER_1000: Fact[float] = Fact(
    0.10, "USD per 1,000 inbound messages", _SES, s.PRICE_LIST_READ, "5.1"
)
SES_INBOUND_PER_1000_CHUNKS: Fact[float] = Fact(
    0.09, "USD per 1,000 inbound 256 KB chunks", _SES, s.PRICE_LIST_READ, "5.1"
)
SES_DEDICATED_IP_MONTHLY: Fact[float] = Fact(
    24.95, "USD per month", _SES, s.PRICE_LIST_READ, "5.1", note="Standard dedicated IP."
)
SES_VDM_MONTHLY: Fact[float] = Fact(
    1250.0, "USD per month", _SES, s.PRICE_LIST_READ, "5.1", note="Virtual Deliverability Manager."
)

# SES pricing plans (5.2) ------------------------------------------------------------------------
SES_PLAN_NAMES: Fact[tuple[str, ...]] = Fact(
    ("NONE", "ESSENTIALS", "PRO", "ENTERPRISE"),
    "",
    f"{s.BOTOCORE} sesv2 PutAccountPricingAttributes Plan",
    s.BASELINE,
    "5.2",
)
SES_PLANS_INTRODUCED: Fact[date] = Fact(
    date(2026, 7, 21), "", _SES, s.SES_PLANS_LAUNCH, "5.2", note="Essentials is the new default."
)
SES_PLAN_TIER_LIMITS: Fact[tuple[int, ...]] = Fact(
    (10_000_000, 100_000_000),
    "messages per month",
    _SES,
    s.PRICE_LIST_READ,
    "5.2",
    note="Volume tiers: up to 10 M, up to 100 M, above 100 M.",
)
SES_PLANS: Fact[Mapping[str, Mapping[str, float]]] = Fact(
    {
        "ESSENTIALS": {"base": 0.0, "tier1": 0.16, "tier2": 0.14, "tier3": 0.11},
        "PRO": {"base": 105.0, "tier1": 0.22, "tier2": 0.17, "tier3": 0.12},
        "ENTERPRISE": {"base": 500.0, "tier1": 0.23, "tier2": 0.18, "tier3": 0.13},
    },
    "USD: base per month; tiers per 1,000 messages",
    _SES,
    s.PRICE_LIST_READ,
    "5.2",
    note="Tier bounds are SES_PLAN_TIER_LIMITS. Pro adds managed dedicated IPs and VDM; "
    "Enterprise adds multi-Region and tenants.",
)
SES_LEGACY_FREE_TIER: Fact[Mapping[str, int]] = Fact(
    {"from_ec2_per_month": 62_000, "first_12_months_per_month": 3_000},
    "messages",
    "2nd reports of the SES free tier",
    s.SES_PLANS_LAUNCH,
    "5.2",
    confirmed=False,
    note="Reported withdrawn for new customers on 2026-07-21.",
)

# SNS (5.3) --------------------------------------------------------------------------------------
SNS_FREE_REQUESTS_PER_MONTH: Fact[int] = Fact(1_000_000, "requests", _SNS, s.JUNE_2026, "5.3")
SNS_PER_MILLION_REQUESTS: Fact[float] = Fact(
    0.50, "USD per million requests", _SNS, s.JUNE_2026, "5.3", note="Each 64 KB chunk counts."
)
SNS_MOBILE_PUSH_PER_MILLION: Fact[float] = Fact(
    0.50, "USD per million deliveries", _SNS, s.JUNE_2026, "5.3"
)
SNS_MOBILE_PUSH_FREE_PER_MONTH: Fact[int] = Fact(1_000_000, "deliveries", _SNS, s.JUNE_2026, "5.3")
SNS_EMAIL_PER_100K: Fact[float] = Fact(
    2.00, "USD per 100,000 deliveries", _SNS, s.JUNE_2026, "5.3", note="Email and email-JSON."
)
SNS_EMAIL_FREE_PER_MONTH: Fact[int] = Fact(1_000, "deliveries", _SNS, s.JUNE_2026, "5.3")
SNS_HTTP_PER_MILLION: Fact[float] = Fact(
    0.60, "USD per million deliveries", _SNS, s.JUNE_2026, "5.3"
)
SNS_HTTP_FREE_PER_MONTH: Fact[int] = Fact(100_000, "deliveries", _SNS, s.JUNE_2026, "5.3")
SNS_SQS_LAMBDA_DELIVERY: Fact[float] = Fact(
    0.0,
    "USD per delivery",
    _SNS,
    s.JUNE_2026,
    "5.3",
    note="Deliveries to SQS and Lambda are free; data transfer is still charged.",
)
SNS_FIREHOSE_PER_MILLION: Fact[float] = Fact(
    0.19, "USD per million deliveries", _SNS, s.JUNE_2026, "5.3"
)
SNS_FIFO_PUBLISH_PER_MILLION: Fact[float] = Fact(
    0.30, "USD per million publishes", _SNS, s.JUNE_2026, "5.3", confirmed=False
)

# Pinpoint (5.4) ---------------------------------------------------------------------------------
PINPOINT_MTA_PER_ENDPOINT: Fact[float] = Fact(
    0.0012,
    "USD per monthly targeted endpoint",
    _PINPOINT,
    s.API_EVANGELIST_READ,
    "5.4",
    note="Existing customers only.",
)
PINPOINT_MTA_FREE_ENDPOINTS: Fact[int] = Fact(
    5_000, "endpoints per month", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_EVENTS_PER_MILLION: Fact[float] = Fact(
    1.00, "USD per million events", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_EVENTS_FREE: Fact[int] = Fact(
    100_000_000, "events per month", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_EMAIL_PER_MESSAGE: Fact[float] = Fact(
    0.0001,
    "USD per email",
    _PINPOINT,
    s.API_EVANGELIST_READ,
    "5.4",
    note="USD 1 per 10,000 emails.",
)
PINPOINT_PUSH_PER_MILLION: Fact[float] = Fact(
    1.00, "USD per million notifications", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_PUSH_FREE: Fact[int] = Fact(
    1_000_000, "notifications per month", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_IN_APP_PER_REQUEST: Fact[float] = Fact(
    0.00011, "USD per request", _PINPOINT, s.API_EVANGELIST_READ, "5.4", confirmed=False
)
PINPOINT_IN_APP_FREE_REQUESTS: Fact[int] = Fact(
    15_000, "requests per month", _PINPOINT, s.API_EVANGELIST_READ, "5.4", confirmed=False
)
PINPOINT_DELIVERABILITY_DASHBOARD_MONTHLY: Fact[float] = Fact(
    1250.0, "USD per month", _PINPOINT, s.API_EVANGELIST_READ, "5.4"
)
PINPOINT_DEDICATED_IP_MONTHLY: Fact[float] = Fact(
    24.95,
    "USD per month",
    _PINPOINT,
    s.API_EVANGELIST_READ,
    "5.4",
    note="SMS, voice, OTP and phone validation are billed under End User Messaging.",
)

# SMS and voice (5.5, 5.6) -----------------------------------------------------------------------
SMS_PRICE_RULE: Fact[str] = Fact(
    "(base price + carrier fee) x message parts",
    "",
    "AWS-doc https://repost.aws/knowledge-center/sns-pinpoint-high-sms-charges",
    s.BASELINE,
    "5.5",
    note="Usage type Region-OutboundSMS-ISO-Standard-OriginationType-MessageCount/Fee "
    "(AWS-doc sms-billing). Current per-country prices are not confirmed.",
)
SMS_EXAMPLE_PRICE_US_2019: Fact[float] = Fact(
    0.00645,
    "USD per message part",
    "AWS-doc Pinpoint event-streams-data-sms example (645 millicents)",
    s.PINPOINT_DEV_2019,
    "5.5",
    confirmed=False,
    note="A documentation example, not a current price.",
)
SMS_EXAMPLE_TOTAL_PRICE_V2: Fact[float] = Fact(
    0.09582,
    "USD per message",
    s.SMS_EVENT_FORMAT,
    s.BASELINE,
    "5.5",
    confirmed=False,
    note="totalMessagePrice in a v2 event example; not a current price.",
)

# Firehose (5.7) ---------------------------------------------------------------------------------
FIREHOSE_PER_GB: Fact[float] = Fact(
    0.029,
    "USD per GB ingested",
    "2nd figure quoted for the Firehose pricing page; not verified against it",
    s.BASELINE,
    "5.7",
    confirmed=False,
    note="First 500 TB per month, Direct PUT or Kinesis Data Streams source.",
)
FIREHOSE_RECORD_ROUNDING_BYTES: Fact[int] = Fact(
    5 * 1024,
    "bytes",
    "AWS-doc https://aws.amazon.com/firehose/pricing/ (de/ru copies)",
    s.BASELINE,
    "5.7",
    note="Each record is rounded up to the next 5 KB for ingestion billing.",
)

# CloudWatch Logs (5.8) --------------------------------------------------------------------------
LOGS_INGEST_STANDARD_PER_GB: Fact[float] = Fact(0.50, "USD per GB", _LOGS, s.JUNE_2026, "5.8")
LOGS_INGEST_INFREQUENT_PER_GB: Fact[float] = Fact(
    0.25, "USD per GB", _LOGS, s.JUNE_2026, "5.8", note="Infrequent Access log class."
)
LOGS_STORAGE_PER_GB_MONTH: Fact[float] = Fact(0.03, "USD per GB-month", _LOGS, s.JUNE_2026, "5.8")
LOGS_INSIGHTS_PER_GB_SCANNED: Fact[float] = Fact(
    0.005, "USD per GB scanned", _LOGS, s.JUNE_2026, "5.8"
)
