"""Pinpoint event-stream record names: event types, envelope fields and SMS record attributes."""

from . import _sources as s
from ._fact import Fact

_D19 = s.PINPOINT_DEV_2019
_D23 = s.PINPOINT_DEV_2023
_RENDERED_2019 = (
    "AWS-doc awsdocs/amazon-pinpoint-developer-guide @86d72134 doc-source/analytics-streaming.html"
)

# Envelope (2.1) ---------------------------------------------------------------------------------
ENVELOPE_FIELDS: Fact[tuple[str, ...]] = Fact(
    (
        "event_type",
        "event_timestamp",
        "arrival_timestamp",
        "event_version",
        "application",
        "client",
        "device",
        "session",
        "attributes",
        "metrics",
        "awsAccountId",
    ),
    "",
    s.PINPOINT_STREAMS,
    _D23,
    "2.1",
    note="Timestamps are Unix milliseconds; for email event_timestamp is the send time. "
    "Campaign and journey records add client_context.custom.endpoint; email records add "
    "facets and client_context.custom.legacy_identifier.",
)
EVENT_VERSION: Fact[str] = Fact(
    "3.1", "", s.PINPOINT_STREAMS, _D23, "2.1", note="Schema version in current examples."
)
LEGACY_EVENT_VERSION: Fact[str] = Fact(
    "3.0", "", _RENDERED_2019, _D19, "2.1", note="Schema version in the 2019 examples."
)

# Email (2.2, 2.3) -------------------------------------------------------------------------------
EMAIL_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "_email.send",
        "_email.delivered",
        "_email.rejected",
        "_email.hardbounce",
        "_email.softbounce",
        "_email.complaint",
        "_email.open",
        "_email.click",
        "_email.unsubscribe",
        "_email.rendering_failure",
    ),
    "",
    f"{_RENDERED_2019}; Pinpoint User Guide 'Troubleshooting the email channel'",
    _D23,
    "2.2",
    note="There is no _email.bounce or _email.reject. Rendering-failure examples date from "
    "2020-02.",
)
SOFT_BOUNCE_SMTP_CODES: Fact[tuple[int, ...]] = Fact(
    (421, 450, 451, 452),
    "SMTP reply codes",
    s.PINPOINT_STREAMS,
    _D23,
    "2.2",
    note="Soft bounces are retried; hard bounces are not.",
)
CAMPAIGN_RECORD_ATTRIBUTES: Fact[tuple[str, ...]] = Fact(
    ("campaign_id", "campaign_activity_id", "treatment_id"),
    "",
    s.PINPOINT_STREAMS,
    _D23,
    "2.3",
    note="treatment_id is '0' outside A/B tests.",
)
JOURNEY_RECORD_ATTRIBUTES: Fact[tuple[str, ...]] = Fact(
    ("journey_id", "journey_run_id", "journey_activity_id"), "", s.PINPOINT_STREAMS, _D23, "2.3"
)

# SMS (2.4, 2.5) ---------------------------------------------------------------------------------
SMS_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    ("_SMS.BUFFERED", "_SMS.SUCCESS", "_SMS.FAILURE", "_SMS.OPTOUT"),
    "",
    "AWS-doc Pinpoint event-streams-data-sms.md (example shows _SMS.SUCCESS); "
    "2nd department-of-veterans-affairs/notification-api tests",
    _D23,
    "2.4",
    note="The full list is elided in the archived docs; these four are corroborated in "
    "production code.",
)
LEGACY_SMS_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    ("_sms.send", "_sms.success", "_sms.fail", "_sms.optout"),
    "",
    _RENDERED_2019,
    _D19,
    "2.4",
    note="Lower-case names of the 2019 documentation.",
)
SMS_RECEIVED_EVENT_TYPE: Fact[str] = Fact(
    "_SMS.RECEIVED",
    "",
    "2nd third-party code only",
    s.BASELINE,
    "2.4",
    confirmed=False,
    note="Inbound SMS normally reaches the two-way SNS topic instead (section 3).",
)
SMS_RECORD_ATTRIBUTES: Fact[tuple[str, ...]] = Fact(
    (
        "sender_request_id",
        "campaign_activity_id",
        "origination_phone_number",
        "destination_phone_number",
        "record_status",
        "iso_country_code",
        "treatment_id",
        "number_of_message_parts",
        "message_id",
        "message_type",
        "campaign_id",
    ),
    "",
    "AWS-doc Pinpoint Developer Guide event-streams-data-sms.md",
    _D23,
    "2.5",
    note="message_type is 'Transactional' or 'Promotional'.",
)
SMS_PRICE_METRIC: Fact[str] = Fact(
    "price_in_millicents_usd",
    "",
    "AWS-doc Pinpoint Developer Guide event-streams-data-sms.md",
    _D23,
    "2.5",
    note="A metric, absent on _SMS.BUFFERED; 645 means USD 0.00645.",
)
SMS_RECORD_STATUSES: Fact[tuple[str, ...]] = Fact(
    (
        "SUCCESSFUL",
        "DELIVERED",
        "PENDING",
        "INVALID",
        "UNREACHABLE",
        "UNKNOWN",
        "BLOCKED",
        "CARRIER_UNREACHABLE",
        "SPAM",
        "INVALID_MESSAGE",
        "CARRIER_BLOCKED",
        "TTL_EXPIRED",
        "MAX_PRICE_EXCEEDED",
    ),
    "",
    "2nd department-of-veterans-affairs/notification-api tests (official table elided)",
    s.BASELINE,
    "2.5",
)

# App, campaign and journey events (2.6-2.8) -----------------------------------------------------
APP_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "_session.start",
        "_session.stop",
        "_session.pause",
        "_session.resume",
        "_monetization.purchase",
        "_userauth.sign_in",
        "_userauth.sign_up",
        "_userauth.auth_fail",
    ),
    "",
    _RENDERED_2019,
    _D19,
    "2.6",
    note="Apps may also send any custom event name through PutEvents.",
)
CAMPAIGN_EVENT_TYPES: Fact[tuple[str, ...]] = Fact(
    (
        "_campaign.send",
        "_campaign.opened_notification",
        "_campaign.received_foreground",
        "_campaign.received_background",
    ),
    "",
    "2nd api-evangelist/amazon-pinpoint asyncapi/amazon-pinpoint-events.yml",
    s.API_EVANGELIST_READ,
    "2.7",
    note="The three push-interaction events are reported by the mobile SDK.",
)
CAMPAIGN_SEND_ATTRIBUTES: Fact[tuple[str, ...]] = Fact(
    (
        "treatment_id",
        "campaign_activity_id",
        "delivery_type",
        "campaign_id",
        "campaign_send_status",
    ),
    "",
    "2nd api-evangelist/amazon-pinpoint asyncapi/amazon-pinpoint-events.yml",
    s.API_EVANGELIST_READ,
    "2.7",
    note="The list of campaign_send_status values is not confirmed, so it is not modelled.",
)
JOURNEY_EVENT_TYPE: Fact[str] = Fact(
    "_journey.send",
    "",
    "AWS-doc Pinpoint Developer Guide event-streams-data-journey.md",
    _D23,
    "2.8",
    note="Every journey record uses this one event type.",
)
JOURNEY_SEND_ATTRIBUTES: Fact[tuple[str, ...]] = Fact(
    (
        "journey_run_id",
        "journey_send_status",
        "journey_id",
        "journey_activity_id",
        "journey_activity_type",
    ),
    "",
    "AWS-doc Pinpoint Developer Guide event-streams-data-journey.md",
    _D23,
    "2.8",
    note="The list of journey_send_status values is not confirmed, so it is not modelled.",
)
JOURNEY_ACTIVITY_TYPES: Fact[tuple[str, ...]] = Fact(
    ("EMAIL", "SMS", "PUSH", "CONTACT_CENTER", "CUSTOM"),
    "",
    "AWS-doc Pinpoint Developer Guide event-streams-data-journey.md",
    _D23,
    "2.8",
    note="Values of journey_activity_type; VOICE is not a journey activity.",
)
