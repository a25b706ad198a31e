"""SMS and voice as AWS End User Messaging (``pinpoint-sms-voice-v2``) runs them, in plain Python.

The engine holds an account's origination identities (phone numbers, sender IDs, pools),
configuration sets and their event destinations, keywords, opt-out lists, the sandbox's
verified destinations and spend limits, and sends text and voice messages on the simulated
clock: a send is checked (identity, opt-out, sandbox, spend, MPS), recorded in the outbox,
reported as ``TEXT_QUEUED``/``TEXT_PENDING`` at once and as a final event after a seeded
carrier latency (``TEXT_UNKNOWN`` after 72 h without a receipt). Customer replies run the
number's keywords (STOP opts out, HELP answers) and go to its two-way SNS topic.

Every AWS figure comes from ``simlab.facts``; carrier outcomes and latencies are simulation
assumptions (``CarrierModel``), not AWS figures. Rejections raise ``SmsError`` subclasses that
name the modeled exception of the v2 API (``ValidationException``, ``ConflictException`` ...).
"""

from simlab.engage.sms.carrier import CarrierModel
from simlab.engage.sms.common import parse_e164, parse_new_e164, parse_new_e164_many
from simlab.engage.sms.constants import (
    DEFAULT_KEYWORD_MESSAGES,
    DEFAULT_OPT_OUT_LIST,
    ENCODING_NAMES,
    MCC,
    NO_SENDER_ID_COUNTRIES,
    NUMBER_COUNTRIES,
    SERVICE,
    SHARED_ROUTE_SENDER_ID,
    SPEND_KINDS,
    TOLL_FREE_OPT_IN_KEYWORDS,
    TOLL_FREE_STOP_REPLY,
)
from simlab.engage.sms.engine import SmsVoiceEngine
from simlab.engage.sms.errors import (
    ConflictError,
    NotFoundError,
    ProductionAccessRequired,
    QuotaError,
    SmsError,
    ThrottledError,
    ValidationError,
)
from simlab.engage.sms.event_record import TEXT_STATUS_DESCRIPTIONS, VOICE_STATUS_DESCRIPTIONS
from simlab.engage.sms.records import (
    ConfigurationSet,
    EventDestination,
    Keyword,
    Message,
    OptedOutNumber,
    OptOutList,
    PhoneNumber,
    Pool,
    SenderId,
    TwoWaySettings,
    VerifiedNumber,
)

__all__ = [
    "DEFAULT_KEYWORD_MESSAGES",
    "DEFAULT_OPT_OUT_LIST",
    "ENCODING_NAMES",
    "MCC",
    "NO_SENDER_ID_COUNTRIES",
    "NUMBER_COUNTRIES",
    "SERVICE",
    "SHARED_ROUTE_SENDER_ID",
    "SPEND_KINDS",
    "TEXT_STATUS_DESCRIPTIONS",
    "TOLL_FREE_OPT_IN_KEYWORDS",
    "TOLL_FREE_STOP_REPLY",
    "VOICE_STATUS_DESCRIPTIONS",
    "CarrierModel",
    "ConfigurationSet",
    "ConflictError",
    "EventDestination",
    "Keyword",
    "Message",
    "NotFoundError",
    "OptOutList",
    "OptedOutNumber",
    "PhoneNumber",
    "ProductionAccessRequired",
    "Pool",
    "QuotaError",
    "SenderId",
    "SmsError",
    "SmsVoiceEngine",
    "ThrottledError",
    "TwoWaySettings",
    "ValidationError",
    "VerifiedNumber",
    "parse_e164",
    "parse_new_e164",
    "parse_new_e164_many",
]
