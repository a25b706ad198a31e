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
        aws.client("s3").create_bucket(Bucket=BUCKET)
        arn = aws.client("firehose").create_delivery_stream(
            DeliveryStreamName="events",
            ExtendedS3DestinationConfiguration={
                "RoleARN": ROLE,
                "BucketARN": f"arn:aws:s3:::{BUCKET}",
                "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1},
            },
        )["DeliveryStreamARN"]
        pinpoint.put_event_stream(
            ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": ROLE}
        )
    return pinpoint, app_id


def records(aws: LocalAWS) -> list[dict]:
    """Every event-stream record written so far."""
    return s3_json_records(aws.client("s3"), BUCKET)
