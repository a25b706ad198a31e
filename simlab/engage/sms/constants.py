"""The fixed tables of End User Messaging SMS and voice: countries, keywords, spend kinds."""

from __future__ import annotations

import phonenumbers
import phonenumbers.re_util

from simlab.primitives.sms_parts import GSM7

# Keep every compiled phonenumbers pattern: the re module's bounded cache drops them between
# sends, and recompiling them made each new destination cost milliseconds.
phonenumbers.re_util.enable_pattern_cache()

SERVICE = "sms-voice"
DEFAULT_OPT_OUT_LIST = "Default"
#: How AWS names the encodings in event records.
ENCODING_NAMES = {GSM7: "GSM", "UCS-2": "Unicode"}
#: The default answers of the two keywords every number starts with (our wording).
DEFAULT_KEYWORD_MESSAGES = {
    "HELP": "Reply STOP to stop receiving messages. Message and data rates may apply.",
    "STOP": "You are unsubscribed and will receive no more messages from this number.",
}
DEFAULT_KEYWORD_ACTIONS = {"HELP": "AUTOMATIC_RESPONSE", "STOP": "OPT_OUT"}
#: US toll-free opt-outs are handled by the carriers: STOP is the only opt-out keyword, no
#: other can be added, the reply cannot be customised, and UNSTOP or START re-subscribes
#: (https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html).
TOLL_FREE_OPT_IN_KEYWORDS = ("UNSTOP", "START")
#: What the carrier answers a STOP to a US toll-free number with. AWS does not publish the
#: carriers' text; this wording is ours. It is the same for every account and cannot be changed.
TOLL_FREE_STOP_REPLY = (
    "Carrier notice: you are unsubscribed from texts sent by this toll-free number. "
    "Reply UNSTOP to receive them again."
)
#: Mobile country codes (ITU E.212) for the countries numbers are offered in.
MCC = {
    "US": "310", "CA": "302", "GB": "234", "DE": "262", "FR": "208", "ES": "214", "IT": "222",
    "IN": "404", "AU": "505", "JP": "440", "BR": "724", "MX": "334", "SG": "525", "VN": "452",
}  # fmt: skip
#: Where each requestable number type is offered here.
NUMBER_COUNTRIES = {
    "TEN_DLC": ("US",),
    "TOLL_FREE": ("US", "CA"),
    "SIMULATOR": ("US",),
    "LONG_CODE": tuple(c for c in MCC if c != "US"),
    "SHORT_CODE": tuple(MCC),
}
#: Countries where alphanumeric sender IDs are not supported.
NO_SENDER_ID_COUNTRIES = ("US", "CA")
#: The generic sender ID a shared route shows where it uses one (End User Messaging guide).
SHARED_ROUTE_SENDER_ID = "NOTICE"
SPEND_KINDS = {"TEXT": 0, "VOICE": 1, "MEDIA": 2, "NOTIFY": 3, "RCS": 4}
VOICE_WORDS_PER_SECOND = 2.5  # a simulation assumption: how fast a TTS voice speaks
