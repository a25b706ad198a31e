"""moto's clock follows the simulated one only while a local AWS is open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import moto.core.utils as moto_utils
from moto import mock_aws

from simlab.aws import LocalAWS
from simlab.engage.clock import DEFAULT_EPOCH

ORIGINAL_CODE = moto_utils.utcnow.__code__


def wall_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_moto_reads_the_simulated_clock_while_a_local_aws_is_open():
    with LocalAWS() as aws:
        aws.clock.advance(86_400)
        assert moto_utils.utcnow() == (DEFAULT_EPOCH + timedelta(days=1)).replace(tzinfo=None)
        assert moto_utils.utcnow.__code__ is not ORIGINAL_CODE


def test_closing_the_local_aws_gives_moto_its_own_clock_back():
    with LocalAWS() as aws:
        aws.clock.advance(3_600)
    assert moto_utils.utcnow.__code__ is ORIGINAL_CODE
    assert not hasattr(moto_utils, "_simlab_now")
    assert abs(moto_utils.utcnow() - wall_now()) < timedelta(minutes=1)


def test_plain_moto_after_a_local_aws_dates_resources_by_the_wall_clock():
    with LocalAWS() as aws:
        aws.clock.advance(7 * 86_400)
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName="plain")["QueueUrl"]
        created = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["CreatedTimestamp"])
    stamp = datetime.fromtimestamp(float(created["Attributes"]["CreatedTimestamp"]), UTC)
    assert abs(stamp.replace(tzinfo=None) - wall_now()) < timedelta(minutes=1)


def test_the_hook_stays_until_the_last_local_aws_closes():
    outer = LocalAWS().start()
    try:
        with LocalAWS():
            pass
        assert moto_utils.utcnow.__code__ is not ORIGINAL_CODE
    finally:
        outer.stop()
    assert moto_utils.utcnow.__code__ is ORIGINAL_CODE
