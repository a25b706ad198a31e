"""S3 buckets named like other services' hosts work in-process as they do on AWS."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from simlab.aws import LocalAWS


@pytest.mark.parametrize("bucket", ["events", "logs", "sqs", "my-data"])
def test_a_bucket_named_like_a_service_keeps_its_objects(aws: LocalAWS, bucket: str) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="day/1.json", Body=b"{}")

    assert s3.get_object(Bucket=bucket, Key="day/1.json")["Body"].read() == b"{}"
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert [o["Key"] for o in listed] == ["day/1.json"]
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_a_plain_boto3_client_with_virtual_hosted_addresses_reaches_the_bucket(
    aws: LocalAWS,
) -> None:
    s3 = boto3.client(
        "s3", region_name="us-east-1", config=Config(s3={"addressing_style": "virtual"})
    )
    s3.create_bucket(Bucket="events")
    s3.put_object(Bucket="events", Key="k", Body=b"v")

    assert s3.get_object(Bucket="events", Key="k")["Body"].read() == b"v"
