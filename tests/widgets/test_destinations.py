"""The event-destination panel, driven headlessly: untick a destination, send, see it skipped."""

from __future__ import annotations

import pytest

from simlab.toolkit import (
    firehose_to_bucket,
    log_group,
    log_messages,
    queue_messages,
    s3_json_records,
    topic_with_queue,
)
from simlab.widgets.destinations import build_destinations_panel, landing, landing_text

ROLE = "arn:aws:iam::123456789012:role/sms-events"
NAMES = ("to-sns", "to-firehose", "to-logs")


@pytest.fixture
def panel(aws):
    sms, sqs, s3, logs = (
        aws.client(name) for name in ("pinpoint-sms-voice-v2", "sqs", "s3", "logs")
    )
    topic = topic_with_queue(aws.client("sns"), sqs, "sms-events")
    stream = firehose_to_bucket(
        aws.client("firehose"), s3, "sms-events", role_arn=ROLE, interval_s=60
    )
    group = log_group(logs, "/sms/events")
    sms.create_configuration_set(ConfigurationSetName="orders")
    for name, target in [
        ("to-sns", {"SnsDestination": {"TopicArn": topic.topic_arn}}),
        (
            "to-firehose",
            {"KinesisFirehoseDestination": {"IamRoleArn": ROLE, "DeliveryStreamArn": stream}},
        ),
        ("to-logs", {"CloudWatchLogsDestination": {"IamRoleArn": ROLE, "LogGroupArn": group}}),
    ]:
        sms.create_event_destination(
            ConfigurationSetName="orders",
            EventDestinationName=name,
            MatchingEventTypes=["TEXT_ALL"],
            **target,
        )
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumberArn"]
    aws.sms.leave_sandbox()
    return build_destinations_panel(
        sms,
        "orders",
        NAMES,
        send=lambda: sms.send_text_message(
            DestinationPhoneNumber="+12065550142",
            OriginationIdentity=number,
            MessageBody="Order 1042 has shipped.",
            ConfigurationSetName="orders",
        )["MessageId"],
        look=lambda: {
            "to-sns": queue_messages(sqs, topic.queue_url),
            "to-firehose": s3_json_records(s3, "sms-events"),
            "to-logs": log_messages(logs, "/sms/events"),
        },
        wait=lambda: aws.clock.advance(90),
    )


EVENTS = ["TEXT_QUEUED", "TEXT_PENDING", "TEXT_DELIVERED"]


def test_with_every_destination_on_each_gets_the_whole_story(panel):
    assert panel.send() == dict.fromkeys(NAMES, EVENTS)


def test_an_unticked_destination_gets_nothing_and_says_off(panel):
    panel.boxes["to-logs"].value = False
    assert panel.send() == {"to-sns": EVENTS, "to-firehose": EVENTS, "to-logs": []}
    assert "to-logs        off (nothing)" in panel.output.value


def test_landing_keeps_only_the_message_asked_for():
    views = {"a": [{"messageId": "m1", "eventType": "TEXT_QUEUED"}, {"messageId": "m2"}]}
    assert landing(views, "m1") == {"a": ["TEXT_QUEUED"]}
    assert landing_text({"a": []}, {"a": True}) == "a              on  (nothing)"


def test_a_panel_needs_a_destination():
    with pytest.raises(ValueError, match="destination"):
        build_destinations_panel(None, "orders", [], send=lambda: "", look=dict)
