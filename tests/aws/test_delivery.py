"""Event records reach Firehose, Kinesis, CloudWatch Logs and SNS by ARN."""

import json

import pytest

from simlab.aws.delivery import DeliveryError, deliver, deliver_texts, writer
from tests.aws.sqs_delivery import raw_queue_for

ACCOUNT = "123456789012"


def test_kinesis_records_are_json_readable_with_boto3(aws):
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="pinpoint-events", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="pinpoint-events")["StreamDescription"]["StreamARN"]
    deliver(arn, {"event_type": "_email.send"}, partition_key="app-1")
    shard = kinesis.list_shards(StreamName="pinpoint-events")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName="pinpoint-events", ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator)["Records"]
    assert [json.loads(r["Data"]) for r in records] == [{"event_type": "_email.send"}]
    assert records[0]["PartitionKey"] == "app-1"


def test_log_group_records_land_in_a_dated_stream_at_simulated_time(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="sms-events")
    aws.clock.advance(3600)
    deliver(
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:sms-events:*", {"eventType": "TEXT_DELIVERED"}
    )
    events = logs.get_log_events(logGroupName="sms-events", logStreamName="simlab/2026/01/05")[
        "events"
    ]
    assert [json.loads(e["message"]) for e in events] == [{"eventType": "TEXT_DELIVERED"}]
    assert events[0]["timestamp"] == aws.clock.timestamp_ms()


def test_sns_records_reach_a_subscribed_queue(aws):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="ses-events")["TopicArn"]
    queue = raw_queue_for(aws, topic, "inbox")
    deliver(topic, {"eventType": "Bounce"})
    body = sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"]
    assert json.loads(body) == {"eventType": "Bounce"}


def test_firehose_records_are_newline_delimited(aws):
    aws.client("s3").create_bucket(Bucket="simlab-archive")
    aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::simlab-archive",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0},
        },
    )
    deliver(f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/events", {"a": 1})
    s3 = aws.client("s3")
    key = s3.list_objects_v2(Bucket="simlab-archive")["Contents"][0]["Key"]
    assert s3.get_object(Bucket="simlab-archive", Key=key)["Body"].read() == b'{"a":1}\n'


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        ("not-an-arn", "not an ARN"),
        (f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue", "cannot deliver events to a sqs ARN"),
        (f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/missing", "cannot deliver to"),
        (f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:missing", "cannot deliver to"),
    ],
)
def test_bad_destinations_are_named(aws, arn, message):
    with pytest.raises(DeliveryError, match=message):
        deliver(arn, {"a": 1})


def _firehose_to_s3(aws, size_mb: int = 1, interval: int = 0) -> str:
    aws.client("s3").create_bucket(Bucket="simlab-archive")
    aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::simlab-archive",
            "BufferingHints": {"SizeInMBs": size_mb, "IntervalInSeconds": interval},
        },
    )
    return f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/events"


def _objects(aws) -> list[bytes]:
    s3 = aws.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="simlab-archive").get("Contents", [])]
    return [s3.get_object(Bucket="simlab-archive", Key=k)["Body"].read() for k in sorted(keys)]


def test_texts_delivered_together_land_as_each_would_alone(aws):
    arn = _firehose_to_s3(aws, interval=60)
    deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":2}')])
    deliver(arn, {"n": 3})
    aws.clock.advance(60)
    assert _objects(aws) == [b'{"n":1}\n{"n":2}\n{"n":3}\n']


def test_texts_for_a_missing_stream_fail_at_the_first_with_none_written(aws):
    arn = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/missing"
    with pytest.raises(DeliveryError, match="cannot deliver to") as failure:
        deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":2}')])
    assert failure.value.written == 0


def test_texts_for_kinesis_keep_their_partition_keys(aws):
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="pinpoint-events", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="pinpoint-events")["StreamDescription"]["StreamARN"]
    deliver_texts(arn, [("e1", '{"n":1}'), ("e2", '{"n":2}')])
    shard = kinesis.list_shards(StreamName="pinpoint-events")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName="pinpoint-events", ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator)["Records"]
    assert [(r["PartitionKey"], json.loads(r["Data"])) for r in records] == [
        ("e1", {"n": 1}),
        ("e2", {"n": 2}),
    ]


def test_a_writer_follows_the_buffering_hints_an_update_sets(aws):
    arn = _firehose_to_s3(aws, interval=60)
    write = writer(arn)
    write('{"n":1}', "e1")
    firehose = aws.client("firehose")
    described = firehose.describe_delivery_stream(DeliveryStreamName="events")
    firehose.update_destination(
        DeliveryStreamName="events",
        CurrentDeliveryStreamVersionId=described["DeliveryStreamDescription"]["VersionId"],
        DestinationId=described["DeliveryStreamDescription"]["Destinations"][0]["DestinationId"],
        ExtendedS3DestinationUpdate={"BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0}},
    )
    write('{"n":2}', "e2")  # the new zero interval flushes the buffer with this record
    assert _objects(aws) == [b'{"n":1}\n{"n":2}\n']


def test_a_writer_reaches_a_stream_deleted_and_made_again_or_names_it_missing(aws):
    arn = _firehose_to_s3(aws, interval=60)
    write = writer(arn)
    write('{"n":1}', "e1")
    firehose = aws.client("firehose")
    firehose.delete_delivery_stream(DeliveryStreamName="events")
    with pytest.raises(DeliveryError, match="cannot deliver to"):
        write('{"n":2}', "e2")
    firehose.create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::simlab-archive",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0},
        },
    )
    write('{"n":3}', "e3")
    assert _objects(aws)[-1].endswith(b'{"n":3}\n')
