"""Amazon Pinpoint (legacy): resource enums, per-resource limits and API rate quotas.

Email sent through Pinpoint shares the SES quotas of its Region; see `simlab.facts.ses` and
`EMAIL_SENDING_QUOTAS` below. Event-stream names live in `simlab.facts.events`.
"""

from collections.abc import Mapping

from . import _sources as s
from ._fact import Fact

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

# Campaigns (1.13-1.20) --------------------------------------------------------------------------
CAMPAIGN_MESSAGE_CONFIGURATIONS: Fact[tuple[str, ...]] = Fact(
    ("ADM", "APNS", "Baidu", "GCM", "Default", "Email", "SMS", "InApp", "Custom"),
    "",
    f"{_BC} MessageConfiguration",
    s.BASELINE,
    "1.13",
)
SCHEDULE_FREQUENCIES: Fact[tuple[str, ...]] = Fact(
    ("ONCE", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "EVENT", "IN_APP_EVENT"),
    "",
    f"{_BC} Frequency",
    s.BASELINE,
    "1.14",
)
EVENT_FILTER_TYPES: Fact[tuple[str, ...]] = Fact(
    ("SYSTEM", "ENDPOINT"), "", f"{_BC} FilterType", s.BASELINE, "1.14"
)
QUIET_TIME_NEEDS: Fact[str] = Fact(
    "Demographic.Timezone",
    "endpoint field",
    f"{_BC} Schedule.QuietTime",
    s.BASELINE,
    "1.15",
    note="Quiet time holds a message only for an endpoint with a valid time zone whose local "
    "time lies within [Start, End]; any other endpoint gets the message anyway.",
    url="https://docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-campaigns.html",
)
CAMPAIGN_DAILY_CAP_MAX: Fact[int] = Fact(
    100, "messages per endpoint per 24h", f"{_BC} CampaignLimits", s.BASELINE, "1.16"
)
CAMPAIGN_TOTAL_CAP_MAX: Fact[int] = Fact(
    100,
    "messages per endpoint per campaign",
    f"{_BC} CampaignLimits",
    s.BASELINE,
    "1.16",
    note="Counts every recurrence of the campaign.",
)
CAMPAIGN_MPS_MIN: Fact[int] = Fact(1, "messages/s", f"{_BC} CampaignLimits", s.BASELINE, "1.16")
CAMPAIGN_MPS_MAX: Fact[int] = Fact(
    20_000, "messages/s", f"{_BC} CampaignLimits", s.BASELINE, "1.16"
)
CAMPAIGN_MAXIMUM_DURATION_MIN_SECONDS: Fact[int] = Fact(
    60,
    "s",
    f"{_BC} CampaignLimits",
    s.BASELINE,
    "1.16",
    note="MaximumDuration: how long after the start Pinpoint keeps trying to deliver.",
)
CAMPAIGN_STATUSES: Fact[tuple[str, ...]] = Fact(
    ("SCHEDULED", "EXECUTING", "PENDING_NEXT_RUN", "COMPLETED", "PAUSED", "DELETED", "INVALID"),
    "",
    f"{_BC} CampaignStatus",
    s.BASELINE,
    "1.18",
    note="An A/B campaign is COMPLETED only when all its treatments are; deleting its segment "
    "makes it DELETED.",
)
ACTIVE_CAMPAIGN_STATUSES: Fact[tuple[str, ...]] = Fact(
    ("SCHEDULED", "EXECUTING", "PENDING_NEXT_RUN"),
    "",
    _Q23,
    _D23,
    "1.20",
    note="The statuses that count toward the active-campaign quota.",
)
HOOK_MODES: Fact[tuple[str, ...]] = Fact(
    ("DELIVERY", "FILTER"),
    "",
    f"{_BC} Mode",
    s.BASELINE,
    "1.19",
    note="DELIVERY is deprecated in favour of CustomDeliveryConfiguration.",
)
MAX_EMAIL_HEADERS: Fact[int] = Fact(15, "headers", _BC, s.BASELINE, "1.19")
MAX_ACTIVE_CAMPAIGNS: Fact[int] = Fact(200, "campaigns per account", _Q23, _D23, "1.20")
MAX_EVENT_CAMPAIGNS: Fact[int] = Fact(
    25, "campaigns per project", _Q23, _D23, "1.20", note="Event campaigns need dynamic segments."
)
EVENT_CAMPAIGN_DROP_SECONDS: Fact[int] = Fact(
    300,
    "s",
    _Q23,
    _D23,
    "1.20",
    note="An event-triggered message not deliverable within 5 minutes is dropped.",
)
MAX_IN_APP_CAMPAIGNS: Fact[int] = Fact(25, "campaigns per project", _Q23, _D23, "1.20")
PUSH_CAMPAIGN_NOTIFICATIONS_PER_SECOND: Fact[int] = Fact(
    25_000, "notifications/s", _Q23, _D23, "1.20"
)

# Journeys (1.21-1.26) ---------------------------------------------------------------------------
ACTIVITY_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "EMAIL",
        "SMS",
        "PUSH",
        "CUSTOM",
        "ContactCenter",
        "Wait",
        "ConditionalSplit",
        "MultiCondition",
        "RandomSplit",
        "Holdout",
    ),
    "",
    f"{_BC} Activity",
    s.BASELINE,
    "1.21",
    note="There is no VOICE journey activity.",
)
MAX_MULTI_CONDITION_PATHS: Fact[int] = Fact(
    5, "paths", f"{_BC} MultiConditionalSplitActivity", s.BASELINE, "1.21", note="Incl. 'else'."
)
MAX_RANDOM_SPLIT_PATHS: Fact[int] = Fact(
    5, "paths", f"{_BC} RandomSplitActivity", s.BASELINE, "1.21"
)
JOURNEY_SENDING_SCHEDULE_CHANNELS: Fact[tuple[str, ...]] = Fact(
    ("EMAIL", "SMS", "PUSH", "VOICE", "CUSTOM"),
    "",
    f"{_BC} OpenHours/ClosedDays",
    s.BASELINE,
    "1.23",
)
TIMEZONE_ESTIMATION_METHODS: Fact[tuple[str, ...]] = Fact(
    ("PHONE_NUMBER", "POSTAL_CODE"), "", f"{_BC} TimezoneEstimationMethods", s.BASELINE, "1.23"
)
JOURNEY_DAILY_CAP_MAX: Fact[int] = Fact(
    100, "messages per participant per 24h", f"{_BC} JourneyLimits", s.BASELINE, "1.24"
)
JOURNEY_TOTAL_CAP_MAX: Fact[int] = Fact(
    100, "messages per participant", f"{_BC} JourneyLimits", s.BASELINE, "1.24", note="0 = off."
)
JOURNEY_REENTRY_CAP_MAX: Fact[int] = Fact(
    100, "re-entries", f"{_BC} JourneyLimits", s.BASELINE, "1.24", note="0 = unlimited."
)
JOURNEY_TIMEFRAME_CAP_MAX: Fact[int] = Fact(
    100,
    "messages per timeframe",
    f"{_BC} JourneyLimits",
    s.BASELINE,
    "1.24",
    note="TimeframeCap applies across all journeys.",
)
JOURNEY_TIMEFRAME_DAYS_MAX: Fact[int] = Fact(30, "days", f"{_BC} JourneyLimits", s.BASELINE, "1.24")
JOURNEY_STATES: Fact[tuple[str, ...]] = Fact(
    ("DRAFT", "ACTIVE", "COMPLETED", "CANCELLED", "CLOSED", "PAUSED"),
    "",
    f"{_BC} State",
    s.BASELINE,
    "1.25",
)
JOURNEY_WRITE_STATES: Fact[tuple[str, ...]] = Fact(
    ("DRAFT", "ACTIVE"),
    "",
    f"{_BC} WriteJourneyRequest",
    s.BASELINE,
    "1.25",
    note="States accepted by CreateJourney/UpdateJourney.",
)
JOURNEY_UPDATE_STATES: Fact[tuple[str, ...]] = Fact(
    ("ACTIVE", "PAUSED", "CANCELLED"),
    "",
    f"{_BC} JourneyStateRequest",
    s.BASELINE,
    "1.25",
    note="States accepted by UpdateJourneyState; cancelling lets in-flight activities finish.",
)
MAX_JOURNEY_NAME_CHARS: Fact[int] = Fact(
    150, "characters", _BC, s.BASELINE, "1.25", note="No spaces."
)
MAX_ACTIVITY_ID_CHARS: Fact[int] = Fact(
    100, "characters", _BC, s.BASELINE, "1.25", note="Alphanumeric."
)
MAX_ACTIVE_JOURNEYS: Fact[int] = Fact(50, "journeys per account", _Q23, _D23, "1.26")
MAX_ACTIVE_EVENT_JOURNEYS: Fact[int] = Fact(20, "journeys per account", _Q23, _D23, "1.26")
MAX_ACTIVITIES_PER_JOURNEY: Fact[int] = Fact(40, "activities", _Q23, _D23, "1.26")
MAX_CONTACT_CENTER_ACTIVITIES: Fact[int] = Fact(3, "activities per journey", _Q23, _D23, "1.26")
MAX_JOURNEY_RUN_DAYS: Fact[int] = Fact(
    540, "days", _Q23, _D23, "1.26", note="The Pinpoint FAQ says up to 18 months instead."
)

# Templates (1.27-1.30) --------------------------------------------------------------------------
TEMPLATE_TYPES: Fact[tuple[str, ...]] = Fact(
    ("EMAIL", "SMS", "VOICE", "PUSH", "INAPP"), "", f"{_BC} TemplateType", s.BASELINE, "1.27"
)
IN_APP_LAYOUTS: Fact[tuple[str, ...]] = Fact(
    ("BOTTOM_BANNER", "TOP_BANNER", "OVERLAYS", "MOBILE_FEED", "MIDDLE_BANNER", "CAROUSEL"),
    "",
    f"{_BC} Layout",
    s.BASELINE,
    "1.27",
)
MAX_IN_APP_MODALS: Fact[int] = Fact(5, "messages per in-app template", _BC, s.BASELINE, "1.27")
MAX_EACH_HELPER_ITEMS: Fact[int] = Fact(
    15,
    "items",
    "AWS-doc Pinpoint User Guide message-template-helpers.md",
    s.PINPOINT_USER_2023,
    "1.28",
    note="The Handlebars `each` helper lists at most this many items.",
)
MAX_TEMPLATE_NAME_CHARS: Fact[int] = Fact(
    128, "characters", _BC, s.BASELINE, "1.29", note="Alphanumeric, '_' and '-'; case-sensitive."
)
MAX_TEMPLATES: Fact[int] = Fact(20_000, "templates per account", _Q23, _D23, "1.30")
MAX_TEMPLATE_VERSIONS: Fact[int] = Fact(5_000, "versions per template", _Q23, _D23, "1.30")
TEMPLATE_MAX_CHARS: Fact[Mapping[str, int]] = Fact(
    {
        "EMAIL": 600_000,
        "INAPP": 200_000,
        "SMS": 1_600,
        "VOICE": 10_000,
        "PUSH": 4_000,
        "ADM": 6_000,
    },
    "characters",
    _Q23,
    _D23,
    "1.30",
    note="PUSH covers the default, APNs, FCM and Baidu parts; the ADM part allows 6,000.",
)

# Direct sends, OTP, validation (1.31-1.36) ------------------------------------------------------
SEND_MESSAGES_MAX_RECIPIENTS: Fact[int] = Fact(
    100,
    "recipients per request",
    "AWS-doc https://docs.amazonaws.cn/goto/WebAPI/pinpoint-2016-12-01/SendMessages",
    s.BASELINE,
    "1.31",
    note="Sent at once: a direct message cannot be scheduled or aimed at a segment.",
)
SEND_USERS_MESSAGES_MAX_USERS: Fact[int] = Fact(
    100,
    "user IDs per request",
    "AWS-doc Pinpoint Developer Guide audience-define-user.md",
    _D23,
    "1.32",
    note="Each user's every endpoint receives the message.",
)
DELIVERY_STATUSES: Fact[tuple[str, ...]] = Fact(
    (
        "SUCCESSFUL",
        "THROTTLED",
        "TEMPORARY_FAILURE",
        "PERMANENT_FAILURE",
        "UNKNOWN_FAILURE",
        "OPT_OUT",
        "DUPLICATE",
    ),
    "",
    f"{_BC} DeliveryStatus",
    s.BASELINE,
    "1.33",
)
OTP_CHANNELS: Fact[tuple[str, ...]] = Fact(
    ("SMS",), "", f"{_BC} SendOTPMessageRequestParameters", s.BASELINE, "1.34"
)
_OTP = "AWS-doc https://docs.aws.amazon.com/pinpoint/latest/developerguide/send-validate-otp.html"
OTP_CODE_LENGTH_RANGE: Fact[tuple[int, int]] = Fact(
    (5, 8), "digits", _OTP, s.LOOKED_UP, "1.34", note="CodeLength, inclusive bounds."
)
OTP_VALIDITY_MINUTES_RANGE: Fact[tuple[int, int]] = Fact(
    (5, 60), "minutes", _OTP, s.LOOKED_UP, "1.34", note="ValidityPeriod, inclusive bounds."
)
OTP_REQUIRES: Fact[tuple[str, ...]] = Fact(
    ("production access", "active origination identity"),
    "",
    _OTP,
    s.LOOKED_UP_DEC,
    "1.34",
    note="The SMS sandbox is not enough: SendOTPMessage needs an account out of the sandbox and "
    "a phone number or sender ID able to send to the destination country.",
)
OTP_MAX_ALLOWED_ATTEMPTS: Fact[int] = Fact(5, "attempts", _OTP, s.LOOKED_UP, "1.34")
OTP_BRAND_NAME_MAX_CHARS: Fact[int] = Fact(20, "characters", _OTP, s.LOOKED_UP, "1.34")
OTP_MESSAGE_TEMPLATE: Fact[str] = Fact(
    "This is your One Time Password: {otp} from {brand}",
    "",
    _OTP,
    s.LOOKED_UP,
    "1.34",
    note="The English body; the brand name is inserted as given.",
)
OTP_DEFAULTS: Fact[Mapping[str, int]] = Fact(
    {"CodeLength": 6, "ValidityPeriod": 15, "AllowedAttempts": 3},
    "",
    _OTP,
    s.LOOKED_UP,
    "1.34",
    confirmed=False,
    note="Used when a request leaves them out; the guide gives the ranges, not the defaults.",
)
PHONE_TYPES: Fact[tuple[str, ...]] = Fact(
    ("MOBILE", "LANDLINE", "VOIP", "INVALID", "PREPAID", "OTHER"),
    "",
    f"{_BC} NumberValidateResponse",
    s.BASELINE,
    "1.36",
    note="PhoneTypeCode carries the same information as a number from 0 to 5.",
)
PHONE_TYPE_CODES: Fact[Mapping[str, int]] = Fact(
    {"MOBILE": 0, "LANDLINE": 1, "VOIP": 2, "INVALID": 3, "OTHER": 4, "PREPAID": 5},
    "",
    f"{_BC} NumberValidateResponse.PhoneTypeCode",
    s.BASELINE,
    "1.36",
)
PHONE_VALIDATE_NO_LOCATION_REGIONS: Fact[tuple[str, ...]] = Fact(
    ("US", "CA"),
    "",
    "AWS-doc Pinpoint Developer Guide validate-phone-numbers.html",
    s.BASELINE,
    "1.36",
    note="For these numbers PhoneNumberValidate no longer returns City, County, Timezone and "
    "ZipCode.",
)

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
