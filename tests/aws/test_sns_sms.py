"""SMS through SNS: numbers, length, parts, opt-outs, SMS attributes, the monthly spend limit."""

import json
from datetime import UTC, datetime

import pytest

from simlab.facts import prices
from simlab.facts import sns as facts
from simlab.sim.rates import count_parts

NUMBER = "+12065550100"
OTHER = "+14155550123"
PART_PRICE = prices.SMS_EXAMPLE_PRICE_US_2019.value


@pytest.fixture
def sns(aws):
    aws.sms.leave_sandbox()  # these tests text any number; the sandbox has its own tests
    aws.sns.set_delivery_probability(Promotional=1.0, Transactional=1.0)
    return aws.client("sns")


def sms_type(value):
    return {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": value}}


def test_a_text_lands_in_the_outbox_with_type_parts_and_price(aws, sns):
    message_id = sns.publish(PhoneNumber=NUMBER, Message="Your code is 123456")["MessageId"]

    sent = aws.outbox.last(channel="SMS")
    assert (sent.service, sent.destination, sent.message_id) == ("sns", NUMBER, message_id)
    assert (sent.status, sent.body) == ("DELIVERED", "Your code is 123456")
    assert sent.detail["sms_type"] == facts.DEFAULT_SMS_TYPE.value == "Promotional"
    assert sent.detail["parts"] == 1
    assert sent.detail["price_usd"] == pytest.approx(PART_PRICE)
    assert sent.detail["country"] == "US"


def test_a_long_text_is_billed_per_part(aws, sns):
    text = "é" * 200 + "✓"  # not GSM-7: UCS-2 parts of 67 characters
    sns.publish(PhoneNumber=NUMBER, Message=text)

    sent = aws.outbox.last(channel="SMS")
    assert sent.detail["parts"] == count_parts(text).parts == 3
    assert sent.detail["encoding"] == "UCS-2"
    assert sent.detail["price_usd"] == pytest.approx(3 * PART_PRICE)


@pytest.mark.parametrize(
    "number", ["12065550100", "+1 206 555 0100", "+1206555010", "+0123456789", "call me", ""]
)
def test_a_number_that_is_not_e164_is_refused_naming_the_field(aws, sns, number):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="PhoneNumber"):
        sns.publish(PhoneNumber=number, Message="hi")
    assert aws.outbox.filter(channel="SMS") == []


def test_a_number_no_carrier_serves_is_accepted_and_fails_delivery(aws, sns):
    sns.publish(PhoneNumber="+15555550123", Message="hi")

    sent = aws.outbox.last(channel="SMS")
    assert sent.status == "FAILED"
    assert "no carrier" in sent.detail["reason"]
    assert sent.detail["price_usd"] == 0


def test_1600_characters_is_the_most_one_publish_takes(aws, sns):
    limit = facts.SMS_MAX_CHARS.value
    sns.publish(PhoneNumber=NUMBER, Message="a" * limit)
    with pytest.raises(sns.exceptions.InvalidParameterException, match="at most 1600"):
        sns.publish(PhoneNumber=NUMBER, Message="a" * (limit + 1))
    assert len(aws.outbox.filter(channel="SMS")) == 1


def test_exactly_one_target_is_required(sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="only one of"):
        sns.publish(
            PhoneNumber=NUMBER, TopicArn="arn:aws:sns:us-east-1:123456789012:t", Message="x"
        )
    with pytest.raises(sns.exceptions.InvalidParameterException, match="no value"):
        sns.publish(Message="x")


# -- SMS attributes ---------------------------------------------------------------------------


def test_default_sms_type_applies_unless_the_message_names_one(aws, sns):
    sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional"})
    sns.publish(PhoneNumber=NUMBER, Message="default")
    sns.publish(PhoneNumber=NUMBER, Message="own", MessageAttributes=sms_type("Promotional"))

    kinds = [m.detail["sms_type"] for m in aws.outbox.filter(channel="SMS")]
    assert kinds == ["Transactional", "Promotional"]


def test_get_sms_attributes_shows_defaults_and_what_was_set(sns):
    assert sns.get_sms_attributes()["attributes"] == {
        "MonthlySpendLimit": "1",
        "DefaultSMSType": "Promotional",
    }
    sns.set_sms_attributes(
        attributes={"DefaultSenderID": "SimLab", "DefaultSMSType": "Transactional"}
    )

    wanted = sns.get_sms_attributes(attributes=["DefaultSenderID", "DefaultSMSType"])
    assert wanted["attributes"] == {"DefaultSenderID": "SimLab", "DefaultSMSType": "Transactional"}


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"DefaultSMSType": "Urgent"}, "DefaultSMSType"),
        ({"MonthlySpendLimit": "-1"}, "MonthlySpendLimit"),
        ({"MonthlySpendLimit": "lots"}, "MonthlySpendLimit"),
        ({"DefaultSenderID": "TOO-LONG-SENDER"}, "DefaultSenderID"),
        ({"DeliveryStatusSuccessSamplingRate": "101"}, "DeliveryStatusSuccessSamplingRate"),
        ({"DeliveryStatusIAMRole": "my-role"}, "DeliveryStatusIAMRole"),
        ({"Colour": "blue"}, "attributes"),
    ],
)
def test_bad_sms_attributes_are_refused_and_change_nothing(sns, attributes, field):
    with pytest.raises(sns.exceptions.InvalidParameterException, match=field):
        sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional", **attributes})
    assert sns.get_sms_attributes()["attributes"]["DefaultSMSType"] == "Promotional"


def test_the_spend_limit_cannot_exceed_the_account_quota_until_support_raises_it(aws, sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="quota of 1"):
        sns.set_sms_attributes(attributes={"MonthlySpendLimit": "100"})

    aws.sns.raise_spend_quota(1000)
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "100"})
    assert sns.get_sms_attributes(attributes=["MonthlySpendLimit"])["attributes"] == {
        "MonthlySpendLimit": "100"
    }


def test_a_bad_per_message_attribute_is_refused(aws, sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="AWS.SNS.SMS.SMSType"):
        sns.publish(PhoneNumber=NUMBER, Message="x", MessageAttributes=sms_type("Loud"))
    assert aws.outbox.filter(channel="SMS") == []


def test_sender_id_and_max_price_come_from_message_attributes(aws, sns):
    attributes = {
        "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "SimLab"},
        "AWS.SNS.SMS.MaxPrice": {"DataType": "Number", "StringValue": "0.001"},
    }
    sns.publish(PhoneNumber=NUMBER, Message="too dear", MessageAttributes=attributes)

    sent = aws.outbox.last(channel="SMS")
    assert (sent.origin, sent.detail["sender_id"]) == ("SimLab", "SimLab")
    assert sent.status == "FAILED"
    assert "MaxPrice" in sent.detail["reason"]
    assert aws.sns.spend_this_month() == 0


# -- the monthly spend limit --------------------------------------------------------------------


def test_spend_stops_sms_at_the_monthly_limit_and_publish_still_succeeds(aws, sns):
    affordable = int(facts.DEFAULT_MONTHLY_SMS_SPEND_USD.value / PART_PRICE)  # 155 texts
    for _ in range(affordable + 5):
        assert sns.publish(PhoneNumber=NUMBER, Message="hello")["MessageId"]

    counts = aws.outbox.counts()
    assert counts[("SMS", "DELIVERED")] == affordable
    assert counts[("SMS", "SPEND_LIMIT_EXCEEDED")] == 5
    assert aws.sns.spend_this_month() == pytest.approx(affordable * PART_PRICE)
    assert aws.sns.spend_this_month() <= facts.DEFAULT_MONTHLY_SMS_SPEND_USD.value


def test_spend_starts_again_in_the_next_calendar_month(aws, sns):
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "0"})
    sns.publish(PhoneNumber=NUMBER, Message="January")
    aws.sns.raise_spend_quota(10)
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "0.01"})
    aws.clock.advance_to(datetime(2026, 2, 1, tzinfo=UTC))
    sns.publish(PhoneNumber=NUMBER, Message="February")
    sns.publish(PhoneNumber=NUMBER, Message="February again")

    statuses = [(m.body, m.status) for m in aws.outbox.filter(channel="SMS")]
    assert statuses == [
        ("January", "SPEND_LIMIT_EXCEEDED"),
        ("February", "DELIVERED"),
        ("February again", "SPEND_LIMIT_EXCEEDED"),
    ]
    assert aws.sns.spend_this_month() == pytest.approx(PART_PRICE)


# -- opt-outs -------------------------------------------------------------------------------------


def test_moto_s_pre_opted_out_numbers_agree_across_all_four_operations(aws, sns):
    listed = sns.list_phone_numbers_opted_out()["phoneNumbers"]
    assert "+447420500600" in listed
    assert all(sns.check_if_phone_number_is_opted_out(phoneNumber=n)["isOptedOut"] for n in listed)
    assert not sns.check_if_phone_number_is_opted_out(phoneNumber="+447420500699")["isOptedOut"]

    sns.publish(PhoneNumber="+447420500600", Message="hello")
    assert aws.outbox.last(channel="SMS").status == "OPTED_OUT"

    sns.opt_in_phone_number(phoneNumber="+447420500600")
    assert "+447420500600" not in sns.list_phone_numbers_opted_out()["phoneNumbers"]
    sns.publish(PhoneNumber="+447420500600", Message="hello again")
    assert aws.outbox.last(channel="SMS").status == "DELIVERED"


def test_a_stop_reply_opts_a_number_out_and_texts_to_it_are_not_sent(aws, sns):
    aws.sns.opt_out(NUMBER)

    assert sns.check_if_phone_number_is_opted_out(phoneNumber=NUMBER)["isOptedOut"] is True
    assert NUMBER in sns.list_phone_numbers_opted_out()["phoneNumbers"]
    sns.publish(PhoneNumber=NUMBER, Message="sale!")
    sent = aws.outbox.last(channel="SMS")
    assert (sent.status, sent.detail["price_usd"]) == ("OPTED_OUT", 0)


def test_a_number_can_be_opted_in_only_once_every_30_days(aws, sns):
    aws.sns.opt_out(NUMBER)
    sns.opt_in_phone_number(phoneNumber=NUMBER)
    aws.sns.opt_out(NUMBER)

    with pytest.raises(sns.exceptions.InvalidParameterException, match="once every 30 days"):
        sns.opt_in_phone_number(phoneNumber=NUMBER)
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=NUMBER)["isOptedOut"] is True

    aws.clock.advance(facts.OPT_IN_COOLDOWN_DAYS.value * 86_400)
    sns.opt_in_phone_number(phoneNumber=NUMBER)
    assert sns.check_if_phone_number_is_opted_out(phoneNumber=NUMBER)["isOptedOut"] is False


def test_the_opted_out_list_pages_100_numbers_at_a_time(aws, sns):
    for n in range(250):
        aws.sns.opt_out(f"+1206555{n:04d}")

    pages, token = [], None
    while True:
        page = sns.list_phone_numbers_opted_out(**({"nextToken": token} if token else {}))
        pages.append(page["phoneNumbers"])
        token = page.get("nextToken")
        if token is None:
            break
    assert [len(p) for p in pages] == [100, 100, 58]  # 250 + moto's 8
    assert len({n for p in pages for n in p}) == 258


def test_check_if_opted_out_refuses_a_malformed_number(sns):
    with pytest.raises(sns.exceptions.InvalidParameterException, match="PhoneNumber"):
        sns.check_if_phone_number_is_opted_out(phoneNumber="not-a-number")


# -- the seeded carrier model ---------------------------------------------------------------------


def run_seeded(seed):
    from simlab.aws import LocalAWS

    with LocalAWS(seed=seed) as local:
        sns = local.client("sns")
        local.sms.leave_sandbox()
        local.sns.raise_spend_quota(100)
        sns.set_sms_attributes(attributes={"MonthlySpendLimit": "100"})
        local.sns.set_delivery_probability(Promotional=0.8)
        for _ in range(500):
            sns.publish(PhoneNumber=NUMBER, Message="promo")
        return [m.status for m in local.outbox.filter(channel="SMS")]


def test_carrier_outcomes_come_from_a_seeded_model():
    first, again, other = run_seeded(7), run_seeded(7), run_seeded(8)

    assert first == again
    assert first != other
    assert set(first) == {"DELIVERED", "FAILED"}
    assert first.count("DELIVERED") / len(first) == pytest.approx(0.8, abs=0.06)


def test_every_text_is_accounted_for(aws, sns):
    aws.sns.set_delivery_probability(Promotional=0.5)
    aws.sns.opt_out(OTHER)
    published = 0
    for number in [NUMBER, OTHER, "+15555550123"] * 70:
        sns.publish(PhoneNumber=number, Message="count me")
        published += 1

    counts = aws.outbox.counts()
    statuses = ("DELIVERED", "FAILED", "OPTED_OUT", "SPEND_LIMIT_EXCEEDED")
    assert sum(counts.get(("SMS", s), 0) for s in statuses) == published == len(aws.outbox)
    assert counts[("SMS", "OPTED_OUT")] == 70


# -- delivery status logs in CloudWatch Logs ------------------------------------------------------

ROLE = "arn:aws:iam::123456789012:role/SNSSuccessFeedback"
GROUP = "sns/us-east-1/123456789012/DirectPublishToPhoneNumber"


def log_records(aws, group):
    logs = aws.client("logs")
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    return [
        json.loads(event["message"])
        for stream in streams
        for event in logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])[
            "events"
        ]
    ]


def test_with_a_status_role_each_text_is_logged_to_cloudwatch(aws, sns):
    sns.set_sms_attributes(attributes={"DeliveryStatusIAMRole": ROLE})
    aws.sns.opt_out(OTHER)
    sent = sns.publish(PhoneNumber=NUMBER, Message="logged")["MessageId"]
    refused = sns.publish(PhoneNumber=OTHER, Message="logged too")["MessageId"]

    [success] = log_records(aws, GROUP)
    assert success["status"] == "SUCCESS"
    assert success["notification"]["messageId"] == sent
    assert success["notification"]["timestamp"] == "2026-01-05 09:00:00.000"
    assert success["delivery"]["destination"] == NUMBER
    assert success["delivery"]["priceInUSD"] == pytest.approx(PART_PRICE)
    assert success["delivery"]["smsType"] == "Promotional"
    assert success["delivery"]["providerResponse"] == "Message has been accepted by phone carrier"
    [failure] = log_records(aws, GROUP + "/Failure")
    assert (failure["status"], failure["notification"]["messageId"]) == ("FAILURE", refused)
    assert failure["delivery"]["providerResponse"] == "Phone is currently opted out"


def test_success_logs_are_sampled_and_failures_always_logged(aws, sns):
    sns.set_sms_attributes(
        attributes={"DeliveryStatusIAMRole": ROLE, "DeliveryStatusSuccessSamplingRate": "0"}
    )
    sns.publish(PhoneNumber=NUMBER, Message="not logged")
    sns.publish(PhoneNumber="+15555550123", Message="logged")

    groups = [g["logGroupName"] for g in aws.client("logs").describe_log_groups()["logGroups"]]
    assert groups == [GROUP + "/Failure"]
    [failure] = log_records(aws, GROUP + "/Failure")
    assert failure["delivery"]["providerResponse"] == "Invalid phone number"


def test_without_a_status_role_nothing_is_logged(aws, sns):
    sns.publish(PhoneNumber=NUMBER, Message="quiet")
    assert aws.client("logs").describe_log_groups()["logGroups"] == []
