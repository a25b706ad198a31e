"""A server that serves many clients at once: nobody's slowness, stall or wait blocks the others.

Bounds here are generous liveness limits (seconds, where a blocked server would take a minute
or forever), not speed measurements: ``benchmarks/server.py`` measures speed.
"""

import base64
import json
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simlab.aws import LocalAWS

pytestmark = pytest.mark.server

#: Far more than any answer needs, far less than a blocked server would take.
ANSWERED_WITHIN = 5.0


def get(aws, path):
    with urllib.request.urlopen(f"{aws.endpoint_url}{path}", timeout=30) as reply:
        return json.load(reply)


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


class Endpoint:
    """A local HTTP endpoint that records what it is sent, optionally slowly or failing first."""

    def __init__(self, delay=0.0, fail_first=0):
        self.received: list[dict] = []
        self.delay, self.fail_first = delay, fail_first
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(endpoint.delay)
                failing = endpoint.fail_first > 0
                endpoint.fail_first -= 1
                if not failing:
                    endpoint.received.append(json.loads(body))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint_factory():
    made = []

    def make(**options):
        made.append(Endpoint(**options))
        return made[-1]

    yield make
    for endpoint in made:
        endpoint.close()


def subscribed_topic(aws, url):
    sns = aws.client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url)
    return sns, topic


def test_a_half_sent_request_does_not_hold_up_other_clients(server_aws):
    host, port = server_aws.endpoint_url.removeprefix("http://").split(":")
    stalled = socket.create_connection((host, int(port)))
    try:
        stalled.sendall(
            b"POST / HTTP/1.1\r\nHost: sns.us-east-1.amazonaws.com\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            b"Action=ListTopics&Vers"
        )
        sns = server_aws.client("sns")
        _, took = timed(lambda: (sns.list_topics(), get(server_aws, "/simlab/clock")))
        assert took < ANSWERED_WITHIN
    finally:
        stalled.close()


def test_a_long_poll_in_progress_lets_others_be_served_and_returns_on_arrival():
    with LocalAWS("server", clock="live") as aws:
        sns, sqs = aws.client("sns"), aws.client("sqs")
        topic = sns.create_topic(Name="orders")["TopicArn"]
        queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["Attributes"]["QueueArn"])
        polled = {}

        def poll():
            polled["answer"], polled["took"] = timed(
                lambda: aws.client("sqs").receive_message(QueueUrl=queue, WaitTimeSeconds=20)
            )

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.5)  # the long poll is waiting now
        clock, took = timed(lambda: get(aws, "/simlab/clock"))
        assert (clock["mode"], took < ANSWERED_WITHIN) == ("live", True)
        _, took = timed(lambda: sns.publish(TopicArn=topic, Message="order 7 shipped"))
        assert took < ANSWERED_WITHIN
        poller.join(timeout=30)
        [message] = polled["answer"]["Messages"]
        assert json.loads(message["Body"])["Message"] == "order 7 shipped"
        assert polled["took"] < 20  # it returned on arrival, not at the end of its wait


def test_a_long_poll_on_a_live_clock_waits_its_time_then_returns_empty():
    with LocalAWS("server", clock="live", speed=10) as aws:
        sqs = aws.client("sqs")
        queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
        answer, took = timed(lambda: sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5))
        assert "Messages" not in answer
        assert 0.4 <= took < ANSWERED_WITHIN  # 5 simulated seconds at 10x are half a second


def test_a_slow_http_subscriber_delays_only_itself(server_aws, endpoint_factory):
    slow = endpoint_factory(delay=3.0)
    sns, topic = subscribed_topic(server_aws, slow.url)
    _, took = timed(lambda: sns.publish(TopicArn=topic, Message="hello"))
    assert took < 2.0
    _, took = timed(lambda: (sns.list_topics(), get(server_aws, "/simlab/clock")))
    assert took < 2.0
    assert server_aws.settle(timeout=30)
    assert [m["Message"] for m in slow.received] == ["hello"]
    [delivery] = server_aws.sns.deliveries(protocol="http")
    assert (delivery.status, delivery.detail["attempts"]) == ("DELIVERED", 1)


def test_a_subscription_pointed_at_the_server_itself_does_not_freeze_it(server_aws):
    sns, topic = subscribed_topic(server_aws, f"{server_aws.endpoint_url}/")
    sns.publish(TopicArn=topic, Message="to myself")
    assert server_aws.settle(timeout=30)
    assert sns.list_topics()["Topics"]
    [delivery] = server_aws.sns.deliveries(protocol="http")
    assert delivery.status in ("DELIVERED", "FAILED")  # answered, whatever moto made of it


def test_control_routes_are_never_a_delivery_target(server_aws):
    sns, topic = subscribed_topic(server_aws, f"{server_aws.endpoint_url}/simlab/reset")
    sns.publish(TopicArn=topic, Message="wipe everything")
    assert server_aws.settle(timeout=30)
    assert sns.list_topics()["Topics"]  # nothing was reset
    [delivery] = server_aws.sns.deliveries(protocol="http")
    assert delivery.status == "FAILED"
    assert "control routes" in delivery.error


def test_a_failed_http_delivery_is_retried_20_seconds_later_on_the_clock(aws, endpoint_factory):
    flaky = endpoint_factory(fail_first=1)
    sns, topic = subscribed_topic(aws, flaky.url)
    sns.publish(TopicArn=topic, Message="try again")
    assert aws.settle(timeout=30)
    assert flaky.received == [] and aws.sns.deliveries(protocol="http") == []
    aws.clock.advance(19)
    assert aws.settle(timeout=30) and flaky.received == []
    aws.clock.advance(1)
    assert aws.settle(timeout=30)
    assert [m["Message"] for m in flaky.received] == ["try again"]
    [delivery] = aws.sns.deliveries(protocol="http")
    assert (delivery.status, delivery.detail["attempts"]) == ("DELIVERED", 2)


def test_an_endpoint_that_keeps_failing_is_given_up_after_three_retries(aws, endpoint_factory):
    broken = endpoint_factory(fail_first=10)
    sns, topic = subscribed_topic(aws, broken.url)
    sns.publish(TopicArn=topic, Message="never")
    for _ in range(4):
        assert aws.settle(timeout=30)
        aws.clock.advance(20)
    assert aws.settle(timeout=30)
    [delivery] = aws.sns.deliveries(protocol="http")
    assert (delivery.status, delivery.detail["attempts"]) == ("FAILED", 4)
    assert broken.fail_first == 6  # four attempts reached it: the first and three retries


def test_a_live_clock_flushes_a_firehose_buffer_with_nobody_advancing_it():
    # 60 simulated seconds take 2 real ones: room for a loaded machine between the put and
    # the first look, short enough for the suite
    with LocalAWS(clock="live", speed=30) as aws:
        s3, firehose = aws.client("s3"), aws.client("firehose")
        s3.create_bucket(Bucket="stream-archive")
        firehose.create_delivery_stream(
            DeliveryStreamName="events",
            ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/firehose",
                "BucketARN": "arn:aws:s3:::stream-archive",
                "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 5},
            },
        )
        firehose.put_record(DeliveryStreamName="events", Record={"Data": b'{"n": 1}\n'})
        assert s3.list_objects_v2(Bucket="stream-archive").get("KeyCount") == 0
        deadline = time.monotonic() + 20
        while (
            time.monotonic() < deadline
            and not s3.list_objects_v2(Bucket="stream-archive")["KeyCount"]
        ):
            time.sleep(0.1)  # a live clock: this sleep is real
        assert s3.list_objects_v2(Bucket="stream-archive")["KeyCount"] == 1
        assert aws.clock.seconds >= 60


def test_a_subscription_s_own_delivery_policy_sets_its_retries(aws, endpoint_factory):
    broken = endpoint_factory(fail_first=10)
    sns, topic = subscribed_topic(aws, broken.url)
    [subscription] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    policy = {"healthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 5, "maxDelayTarget": 5}}
    sns.set_subscription_attributes(
        SubscriptionArn=subscription["SubscriptionArn"],
        AttributeName="DeliveryPolicy",
        AttributeValue=json.dumps(policy),
    )
    sns.publish(TopicArn=topic, Message="once more only")
    assert aws.settle(timeout=30)
    aws.clock.advance(5)
    assert aws.settle(timeout=30)
    [delivery] = aws.sns.deliveries(protocol="http")
    assert (delivery.status, delivery.detail["attempts"]) == ("FAILED", 2)


def test_firehose_calls_an_http_endpoint_on_this_machine_off_the_request_path(
    aws, endpoint_factory
):
    receiver = endpoint_factory()
    firehose = aws.client("firehose")
    firehose.create_delivery_stream(
        DeliveryStreamName="to-http",
        HttpEndpointDestinationConfiguration={
            "EndpointConfiguration": {"Url": receiver.url, "Name": "local"},
            "S3Configuration": {
                "RoleARN": "arn:aws:iam::123456789012:role/firehose",
                "BucketARN": "arn:aws:s3:::backup",
            },
        },
    )
    firehose.put_record(DeliveryStreamName="to-http", Record={"Data": b'{"n": 1}'})
    assert aws.settle(timeout=30)
    [batch] = receiver.received
    assert [base64.b64decode(r["data"]) for r in batch["records"]] == [b'{"n": 1}']
    assert batch["timestamp"] == aws.clock.timestamp_ms()


def test_firehose_never_calls_an_endpoint_off_this_machine(aws, monkeypatch):
    calls = []
    monkeypatch.setattr("simlab.aws.outbound.post", lambda *a, **k: calls.append(a))
    firehose = aws.client("firehose")
    firehose.create_delivery_stream(
        DeliveryStreamName="to-internet",
        HttpEndpointDestinationConfiguration={
            "EndpointConfiguration": {"Url": "https://example.com/ingest", "Name": "remote"},
            "S3Configuration": {
                "RoleARN": "arn:aws:iam::123456789012:role/firehose",
                "BucketARN": "arn:aws:s3:::backup",
            },
        },
    )
    answer = firehose.put_record(DeliveryStreamName="to-internet", Record={"Data": b"x"})
    assert answer["RecordId"]
    assert aws.settle(timeout=30)
    assert calls == []
