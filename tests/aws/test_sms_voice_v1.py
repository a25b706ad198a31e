"""Pinpoint SMS and Voice v1: configuration sets, event destinations and calls, through boto3."""

import json

import pytest
from botocore.exceptions import ClientError

CUSTOMER = "+12065550142"


@pytest.fixture
def v1(aws):
    return aws.client("pinpoint-sms-voice")


@pytest.fixture
def number(aws):
    aws.sms.leave_sandbox()
    return aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]


def call(v1, number, **extra):
    return v1.send_voice_message(
        OriginationPhoneNumber=number,
        DestinationPhoneNumber=CUSTOMER,
        Content={"PlainTextMessage": {"Text": "Your table is ready", "VoiceId": "Joanna"}},
        **extra,
    )


def test_configuration_sets_and_event_destinations_round_trip(v1):
    v1.create_configuration_set(ConfigurationSetName="calls")
    assert v1.list_configuration_sets()["ConfigurationSets"] == ["calls"]
    destination = {
        "Enabled": True,
        "MatchingEventTypes": ["COMPLETED_CALL"],
        "SnsDestination": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:calls"},
    }
    v1.create_configuration_set_event_destination(
        ConfigurationSetName="calls", EventDestinationName="to-sns", EventDestination=destination
    )
    with pytest.raises(v1.exceptions.AlreadyExistsException):
        v1.create_configuration_set_event_destination(
            ConfigurationSetName="calls",
            EventDestinationName="to-sns",
            EventDestination=destination,
        )
    v1.update_configuration_set_event_destination(
        ConfigurationSetName="calls",
        EventDestinationName="to-sns",
        EventDestination={"Enabled": False},
    )
    listed = v1.get_configuration_set_event_destinations(ConfigurationSetName="calls")
    assert listed["EventDestinations"] == [{**destination, "Enabled": False, "Name": "to-sns"}]
    v1.delete_configuration_set_event_destination(
        ConfigurationSetName="calls", EventDestinationName="to-sns"
    )
    v1.delete_configuration_set(ConfigurationSetName="calls")
    with pytest.raises(v1.exceptions.NotFoundException):
        v1.delete_configuration_set(ConfigurationSetName="calls")


def test_a_call_goes_through_the_v2_engine_and_its_v1_events_reach_sns(aws, v1, number):
    sns = aws.client("sns")
    sqs = aws.client("sqs")
    topic = sns.create_topic(Name="calls")["TopicArn"]
    queue = sqs.create_queue(QueueName="calls")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    v1.create_configuration_set(ConfigurationSetName="calls")
    v1.create_configuration_set_event_destination(
        ConfigurationSetName="calls",
        EventDestinationName="to-sns",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": [
                "INITIATED_CALL",
                "COMPLETED_CALL",
                "BUSY",
                "NO_ANSWER",
                "FAILED",
            ],
            "SnsDestination": {"TopicArn": topic},
        },
    )
    aws.sms.carrier.force(CUSTOMER, "COMPLETED")
    message_id = call(v1, number, ConfigurationSetName="calls")["MessageId"]
    entry = aws.outbox.last(to=CUSTOMER)
    assert (entry.channel, entry.message_id, entry.body) == (
        "VOICE",
        message_id,
        "Your table is ready",
    )
    aws.clock.advance(60)
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    types = sorted(json.loads(json.loads(m["Body"])["Message"])["eventType"] for m in messages)
    assert types == ["COMPLETED_CALL", "INITIATED_CALL"]
    assert aws.sms.engine.counts("VOICE")["delivered"] == 1


def test_the_sandbox_and_bad_content_answer_v1_errors(aws, v1):
    sms = aws.client("pinpoint-sms-voice-v2")
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["VOICE"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    with pytest.raises(v1.exceptions.BadRequestException) as error:
        call(v1, number)
    assert "DESTINATION_PHONE_NUMBER_NOT_VERIFIED" in error.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as error:
        v1.send_voice_message(
            OriginationPhoneNumber=number, DestinationPhoneNumber=CUSTOMER, Content={}
        )
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "Content" in error.value.response["Error"]["Message"]


@pytest.mark.server
def test_v1_is_served_over_http(server_aws):
    v1 = server_aws.client("pinpoint-sms-voice")
    server_aws.sms.leave_sandbox()
    number = server_aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["VOICE"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    v1.create_configuration_set(ConfigurationSetName="calls")
    assert v1.list_configuration_sets()["ConfigurationSets"] == ["calls"]
    message_id = call(v1, number)["MessageId"]
    assert server_aws.outbox.last(to=CUSTOMER).message_id == message_id
    with pytest.raises(v1.exceptions.NotFoundException):
        v1.get_configuration_set_event_destinations(ConfigurationSetName="missing")
