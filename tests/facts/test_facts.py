"""Tests for simlab.facts: provenance of every figure, spot values, and contracts with botocore."""

import dataclasses
import pathlib
import re
from collections.abc import Mapping
from datetime import date

import pytest
from botocore import xform_name
from botocore.loaders import Loader

from simlab import facts
from simlab.facts import Fact, all_facts, lookup

REFERENCE = pathlib.Path(__file__).resolve().parents[3] / "shared/reference/aws-facts.md"
ALL = all_facts()


def _sections(text: str) -> set[str]:
    numbered = re.findall(r"^(\d+\.\d+)\s", text, flags=re.MULTILINE)
    lettered = re.findall(r"^#+\s+(\d+[A-Z])\.", text, flags=re.MULTILINE)
    return set(numbered) | set(lettered)


@pytest.fixture(scope="module")
def botocore_model():
    loader = Loader()
    return lambda service: loader.load_service_model(service, "service-2")


# Provenance -------------------------------------------------------------------------------------


def test_there_are_facts_in_every_module():
    modules = {key.partition(".")[0] for key in ALL}
    assert modules == {m.__name__.rpartition(".")[2] for m in facts.MODULES}


@pytest.mark.parametrize("key", sorted(ALL))
def test_fact_has_tagged_source_iso_date_and_ref(key):
    fact = ALL[key]
    assert fact.source.strip()
    assert fact.source.startswith(("AWS-doc", "BC", "2nd", "moto"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.as_of)
    assert date.fromisoformat(fact.as_of) >= date(2019, 1, 1)
    assert fact.ref
    assert isinstance(fact.confirmed, bool)


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference/aws-facts.md not present")
def test_every_ref_names_a_section_of_the_reference():
    sections = _sections(REFERENCE.read_text(encoding="utf-8"))
    assert {"0.1", "1A", "4.12", "7.4"} <= sections
    missing = {key: fact.ref for key, fact in ALL.items() if fact.ref not in sections}
    assert missing == {}


@pytest.mark.parametrize("key", sorted(ALL))
def test_fact_has_a_public_https_url_a_learner_can_open(key):
    url = ALL[key].url
    assert re.fullmatch(r"https://[\w.-]+\.(com|cn|aws)/\S*", url), url
    assert "example.invalid" not in url


def test_a_url_in_the_source_is_the_facts_url_and_botocore_links_the_pinned_model():
    assert (
        facts.ses.SANDBOX_MAX_24_HOUR_SEND.url
        == "https://docs.aws.amazon.com/ses/latest/dg/quotas.html"
    )
    assert facts.pinpoint.SEGMENT_TYPES.url == (
        "https://github.com/boto/botocore/blob/1.44.8/botocore/data/pinpoint/2016-12-01/service-2.json"
    )


def test_each_fact_object_has_one_key():
    assert len({id(fact) for fact in ALL.values()}) == len(ALL)


@pytest.mark.parametrize(
    "key",
    [
        "ses.PRODUCTION_MAX_24_HOUR_SEND",
        "ses.PRODUCTION_MAX_SEND_RATE",
        "sms.SENDER_ID_MPS",
        "sms.MPS_BY_ORIGINATION_TYPE",
        "sns.PUBLISH_TPS_BY_REGION",
        "prices.SMS_EXAMPLE_PRICE_US_2019",
        "prices.SMS_EXAMPLE_TOTAL_PRICE_V2",
        "prices.FIREHOSE_PER_GB",
        "prices.SNS_FIFO_PUBLISH_PER_MILLION",
        "prices.PINPOINT_IN_APP_PER_REQUEST",
        "prices.SES_LEGACY_FREE_TIER",
        "events.SMS_RECEIVED_EVENT_TYPE",
        "lifecycle.PINPOINT_EOS_ANNOUNCED",
        "exams.EXAM_SERVICES",
    ],
)
def test_figures_the_reference_marks_unconfirmed_are_unconfirmed(key):
    assert lookup(key).confirmed is False
    assert "UNCONFIRMED" in lookup(key).describe()


@pytest.mark.parametrize(
    "key",
    [
        "ses.SANDBOX_MAX_24_HOUR_SEND",
        "ses.SANDBOX_MAX_SEND_RATE",
        "sms.TOLL_FREE_MPS",
        "pinpoint.SEND_MESSAGES_MAX_RECIPIENTS",
        "api.OPERATION_COUNTS",
        "lifecycle.PINPOINT_END_OF_SUPPORT",
    ],
)
def test_confirmed_figures_are_confirmed(key):
    assert lookup(key).confirmed is True
    assert "UNCONFIRMED" not in lookup(key).describe()


# Spot values ------------------------------------------------------------------------------------


def test_ses_sandbox_quota():
    assert facts.ses.SANDBOX_MAX_24_HOUR_SEND.value == 200
    assert facts.ses.SANDBOX_MAX_24_HOUR_SEND.unit == "messages/24h"
    assert facts.ses.SANDBOX_MAX_SEND_RATE.value == 1
    assert facts.ses.SANDBOX_MAX_SEND_RATE.unit == "messages/s"
    assert (
        facts.ses.PRODUCTION_MAX_24_HOUR_SEND.value,
        facts.ses.PRODUCTION_MAX_SEND_RATE.value,
    ) == (
        50_000,
        14,
    )


def test_ses_message_limits_and_thresholds():
    assert facts.ses.MAX_RECIPIENTS_PER_MESSAGE.value == 50
    assert facts.ses.MAX_MESSAGE_BYTES_V2.value == 4 * facts.ses.MAX_MESSAGE_BYTES_V1.value
    assert facts.ses.BOUNCE_RATE_REVIEW.value < facts.ses.BOUNCE_RATE_PAUSE.value
    assert facts.ses.COMPLAINT_RATE_REVIEW.value < facts.ses.COMPLAINT_RATE_PAUSE.value


def test_toll_free_mps():
    assert facts.sms.TOLL_FREE_MPS.value == 3
    assert facts.sms.MPS_BY_ORIGINATION_TYPE.value["TOLL_FREE"] == 3
    assert facts.sms.origination_mps("TOLL_FREE") is facts.sms.TOLL_FREE_MPS


def test_mps_table_agrees_with_per_type_facts():
    table = facts.sms.MPS_BY_ORIGINATION_TYPE.value
    assert table == {
        "SHORT_CODE": facts.sms.SHORT_CODE_MPS.value,
        "TOLL_FREE": facts.sms.TOLL_FREE_MPS.value,
        "TEN_DLC": facts.sms.TEN_DLC_MPS.value,
        "LONG_CODE": facts.sms.LONG_CODE_MPS_OTHER.value,
        "LONG_CODE_US_CA": facts.sms.LONG_CODE_MPS_US_CA.value,
        "SENDER_ID": facts.sms.SENDER_ID_MPS.value,
    }


@pytest.mark.parametrize(
    ("number_type", "country", "expected"),
    [
        ("LONG_CODE", "ca", 1),
        ("LONG_CODE", "DE", 10),
        ("TEN_DLC", "US", 1),
        ("SHORT_CODE", "US", 100),
    ],
)
def test_origination_mps(number_type, country, expected):
    assert facts.sms.origination_mps(number_type, country).value == expected


def test_origination_mps_names_allowed_types():
    with pytest.raises(KeyError, match="allowed: SHORT_CODE"):
        facts.sms.origination_mps("SIMULATOR")


def test_pinpoint_direct_send_limits():
    assert facts.pinpoint.SEND_MESSAGES_MAX_RECIPIENTS.value == 100
    assert facts.pinpoint.SEND_USERS_MESSAGES_MAX_USERS.value == 100
    assert facts.pinpoint.api_rate_limit("SendMessages") == 4_000
    assert facts.pinpoint.api_rate_limit("PutEvents") == 15
    assert facts.pinpoint.api_rate_limit("GetSegments") == 300
    assert facts.pinpoint.API_RATE_LIMITS_2023.value["PutEvents"] == 7_000


def test_pinpoint_has_122_operations():
    assert facts.api.OPERATION_COUNTS.value["pinpoint"] == 122
    assert sum(facts.api.PINPOINT_OPERATIONS_BY_AREA.value.values()) == 122
    assert len(facts.api.MOTO_PINPOINT_OPERATIONS.value) == 12


def test_pinpoint_end_of_support():
    assert facts.lifecycle.PINPOINT_END_OF_SUPPORT.value == date(2026, 10, 30)
    assert facts.lifecycle.PINPOINT_NO_NEW_CUSTOMERS.value == date(2025, 5, 20)
    assert facts.lifecycle.END_USER_MESSAGING_RENAME.value == "2024-Q3"


def test_sns_sizes():
    assert facts.sns.MAX_MESSAGE_BYTES.value == 256 * 1024
    assert facts.sns.MAX_MESSAGE_BYTES_RAISED.value == 1024 * 1024
    assert facts.sns.PUBLISH_BATCH_MAX.value == 10
    assert facts.sns.PUBLISH_TPS_BY_REGION.value["us-east-1"] == 30_000


def test_ses_record_event_types_pair_with_v2_event_types():
    pairs = facts.ses.EVENT_TYPE_TO_RECORD_TYPE.value
    assert tuple(pairs) == facts.ses.EVENT_TYPES.value
    assert set(pairs.values()) == set(facts.ses.EVENT_RECORD_TYPES.value)
    assert pairs["RENDERING_FAILURE"] == "Rendering Failure"
    assert pairs["DELIVERY_DELAY"] == "DeliveryDelay"


def test_mailbox_simulator_addresses():
    simulator = facts.ses.MAILBOX_SIMULATOR.value
    assert {address.partition("@")[0] for address in simulator} == {
        "success",
        "bounce",
        "ooto",
        "complaint",
        "suppressionlist",
    }
    domain = facts.ses.MAILBOX_SIMULATOR_DOMAIN.value
    assert all(address.endswith("@" + domain) for address in simulator)
    assert "amazonses.com/" not in facts.ses.MAILBOX_SIMULATOR.source
    assert facts.ses.MAILBOX_SIMULATOR.source.startswith("AWS-doc https://docs.aws.amazon.com/")


def test_endpoint_limit_channels_partition_channel_types():
    reject = set(facts.pinpoint.ENDPOINT_LIMIT_REJECT_CHANNELS.value)
    evict = set(facts.pinpoint.ENDPOINT_LIMIT_EVICT_CHANNELS.value)
    assert reject.isdisjoint(evict)
    assert reject | evict == set(facts.pinpoint.CHANNEL_TYPES.value)
    assert len(facts.pinpoint.CHANNEL_TYPES.value) == 13


def test_recency_hours_cover_every_duration():
    hours = facts.pinpoint.RECENCY_DURATION_HOURS.value
    assert tuple(hours) == facts.pinpoint.RECENCY_DURATIONS.value
    assert hours["DAY_30"] == 720


# Event names ------------------------------------------------------------------------------------

EVENT_TUPLES = [
    "ses.EVENT_TYPES",
    "ses.EVENT_RECORD_TYPES",
    "sms.EVENT_TYPES",
    "sms.VOICE_V1_EVENT_TYPES",
    "events.EMAIL_EVENT_TYPES",
    "events.SMS_EVENT_TYPES",
    "events.LEGACY_SMS_EVENT_TYPES",
    "events.APP_EVENT_TYPES",
    "events.CAMPAIGN_EVENT_TYPES",
    "events.SMS_RECORD_STATUSES",
]


@pytest.mark.parametrize("key", EVENT_TUPLES)
def test_event_type_tuples_have_no_duplicates(key):
    names = lookup(key).value
    assert isinstance(names, tuple) and names
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("key", [k for k, f in ALL.items() if isinstance(f.value, tuple)])
def test_no_tuple_fact_repeats_an_entry(key):
    assert len(set(ALL[key].value)) == len(ALL[key].value)


def test_email_events_use_hard_and_soft_bounces():
    names = facts.events.EMAIL_EVENT_TYPES.value
    assert "_email.hardbounce" in names and "_email.softbounce" in names
    assert "_email.bounce" not in names and "_email.reject" not in names
    assert facts.events.SOFT_BOUNCE_SMTP_CODES.value == (421, 450, 451, 452)
    assert facts.events.JOURNEY_EVENT_TYPE.value == "_journey.send"
    assert facts.events.EVENT_VERSION.value == "3.1"


# GSM-7 ------------------------------------------------------------------------------------------


def test_gsm7_basic_alphabet_has_128_distinct_positions():
    alphabet = facts.sms.GSM7_BASIC_ALPHABET.value
    assert len(alphabet) == 128
    assert len(set(alphabet)) == 128
    assert alphabet[0x00] == "@"
    assert alphabet[0x1B] == "\x1b"
    assert alphabet[0x41] == "A" and alphabet[0x61] == "a" and alphabet[0x7F] == "à"


def test_gsm7_extension_characters_are_outside_the_basic_set():
    extension = facts.sms.GSM7_EXTENSION.value
    assert set("^{}\\[~]|€") <= set(extension)
    assert not set(extension) & set(facts.sms.GSM7_BASIC_ALPHABET.value)
    assert extension["€"] == 0x65


def test_sms_part_sizes():
    sms = facts.sms
    assert (sms.GSM7_SINGLE_PART_CHARS.value, sms.GSM7_MULTIPART_CHARS.value) == (160, 153)
    assert (sms.UCS2_SINGLE_PART_CHARS.value, sms.UCS2_MULTIPART_CHARS.value) == (70, 67)
    assert sms.GSM7_SINGLE_PART_CHARS.value * 7 == sms.MESSAGE_PART_BYTES.value * 8
    assert sms.UCS2_SINGLE_PART_CHARS.value * 2 == sms.MESSAGE_PART_BYTES.value


# The Fact record --------------------------------------------------------------------------------


def test_describe_reads_value_unit_source_and_date():
    fact = Fact(200, "messages/24h", "AWS-doc https://example.invalid/q", "2023-06-15", "4.12")
    assert (
        fact.describe() == "200 messages/24h (AWS-doc https://example.invalid/q, as of 2023-06-15)"
    )
    assert str(fact) == fact.describe()
    shaky = Fact(
        14, "messages/s", "2nd blog", "2026-11-01", "4.12", confirmed=False, url="https://b.invalid"
    )
    assert shaky.describe() == "14 messages/s UNCONFIRMED (2nd blog, as of 2026-11-01)"


def test_describe_formats_usd_and_fractions():
    assert facts.prices.SES_PER_1000_RECIPIENTS.describe().startswith(
        "0.10 USD per 1,000 recipients"
    )
    assert facts.ses.COMPLAINT_RATE_REVIEW.describe().startswith("0.1% (")


def test_facts_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.ses.SANDBOX_MAX_SEND_RATE.value = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        facts.sns.PUBLISH_TPS_BY_REGION.value["us-east-1"] = 1  # type: ignore[index]
    assert isinstance(facts.sns.PUBLISH_TPS_BY_REGION.value, Mapping)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("source", {"source": "blog https://example.invalid"}),
        ("as_of", {"as_of": "June 2026"}),
        ("as_of", {"as_of": "2026-13-01"}),
        ("ref", {"ref": "section four"}),
        ("url", {"url": "http://example.invalid/plain-http"}),
        ("url", {"url": "https://example.invalid/a page"}),
        ("SOURCE_URLS", {"source": "2nd a blog with no address", "url": ""}),
    ],
)
def test_fact_rejects_bad_provenance(field, kwargs):
    base = {
        "value": 1,
        "unit": "",
        "source": "BC x",
        "as_of": "2026-11-01",
        "ref": "0.1",
        "url": "https://example.invalid/x",
    }
    with pytest.raises(ValueError, match=field):
        Fact(**(base | kwargs))


def test_fact_tag():
    assert facts.api.MOTO_PINPOINT_OPERATIONS.tag == "moto"
    assert facts.ses.SANDBOX_MAX_SEND_RATE.tag == "AWS-doc"


def test_all_facts_keys_and_lookup():
    assert "ses.SANDBOX_MAX_24_HOUR_SEND" in ALL
    assert all(re.fullmatch(r"[a-z]+\.[A-Z0-9_]+", key) for key in ALL)
    assert lookup("ses.SANDBOX_MAX_24_HOUR_SEND") is facts.ses.SANDBOX_MAX_24_HOUR_SEND
    with pytest.raises(KeyError, match="ses.SANDBOX_MAX_SEND_RATE"):
        lookup("ses.SANDBOX_MAX_SEND")
    with pytest.raises(KeyError, match="no fact named 'nope'"):
        lookup("nope")


def test_public_names():
    for name in facts.__all__:
        assert hasattr(facts, name)


# Contracts with the installed botocore and moto --------------------------------------------------


#: Services the local AWS serves; botocore releases add operations and enum values to any of
#: them, so these tests accept additions (they show up in ``simlab coverage``) and catch removals.
EMULATED = (
    "pinpoint",
    "pinpoint-sms-voice-v2",
    "sesv2",
    "ses",
    "sns",
    "firehose",
    "kinesis",
    "logs",
)


def _is_subsequence(items, sequence) -> bool:
    remaining = iter(sequence)
    return all(item in remaining for item in items)


@pytest.mark.parametrize("service", [s for s in EMULATED if s in facts.api.OPERATION_COUNTS.value])
def test_installed_botocore_keeps_at_least_the_operations_counted(botocore_model, service):
    counted = facts.api.OPERATION_COUNTS.value[service]
    assert len(botocore_model(service)["operations"]) >= counted


@pytest.mark.parametrize("service", [s for s in EMULATED if s in facts.api.API_VERSIONS.value])
def test_api_versions_match_installed_botocore(botocore_model, service):
    installed = botocore_model(service)["metadata"]["apiVersion"]
    assert installed == facts.api.API_VERSIONS.value[service]


def test_subsequence_check_accepts_additions_and_catches_removals_and_reordering():
    assert _is_subsequence(("A", "C"), ("A", "B", "C"))
    assert not _is_subsequence(("A", "D"), ("A", "B", "C"))
    assert not _is_subsequence(("C", "A"), ("A", "B", "C"))


@pytest.mark.parametrize(
    ("key", "service", "shape"),
    [
        ("pinpoint.CHANNEL_TYPES", "pinpoint", "ChannelType"),
        ("pinpoint.RECENCY_DURATIONS", "pinpoint", "Duration"),
        ("pinpoint.ATTRIBUTE_TYPES", "pinpoint", "AttributeType"),
        ("pinpoint.SCHEDULE_FREQUENCIES", "pinpoint", "Frequency"),
        ("pinpoint.CAMPAIGN_STATUSES", "pinpoint", "CampaignStatus"),
        ("pinpoint.JOURNEY_STATES", "pinpoint", "State"),
        ("pinpoint.TEMPLATE_TYPES", "pinpoint", "TemplateType"),
        ("pinpoint.DELIVERY_STATUSES", "pinpoint", "DeliveryStatus"),
        ("pinpoint.IN_APP_LAYOUTS", "pinpoint", "Layout"),
        ("ses.EVENT_TYPES", "sesv2", "EventType"),
        ("sms.EVENT_TYPES", "pinpoint-sms-voice-v2", "EventType"),
        ("sms.SPEND_LIMIT_NAMES", "pinpoint-sms-voice-v2", "SpendLimitName"),
        ("sms.KEYWORD_ACTIONS", "pinpoint-sms-voice-v2", "KeywordAction"),
        ("sms.VOICE_V1_EVENT_TYPES", "pinpoint-sms-voice", "EventType"),
        ("prices.SES_PLAN_NAMES", "sesv2", "PricingPlan"),
    ],
)
def test_enums_keep_their_values_and_order_in_installed_botocore(
    botocore_model, key, service, shape
):
    assert _is_subsequence(lookup(key).value, botocore_model(service)["shapes"][shape]["enum"])


@pytest.mark.parametrize(
    ("key", "shape"),
    [("sms.NUMBER_TYPES", "NumberType"), ("sms.MESSAGE_TYPES", "MessageType")],
)
def test_sms_v2_enums_match_as_sets(botocore_model, key, shape):
    enum = botocore_model("pinpoint-sms-voice-v2")["shapes"][shape]["enum"]
    assert set(lookup(key).value) == set(enum)


def test_activity_types_match_botocore(botocore_model):
    members = set(botocore_model("pinpoint")["shapes"]["Activity"]["members"]) - {"Description"}
    assert set(facts.pinpoint.ACTIVITY_TYPES.value) == members


def test_rate_limited_operations_exist(botocore_model):
    operations = set(botocore_model("pinpoint")["operations"])
    assert set(facts.pinpoint.API_RATE_LIMITS.value) <= operations
    assert set(facts.pinpoint.API_RATE_LIMITS_2023.value) <= operations
    assert set(facts.api.MOTO_PINPOINT_OPERATIONS.value) <= operations


def test_moto_pinpoint_operations_match_installed_moto():
    from moto.pinpoint.responses import PinpointResponse

    handlers = {xform_name(op) for op in facts.api.MOTO_PINPOINT_OPERATIONS.value}
    public = {
        n for n in vars(PinpointResponse) if not n.startswith("_") and n != "pinpoint_backend"
    }
    assert handlers == public


def test_moto_limits_match_installed_moto():
    from moto.firehose.models import DeliveryStream
    from moto.ses.models import RECIPIENT_LIMIT
    from moto.sns.models import MAXIMUM_MESSAGE_LENGTH, MAXIMUM_SMS_MESSAGE_BYTES

    assert facts.api.MOTO_SES_RECIPIENT_LIMIT.value == RECIPIENT_LIMIT
    assert facts.api.MOTO_SNS_MAX_MESSAGE_BYTES.value == MAXIMUM_MESSAGE_LENGTH
    assert facts.api.MOTO_SNS_MAX_SMS_BYTES.value == MAXIMUM_SMS_MESSAGE_BYTES
    assert facts.api.MOTO_FIREHOSE_MAX_STREAMS.value == DeliveryStream.MAX_STREAMS_PER_REGION
