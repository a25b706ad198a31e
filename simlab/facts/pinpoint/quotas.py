"""Pinpoint events and API quotas: PutEvents limits, event streams, request rates and payloads
(1.37, 1.38 and 4.1-4.6)."""

from collections.abc import Mapping

from .. import _sources as s
from .._fact import Fact

_KiB = 1024
_MiB = 1024 * _KiB

_Q23 = s.PINPOINT_QUOTAS_2023
_D23 = s.PINPOINT_DEV_2023

# PutEvents and event streams (1.37, 1.38) -------------------------------------------------------
PUT_EVENTS_MAX_EVENTS: Fact[int] = Fact(100, "events per request", _Q23, _D23, "1.37")
PUT_EVENTS_MAX_REQUEST_BYTES: Fact[int] = Fact(
    4 * _MiB, "bytes", _Q23, _D23, "1.37", note="AWS writes '4 MB'; read as 4 x 2**20 bytes."
)
PUT_EVENTS_MAX_EVENT_BYTES: Fact[int] = Fact(1_000 * _KiB, "bytes", _Q23, _D23, "1.37")
PUT_EVENTS_MAX_KEYS_PER_EVENT: Fact[int] = Fact(40, "attribute and metric keys", _Q23, _D23, "1.37")
PUT_EVENTS_MAX_ATTRIBUTE_VALUE_CHARS: Fact[int] = Fact(
    200, "characters", _Q23, _D23, "1.37", note="An event with a longer value is dropped."
)
MAX_CUSTOM_EVENT_TYPES: Fact[int] = Fact(1_500, "event types per app", _Q23, _D23, "1.37")
MAX_EVENT_ATTRIBUTE_KEYS: Fact[int] = Fact(500, "attribute keys per app", _Q23, _D23, "1.37")
EVENT_STREAM_DESTINATIONS: Fact[tuple[str, ...]] = Fact(
    ("kinesis", "firehose"),
    "",
    "AWS-doc Pinpoint Developer Guide event-streams.md",
    _D23,
    "1.38",
    note="ARN service of WriteEventStream.DestinationStreamArn. Not SNS or CloudWatch Logs; "
    "transactional push and voice events are not streamed.",
)

# API rate quotas and payloads (4.1-4.6) ---------------------------------------------------------
_TEMPLATE_WRITES = {
    f"{verb}{kind}Template": 10
    for verb in ("Create", "Update")
    for kind in ("Email", "Sms", "Push", "Voice", "InApp")
}
API_RATE_DEFAULT: Fact[int] = Fact(
    300,
    "requests/s",
    s.PINPOINT_QUOTAS_NOW,
    s.API_EVANGELIST_READ,
    "4.1",
    note="Default rate for every operation not named in API_RATE_LIMITS.",
)
API_RATE_LIMITS: Fact[Mapping[str, int]] = Fact(
    {
        "CreateCampaign": 25,
        "UpdateCampaign": 25,
        "DeleteCampaign": 25,
        "CreateSegment": 25,
        "UpdateSegment": 25,
        "DeleteSegment": 25,
        **_TEMPLATE_WRITES,
        "CreateImportJob": 300,
        "GetEndpoint": 10,
        "UpdateEndpoint": 10,
        "UpdateEndpointsBatch": 2,
        "DeleteEndpoint": 5,
        "PutEvents": 15,
        "PhoneNumberValidate": 20,
        "SendMessages": 4_000,
        "SendUsersMessages": 6_000,
    },
    "requests/s",
    s.PINPOINT_QUOTAS_NOW,
    s.API_EVANGELIST_READ,
    "4.1",
    note="Current defaults per account per Region; each operation is throttled on its own "
    "(TooManyRequestsException).",
)
API_RATE_LIMITS_2023: Fact[Mapping[str, int]] = Fact(
    {
        "GetEndpoint": 7_000,
        "PutEvents": 7_000,
        "UpdateEndpoint": 5_000,
        "UpdateEndpointsBatch": 5_000,
        "DeleteEndpoint": 1_000,
        "SendMessages": 4_000,
        "SendUsersMessages": 6_000,
        "GetInAppMessages": 5_000,
    },
    "requests/s",
    _Q23,
    _D23,
    "4.2",
    note="Historical values, kept for comparison; model the current API_RATE_LIMITS. "
    "GetInAppMessages is from 4.6.",
)
MAX_API_PAYLOAD_BYTES: Fact[int] = Fact(
    7 * _MiB, "bytes", _Q23, _D23, "4.3", note="AWS writes '7 MB'; read as 7 x 2**20 bytes."
)
DIRECT_SEND_CEILING: Fact[int] = Fact(
    600_000,
    "messages/s",
    "2nd AWS Support answer on re:Post",
    s.BASELINE,
    "4.4",
    note="SendUsersMessages 6,000 requests/s x 100 users; channel limits bind long before this.",
)
EMAIL_SENDING_QUOTAS: Fact[Mapping[str, int]] = Fact(
    {
        "sandbox_max_24_hour_send": 200,
        "sandbox_max_send_rate": 1,
        "max_message_bytes": 10 * _MiB,
        "max_recipients_per_message": 50,
        "max_verified_identities": 10_000,
    },
    "",
    _Q23,
    _D23,
    "4.5",
    note="Pinpoint email uses the SES quotas of its Region, counted per recipient.",
)
PUSH_PAYLOAD_MAX_BYTES: Fact[Mapping[str, int]] = Fact(
    {"APNS": 4 * _KiB, "GCM": 4 * _KiB, "BAIDU": 4 * _KiB, "ADM": 6 * _KiB},
    "bytes",
    _Q23,
    _D23,
    "4.6",
    note="AWS writes 4 KB and 6 KB; read as multiples of 1,024 bytes. GCM stands for FCM.",
)
PROJECTS_PER_REGION: Fact[int] = Fact(
    100, "projects per Region", s.PINPOINT_QUOTAS_NOW, s.API_EVANGELIST_READ, "4.1"
)


def api_rate_limit(operation: str) -> int:
    """Return the current default rate quota (requests/s) for a Pinpoint operation name."""
    return API_RATE_LIMITS.value.get(operation, API_RATE_DEFAULT.value)
