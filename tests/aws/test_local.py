import json
import os
import urllib.request
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from simlab.aws import LocalAWS
from simlab.engage.clock import DEFAULT_EPOCH


def test_inprocess_serves_aws_clients_and_plain_boto3(aws):
    aws.client("sqs").create_queue(QueueName="orders")
    urls = boto3.client("sqs").list_queues()["QueueUrls"]
    assert [url.rsplit("/", 1)[-1] for url in urls] == ["orders"]


def test_every_open_starts_from_nothing():
    with LocalAWS() as aws:
        aws.client("sns").create_topic(Name="alerts")
    with LocalAWS() as aws:
        assert aws.client("sns").list_topics()["Topics"] == []


def test_reset_wipes_state_and_the_clock_but_stays_open(aws):
    aws.client("sns").create_topic(Name="alerts")
    aws.clock.advance(60)
    aws.reset()
    assert aws.client("sns").list_topics()["Topics"] == []
    assert aws.clock.now() == DEFAULT_EPOCH


def test_moto_timestamps_follow_the_simulated_clock(aws):
    aws.clock.advance(timedelta(days=2, hours=1))
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="simlab-archive")
    s3.put_object(Bucket="simlab-archive", Key="k", Body=b"x")
    modified = s3.head_object(Bucket="simlab-archive", Key="k")["LastModified"]
    assert modified == datetime(2026, 1, 7, 10, tzinfo=UTC)


def test_the_epoch_and_seed_are_chosen_by_the_caller():
    start = datetime(2030, 6, 1, tzinfo=UTC)
    with LocalAWS(epoch=start, seed=7) as aws:
        assert aws.clock.now() == start
        first = aws.state.rng("x").random()
    with LocalAWS(epoch=start, seed=7) as aws:
        assert aws.state.rng("x").random() == first
        assert aws.state.rng("y").random() != first


def test_server_mode_shares_state_with_this_process(server_aws):
    sns = server_aws.client("sns")
    assert server_aws.endpoint_url.startswith("http://127.0.0.1:")
    assert sns.meta.endpoint_url == server_aws.endpoint_url
    sns.create_topic(Name="alerts")
    # plain boto3 in the same process never leaves it: it reaches the same backends
    assert len(boto3.client("sns").list_topics()["Topics"]) == 1
    with urllib.request.urlopen(f"{server_aws.endpoint_url}/simlab/health") as reply:
        assert json.load(reply) == {"status": "ok"}


def test_modes_are_checked_by_name():
    with pytest.raises(ValueError, match="mode must be one of inprocess, server, aws"):
        LocalAWS("cloud")


def test_state_needs_an_open_local_aws():
    aws = LocalAWS()
    with pytest.raises(RuntimeError, match="open the local AWS first"):
        aws.clock  # noqa: B018
    with pytest.raises(RuntimeError, match="only for a local AWS"):
        LocalAWS("aws").outbox  # noqa: B018


def test_fake_credentials_replace_the_callers_and_are_restored_afterwards(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    with LocalAWS():
        assert os.environ["AWS_ACCESS_KEY_ID"] != "mine"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"


def test_state_made_while_moto_resets_does_not_survive_into_the_next_session():
    from simlab.aws.state import state

    with LocalAWS() as aws:
        aws.clock.advance(3600)
        aws.client("sesv2").create_email_identity(EmailIdentity="a@example.com")
        old = state()
    with LocalAWS() as aws:
        assert state() is not old
        assert aws.clock.seconds == 0 and len(aws.outbox) == 0


def test_local_clients_do_not_retry_throttled_calls(aws):
    ses = aws.client("sesv2")
    ses.create_email_identity(EmailIdentity="example.com")
    mail = {
        "FromEmailAddress": "a@example.com",
        "Destination": {"ToAddresses": ["b@example.com"]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    ses.send_email(**mail)
    with pytest.raises(ses.exceptions.TooManyRequestsException):
        ses.send_email(**mail)  # the sandbox's one message per second is used up
    assert len(aws.outbox.filter(status="THROTTLED")) == 1  # one attempt, not three


def test_closing_the_local_aws_gives_moto_and_botocore_back_their_own_hooks():
    import time

    import moto.core.utils as moto_utils
    from botocore.handlers import BUILTIN_HANDLERS
    from moto.core.models import botocore_stubber

    real_sleep = time.sleep
    with LocalAWS() as local:
        local.clock.advance(3600)
        assert moto_utils.utcnow() == local.clock.naive_utc()
    wall = datetime.now(UTC).replace(tzinfo=None)
    assert abs((moto_utils.utcnow() - wall).total_seconds()) < 60
    assert time.sleep is real_sleep
    assert ("before-send", botocore_stubber) in [(e[0], e[1]) for e in BUILTIN_HANDLERS]
