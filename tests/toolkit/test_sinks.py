"""Event sinks made with boto3: a queue on a topic, Firehose to S3, a log group."""

import json

import pytest

from simlab.aws.delivery import deliver
from simlab.toolkit import (
    firehose_to_bucket,
    log_group,
    log_messages,
    queue_messages,
    s3_json_records,
    topic_with_queue,
)

ROLE = "arn:aws:iam::123456789012:role/events"


def test_a_raw_queue_receives_the_published_text_as_is(aws):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    sink = topic_with_queue(sns, sqs, "events")
    assert sink.topic_arn == "arn:aws:sns:us-east-1:123456789012:events"
    assert sink.queue_arn == "arn:aws:sqs:us-east-1:123456789012:events"
    sns.publish(TopicArn=sink.topic_arn, Message=json.dumps({"eventType": "TEXT_DELIVERED"}))
    assert queue_messages(sqs, sink.queue_url) == [{"eventType": "TEXT_DELIVERED"}]


def test_without_raw_delivery_the_queue_gets_the_sns_envelope(aws):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    sink = topic_with_queue(sns, sqs, "wrapped", raw=False)
    sns.publish(TopicArn=sink.topic_arn, Message="hello")
    [envelope] = queue_messages(sqs, sink.queue_url)
    assert (envelope["Type"], envelope["Message"], envelope["TopicArn"]) == (
        "Notification",
        "hello",
        sink.topic_arn,
    )


def test_firehose_writes_to_the_bucket_when_its_interval_passes(aws):
    s3 = aws.client("s3")
    arn = firehose_to_bucket(aws.client("firehose"), s3, "archive", role_arn=ROLE, interval_s=60)
    assert arn == "arn:aws:firehose:us-east-1:123456789012:deliverystream/archive"
    deliver(arn, {"n": 1})
    aws.clock.advance(59)
    assert s3_json_records(s3, "archive") == []
    aws.clock.advance(1)
    assert s3_json_records(s3, "archive") == [{"n": 1}]


def test_the_log_group_arn_is_a_delivery_target(aws):
    logs = aws.client("logs")
    arn = log_group(logs, "/sms/events")
    assert arn == "arn:aws:logs:us-east-1:123456789012:log-group:/sms/events"
    deliver(arn, {"n": 2})
    assert log_messages(logs, "/sms/events") == [{"n": 2}]


@pytest.mark.server
def test_sinks_are_made_over_http(server_aws):
    sns, sqs = server_aws.client("sns"), server_aws.client("sqs")
    sink = topic_with_queue(sns, sqs, "events")
    sns.publish(TopicArn=sink.topic_arn, Message='{"ok": true}')
    assert queue_messages(sqs, sink.queue_url) == [{"ok": True}]
    s3 = server_aws.client("s3")
    arn = firehose_to_bucket(
        server_aws.client("firehose"), s3, "events", role_arn=ROLE, bucket="archive"
    )
    deliver(arn, {"n": 3})
    server_aws.clock.advance(60)
    assert s3_json_records(s3, "archive") == [{"n": 3}]
    assert log_group(server_aws.client("logs"), "/g").endswith(":log-group:/g")
