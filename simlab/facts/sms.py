"""AWS End User Messaging SMS and voice: throughput, encodings, quotas, keywords and events."""

from collections.abc import Mapping

from . import _sources as s
from ._fact import Fact

_V2 = f"{s.BOTOCORE} pinpoint-sms-voice-v2"
_Q23 = s.SMS_QUOTAS_2023
_D23 = s.PINPOINT_DEV_2023

# Throughput in message parts per second (4.7) ---------------------------------------------------
SHORT_CODE_MPS: Fact[int] = Fact(
    100,
    "message parts/s",
    s.SMS_MPS,
    s.BASELINE,
    "4.7",
    note="US and Canada; elsewhere it varies. More US short-code throughput can be bought.",
)
SHORT_CODE_MMS_MPS: Fact[int] = Fact(
    40, "MMS/s", s.SMS_MPS, s.BASELINE, "4.7", note="US and Canada short codes."
)
TOLL_FREE_MPS: Fact[int] = Fact(
    3,
    "message parts/s",
    s.SMS_MPS,
    s.BASELINE,
    "4.7",
    note="US toll-free, SMS and MMS. Spreading load over many numbers (snowshoeing) is "
    "not allowed.",
)
TEN_DLC_MPS: Fact[int] = Fact(
    1,
    "message parts/s",
    s.SMS_MPS,
    s.BASELINE,
    "4.7",
    note="Default per US 10DLC number; raising it takes a separate request, and the rate "
    "granted depends on brand vetting score and campaign type (see TEN_DLC_VETTING_TIERS).",
)
LONG_CODE_MPS_US_CA: Fact[int] = Fact(
    1,
    "message parts/s",
    s.SMS_MPS,
    s.BASELINE,
    "4.7",
    note="US long codes are 10DLC numbers (TEN_DLC_MPS); Canadian long codes also send 1/s.",
)
LONG_CODE_MPS_OTHER: Fact[int] = Fact(
    10, "message parts/s", s.SMS_MPS, s.BASELINE, "4.7", note="Long codes outside US and Canada."
)
SENDER_ID_MPS: Fact[int] = Fact(
    10,
    "message parts/s",
    "AWS-doc Pinpoint Developer Guide channels-sms-limitations-mps.md @929dbc4",
    _D23,
    "4.7",
    confirmed=False,
    note="Customer-defined and shared-route sender IDs, per the 2023 Pinpoint guide; the "
    "current value is not confirmed.",
)
MPS_BY_ORIGINATION_TYPE: Fact[Mapping[str, int]] = Fact(
    {
        "SHORT_CODE": 100,
        "TOLL_FREE": 3,
        "TEN_DLC": 1,
        "LONG_CODE": 10,
        "LONG_CODE_US_CA": 1,
        "SENDER_ID": 10,
    },
    "message parts/s",
    f"{s.SMS_MPS}; AWS-doc Pinpoint channels-sms-limitations-mps.md @929dbc4",
    s.BASELINE,
    "4.7",
    confirmed=False,
    note="LONG_CODE is the rate outside the US and Canada; LONG_CODE_US_CA is Canada's (US "
    "long codes are TEN_DLC). Only SENDER_ID is unconfirmed; the per-type facts carry "
    "their own flags.",
)
MAX_MESSAGES_PER_RECIPIENT_PER_SECOND: Fact[int] = Fact(
    1, "messages/s per destination number", s.SMS_MPS, s.BASELINE, "4.7"
)
DRY_RUN_MPS: Fact[int] = Fact(
    5, "message parts/s", f"{_V2} SendTextMessage DryRun", s.BASELINE, "4.7"
)

# Origination when the request names none --------------------------------------------------------
SHARED_ROUTES_UNAVAILABLE: Fact[tuple[str, ...]] = Fact(
    ("US",),
    "ISO country codes",
    "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/phone-pool-shared-routes.html",
    s.BASELINE,
    "4.7",
    note="'Shared identities are unavailable in some countries, including the United States'; "
    "only the US is named, so only the US is listed.",
)
PINPOINT_ORIGINATION_ORDER: Fact[tuple[str, ...]] = Fact(
    ("SHORT_CODE", "TEN_DLC", "LONG_CODE", "TOLL_FREE", "SENDER_ID", "SHARED_ROUTE"),
    "",
    "AWS-doc https://docs.aws.amazon.com/pinpoint/latest/userguide/"
    "channels-sms-limitations-fallback.html",
    s.PINPOINT_USER_2023,
    "4.7",
    note="With no OriginationNumber or SenderId, Pinpoint tries dedicated numbers (short code, "
    "10DLC, then long code/toll-free; domestic before international; transactional first), "
    "then default sender IDs, then shared routes. An OriginationNumber not in the account is "
    "an error, with no fallback.",
)

# Encoding and message parts (4.7) ---------------------------------------------------------------
MESSAGE_PART_BYTES: Fact[int] = Fact(140, "bytes", s.SMS_MPS, s.BASELINE, "4.7")
GSM7_SINGLE_PART_CHARS: Fact[int] = Fact(160, "characters", s.SMS_MPS, s.BASELINE, "4.7")
GSM7_MULTIPART_CHARS: Fact[int] = Fact(
    153,
    "characters per part",
    s.SMS_MPS,
    s.BASELINE,
    "4.7",
    note="Each part of a split message carries a header that reorders the parts.",
)
UCS2_SINGLE_PART_CHARS: Fact[int] = Fact(70, "characters", s.SMS_MPS, s.BASELINE, "4.7")
UCS2_MULTIPART_CHARS: Fact[int] = Fact(67, "characters per part", s.SMS_MPS, s.BASELINE, "4.7")
GSM7_BASIC_ALPHABET: Fact[str] = Fact(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà",
    "",
    f"{s.SMS_CHARACTERS}; code order per 3GPP TS 23.038 default alphabet",
    s.LOOKED_UP,
    "4.7",
    note="128 positions, index = 7-bit code. Position 0x1B is the escape to the extension "
    "table, not a character. Each other character counts as one septet.",
)
GSM7_EXTENSION: Fact[Mapping[str, int]] = Fact(
    {
        "\x0c": 0x0A,
        "^": 0x14,
        "{": 0x28,
        "}": 0x29,
        "\\": 0x2F,
        "[": 0x3C,
        "~": 0x3D,
        "]": 0x3E,
        "|": 0x40,
        "€": 0x65,
    },
    "",
    f"{s.SMS_CHARACTERS}; code positions per 3GPP TS 23.038 extension table",
    s.LOOKED_UP,
    "4.7",
    note="Character -> code after the 0x1B escape. Each counts as two characters (septets).",
)

# Spend and sandbox (4.9) ------------------------------------------------------------------------
_SANDBOX = "AWS-doc Pinpoint channels-sms-sandbox.md; channels-sms-awssupport-sandbox.html"
DEFAULT_MONTHLY_SPEND_LIMIT_USD: Fact[float] = Fact(
    1.00, "USD per month", _SANDBOX, _D23, "4.9", note="SMS spend limit of a new account."
)
DEFAULT_MONTHLY_MMS_SPEND_LIMIT_USD: Fact[float] = Fact(
    1.00, "USD per month", _SANDBOX, _D23, "4.9", note="MMS spend limit in the v2 sandbox."
)
SPEND_LIMIT_NAMES: Fact[tuple[str, ...]] = Fact(
    (
        "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
        "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT",
        "MEDIA_MESSAGE_MONTHLY_SPEND_LIMIT",
        "NOTIFY_MESSAGE_MONTHLY_SPEND_LIMIT",
        "RCS_MESSAGE_MONTHLY_SPEND_LIMIT",
    ),
    "",
    f"{_V2} SpendLimitName",
    s.BASELINE,
    "4.9",
)
SANDBOX_MAX_VERIFIED_NUMBERS: Fact[int] = Fact(
    10,
    "verified destination numbers",
    _SANDBOX,
    _D23,
    "4.9",
    note="The SMS sandbox reaches verified destinations only.",
)

# Account quotas (4.10, 3.4, 2.10) ---------------------------------------------------------------
MAX_PHONE_NUMBERS: Fact[int] = Fact(25, "numbers per account", _Q23, _D23, "4.10")
MAX_POOLS: Fact[int] = Fact(25, "pools per account", _Q23, _D23, "4.10")
MAX_CONFIGURATION_SETS: Fact[int] = Fact(25, "configuration sets per account", _Q23, _D23, "4.10")
MAX_OPT_OUT_LISTS: Fact[int] = Fact(
    25, "opt-out lists per account", _Q23, _D23, "4.10", note="Includes the required Default list."
)
MAX_IDENTITIES_PER_POOL: Fact[int] = Fact(100, "origination identities", _Q23, _D23, "4.10")
MAX_TWO_WAY_SNS_TOPICS: Fact[int] = Fact(100_000, "SNS topics for two-way", _Q23, _D23, "4.10")
MANAGEMENT_API_RATE: Fact[int] = Fact(
    1,
    "requests/s",
    "AWS-doc AWS End User Messaging SMS quotas",
    s.BASELINE,
    "4.10",
    note="Most v2 management operations; send operations are governed by MPS instead.",
)
MAX_KEYWORDS_PER_NUMBER: Fact[int] = Fact(30, "keywords", _Q23, _D23, "3.4")
MAX_EVENT_DESTINATIONS_PER_CONFIGURATION_SET: Fact[int] = Fact(
    5, "event destinations", f"{_V2} EventDestination", s.BASELINE, "2.10"
)

# 10DLC (4.8) ------------------------------------------------------------------------------------
TEN_DLC_VETTING_TIERS: Fact[Mapping[str, Mapping[str, float]]] = Fact(
    {
        "76-100": {"att_mps": 75, "tmobile_messages_per_day": 200_000},
        "51-75": {"att_mps": 40, "tmobile_messages_per_day": 40_000},
        "1-49": {"att_mps": 4, "tmobile_messages_per_day": 10_000},
        "low_volume_or_unvetted": {"att_mps": 0.2, "tmobile_messages_per_day": 2_000},
    },
    "",
    "2nd AWS blog '10DLC Campaign Types and Quotas' (exact numbers second-hand)",
    s.BASELINE,
    "4.8",
    note="Standard campaign type, keyed by brand vetting score. Marketing types are similar.",
)
TEN_DLC_COMPANIES_PER_ACCOUNT: Fact[int] = Fact(25, "companies", _Q23, _D23, "4.8")
TEN_DLC_CAMPAIGNS_PER_COMPANY: Fact[int] = Fact(10, "campaigns", _Q23, _D23, "4.8")
TEN_DLC_NUMBERS_PER_CAMPAIGN: Fact[int] = Fact(49, "numbers", _Q23, _D23, "4.8")

# Voice (4.11) -----------------------------------------------------------------------------------
VOICE_SANDBOX_CALLS_PER_24H: Fact[int] = Fact(20, "calls/24h", _Q23, _D23, "4.11")
VOICE_SANDBOX_CALLS_PER_MINUTE: Fact[int] = Fact(5, "calls/min", _Q23, _D23, "4.11")
VOICE_PRODUCTION_CALLS_PER_MINUTE: Fact[int] = Fact(20, "calls/min", _Q23, _D23, "4.11")
VOICE_CALLS_PER_RECIPIENT_PER_24H: Fact[int] = Fact(
    5, "calls/24h per recipient", _Q23, _D23, "4.11"
)
VOICE_CALLS_PER_SECOND_PER_NUMBER: Fact[int] = Fact(
    1, "calls/s per origination number", _Q23, _D23, "4.11"
)
VOICE_SANDBOX_MAX_MESSAGE_SECONDS: Fact[int] = Fact(30, "s", _Q23, _D23, "4.11")
VOICE_MAX_MESSAGE_SECONDS: Fact[int] = Fact(300, "s", _Q23, _D23, "4.11")
VOICE_MAX_BILLABLE_CHARS: Fact[int] = Fact(3_000, "characters", _Q23, _D23, "4.11")
VOICE_MAX_CHARS_WITH_SSML: Fact[int] = Fact(6_000, "characters", _Q23, _D23, "4.11")

# Keywords and opt-out (3.3, 3.4) ----------------------------------------------------------------
OPT_OUT_KEYWORDS: Fact[tuple[str, ...]] = Fact(
    ("ARRET", "CANCEL", "END", "OPT-OUT", "OPTOUT", "QUIT", "REMOVE", "STOP", "TD", "UNSUBSCRIBE"),
    "",
    "AWS-doc Pinpoint channels-sms-limitations-opt-out.md",
    _D23,
    "3.3",
    note="US, Canada and others; the reply must reach the same long or short code.",
)
TOLL_FREE_OPT_OUT_KEYWORDS: Fact[tuple[str, ...]] = Fact(
    ("STOP",),
    "",
    "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/opt-out-list-keywords.html",
    s.LOOKED_UP_DEC,
    "3.3",
    note="US toll-free opt-out is managed by the carriers: STOP is the only opt-out keyword, no "
    "other can be added and the reply cannot be customised; UNSTOP or START re-subscribes.",
)
DEFAULT_KEYWORDS: Fact[tuple[str, ...]] = Fact(
    ("HELP", "STOP"),
    "",
    f"{_V2} UpdatePhoneNumberRequest",
    s.BASELINE,
    "3.4",
    note="With SelfManagedOptOutsEnabled=false both get a customisable automatic reply and "
    "STOP adds the sender to the number's opt-out list.",
)
KEYWORD_ACTIONS: Fact[tuple[str, ...]] = Fact(
    ("AUTOMATIC_RESPONSE", "OPT_OUT", "OPT_IN"), "", f"{_V2} KeywordAction", s.BASELINE, "3.4"
)

# Two-way (3.1, 3.2) -----------------------------------------------------------------------------
_TWO_WAY = "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms.html"
TWO_WAY_DESTINATIONS: Fact[tuple[str, ...]] = Fact(
    ("SNS", "Connect"),
    "",
    _TWO_WAY,
    s.BASELINE,
    "3.1",
    note="Inbound messages go to an SNS topic (not FIFO in the Pinpoint flow) or Amazon Connect.",
)
TWO_WAY_SERVICE_PRINCIPAL: Fact[str] = Fact(
    "sms-voice.amazonaws.com",
    "",
    "AWS-doc Pinpoint User Guide channels-sms-two-way.md",
    s.PINPOINT_USER_2023,
    "3.1",
    note="Must be allowed sns:Publish on the topic (and kms:GenerateDataKey*/kms:Decrypt for "
    "an encrypted topic).",
)
TWO_WAY_PAYLOAD_FIELDS: Fact[tuple[str, ...]] = Fact(
    (
        "originationNumber",
        "destinationNumber",
        "messageKeyword",
        "messageBody",
        "inboundMessageId",
        "previousPublishedMessageId",
    ),
    "",
    "AWS-doc sms-voice User Guide two-way-sms-payload.html",
    s.BASELINE,
    "3.2",
    note="originationNumber is the customer; destinationNumber is your number.",
)

# Types and events (2.9, 2.10) -------------------------------------------------------------------
MESSAGE_TYPES: Fact[tuple[str, ...]] = Fact(
    ("TRANSACTIONAL", "PROMOTIONAL"), "", f"{_V2} MessageType", s.BASELINE, "4.7"
)
NUMBER_TYPES: Fact[tuple[str, ...]] = Fact(
    ("SHORT_CODE", "TOLL_FREE", "TEN_DLC", "LONG_CODE", "SIMULATOR"),
    "",
    f"{_V2} NumberType",
    s.BASELINE,
    "4.7",
)
EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "ALL",
        "TEXT_ALL",
        "TEXT_SENT",
        "TEXT_PENDING",
        "TEXT_QUEUED",
        "TEXT_SUCCESSFUL",
        "TEXT_DELIVERED",
        "TEXT_INVALID",
        "TEXT_INVALID_MESSAGE",
        "TEXT_UNREACHABLE",
        "TEXT_CARRIER_UNREACHABLE",
        "TEXT_BLOCKED",
        "TEXT_CARRIER_BLOCKED",
        "TEXT_SPAM",
        "TEXT_UNKNOWN",
        "TEXT_TTL_EXPIRED",
        "TEXT_PROTECT_BLOCKED",
        "VOICE_ALL",
        "VOICE_INITIATED",
        "VOICE_RINGING",
        "VOICE_ANSWERED",
        "VOICE_COMPLETED",
        "VOICE_BUSY",
        "VOICE_NO_ANSWER",
        "VOICE_FAILED",
        "VOICE_TTL_EXPIRED",
        "MEDIA_ALL",
        "MEDIA_PENDING",
        "MEDIA_QUEUED",
        "MEDIA_SUCCESSFUL",
        "MEDIA_DELIVERED",
        "MEDIA_INVALID",
        "MEDIA_INVALID_MESSAGE",
        "MEDIA_UNREACHABLE",
        "MEDIA_CARRIER_UNREACHABLE",
        "MEDIA_BLOCKED",
        "MEDIA_CARRIER_BLOCKED",
        "MEDIA_SPAM",
        "MEDIA_UNKNOWN",
        "MEDIA_TTL_EXPIRED",
        "MEDIA_FILE_INACCESSIBLE",
        "MEDIA_FILE_TYPE_UNSUPPORTED",
        "MEDIA_FILE_SIZE_EXCEEDED",
        "RCS_ALL",
        "RCS_QUEUED",
        "RCS_SENT",
        "RCS_DELIVERED",
        "RCS_READ",
        "RCS_FAILED",
        "RCS_TTL_EXPIRED",
        "RCS_PROTECT_BLOCKED",
        "RCS_FALLEN_BACK_TO_SMS",
    ),
    "",
    f"{_V2} EventType",
    s.BASELINE,
    "2.10",
    note="TEXT_SENT cannot be used as an event-destination filter.",
)
EVENT_DESTINATION_TYPES: Fact[tuple[str, ...]] = Fact(
    ("CloudWatchLogsDestination", "KinesisFirehoseDestination", "SnsDestination"),
    "",
    f"{_V2} EventDestination",
    s.BASELINE,
    "2.10",
)
EVENT_RECORD_VERSION: Fact[str] = Fact("1.0", "", s.SMS_EVENT_FORMAT, s.BASELINE, "2.10")
EVENT_RECORD_FIELDS: Fact[tuple[str, ...]] = Fact(
    (
        "eventType",
        "eventVersion",
        "eventTimestamp",
        "isFinal",
        "originationPhoneNumber",
        "destinationPhoneNumber",
        "isInternationalSend",
        "mcc",
        "mnc",
        "messageId",
        "messageRequestTimestamp",
        "messageEncoding",
        "messageType",
        "messageStatus",
        "messageStatusDescription",
        "context",
        "totalMessageParts",
        "totalMessagePrice",
        "totalCarrierFee",
    ),
    "",
    s.SMS_EVENT_FORMAT,
    s.BASELINE,
    "2.10",
    note="camelCase, unlike Pinpoint's snake_case stream records.",
)
VOICE_V1_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    ("INITIATED_CALL", "RINGING", "ANSWERED", "COMPLETED_CALL", "BUSY", "FAILED", "NO_ANSWER"),
    "",
    f"{s.BOTOCORE} pinpoint-sms-voice EventType",
    s.BASELINE,
    "2.9",
)
CARRIER_RECEIPT_TIMEOUT_HOURS: Fact[int] = Fact(
    72,
    "hours",
    "AWS-doc Pinpoint Developer Guide event-streams-data-sms.md",
    _D23,
    "2.5",
    note="Without a final carrier receipt by then, the record_status becomes UNKNOWN.",
)


def origination_mps(number_type: str, iso_country: str = "US") -> Fact[int]:
    """Return the MPS fact for an origination type (`NUMBER_TYPES` or 'SENDER_ID') in a country."""
    country = iso_country.upper()
    if number_type == "LONG_CODE":
        return LONG_CODE_MPS_US_CA if country in ("US", "CA") else LONG_CODE_MPS_OTHER
    by_type = {
        "SHORT_CODE": SHORT_CODE_MPS,
        "TOLL_FREE": TOLL_FREE_MPS,
        "TEN_DLC": TEN_DLC_MPS,
        "SENDER_ID": SENDER_ID_MPS,
    }
    if number_type not in by_type:
        allowed = ", ".join([*by_type, "LONG_CODE"])
        raise KeyError(f"number_type {number_type!r} has no MPS fact; allowed: {allowed}")
    return by_type[number_type]
