"""Pinpoint campaigns and journeys: schedules, caps, states, activities, quotas (1.13-1.26)."""

from .. import _sources as s
from .._fact import Fact

_BC = f"{s.BOTOCORE} pinpoint"
_Q23 = s.PINPOINT_QUOTAS_2023
_D23 = s.PINPOINT_DEV_2023

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
