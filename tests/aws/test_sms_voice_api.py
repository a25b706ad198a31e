"""The pinpoint-sms-voice-v2 API through boto3, in-process: shapes, modeled errors, events."""

import json

import pytest
from botocore.config import Config

from simlab.facts import sms as facts
from simlab.toolkit import log_messages, queue_messages
from tests.aws.errors import refusal
from tests.aws.sqs_delivery import raw_queue_for

CUSTOMER = "+12065550142"
ACCOUNT = "123456789012"


@pytest.fixture
def client(aws):
    return aws.client("pinpoint-sms-voice-v2")


@pytest.fixture
def number(client):
    return client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )


def test_a_requested_number_is_described_in_the_modeled_shape(client, number):
    assert number["PhoneNumberId"].startswith("phone-")
    assert number["PhoneNumberArn"] == (
        f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:phone-number/{number['PhoneNumberId']}"
    )
    described = client.describe_phone_numbers(PhoneNumberIds=[number["PhoneNumberId"]])
    [info] = described["PhoneNumbers"]
    assert info["PhoneNumber"] == number["PhoneNumber"]
    assert info["NumberType"] == "TOLL_FREE" and info["OptOutListName"] == "Default"
    assert info["CreatedTimestamp"].year == 2026
    assert "NextToken" not in described


def test_describe_filters_and_pages(client, number):
    for _ in range(2):
        client.request_phone_number(
            IsoCountryCode="US",
            MessageType="PROMOTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TEN_DLC",
        )
    page = client.describe_phone_numbers(MaxResults=2)
    rest = client.describe_phone_numbers(MaxResults=2, NextToken=page["NextToken"])
    assert len(page["PhoneNumbers"]) == 2 and len(rest["PhoneNumbers"]) == 1
    ten_dlc = client.describe_phone_numbers(
        Filters=[{"Name": "number-type", "Values": ["TEN_DLC"]}]
    )
    assert {n["NumberType"] for n in ten_dlc["PhoneNumbers"]} == {"TEN_DLC"}
    everything = [
        n
        for p in client.get_paginator("describe_phone_numbers").paginate(MaxResults=1)
        for n in p["PhoneNumbers"]
    ]
    assert len(everything) == 3
    error = refusal(client.describe_phone_numbers, NextToken="garbage")
    assert error["Code"] == "ValidationException" and error["Reason"] == "INVALID_NEXT_TOKEN"


def test_short_codes_are_not_requestable_through_the_api(aws):
    raw = aws.client("pinpoint-sms-voice-v2", config=Config(parameter_validation=False))
    error = refusal(
        raw.request_phone_number,
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="SHORT_CODE",
    )
    assert error["Code"] == "ValidationException"
    assert error["Fields"][0]["Name"] == "NumberType"
    assert "LONG_CODE, TOLL_FREE, TEN_DLC, SIMULATOR" in error["Message"]


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        (
            {"DestinationPhoneNumber": "2065550142"},
            "DestinationPhoneNumber",
            "FIELD_VALIDATION_FAILED",
        ),
        ({"MessageBody": "x" * 1601}, "MessageBody", "MAXIMUM_SIZE_EXCEEDED"),
        ({"MessageType": "URGENT"}, "MessageType", "FIELD_VALIDATION_FAILED"),
        ({"TimeToLive": 1}, "TimeToLive", "FIELD_VALIDATION_FAILED"),
        ({"DestinationPhoneNumber": None}, "DestinationPhoneNumber", "MISSING_PARAMETER"),
    ],
)
def test_bad_input_gets_a_validation_exception_naming_the_field(aws, number, kwargs, field, reason):
    raw = aws.client("pinpoint-sms-voice-v2", config=Config(parameter_validation=False))
    request = {
        "DestinationPhoneNumber": CUSTOMER,
        "OriginationIdentity": number["PhoneNumberId"],
        "MessageBody": "hello",
        **kwargs,
    }
    error = refusal(raw.send_text_message, **{k: v for k, v in request.items() if v is not None})
    assert error["Code"] == "ValidationException"
    assert error["Reason"] == reason
    assert error["Fields"][0]["Name"] == field and field in error["Message"]
    assert len(aws.outbox) == 0


def test_an_unknown_identity_is_a_resource_not_found(client):
    error = refusal(
        client.send_text_message,
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity="pool-nope",
        MessageBody="hi",
    )
    assert error["Code"] == "ResourceNotFoundException"
    assert error["ResourceId"] == "pool-nope" and "OriginationIdentity" in error["Message"]


def test_the_sandbox_refuses_unverified_destinations(client, number, aws):
    tier = client.describe_account_attributes()["AccountAttributes"]
    assert tier == [{"Name": "ACCOUNT_TIER", "Value": "SANDBOXED"}]
    error = refusal(
        client.send_text_message,
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number["PhoneNumberArn"],
        MessageBody="hi",
    )
    assert error["Code"] == "ConflictException"
    assert error["Reason"] == "DESTINATION_PHONE_NUMBER_NOT_VERIFIED"
    verified = client.create_verified_destination_number(DestinationPhoneNumber=CUSTOMER)
    assert verified["Status"] == "PENDING"
    client.send_destination_number_verification_code(
        VerifiedDestinationNumberId=verified["VerifiedDestinationNumberId"],
        VerificationChannel="TEXT",
    )
    done = client.verify_destination_number(
        VerifiedDestinationNumberId=verified["VerifiedDestinationNumberId"],
        VerificationCode=aws.sms.last_code(CUSTOMER),
    )
    assert done["Status"] == "VERIFIED"
    sent = client.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number["PhoneNumberArn"],
        MessageBody="hi",
    )
    assert aws.outbox.last(service="sms-voice", to=CUSTOMER).message_id == sent["MessageId"]


def test_spend_limits_start_at_the_sandbox_default(client):
    limits = {s["Name"]: s for s in client.describe_spend_limits()["SpendLimits"]}
    text = limits["TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"]
    assert text["EnforcedLimit"] == int(facts.DEFAULT_MONTHLY_SPEND_LIMIT_USD.value)
    assert text["Overridden"] is False
    error = refusal(client.set_text_message_spend_limit_override, MonthlyLimit=50)
    assert error["Reason"] == "REQUESTED_SPEND_LIMIT_HIGHER_THAN_SERVICE_LIMIT"


def test_operations_not_emulated_answer_a_modeled_error_naming_them(client):
    error = refusal(
        client.send_rcs_message, DestinationPhoneNumber="+12065550142", OriginationIdentity="x"
    )
    assert error["Code"] == "ValidationException"
    assert error["Reason"] == "UNKNOWN_OPERATION"
    assert error["Message"].startswith("SendRcsMessage is not emulated")


def test_keywords_start_with_help_and_stop(client, number):
    described = client.describe_keywords(OriginationIdentity=number["PhoneNumberId"])
    assert [k["Keyword"] for k in described["Keywords"]] == ["HELP", "STOP"]
    client.put_keyword(
        OriginationIdentity=number["PhoneNumberId"],
        Keyword="INFO",
        KeywordMessage="Open 9-5",
        KeywordAction="AUTOMATIC_RESPONSE",
    )
    error = refusal(
        client.delete_keyword, OriginationIdentity=number["PhoneNumberId"], Keyword="STOP"
    )
    assert error["Code"] == "ConflictException"


def test_pools_configuration_sets_and_opt_out_lists_round_trip(client, number):
    pool = client.create_pool(
        OriginationIdentity=number["PhoneNumberArn"], MessageType="TRANSACTIONAL"
    )
    members = client.list_pool_origination_identities(PoolId=pool["PoolId"])
    assert [m["PhoneNumber"] for m in members["OriginationIdentities"]] == [number["PhoneNumber"]]
    assert client.describe_pools()["Pools"][0]["PoolId"] == pool["PoolId"]
    client.create_configuration_set(ConfigurationSetName="alerts")
    error = refusal(client.create_configuration_set, ConfigurationSetName="alerts")
    assert (error["Code"], error["Reason"]) == ("ConflictException", "RESOURCE_ALREADY_EXISTS")
    client.create_opt_out_list(OptOutListName="marketing")
    client.put_opted_out_number(OptOutListName="marketing", OptedOutNumber=CUSTOMER)
    listed = client.describe_opted_out_numbers(OptOutListName="marketing")["OptedOutNumbers"]
    assert listed[0]["OptedOutNumber"] == CUSTOMER and listed[0]["EndUserOptedOut"] is False
    names = [o["OptOutListName"] for o in client.describe_opt_out_lists()["OptOutLists"]]
    assert names == ["Default", "marketing"]


def test_events_reach_logs_sns_and_a_reply_reaches_sqs(aws, client, number):
    aws.sms.leave_sandbox()
    sns, sqs, logs = aws.client("sns"), aws.client("sqs"), aws.client("logs")
    topic = sns.create_topic(Name="replies")["TopicArn"]
    queue = raw_queue_for(aws, topic, "replies")
    logs.create_log_group(logGroupName="/sms")
    client.update_phone_number(
        PhoneNumberId=number["PhoneNumberId"], TwoWayEnabled=True, TwoWayChannelArn=topic
    )
    client.create_configuration_set(ConfigurationSetName="alerts")
    client.create_event_destination(
        ConfigurationSetName="alerts",
        EventDestinationName="logs",
        MatchingEventTypes=["TEXT_ALL"],
        CloudWatchLogsDestination={
            "IamRoleArn": f"arn:aws:iam::{ACCOUNT}:role/x",
            "LogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/sms",
        },
    )
    sent = client.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        MessageBody="hi",
        OriginationIdentity=number["PhoneNumber"],
        ConfigurationSetName="alerts",
    )["MessageId"]
    aws.clock.advance(3600)
    records = log_messages(logs, "/sms")
    assert [r["eventType"] for r in records][:2] == ["TEXT_QUEUED", "TEXT_PENDING"]
    assert records[-1]["isFinal"] is True and {r["messageId"] for r in records} == {sent}
    aws.sms.reply(CUSTOMER, number["PhoneNumber"], "STOP")
    [payload] = queue_messages(sqs, queue)
    assert payload["previousPublishedMessageId"] == sent and payload["messageBody"] == "STOP"
    error = refusal(
        client.send_text_message,
        DestinationPhoneNumber=CUSTOMER,
        MessageBody="hi",
        OriginationIdentity=number["PhoneNumber"],
    )
    assert (error["Code"], error["Reason"]) == (
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )
    assert error["ResourceId"] == CUSTOMER


def test_throughput_is_enforced_as_a_throttling_exception(aws, client):
    aws.sms.leave_sandbox()
    ten_dlc = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
    )
    kwargs = {
        "DestinationPhoneNumber": CUSTOMER,
        "OriginationIdentity": ten_dlc["PhoneNumberId"],
        "MessageBody": "hi",
    }
    raw = aws.client("pinpoint-sms-voice-v2", config=Config(retries={"max_attempts": 1}))
    raw.send_text_message(**kwargs)
    error = refusal(raw.send_text_message, **kwargs)
    assert (
        error["Code"] == "ThrottlingException" and "1 message parts per second" in error["Message"]
    )
    aws.clock.advance(1)
    assert raw.send_text_message(**kwargs)["MessageId"]


def test_voice_messages_need_a_voice_number(aws, client, number):
    aws.sms.leave_sandbox()
    sent = client.send_voice_message(
        DestinationPhoneNumber=CUSTOMER,
        MessageBody="<speak>Hi</speak>",
        MessageBodyTextType="SSML",
        VoiceId="JOANNA",
        OriginationIdentity=number["PhoneNumberId"],
    )
    assert aws.outbox.last(channel="VOICE").message_id == sent["MessageId"]
    sms_only = client.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TEN_DLC",
    )
    error = refusal(
        client.send_voice_message,
        DestinationPhoneNumber=CUSTOMER,
        MessageBody="Hi",
        OriginationIdentity=sms_only["PhoneNumberId"],
    )
    assert error["Reason"] == "VOICE_CAPABILITY_NOT_AVAILABLE"


def test_the_outbox_detail_carries_parts_encoding_price_and_configuration_set(aws, client, number):
    aws.sms.leave_sandbox()
    client.create_configuration_set(ConfigurationSetName="alerts")
    client.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        MessageBody="€" * 100,
        OriginationIdentity=number["PhoneNumberId"],
        ConfigurationSetName="alerts",
        MessageType="PROMOTIONAL",
    )
    message = aws.outbox.last(service="sms-voice")
    assert message.channel == "SMS" and message.origin == number["PhoneNumber"]
    keys = ("parts", "encoding", "message_type", "configuration_set")
    assert {k: message.detail[k] for k in keys} == {
        "parts": 2,
        "encoding": "GSM",
        "message_type": "PROMOTIONAL",
        "configuration_set": "alerts",
    }
    assert json.dumps(message.to_json())


def test_stop_marks_the_customers_pinpoint_sms_endpoints_opted_out(aws, client, number):
    pinpoint = aws.client("pinpoint")
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    endpoints = {"sms": ("SMS", CUSTOMER), "email": ("EMAIL", "a@example.com")}
    for endpoint_id, (channel, address) in endpoints.items():
        pinpoint.update_endpoint(
            ApplicationId=app,
            EndpointId=endpoint_id,
            EndpointRequest={"Address": address, "ChannelType": channel},
        )
    aws.sms.reply(CUSTOMER, number["PhoneNumber"], "STOP")
    opt_out = {
        endpoint_id: pinpoint.get_endpoint(ApplicationId=app, EndpointId=endpoint_id)[
            "EndpointResponse"
        ]["OptOut"]
        for endpoint_id in endpoints
    }
    assert opt_out == {"sms": "ALL", "email": "NONE"}
