"""Pinpoint templates, direct sends, one-time passwords and phone validation (1.27-1.36)."""

from collections.abc import Mapping

from .. import _sources as s
from .._fact import Fact

_BC = f"{s.BOTOCORE} pinpoint"
_Q23 = s.PINPOINT_QUOTAS_2023
_D23 = s.PINPOINT_DEV_2023

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
