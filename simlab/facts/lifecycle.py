"""Pinpoint's end of support and where each of its features goes next."""

from collections.abc import Mapping
from datetime import date

from . import _sources as s
from ._fact import Fact

_MIGRATE = s.PINPOINT_MIGRATE

# Dates (6.1, 6.2) -------------------------------------------------------------------------------
PINPOINT_END_OF_SUPPORT: Fact[date] = Fact(
    date(2026, 10, 30),
    "",
    _MIGRATE,
    s.BASELINE,
    "6.1",
    note="After this date the console and the engagement resources are no longer available.",
)
PINPOINT_NO_NEW_CUSTOMERS: Fact[date] = Fact(
    date(2025, 5, 20),
    "",
    _MIGRATE,
    s.BASELINE,
    "6.1",
    note="Accounts that used Pinpoint before this date keep it until end of support.",
)
PINPOINT_EOS_ANNOUNCED: Fact[str] = Fact(
    "2025-05",
    "",
    _MIGRATE,
    s.BASELINE,
    "6.1",
    confirmed=False,
    note="Approximate month of the announcement; the exact day is not confirmed.",
)
RETIRED_AT_END_OF_SUPPORT: Fact[tuple[str, ...]] = Fact(
    ("console", "endpoints", "segments", "campaigns", "journeys", "analytics"),
    "",
    _MIGRATE,
    s.BASELINE,
    "6.1",
)
CONTINUING_CAPABILITIES: Fact[tuple[str, ...]] = Fact(
    ("SMS", "voice", "mobile push", "OTP", "phone number validation"),
    "",
    _MIGRATE,
    s.BASELINE,
    "6.2",
    note="These APIs are unaffected and now belong to AWS End User Messaging.",
)
END_USER_MESSAGING_RENAME: Fact[str] = Fact(
    "2024-Q3",
    "",
    f"{_MIGRATE}; banner on Pinpoint documentation pages",
    s.BASELINE,
    "6.2",
    note="SMS, MMS, push, WhatsApp and text-to-voice became AWS End User Messaging.",
)

# Successors (6.3-6.5) ---------------------------------------------------------------------------
SUCCESSOR_APIS: Fact[Mapping[str, str]] = Fact(
    {
        "sms": "pinpoint-sms-voice-v2",
        "mms": "pinpoint-sms-voice-v2",
        "voice": "pinpoint-sms-voice-v2",
        "rcs": "pinpoint-sms-voice-v2",
        "notify": "pinpoint-sms-voice-v2",
        "push": "pinpoint",
        "whatsapp": "socialmessaging",
    },
    "",
    f"{s.BOTOCORE}; AWS-doc https://docs.aws.amazon.com/end-user-messaging/latest/userguide/"
    "nx-push.html",
    s.BASELINE,
    "6.3",
    note="boto3 service names. Push keeps using the pinpoint API (apps, channels, "
    "SendMessages); moving SMS from Pinpoint SendMessages to v2 is optional.",
)
NOTIFY_CODE_OPERATIONS: Fact[tuple[str, ...]] = Fact(
    ("SendNotifyCodeVerification", "ValidateNotifyCodeVerification"),
    "endusermessaging operations",
    f"{s.BOTOCORE} endusermessaging; AWS-doc https://docs.aws.amazon.com/end-user-messaging/"
    "latest/userguide/nx-notify-send.html",
    s.LOOKED_UP_DEC,
    "6.3",
    note="End User Messaging Notify generates, sends and validates one-time passcodes (API "
    "2026-09-21); SendNotifyTextMessage and SendNotifyVoiceMessage in pinpoint-sms-voice-v2 "
    "send a code your application made.",
    url="https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-notify-send.html",
)
MIGRATION_MAP: Fact[Mapping[str, str]] = Fact(
    {
        "endpoints": "Amazon Connect Customer Profiles",
        "segments": "Amazon Connect outbound campaigns",
        "campaigns": "Amazon Connect outbound campaigns",
        "journeys": "Amazon Connect outbound campaigns (visual journey builder)",
        "templates": "Amazon Q in Connect message templates",
        "event_analytics": "Amazon Kinesis",
        "email": "Amazon SES",
        "sms_mms_voice": "AWS End User Messaging SMS (pinpoint-sms-voice-v2)",
        "push": "AWS End User Messaging Push (pinpoint API)",
        "whatsapp": "AWS End User Messaging Social (socialmessaging)",
    },
    "",
    _MIGRATE,
    s.BASELINE,
    "6.4",
    note="Recommended successor per feature (6.3-6.5); Connect builds multi-step journeys in its "
    "visual journey builder (https://docs.aws.amazon.com/connect/latest/adminguide/"
    "create-outbound-campaign.html). SES is to gain deliverability-"
    "dashboard-like features by 2026-10-30.",
)
PROFILE_MAX_EMAIL_ADDRESSES: Fact[int] = Fact(
    3, "email addresses per Customer Profile", _MIGRATE, s.BASELINE, "6.5"
)
PROFILE_MAX_PHONE_NUMBERS: Fact[int] = Fact(
    4, "phone numbers per Customer Profile", _MIGRATE, s.BASELINE, "6.5"
)
TEMPLATE_ATTRIBUTE_REWRITE: Fact[tuple[str, str]] = Fact(
    ("{{User.UserAttributes.X}}", "{{Attributes.Customer.Attributes.X}}"),
    "",
    _MIGRATE,
    s.BASELINE,
    "6.5",
    note="(Pinpoint placeholder, Connect placeholder); both use Handlebars.",
)
NOT_IN_CONNECT: Fact[tuple[str, ...]] = Fact(
    ("in-app messaging", "push in campaigns", "custom channel", "imported segments"),
    "",
    f"{_MIGRATE}; AWS-doc https://docs.aws.amazon.com/connect/latest/adminguide/"
    "create-outbound-campaign.html",
    s.LOOKED_UP_DEC,
    "6.5",
    note="Pinpoint features with no Amazon Connect equivalent. Pinpoint's migration guide also "
    "listed journeys; Connect's administrator guide now builds multi-step, multi-channel "
    "campaigns (branching, fallback to another channel) in its visual journey builder, over "
    "voice, SMS, email and WhatsApp (no push, no in-app).",
    url="https://docs.aws.amazon.com/connect/latest/adminguide/create-outbound-campaign.html",
)
CONNECT_CAMPAIGN_CHANNELS: Fact[tuple[str, ...]] = Fact(
    ("TELEPHONY", "SMS", "EMAIL", "WHATSAPP"),
    "",
    f"{s.BOTOCORE} connectcampaignsv2 ChannelSubtype",
    s.BASELINE,
    "6.5",
)
