"""API surface of the installed tools: botocore operation counts and what moto 5.2.5 covers."""

from collections.abc import Mapping

from . import _sources as s
from ._fact import Fact

_MOTO_NOTE = "simlab's emulator must supply the rest."

TOOL_VERSIONS: Fact[Mapping[str, str]] = Fact(
    {"botocore": "1.44.8", "boto3": "1.44.8", "moto": "5.2.5"},
    "",
    s.BOTOCORE,
    s.BASELINE,
    "0.1",
    note="Versions the reference and these facts were checked against.",
)
API_VERSIONS: Fact[Mapping[str, str]] = Fact(
    {
        "pinpoint": "2016-12-01",
        "pinpoint-sms-voice-v2": "2022-03-31",
        "pinpoint-sms-voice": "2018-09-05",
        "pinpoint-email": "2018-07-26",
        "sesv2": "2019-09-27",
        "ses": "2010-12-01",
        "sns": "2010-03-31",
        "socialmessaging": "2024-01-01",
        "connectcampaignsv2": "2024-04-23",
        "customer-profiles": "2020-08-15",
    },
    "",
    f"{s.BOTOCORE} service-2.json metadata",
    s.BASELINE,
    "0.1",
)
OPERATION_COUNTS: Fact[Mapping[str, int]] = Fact(
    {
        "pinpoint": 122,
        "pinpoint-sms-voice-v2": 110,
        "pinpoint-sms-voice": 8,
        "pinpoint-email": 42,
        "sesv2": 117,
        "ses": 71,
        "sns": 42,
        "firehose": 12,
        "kinesis": 57,
        "logs": 118,
        "socialmessaging": 38,
        "connectcampaignsv2": 37,
        "customer-profiles": 115,
    },
    "operations",
    f"{s.BOTOCORE} service-2.json operations",
    s.BASELINE,
    "0.1",
)
PINPOINT_OPERATIONS_BY_AREA: Fact[Mapping[str, int]] = Fact(
    {
        "apps_and_settings": 6,
        "channels": 31,
        "endpoints_and_users": 7,
        "segments": 7,
        "import_export_jobs": 8,
        "campaigns": 9,
        "journeys": 12,
        "templates": 23,
        "direct_messaging_and_otp": 4,
        "in_app": 1,
        "events": 4,
        "other": 10,
    },
    "operations",
    f"{s.BOTOCORE} pinpoint",
    s.BASELINE,
    "1A",
    note="'other' = GetApplicationDateRangeKpi, PhoneNumberValidate, 5 Recommender and 3 tag "
    "operations. The areas sum to 122.",
)
MOTO_PINPOINT_OPERATIONS: Fact[tuple[str, ...]] = Fact(
    (
        "CreateApp",
        "DeleteApp",
        "GetApp",
        "GetApps",
        "GetApplicationSettings",
        "UpdateApplicationSettings",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
        "PutEventStream",
        "GetEventStream",
        "DeleteEventStream",
    ),
    "",
    f"{s.MOTO} moto/pinpoint/responses.py",
    s.BASELINE,
    "0.2",
    note="PutEventStream only stores the configuration; moto emits no stream records. "
    + _MOTO_NOTE,
)
MOTO_MISSING_SERVICES: Fact[tuple[str, ...]] = Fact(
    ("pinpoint-sms-voice-v2", "socialmessaging", "customer-profiles", "connectcampaignsv2"),
    "",
    f"{s.MOTO} moto/backends",
    s.BASELINE,
    "0.2",
    note="moto has no backend for these; it does have connectcampaigns (v1) and connect. "
    + _MOTO_NOTE,
)
MOTO_SES_SEND_QUOTA: Fact[Mapping[str, int]] = Fact(
    {"Max24HourSend": 200, "MaxSendRate": 1},
    "",
    f"{s.MOTO} moto/ses get_send_quota",
    s.BASELINE,
    "0.2",
    note="Fixed, sandbox-like values.",
)
MOTO_SES_RECIPIENT_LIMIT: Fact[int] = Fact(
    50, "recipients per message", f"{s.MOTO} moto/ses RECIPIENT_LIMIT", s.BASELINE, "0.2"
)
MOTO_SNS_MAX_MESSAGE_BYTES: Fact[int] = Fact(
    262_144,
    "bytes",
    f"{s.MOTO} moto/sns",
    s.BASELINE,
    "0.2",
    note="Fixed; moto ignores a topic's MaximumMessageSize.",
)
MOTO_SNS_MAX_SMS_BYTES: Fact[int] = Fact(1_600, "bytes", f"{s.MOTO} moto/sns", s.BASELINE, "0.2")
MOTO_FIREHOSE_MAX_STREAMS: Fact[int] = Fact(
    50, "delivery streams per Region", f"{s.MOTO} moto/firehose", s.BASELINE, "0.2"
)
