"""Pinpoint endpoints and segments: channel and attribute limits, dimensions, imports (1.2-1.12)."""

from collections.abc import Mapping

from .. import _sources as s
from .._fact import Fact

_KiB = 1024
_MiB = 1024 * _KiB
_GiB = 1024 * _MiB

_BC = f"{s.BOTOCORE} pinpoint"
_Q23 = s.PINPOINT_QUOTAS_2023
_D23 = s.PINPOINT_DEV_2023

# Endpoints (1.2-1.7) ----------------------------------------------------------------------------
CHANNEL_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "PUSH",
        "GCM",
        "APNS",
        "APNS_SANDBOX",
        "APNS_VOIP",
        "APNS_VOIP_SANDBOX",
        "ADM",
        "SMS",
        "VOICE",
        "EMAIL",
        "BAIDU",
        "CUSTOM",
        "IN_APP",
    ),
    "",
    f"{_BC} ChannelType",
    s.BASELINE,
    "1.2",
)
OPT_OUT_VALUES: Fact[tuple[str, ...]] = Fact(
    ("ALL", "NONE"), "", f"{_BC} EndpointRequest", s.BASELINE, "1.5", note="ALL opts out of all."
)
ENDPOINT_STATUSES: Fact[tuple[str, ...]] = Fact(
    ("ACTIVE", "INACTIVE"),
    "",
    f"{_BC} EndpointRequest",
    s.BASELINE,
    "1.5",
    note="Create/update sets ACTIVE; updating another endpoint with the same Address sets "
    "this one INACTIVE.",
)
MAX_ATTRIBUTE_NAME_CHARS: Fact[int] = Fact(
    50, "characters", _Q23, _D23, "1.6", note="Names are case-sensitive; avoid # : ? \\ /."
)
MAX_ATTRIBUTE_VALUE_CHARS: Fact[int] = Fact(100, "characters", _Q23, _D23, "1.6")
MAX_ENDPOINT_BYTES: Fact[int] = Fact(
    15 * _KiB, "bytes", _Q23, _D23, "1.7", note="AWS writes '15 KB'; read as 15 x 1,024 bytes."
)
MAX_CUSTOM_ATTRIBUTES: Fact[int] = Fact(
    250,
    "attributes per app",
    _Q23,
    _D23,
    "1.7",
    note="Attributes, Metrics and UserAttributes together.",
)
MAX_VALUES_PER_ATTRIBUTE: Fact[int] = Fact(50, "values", _Q23, _D23, "1.7")
UPDATE_ENDPOINTS_BATCH_MAX: Fact[int] = Fact(
    100, "endpoints per request", _Q23, _D23, "1.7", note="Payload also capped at 7 MB."
)
MAX_ENDPOINTS_PER_USER: Fact[int] = Fact(15, "endpoints per UserId", _Q23, _D23, "1.7")
ENDPOINT_LIMIT_REJECT_CHANNELS: Fact[tuple[str, ...]] = Fact(
    ("SMS", "PUSH", "VOICE", "EMAIL", "CUSTOM", "IN_APP"),
    "",
    s.PINPOINT_AUTO_INACTIVE,
    s.BASELINE,
    "1.7",
    note="A 16th endpoint for a user on these channels is refused with BadRequestException.",
)
ENDPOINT_LIMIT_EVICT_CHANNELS: Fact[tuple[str, ...]] = Fact(
    ("GCM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "ADM", "BAIDU"),
    "",
    s.PINPOINT_AUTO_INACTIVE,
    s.BASELINE,
    "1.7",
    note="Push-token channels: a 16th endpoint makes the one with the oldest EffectiveDate "
    "INACTIVE and detaches it from the user.",
)

# Segments (1.8-1.12) ----------------------------------------------------------------------------
SEGMENT_TYPES: Fact[tuple[str, ...]] = Fact(
    ("DIMENSIONAL", "IMPORT"), "", f"{_BC} SegmentType", s.BASELINE, "1.8"
)
SEGMENT_DIMENSIONS: Fact[tuple[str, ...]] = Fact(
    ("Attributes", "Behavior", "Demographic", "Location", "Metrics", "UserAttributes"),
    "",
    f"{_BC} SegmentDimensions",
    s.BASELINE,
    "1.9",
)
RECENCY_DURATIONS: Fact[tuple[str, ...]] = Fact(
    ("HR_24", "DAY_7", "DAY_14", "DAY_30"), "", f"{_BC} Duration", s.BASELINE, "1.9"
)
RECENCY_DURATION_HOURS: Fact[Mapping[str, int]] = Fact(
    {"HR_24": 24, "DAY_7": 7 * 24, "DAY_14": 14 * 24, "DAY_30": 30 * 24},
    "hours",
    f"{_BC} Duration",
    s.BASELINE,
    "1.9",
    note="Each recency duration as a number of hours.",
)
RECENCY_TYPES: Fact[tuple[str, ...]] = Fact(
    ("ACTIVE", "INACTIVE"), "", f"{_BC} RecencyType", s.BASELINE, "1.9"
)
DIMENSION_TYPES: Fact[tuple[str, ...]] = Fact(
    ("INCLUSIVE", "EXCLUSIVE"), "", f"{_BC} DimensionType", s.BASELINE, "1.9"
)
ATTRIBUTE_TYPES: Fact[tuple[str, ...]] = Fact(
    ("INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEFORE", "AFTER", "ON", "BETWEEN"),
    "",
    f"{_BC} AttributeType",
    s.BASELINE,
    "1.9",
    note="BEFORE, AFTER, ON and BETWEEN compare values as ISO 8601 instants.",
)
METRIC_OPERATORS: Fact[tuple[str, ...]] = Fact(
    ("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL", "EQUAL"),
    "",
    f"{_BC} MetricDimension.ComparisonOperator",
    s.BASELINE,
    "1.9",
)
SEGMENT_GROUP_OPERATORS: Fact[tuple[str, ...]] = Fact(
    ("ALL", "ANY", "NONE"),
    "",
    f"{_BC} Include, SourceType, Type",
    s.BASELINE,
    "1.10",
    note="Shared by SegmentGroupList.Include and SegmentGroup.SourceType/Type.",
)
MAX_SEGMENT_GROUPS: Fact[int] = Fact(
    1, "segment groups per request", f"{_BC} SegmentGroupList", s.BASELINE, "1.10"
)
IMPORT_FORMATS: Fact[tuple[str, ...]] = Fact(
    ("CSV", "JSON"),
    "",
    f"{_BC} Format",
    s.BASELINE,
    "1.11",
    note="JSON means newline-delimited.",
)
MAX_DIMENSIONS_PER_SEGMENT: Fact[int] = Fact(100, "dimensions", _Q23, _D23, "1.12")
MAX_ACTIVE_IMPORT_JOBS: Fact[int] = Fact(10, "jobs per account", _Q23, _D23, "1.12")
MAX_IMPORT_JOB_BYTES: Fact[int] = Fact(
    1 * _GiB, "bytes", _Q23, _D23, "1.12", note="AWS writes '1 GB'; read as 2**30 bytes."
)
MAX_IMPORTED_SEGMENT_ENDPOINTS: Fact[int] = Fact(
    100_000_000,
    "endpoints per campaign or journey",
    _Q23,
    _D23,
    "1.12",
    note="Dynamic segments have no such cap.",
)
