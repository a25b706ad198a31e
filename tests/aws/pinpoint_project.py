"""A Pinpoint project for tests: an email channel on a verified domain, events to Firehose -> S3."""

from __future__ import annotations

from typing import Any

from simlab.aws import LocalAWS
from simlab.toolkit import s3_json_records

SENDER = "news@example.com"
ROLE = "arn:aws:iam::123456789012:role/events"
BUCKET = "pinpoint-stream"


def email_project(aws: LocalAWS, name: str, *, stream: bool = True) -> tuple[Any, str]:
    """Creates the app; with ``stream`` its events reach ``BUCKET`` at once (no buffering)."""
    pinpoint, ses = aws.client("pinpoint"), aws.client("ses")
    ses.verify_domain_identity(Domain="example.com")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": name})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": SENDER,
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
        },
    )
    if stream:
        stream_to_s3(aws, app_id, interval=0)
    return pinpoint, app_id


def stream_to_s3(aws: LocalAWS, app_id: str, *, interval: int = 60, bucket: str = BUCKET) -> None:
    """Streams the app's events to ``bucket`` through a Firehose buffering ``interval`` seconds
    (and 1 MB)."""
    aws.client("s3").create_bucket(Bucket=bucket)
    arn = aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{bucket}",
            "BufferingHints": {"IntervalInSeconds": interval, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    aws.client("pinpoint").put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": ROLE}
    )


def stream_objects(aws: LocalAWS, bucket: str = BUCKET) -> list[tuple[str, str]]:
    """Every object in ``bucket`` as (key, text), in key order."""
    s3 = aws.client("s3")
    return [
        (item["Key"], s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode())
        for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    ]


def records(aws: LocalAWS) -> list[dict]:
    """Every event-stream record written so far."""
    return s3_json_records(aws.client("s3"), BUCKET)
