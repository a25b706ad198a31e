"""Batch texting counts every attempt; text costs follow encoding, parts and the price fact."""

import phonenumbers
import pytest
from botocore.exceptions import ClientError

from simlab.facts import prices
from simlab.toolkit import (
    BATCH_SIZES,
    Batch,
    batch_size,
    cost_table,
    customer_numbers,
    refusal_of,
    register,
    registration_status,
    send_texts,
    text_costs,
)


@pytest.fixture
def sms(aws):
    return aws.client("pinpoint-sms-voice-v2")


@pytest.fixture
def number(aws, sms):
    arn = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumberArn"]
    aws.sms.leave_sandbox(monthly_spend_limit=100)
    return arn


def test_batch_sizes_follow_the_scale_and_ci_under_pytest(monkeypatch):
    monkeypatch.delenv("SIMLAB_SCALE", raising=False)
    assert batch_size() == BATCH_SIZES["ci"] < batch_size("workshop") < batch_size("full")
    with pytest.raises(ValueError, match="scale must be one of ci, workshop, full; got 'huge'"):
        batch_size("huge")


def test_customer_numbers_are_distinct_possible_us_numbers_in_the_555_exchange():
    numbers = customer_numbers(250)
    assert numbers[:2] == ["+12065550100", "+12065550101"] and len(set(numbers)) == 250
    assert all(phonenumbers.is_possible_number(phonenumbers.parse(n)) for n in numbers)
    with pytest.raises(ValueError, match="count must be from 0 to 9900"):
        customer_numbers(9_901)


def test_a_paced_batch_is_accepted_whole_and_each_text_is_in_the_outbox(aws, sms, number):
    customers = customer_numbers(9)
    batch = send_texts(
        sms, customers, "Shipped!", origination=number, per_second=3, wait=aws.clock.advance
    )
    assert batch == Batch(batch.message_ids, {}) and len(batch.message_ids) == 9
    assert aws.clock.seconds == pytest.approx(8 / 3)
    sent = [m for m in aws.outbox.filter(service="sms-voice") if m.message_id]
    assert [m.message_id for m in sent] == list(batch.message_ids)
    assert [m.destination for m in sent] == customers


def test_opt_outs_and_throttling_are_counted_and_every_attempt_adds_up(aws, sms, number):
    customers = customer_numbers(10)
    aws.sms.reply(customers[0], number.rsplit("/", 1)[-1], "STOP")
    batch = send_texts(sms, customers, "Shipped!", origination=number)
    assert batch.refused["opted_out"] == 1 and batch.refused["throttled"] > 0
    assert batch.attempted == 10
    counts = aws.sms.engine.counts()
    assert (counts["opted_out"], counts["throttled"]) == (1, batch.refused["throttled"])
    assert batch.summary() == (
        f"attempted 10: accepted {len(batch.message_ids)}, refused {10 - len(batch.message_ids)}"
        f" (opted-out 1, throttled {batch.refused['throttled']})"
    )


def test_a_wrong_request_is_raised_not_counted(sms, number):
    with pytest.raises(ClientError) as caught:
        send_texts(sms, ["+12065550100"], "Hi", origination="+18005550000")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as caught:
        send_texts(sms, ["2065550100"], "Hi", origination=number)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_pacing_needs_a_way_to_wait(sms, number):
    with pytest.raises(ValueError, match="per_second must be positive and needs wait"):
        send_texts(sms, ["+12065550100"], "Hi", origination=number, per_second=3)


@pytest.mark.parametrize(
    ("code", "reason", "kind"),
    [
        ("ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT", "opted_out"),
        ("ThrottlingException", "", "throttled"),
        ("ConflictException", "DESTINATION_PHONE_NUMBER_NOT_VERIFIED", None),
        ("ValidationException", "FIELD_VALIDATION_FAILED", None),
    ],
)
def test_refusals_are_told_apart_by_code_and_reason(code, reason, kind):
    error = ClientError({"Error": {"Code": code, "Message": "m"}, "Reason": reason}, "Send")
    assert refusal_of(error) == kind


def test_text_costs_follow_encoding_and_parts():
    price = prices.SMS_EXAMPLE_PRICE_US_2019.value
    english, vietnamese, long = text_costs(
        {"en": "Order 1042 shipped", "vi": "Đơn hàng 1042 đã được gửi", "long": "x" * 161}
    )
    assert (english.encoding, english.parts, english.price) == ("GSM-7", 1, price)
    assert (vietnamese.encoding, vietnamese.parts) == ("UCS-2", 1)
    assert (long.parts, long.price) == (2, round(2 * price, 5))
    assert cost_table({"vi": "đ" * 71}, price_per_part=0.01) == (
        "vi             UCS-2    71 chars  2 parts  0.02000 USD"
    )


def test_the_local_aws_charges_what_text_costs_says(aws, sms, number):
    body = "Đơn hàng 1042 của bạn đã được xác nhận và sẽ được giao vào ngày mai nhé"
    [cost] = text_costs({"vi": body})
    send_texts(sms, ["+12065550100"], body, origination=number)
    sent = aws.outbox.last(to="+12065550100")
    assert (sent.detail["parts"], sent.detail["price"]) == (cost.parts, cost.price) == (2, 0.0129)


def test_a_registered_toll_free_number_sends_once_the_review_approves_it(aws, sms):
    aws.sms.require_registration()
    aws.sms.leave_sandbox()
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )
    assert number["Status"] == "PENDING"
    registration_id = register(
        sms, "US_TOLL_FREE_REGISTRATION", phone_number_id=number["PhoneNumberId"]
    )
    seen = [registration_status(sms, registration_id)]
    aws.clock.advance(3600)
    seen.append(registration_status(sms, registration_id))
    with pytest.raises(ClientError) as error:
        sms.send_text_message(
            DestinationPhoneNumber="+12065550142",
            OriginationIdentity=number["PhoneNumber"],
            MessageBody="hi",
        )
    assert error.value.response["Reason"] == "REGISTRATION_NOT_COMPLETE"
    aws.clock.advance(15 * 86_400)
    seen.append(registration_status(sms, registration_id))
    assert seen == ["SUBMITTED", "REVIEWING", "COMPLETE"]
    sms.send_text_message(
        DestinationPhoneNumber="+12065550142",
        OriginationIdentity=number["PhoneNumber"],
        MessageBody="hi",
    )
    [described] = sms.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberId"]])[
        "PhoneNumbers"
    ]
    assert described["Status"] == "ACTIVE"


def test_a_registration_with_a_wrong_answer_is_denied_by_the_review(aws, sms):
    registration_id = register(
        sms, "US_TEN_DLC_BRAND_REGISTRATION", answers={"website": "not a web address"}
    )
    aws.clock.advance(3 * 86_400)
    assert registration_status(sms, registration_id) == "REQUIRES_UPDATES"
