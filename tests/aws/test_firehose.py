"""Firehose → S3 delivers on BufferingHints, on the simulated clock."""

import json

import pytest

BUCKET = "simlab-stream-archive"


def make_stream(aws, **hints):
    aws.client("s3").create_bucket(Bucket=BUCKET)
    destination = {
        "RoleARN": "arn:aws:iam::123456789012:role/firehose",
        "BucketARN": f"arn:aws:s3:::{BUCKET}",
    }
    if hints:
        destination["BufferingHints"] = hints
    aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events", ExtendedS3DestinationConfiguration=destination
    )


def objects(aws):
    s3 = aws.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return [s3.get_object(Bucket=BUCKET, Key=k)["Body"].read().decode() for k in keys], keys


def put(aws, *records):
    for record in records:
        aws.client("firehose").put_record(
            DeliveryStreamName="events", Record={"Data": json.dumps(record) + "\n"}
        )


def test_records_wait_for_the_default_300_second_interval(aws):
    make_stream(aws)
    put(aws, {"n": 1}, {"n": 2})
    aws.clock.advance(299)
    assert objects(aws)[0] == []
    aws.clock.advance(1)
    bodies, keys = objects(aws)
    assert bodies == ['{"n": 1}\n{"n": 2}\n']
    # the object is named by the simulated time of delivery (2026-01-05 09:05 UTC)
    assert keys[0].startswith("2026/01/05/09/events-1-2026-01-05-09-05-00-")


def test_the_interval_counts_from_the_first_record_of_each_buffer(aws):
    make_stream(aws, SizeInMBs=1, IntervalInSeconds=60)
    put(aws, {"n": 1})
    aws.clock.advance(59)
    put(aws, {"n": 2})
    aws.clock.advance(1)
    assert objects(aws)[0] == ['{"n": 1}\n{"n": 2}\n']
    put(aws, {"n": 3})
    aws.clock.advance(59)
    assert len(objects(aws)[0]) == 1
    aws.clock.advance(1)
    assert objects(aws)[0][1] == '{"n": 3}\n'


def test_a_full_buffer_flushes_at_once(aws):
    make_stream(aws, SizeInMBs=1, IntervalInSeconds=900)
    chunk = {"pad": "x" * 300_000}
    put(aws, chunk, chunk, chunk)
    assert objects(aws)[0] == []
    put(aws, chunk)
    bodies, _ = objects(aws)
    assert len(bodies) == 1 and bodies[0].count("\n") == 4
    aws.clock.advance(900)
    assert len(objects(aws)[0]) == 1  # nothing left to deliver


@pytest.mark.parametrize("interval", [0])
def test_a_zero_interval_delivers_every_put(aws, interval):
    make_stream(aws, SizeInMBs=1, IntervalInSeconds=interval)
    put(aws, {"n": 1})
    put(aws, {"n": 2})
    assert sorted(objects(aws)[0]) == ['{"n": 1}\n', '{"n": 2}\n']
