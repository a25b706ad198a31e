"""The SMS and voice engine: identities, sends, events, keywords, opt-outs, sandbox, spend, MPS."""

import contextlib
import hashlib
import itertools
import json

import numpy as np
import pytest

from simlab.engage.clock import Clock
from simlab.engage.faults import EngageError
from simlab.engage.outbox import Outbox
from simlab.engage.sms import (
    TOLL_FREE_STOP_REPLY,
    ConflictError,
    NotFoundError,
    ProductionAccessRequired,
    QuotaError,
    SmsError,
    SmsVoiceEngine,
    ThrottledError,
    ValidationError,
)
from simlab.facts import prices, sms
from simlab.sim.rates import MpsLimiter

CUSTOMER = "+12065550142"
LOG_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/sms"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:replies"


def make_engine(seed: int = 0) -> tuple[SmsVoiceEngine, list, list]:
    delivered: list[tuple[str, dict]] = []
    published: list[tuple[str, dict]] = []
    counter = itertools.count()

    streams: dict[str, np.random.Generator] = {}

    def rng(name: str) -> np.random.Generator:
        if name not in streams:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
            streams[name] = np.random.default_rng([seed, key])
        return streams[name]

    engine = SmsVoiceEngine(
        clock=Clock(),
        outbox=Outbox(),
        rng=rng,
        new_id=lambda: f"00000000-0000-0000-0000-{next(counter):012d}",
        deliver=lambda arn, record: delivered.append((arn, record)),
        publish=lambda arn, text: published.append((arn, json.loads(text))),
    )
    return engine, delivered, published


@pytest.fixture
def world():
    engine, delivered, published = make_engine()
    engine.leave_sandbox()
    number = engine.request_phone_number(
        iso_country="US",
        message_type="TRANSACTIONAL",
        capabilities=["SMS", "VOICE"],
        number_type="TOLL_FREE",
    )
    engine.create_configuration_set("alerts")
    engine.create_event_destination(
        "alerts", "logs", ["ALL"], cloudwatch_logs={"IamRoleArn": "r", "LogGroupArn": LOG_ARN}
    )
    return engine, number, delivered, published


@pytest.fixture
def toll_free() -> SmsVoiceEngine:
    """An engine out of the sandbox with a US toll-free number for texts."""
    engine, _, _ = make_engine()
    engine.leave_sandbox()
    engine.request_phone_number(
        iso_country="US",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        number_type="TOLL_FREE",
    )
    return engine


# -- identities ---------------------------------------------------------------------------------


def test_numbers_are_allocated_deterministically_and_valid_for_their_type():
    first, _, _ = make_engine(seed=7)
    second, _, _ = make_engine(seed=7)
    kwargs = {"iso_country": "US", "message_type": "TRANSACTIONAL", "capabilities": ["SMS"]}
    a = [
        first.request_phone_number(number_type=t, **kwargs).number for t in ("TOLL_FREE", "TEN_DLC")
    ]
    b = [
        second.request_phone_number(number_type=t, **kwargs).number
        for t in ("TOLL_FREE", "TEN_DLC")
    ]
    assert a == b
    assert a[0][:5] in {"+1800", "+1833", "+1844", "+1855", "+1866", "+1877", "+1888"}
    gb = first.request_phone_number(number_type="LONG_CODE", **{**kwargs, "iso_country": "GB"})
    assert gb.number.startswith("+447")


def test_a_number_type_is_offered_only_where_it_exists():
    engine, _, _ = make_engine()
    with pytest.raises(ValidationError, match="TEN_DLC numbers are offered here in US") as error:
        engine.request_phone_number(
            iso_country="GB",
            message_type="PROMOTIONAL",
            capabilities=["SMS"],
            number_type="TEN_DLC",
        )
    assert error.value.members()["Fields"][0]["Name"] == "IsoCountryCode"


def test_the_phone_number_quota_comes_from_the_facts():
    engine, _, _ = make_engine()
    kwargs = {"iso_country": "US", "message_type": "TRANSACTIONAL", "capabilities": ["SMS"]}
    for _ in range(sms.MAX_PHONE_NUMBERS.value):
        engine.request_phone_number(number_type="TEN_DLC", **kwargs)
    with pytest.raises(QuotaError) as error:
        engine.request_phone_number(number_type="TEN_DLC", **kwargs)
    assert error.value.reason == "PHONE_NUMBERS_PER_ACCOUNT"


def test_deletion_protection_and_pool_membership_keep_a_number(world):
    engine, number, _, _ = world
    engine.update_phone_number(number.phone_number_id, deletion_protection=True)
    with pytest.raises(ConflictError) as error:
        engine.release_phone_number(number.arn)
    assert error.value.reason == "DELETION_PROTECTION_ENABLED"
    engine.update_phone_number(number.phone_number_id, deletion_protection=False)
    pool = engine.create_pool(number.phone_number_id, "TRANSACTIONAL")
    with pytest.raises(ConflictError) as error:
        engine.release_phone_number(number.phone_number_id)
    assert error.value.reason == "PHONE_NUMBER_ASSOCIATED_TO_POOL"
    with pytest.raises(ConflictError) as error:
        engine.disassociate(pool.pool_id, number.phone_number_id)
    assert error.value.reason == "LAST_PHONE_NUMBER"
    engine.delete_pool(pool.pool_id)
    assert engine.release_phone_number(number.phone_number_id).status == "DELETED"
    with pytest.raises(NotFoundError):
        engine.phone_number(number.phone_number_id)


def test_a_pool_sends_from_the_member_with_throughput_to_spare():
    engine, _, _ = make_engine()
    engine.leave_sandbox()
    kwargs = {"iso_country": "US", "message_type": "TRANSACTIONAL", "capabilities": ["SMS"]}
    a = engine.request_phone_number(number_type="TEN_DLC", **kwargs)
    b = engine.request_phone_number(number_type="TEN_DLC", **kwargs)
    pool = engine.create_pool(a.phone_number_id, "TRANSACTIONAL")
    engine.associate(pool.pool_id, b.arn)
    ids = [engine.send_text_message(CUSTOMER, "hi", origination_identity=pool.arn) for _ in "ab"]
    assert [engine.messages[i].origin for i in ids] == [a.number, b.number]
    with pytest.raises(ThrottledError):  # both 10DLC numbers spent their 1 part this second
        engine.send_text_message(CUSTOMER, "hi", origination_identity=pool.pool_id)


def test_sender_ids_are_refused_where_carriers_do_not_carry_them():
    engine, _, _ = make_engine()
    with pytest.raises(ValidationError) as error:
        engine.request_sender_id("SHOP", "US")
    assert error.value.reason == "SENDER_ID_NOT_SUPPORTED"
    assert engine.request_sender_id("SHOP", "GB").arn.endswith(":sender-id/SHOP/GB")


# -- sending and events -------------------------------------------------------------------------


def test_a_send_is_queued_and_pending_at_once_and_final_after_the_carrier(world):
    engine, number, delivered, _ = world
    message_id = engine.send_text_message(
        CUSTOMER,
        "Your order shipped",
        origination_identity=number.number,
        configuration_set="alerts",
        context={"order": "1042"},
    )
    assert [r["eventType"] for _, r in delivered] == ["TEXT_QUEUED", "TEXT_PENDING"]
    assert engine.outbox.last(to=CUSTOMER).status == "PENDING"
    engine.clock.advance(3600)
    types = [r["eventType"] for _, r in delivered]
    assert types[:2] == ["TEXT_QUEUED", "TEXT_PENDING"] and len(types) == 3
    final = delivered[-1][1]
    assert final["isFinal"] is True and final["messageId"] == message_id
    assert set(sms.EVENT_RECORD_FIELDS.value) - {"mnc"} <= set(final)
    assert final["eventVersion"] == "1.0"
    assert final["context"] == {"order": "1042"}
    assert final["totalMessageParts"] == 1
    assert final["totalMessagePrice"] == prices.SMS_EXAMPLE_PRICE_US_2019.value
    assert final["messageEncoding"] == "GSM"
    assert engine.outbox.last(to=CUSTOMER).status == final["messageStatus"]
    assert {arn for arn, _ in delivered} == {LOG_ARN}


def test_event_destinations_get_only_the_types_they_match(world):
    engine, number, delivered, _ = world
    engine.create_event_destination(
        "alerts", "finals", ["TEXT_DELIVERED"], sns_topic={"TopicArn": TOPIC_ARN}
    )
    engine.carrier.force(CUSTOMER, "DELIVERED")
    engine.send_text_message(
        CUSTOMER, "hi", origination_identity=number.number, configuration_set="alerts"
    )
    engine.clock.advance(3600)
    to_sns = [r["eventType"] for arn, r in delivered if arn == TOPIC_ARN]
    assert to_sns == ["TEXT_DELIVERED"]
    with pytest.raises(ValidationError, match="TEXT_SENT cannot be used"):
        engine.create_event_destination("alerts", "x", ["TEXT_SENT"], sns_topic={"TopicArn": "t"})


def test_no_receipt_in_72_hours_ends_as_unknown_and_ttl_expires_first(world):
    engine, number, delivered, _ = world
    engine.carrier.force(CUSTOMER, "UNKNOWN")
    engine.send_text_message(
        CUSTOMER, "a", origination_identity=number.number, configuration_set="alerts"
    )
    engine.clock.advance(71 * 3600)
    assert delivered[-1][1]["eventType"] == "TEXT_PENDING"
    engine.clock.advance(3600)
    assert delivered[-1][1]["eventType"] == "TEXT_UNKNOWN"
    assert delivered[-1][1]["eventTimestamp"] - delivered[0][1]["eventTimestamp"] == 72 * 3600_000
    engine.carrier.forced.clear()
    engine.carrier.median_latency_s = 600
    engine.send_text_message(
        CUSTOMER, "b", origination_identity=number.number, configuration_set="alerts", ttl=5
    )
    engine.clock.advance(10)
    assert delivered[-1][1]["eventType"] == "TEXT_TTL_EXPIRED"


def test_parts_and_price_follow_the_encoding(world):
    engine, number, _, _ = world
    long_text = "Giao hàng hôm nay 🚚 " * 4  # the emoji makes it UCS-2
    message_id = engine.send_text_message(CUSTOMER, long_text, origination_identity=number.number)
    message = engine.messages[message_id]
    assert message.encoding == "Unicode" and message.parts == 2
    assert message.price == pytest.approx(2 * prices.SMS_EXAMPLE_PRICE_US_2019.value)
    with pytest.raises(ValidationError) as error:
        engine.send_text_message(
            CUSTOMER, long_text, origination_identity=number.number, max_price="0.001"
        )
    assert error.value.reason == "PRICE_OVER_THRESHOLD"


def test_a_number_sends_only_to_its_own_country_unless_international(world):
    engine, number, _, _ = world
    with pytest.raises(ValidationError) as error:
        engine.send_text_message("+447700900123", "hi", origination_identity=number.number)
    assert error.value.reason == "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY"


@pytest.mark.parametrize(
    ("destination", "field"),
    [("2065550142", "DestinationPhoneNumber"), ("+1206", "DestinationPhoneNumber")],
)
def test_a_destination_must_be_e164(world, destination, field):
    engine, number, _, _ = world
    with pytest.raises(ValidationError) as error:
        engine.send_text_message(destination, "hi", origination_identity=number.number)
    assert error.value.field == field and "E.164" in error.value.message


def test_an_unknown_identity_is_named(world):
    engine, _, _, _ = world
    with pytest.raises(NotFoundError, match="OriginationIdentity"):
        engine.send_text_message(CUSTOMER, "hi", origination_identity="phone-nope")


# -- throughput ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number_type", "country", "mps"),
    [
        ("TOLL_FREE", "US", 3),
        ("TEN_DLC", "US", 1),
        ("LONG_CODE", "GB", 10),
        ("SHORT_CODE", "US", 100),
    ],
)
def test_mps_comes_from_the_facts_per_origination_type(number_type, country, mps):
    assert MpsLimiter.rate_of(number_type, country) == mps
    assert sms.origination_mps(number_type, country).value == mps


def test_the_mps_limiter_spends_parts_and_refills_on_the_clock():
    limiter = MpsLimiter()
    assert limiter.try_send("tf", "TOLL_FREE", "US", 3, now=0.0)
    assert not limiter.try_send("tf", "TOLL_FREE", "US", 1, now=0.0)
    assert limiter.wait_time("tf", "TOLL_FREE", "US", 1, now=0.0) == pytest.approx(1 / 3)
    assert limiter.try_send("tf", "TOLL_FREE", "US", 1, now=0.34)
    # a 3-part message on a 1-MPS number goes, and the number then owes 2 seconds
    assert limiter.try_send("dlc", "TEN_DLC", "US", 3, now=0.0)
    assert not limiter.try_send("dlc", "TEN_DLC", "US", 1, now=2.5)
    assert limiter.try_send("dlc", "TEN_DLC", "US", 1, now=3.0)


def test_sending_faster_than_the_mps_is_throttled_and_counted(world):
    engine, number, _, _ = world
    for _ in range(sms.TOLL_FREE_MPS.value):
        engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)
    with pytest.raises(ThrottledError, match="3 message parts per second"):
        engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)
    engine.clock.advance(1)
    engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)
    counts = engine.counts("SMS")
    assert counts["throttled"] == 1 and counts["sent"] == 5
    assert engine.outbox.filter(status="THROTTLED")[0].detail["accepted"] is False


def test_short_codes_send_a_hundred_parts_a_second():
    engine, _, _ = make_engine()
    engine.leave_sandbox()
    code = engine.provision_short_code("US")
    assert code.number_type == "SHORT_CODE" and len(code.number) == 5
    for _ in range(100):
        engine.send_text_message(CUSTOMER, "x", origination_identity=code.number)
    with pytest.raises(ThrottledError):
        engine.send_text_message(CUSTOMER, "x", origination_identity=code.number)


# -- replies, keywords, opt-outs ----------------------------------------------------------------


def test_stop_opts_the_customer_out_and_later_sends_are_refused(world):
    engine, number, _, published = world
    engine.update_phone_number(
        number.phone_number_id, two_way_enabled=True, two_way_channel_arn=TOPIC_ARN
    )
    heard = []
    engine.opt_out_listeners.append(heard.append)
    first = engine.send_text_message(CUSTOMER, "Sale!", origination_identity=number.number)
    payload = engine.receive(CUSTOMER, number.number, "stop")
    assert published == [(TOPIC_ARN, payload)]
    assert set(payload) == set(sms.TWO_WAY_PAYLOAD_FIELDS.value)
    assert payload["previousPublishedMessageId"] == first
    assert payload["messageKeyword"] == "STOP"
    assert heard == [CUSTOMER]
    assert engine.outbox.last(to=CUSTOMER).detail["automatic_response"] == "STOP"
    _, entries = engine.describe_opted_out_numbers("Default")
    assert [(e.number, e.end_user) for e in entries] == [(CUSTOMER, True)]
    with pytest.raises(ConflictError) as error:
        engine.send_text_message(CUSTOMER, "More!", origination_identity=number.number)
    assert error.value.reason == "DESTINATION_PHONE_NUMBER_OPTED_OUT"
    counts = engine.counts("SMS")
    assert counts == {**counts, "sent": 2, "opted_out": 1}


@pytest.mark.parametrize("word", sms.OPT_OUT_KEYWORDS.value)
def test_every_carrier_opt_out_keyword_opts_out_of_a_10dlc_number(world, word):
    engine, _, _, _ = world
    number = engine.request_phone_number(
        iso_country="US", message_type="TRANSACTIONAL", capabilities=["SMS"], number_type="TEN_DLC"
    )
    engine.receive(CUSTOMER, number.number, f"{word.lower()} please")
    assert engine.is_opted_out("Default", CUSTOMER)


def test_a_us_toll_free_number_opts_out_on_stop_alone(world):
    engine, number, _, _ = world
    assert sms.TOLL_FREE_OPT_OUT_KEYWORDS.value == ("STOP",)
    engine.receive(CUSTOMER, number.number, "UNSUBSCRIBE")
    assert not engine.is_opted_out("Default", CUSTOMER)
    engine.receive(CUSTOMER, number.number, "Stop")
    assert engine.is_opted_out("Default", CUSTOMER)


def test_help_answers_with_the_keyword_message_and_custom_keywords_work(world):
    engine, number, _, _ = world
    engine.put_keyword(number.phone_number_id, "HELP", "Call 555-0100 for help")
    engine.put_keyword(number.phone_number_id, "join", "Welcome back!", "OPT_IN")
    engine.receive(CUSTOMER, number.number, "HELP")
    assert engine.outbox.last(to=CUSTOMER).body == "Call 555-0100 for help"
    engine.receive(CUSTOMER, number.number, "STOP")
    engine.receive(CUSTOMER, number.number, "JOIN")
    assert not engine.is_opted_out("Default", CUSTOMER)
    assert engine.outbox.last(to=CUSTOMER).body == "Welcome back!"


def test_stop_and_help_cannot_be_deleted_or_change_their_action(world):
    engine, number, _, _ = world
    with pytest.raises(ConflictError):
        engine.delete_keyword(number.phone_number_id, "STOP")
    with pytest.raises(ConflictError):
        engine.put_keyword(number.phone_number_id, "STOP", "bye", "AUTOMATIC_RESPONSE")
    _, keywords = engine.describe_keywords(number.phone_number_id)
    assert [k.keyword for k in keywords] == ["HELP", "STOP"]


def test_self_managed_opt_outs_only_publish_the_reply(world):
    engine, _, _, published = world
    number = engine.request_phone_number(
        iso_country="US", message_type="TRANSACTIONAL", capabilities=["SMS"], number_type="TEN_DLC"
    )
    engine.update_phone_number(
        number.phone_number_id,
        self_managed_opt_outs=True,
        two_way_enabled=True,
        two_way_channel_arn=TOPIC_ARN,
    )
    before = len(engine.outbox)
    engine.receive(CUSTOMER, number.number, "STOP")
    assert not engine.is_opted_out("Default", CUSTOMER)
    assert len(engine.outbox) == before
    assert published[-1][1]["messageBody"] == "STOP"


# -- US toll-free: the carrier handles opt-outs (sms-voice/latest/userguide/keywords-required) ---


def test_a_us_toll_free_number_refuses_a_custom_stop_reply_or_another_opt_out_keyword(world):
    engine, number, _, _ = world
    for word, action in (("STOP", None), ("CANCEL", "OPT_OUT")):
        with pytest.raises(ConflictError) as error:
            engine.put_keyword(number.phone_number_id, word, "Bye from Shop", action)
        assert error.value.reason == "RESOURCE_MODIFICATION_NOT_ALLOWED"
    engine.put_keyword(number.phone_number_id, "START", "Welcome back", "OPT_IN")
    _, keywords = engine.describe_keywords(number.phone_number_id)
    assert [(k.keyword, k.action) for k in keywords] == [
        ("HELP", "AUTOMATIC_RESPONSE"),
        ("STOP", "OPT_OUT"),
        ("START", "OPT_IN"),
    ]


def test_stop_to_a_us_toll_free_number_gets_the_carriers_reply_and_lands_on_the_list(world):
    engine, number, _, _ = world
    engine.receive(CUSTOMER, number.number, "STOP")
    reply = engine.outbox.last(to=CUSTOMER)
    assert reply.body == TOLL_FREE_STOP_REPLY
    assert reply.detail["answered_by"] == "carrier"
    assert reply.body != engine.describe_keywords(number.phone_number_id, ["STOP"])[1][0].message
    _, entries = engine.describe_opted_out_numbers("Default")
    assert [(e.number, e.end_user) for e in entries] == [(CUSTOMER, True)]


def test_a_10dlc_number_answers_stop_with_its_own_keyword_message(world):
    engine, _, _, _ = world
    number = engine.request_phone_number(
        iso_country="US", message_type="TRANSACTIONAL", capabilities=["SMS"], number_type="TEN_DLC"
    )
    engine.put_keyword(number.phone_number_id, "STOP", "Bye from Shop")
    engine.receive(CUSTOMER, number.number, "STOP")
    assert engine.outbox.last(to=CUSTOMER).body == "Bye from Shop"
    assert "answered_by" not in engine.outbox.last(to=CUSTOMER).detail


def test_the_carrier_blocks_a_toll_free_number_until_the_customer_texts_unstop(world):
    engine, number, _, _ = world
    engine.carrier.force(CUSTOMER, "DELIVERED")
    engine.receive(CUSTOMER, number.number, "STOP")
    engine.delete_opted_out_number("Default", CUSTOMER)  # the list is not the carrier's block
    blocked = engine.send_text_message(CUSTOMER, "Sale!", origination_identity=number.number)
    engine.clock.advance(3600)
    assert engine.messages[blocked].status == "CARRIER_BLOCKED"
    engine.receive(CUSTOMER, number.number, "UNSTOP")
    delivered = engine.send_text_message(CUSTOMER, "Sale!", origination_identity=number.number)
    engine.clock.advance(3600)
    assert engine.messages[delivered].status == "DELIVERED"


def test_the_carrier_answers_stop_to_a_toll_free_number_even_with_self_managed_opt_outs(world):
    engine, number, _, _ = world
    engine.update_phone_number(number.phone_number_id, self_managed_opt_outs=True)
    engine.receive(CUSTOMER, number.number, "STOP")
    assert engine.outbox.last(to=CUSTOMER).body == TOLL_FREE_STOP_REPLY
    assert not engine.is_opted_out("Default", CUSTOMER)


# -- OTP needs production access (pinpoint/latest/developerguide/send-validate-otp) -------------


def test_otp_is_refused_in_the_sandbox_and_without_an_active_identity():
    engine, _, _ = make_engine()
    number = engine.request_phone_number(
        iso_country="US", message_type="TRANSACTIONAL", capabilities=["SMS"], number_type="TEN_DLC"
    )
    with pytest.raises(ProductionAccessRequired, match="production access") as error:
        engine.check_otp_ready("SendOTPMessage", number.number, CUSTOMER)
    assert (error.value.code, error.value.resource_type) == ("ConflictException", "account")
    engine.leave_sandbox()
    number.status = "PENDING"  # e.g. waiting for its registration
    with pytest.raises(ProductionAccessRequired, match="active origination identity"):
        engine.check_otp_ready("SendOTPMessage", number.number, CUSTOMER)
    with pytest.raises(ProductionAccessRequired, match="active origination identity"):
        engine.check_otp_ready("SendOTPMessage", None, CUSTOMER)
    number.status = "ACTIVE"
    engine.check_otp_ready("SendOTPMessage", number.number, CUSTOMER)
    engine.check_otp_ready("SendOTPMessage", None, CUSTOMER)


def test_two_way_needs_a_channel(world):
    engine, number, _, _ = world
    with pytest.raises(ValidationError) as error:
        engine.update_phone_number(number.phone_number_id, two_way_enabled=True)
    assert error.value.reason == "TWO_WAY_CHANNEL_NOT_PRESENT"


def test_an_opt_out_list_in_use_or_default_cannot_be_deleted(world):
    engine, number, _, _ = world
    engine.create_opt_out_list("marketing")
    engine.update_phone_number(number.phone_number_id, opt_out_list_name="marketing")
    for name in ("Default", "marketing"):
        with pytest.raises(ConflictError) as error:
            engine.delete_opt_out_list(name)
        assert error.value.reason == "RESOURCE_DELETION_NOT_ALLOWED"


# -- sandbox and spend --------------------------------------------------------------------------


def test_the_sandbox_sends_only_to_verified_numbers():
    engine, _, _ = make_engine()
    number = engine.request_phone_number(
        iso_country="US",
        message_type="TRANSACTIONAL",
        capabilities=["SMS"],
        number_type="TOLL_FREE",
    )
    with pytest.raises(ConflictError) as error:
        engine.send_text_message(CUSTOMER, "hi", origination_identity=number.number)
    assert error.value.reason == "DESTINATION_PHONE_NUMBER_NOT_VERIFIED"
    verified = engine.create_verified_destination_number(CUSTOMER)
    engine.send_verification_code(verified.verified_id)
    code = engine.outbox.last(to=CUSTOMER).detail["code"]
    with pytest.raises(ValidationError) as error:
        engine.verify_destination_number(
            verified.verified_id, "000000" if code != "000000" else "1"
        )
    assert error.value.reason == "VERIFICATION_CODE_MISMATCH"
    assert engine.verify_destination_number(verified.verified_id, code).status == "VERIFIED"
    assert engine.send_text_message(CUSTOMER, "hi", origination_identity=number.number)


def test_the_sandbox_holds_ten_verified_numbers():
    engine, _, _ = make_engine()
    for i in range(sms.SANDBOX_MAX_VERIFIED_NUMBERS.value):
        engine.create_verified_destination_number(f"+1206555{i:04d}")
    with pytest.raises(QuotaError) as error:
        engine.create_verified_destination_number("+12065559999")
    assert error.value.reason == "VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT"


def test_the_monthly_spend_limit_stops_sends_and_resets_next_month(world):
    engine, number, _, _ = world
    assert engine.spend_limit("TEXT") == sms.DEFAULT_MONTHLY_SPEND_LIMIT_USD.value
    per_message = prices.SMS_EXAMPLE_PRICE_US_2019.value
    affordable = int(sms.DEFAULT_MONTHLY_SPEND_LIMIT_USD.value // per_message)
    for _ in range(affordable):
        engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)
        engine.clock.advance(1)
    with pytest.raises(QuotaError) as error:
        engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)
    assert error.value.reason == "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT"
    engine.clock.advance_to("2026-02-01T00:00:00Z")
    assert engine.send_text_message(CUSTOMER, "x", origination_identity=number.number)


def test_a_spend_override_cannot_pass_the_account_limit(world):
    engine, _, _, _ = world
    with pytest.raises(ValidationError) as error:
        engine.set_spend_limit_override("TEXT", 5)
    assert error.value.reason == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"
    engine.set_spend_limit_override("TEXT", 0)
    assert engine.describe_spend_limits()[0] == {
        "Name": "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT",
        "EnforcedLimit": 0,
        "MaxLimit": 1,
        "Overridden": True,
    }


# -- voice --------------------------------------------------------------------------------------


def test_a_voice_call_rings_and_completes_or_fails(world):
    engine, number, delivered, _ = world
    engine.carrier.force(CUSTOMER, "COMPLETED")
    engine.send_voice_message(
        CUSTOMER, number.number, "Your code is 1 2 3 4", configuration_set="alerts"
    )
    engine.clock.advance(60)
    assert [r["eventType"] for _, r in delivered] == [
        "VOICE_INITIATED",
        "VOICE_RINGING",
        "VOICE_ANSWERED",
        "VOICE_COMPLETED",
    ]
    assert engine.counts("VOICE")["delivered"] == 1
    with pytest.raises(ValidationError) as error:
        engine.send_voice_message(CUSTOMER, number.number, "x" * 3001)
    assert error.value.reason == "MAXIMUM_SIZE_EXCEEDED"


def test_a_recipient_gets_at_most_five_calls_a_day(world):
    engine, number, _, _ = world
    for _ in range(sms.VOICE_CALLS_PER_RECIPIENT_PER_24H.value):
        engine.send_voice_message(CUSTOMER, number.number, "hello")
        engine.clock.advance(60)
    with pytest.raises(QuotaError) as error:
        engine.send_voice_message(CUSTOMER, number.number, "hello")
    assert error.value.reason == "DAILY_DESTINATION_CALL_LIMIT"


# -- accounting ---------------------------------------------------------------------------------


def test_every_send_is_accounted_for_and_the_summary_is_stable():
    def scenario() -> SmsVoiceEngine:
        engine, _, _ = make_engine(seed=3)
        engine.leave_sandbox(monthly_spend_limit=100)
        number = engine.request_phone_number(
            iso_country="US",
            message_type="TRANSACTIONAL",
            capabilities=["SMS"],
            number_type="TOLL_FREE",
        )
        engine.receive("+12065550199", number.number, "STOP")
        for i in range(300):
            destination = f"+1206555{i % 50:04d}" if i % 7 else "+12065550199"
            with contextlib.suppress(ConflictError, ThrottledError):
                engine.send_text_message(destination, "hello", origination_identity=number.number)
            engine.clock.advance(0.25)
        return engine

    engine = scenario()
    engine.clock.advance(3600)
    counts = engine.counts("SMS")
    parts = ("delivered", "failed", "opted_out", "throttled", "pending")
    assert counts["sent"] == 300 == sum(counts[p] for p in parts)
    assert counts["throttled"] > 0 and counts["opted_out"] > 0 and counts["pending"] == 0
    outbox_sms = [m for m in engine.outbox if m.detail.get("accepted") is not None]
    assert len([m for m in outbox_sms if not m.detail.get("automatic_response")]) == 300
    again = scenario()
    again.clock.advance(3600)
    assert again.summary() == engine.summary()
    assert "SMS    sent  300 = delivered" in engine.summary()


def test_a_final_outcome_is_told_to_the_sender_once(toll_free):
    engine = toll_free
    engine.carrier.force(CUSTOMER, "BLOCKED")
    told: list[tuple[str, str]] = []
    message_id = engine.send_text_message(
        CUSTOMER, "hi", on_final=lambda message, event: told.append((message.message_id, event))
    )
    engine.clock.advance(60)
    assert told == [(message_id, "TEXT_BLOCKED")]
    assert engine.messages[message_id].final


class _Relay:
    """A final-outcome callback of a text sent for another service, with its own statuses."""

    def __init__(self) -> None:
        self.told: list[str] = []

    def __call__(self, message, event: str) -> None:
        self.told.append(event)

    @staticmethod
    def entry(status: str, detail: dict) -> tuple[str, dict]:
        return ("OK" if status == "DELIVERED" else "NOT_OK"), {**detail, "carrier_said": status}


@pytest.mark.parametrize(("forced", "status"), [("DELIVERED", "OK"), ("BLOCKED", "NOT_OK")])
def test_a_final_outcome_gives_the_entry_the_status_its_sender_names(toll_free, forced, status):
    engine = toll_free
    engine.carrier.force(CUSTOMER, forced)
    relay = _Relay()
    message_id = engine.send_text_message(CUSTOMER, "hi", on_final=relay)
    engine.clock.advance(60)
    entry = engine.outbox.last(to=CUSTOMER)
    assert (entry.message_id, entry.status) == (message_id, status)
    assert entry.detail["event_type"] == f"TEXT_{forced}"
    assert entry.detail["carrier_said"] == forced
    assert relay.told == [f"TEXT_{forced}"]


def test_a_shared_route_sends_where_the_country_has_one_and_never_to_the_us():
    engine, _, _ = make_engine()
    engine.leave_sandbox()
    with pytest.raises(ConflictError, match="US has no shared routes") as refused:
        engine.shared_route(CUSTOMER)
    assert refused.value.reason == "NO_ORIGINATION_IDENTITIES_FOUND"
    route = engine.shared_route("+447700900123")
    assert (route.sender_id, route.iso_country, route.number_type) == ("NOTICE", "GB", "SENDER_ID")
    assert engine.shared_route("+447700900123", "SIMLAB").sender_id == "SIMLAB"
    sent = engine.send_text_message("+447700900123", "hi", route=route)
    assert engine.messages[sent].origin == "NOTICE"
    assert engine.describe_sender_ids() == []


def test_phone_number_patterns_stay_compiled_between_sends():
    import phonenumbers.re_util

    assert phonenumbers.re_util._COMPILED_PATTERNS is not None


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationError("bad", field="MessageBody"), "ValidationException"),
        (ConflictError("no", reason="R", resource_type="t", resource_id="i"), "ConflictException"),
        (NotFoundError("pool", "pool-1"), "ResourceNotFoundException"),
        (QuotaError("full", reason="R"), "ServiceQuotaExceededException"),
        (ThrottledError("slow"), "ThrottlingException"),
    ],
)
def test_engine_errors_are_engage_errors_carrying_their_aws_code(error, code):
    assert isinstance(error, SmsError) and isinstance(error, EngageError)
    assert error.code == code and error.message


def test_a_message_keeps_a_compact_trail_that_rebuilds_the_records_it_delivered(world):
    engine, number, delivered, _ = world
    message_id = engine.send_text_message(
        CUSTOMER, "Sale!", origination_identity=number.number, configuration_set="alerts"
    )
    engine.clock.advance(3600)
    message = engine.messages[message_id]
    assert [kind for kind, _, _ in message.trail][:2] == ["TEXT_QUEUED", "TEXT_PENDING"]
    assert message.events == [record for _, record in delivered]
    assert message.on_final is None and not hasattr(message, "__dict__")
