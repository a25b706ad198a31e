"""Places events and replies can land, made with the boto3 clients you pass in.

A configuration set's event destinations and a two-way number name their targets by ARN: an
SNS topic (read here through an SQS queue), a Firehose stream that writes to S3, a CloudWatch
Logs group. Each helper creates one such target and returns what you need to name it and read
it back, so a notebook shows only the calls that teach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TopicQueue:
    """An SNS topic with one SQS queue subscribed to it."""

    topic_arn: str
    queue_url: str
    queue_arn: str


def topic_with_queue(sns: Any, sqs: Any, name: str, *, raw: bool = True) -> TopicQueue:
    """Creates topic ``name`` and queue ``name`` subscribed to it.

    With ``raw`` (RawMessageDelivery) the queue receives each published message as is;
    without it, wrapped in the SNS JSON envelope (the text is then under ``Message``).
    """
    topic_arn = sns.create_topic(Name=name)["TopicArn"]
    queue_url = sqs.create_queue(QueueName=name)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    queue_arn = attributes["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true" if raw else "false"},
    )
    return TopicQueue(topic_arn, queue_url, queue_arn)


def firehose_to_bucket(
    firehose: Any,
    s3: Any,
    name: str,
    *,
    role_arn: str,
    bucket: str | None = None,
    interval_s: int = 60,
    size_mb: int = 1,
) -> str:
    """Creates bucket ``bucket`` (default ``name``) and a Firehose stream writing to it.

    Firehose writes a batch to S3 when ``size_mb`` have arrived or ``interval_s`` seconds have
    passed, whichever comes first. Returns the stream's ARN.
    """
    bucket = bucket or name
    s3.create_bucket(Bucket=bucket)
    answer = firehose.create_delivery_stream(
        DeliveryStreamName=name,
        ExtendedS3DestinationConfiguration={
            "RoleARN": role_arn,
            "BucketARN": f"arn:aws:s3:::{bucket}",
            "BufferingHints": {"SizeInMBs": size_mb, "IntervalInSeconds": interval_s},
        },
    )
    return str(answer["DeliveryStreamARN"])


def log_group(logs: Any, name: str) -> str:
    """Creates log group ``name``; returns its ARN (without the ``:*`` suffix)."""
    logs.create_log_group(logGroupName=name)
    [group] = [
        g
        for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        if g["logGroupName"] == name
    ]
    return str(group.get("logGroupArn") or group["arn"].removesuffix(":*"))
