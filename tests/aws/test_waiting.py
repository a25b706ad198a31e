"""Waiting works and nothing hangs: code that waits the way AWS documents finishes.

With the default ``manual`` clock a wait lets simulated time pass at once, so each scenario
returns at once with the same result every run, in-process and over HTTP alike.
"""

import random
import threading
import time

import boto3
import pytest
from botocore.config import Config

from simlab.aws import LocalAWS

SENDER, RECIPIENT = "shop@example.com", "ana@example.com"


@pytest.fixture(params=["inprocess", "server"])
def local(request):
    """A fresh local AWS with a manual clock, in-process or over HTTP."""
    with LocalAWS(request.param) as aws:
        yield aws


@pytest.fixture
def sqs(local):
    return local.client("sqs")


def test_a_long_poll_on_an_empty_queue_returns_empty_after_its_wait(local, sqs):
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    before = local.clock.seconds
    answer = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=20)
    assert "Messages" not in answer
    assert local.clock.seconds - before == 20


def test_a_queue_s_own_wait_time_makes_a_plain_receive_a_long_poll(local, sqs):
    queue = sqs.create_queue(
        QueueName="orders", Attributes={"ReceiveMessageWaitTimeSeconds": "10"}
    )["QueueUrl"]
    before = local.clock.seconds
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)
    assert local.clock.seconds - before == 10


def delay_5s(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="hello", DelaySeconds=5)


def hide_15s(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="hello")
    sqs.receive_message(QueueUrl=queue, VisibilityTimeout=15)


@pytest.mark.parametrize(
    ("prepare", "ready_after"),
    [(delay_5s, 5), (hide_15s, 15)],
    ids=["a delayed message", "a message whose visibility timeout passes"],
)
def test_a_long_poll_returns_as_soon_as_a_message_is_ready(local, sqs, prepare, ready_after):
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    prepare(sqs, queue)
    before = local.clock.seconds
    [message] = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=20)["Messages"]
    assert message["Body"] == "hello"
    assert ready_after <= local.clock.seconds - before < ready_after + 0.1


def test_visibility_timeout_zero_makes_a_message_visible_again_at_once(local, sqs):
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="hello")
    [first] = sqs.receive_message(QueueUrl=queue)["Messages"]
    sqs.change_message_visibility(
        QueueUrl=queue, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    [second] = sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)["Messages"]
    [third] = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert first["MessageId"] == second["MessageId"] == third["MessageId"]
    assert sqs.receive_message(QueueUrl=queue).get("Messages") is None  # now hidden for 30 s


def _verified_ses(local):
    v1 = local.client("ses")
    for address in (SENDER, RECIPIENT):
        v1.verify_email_identity(EmailAddress=address)
    return v1


def test_two_sandbox_sends_a_sleep_apart_are_both_accepted(local):
    v1 = _verified_ses(local)
    v1.create_template(
        Template={"TemplateName": "hi", "SubjectPart": "Hi {{name}}", "TextPart": "Hello"}
    )
    v2 = local.client("sesv2")
    send = {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": [RECIPIENT]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    v1.send_templated_email(
        Source=SENDER,
        Destination={"ToAddresses": [RECIPIENT]},
        Template="hi",
        TemplateData='{"name": "Ana"}',
    )
    time.sleep(1.1)  # the sandbox sends one message per second
    v2.send_email(**send)
    time.sleep(1.1)
    v2.send_bulk_email(
        FromEmailAddress=SENDER,
        DefaultContent={"Template": {"TemplateName": "hi", "TemplateData": '{"name": "x"}'}},
        BulkEmailEntries=[{"Destination": {"ToAddresses": [RECIPIENT]}}],
    )
    assert len(local.outbox.filter(channel="EMAIL")) == 3
    assert local.clock.seconds == pytest.approx(2.2)


def test_without_the_sleep_the_second_sandbox_send_is_throttled(local):
    _verified_ses(local)
    v2 = local.client("sesv2")
    send = {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": [RECIPIENT]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    v2.send_email(**send)
    with pytest.raises(v2.exceptions.TooManyRequestsException):
        v2.send_email(**send)


def test_a_throttled_call_succeeds_under_botocore_s_standard_retry_mode(local):
    _verified_ses(local)
    random.seed(7)  # botocore's back-off is jittered; the seed makes the run repeatable
    v2 = local.client("sesv2", config=Config(retries={"mode": "standard", "max_attempts": 10}))
    send = {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": [RECIPIENT]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    v2.send_email(**send)
    answer = v2.send_email(**send)  # throttled at first; botocore backs off and retries
    assert answer["ResponseMetadata"]["RetryAttempts"] >= 1
    assert local.clock.seconds >= 1.0  # the back-off let simulated time pass
    statuses = [m.status for m in local.outbox.filter(channel="EMAIL")]
    throttled = answer["ResponseMetadata"]["RetryAttempts"]
    assert statuses.count("THROTTLED") == throttled  # every refused attempt is accounted for
    assert len(statuses) - throttled == 2


def test_a_plain_boto3_client_retries_a_throttled_call_as_botocore_does(local):
    _verified_ses(local)
    random.seed(11)
    v2 = boto3.client("sesv2", region_name="us-east-1", endpoint_url=local.endpoint_url)
    send = {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": [RECIPIENT]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    v2.send_email(**send)
    assert v2.send_email(**send)["ResponseMetadata"]["RetryAttempts"] >= 1


def test_sleep_in_another_thread_is_real_and_leaves_the_clock_alone(local):
    took = []

    def nap():
        start = time.perf_counter()
        time.sleep(0.2)
        took.append(time.perf_counter() - start)

    worker = threading.Thread(target=nap)
    worker.start()
    worker.join()
    assert took[0] >= 0.19
    assert local.clock.seconds == 0


def test_time_sleep_is_itself_again_once_the_local_aws_closes():
    real = time.sleep
    with LocalAWS():
        assert time.sleep is not real
    assert time.sleep is real


def test_the_kernel_s_own_sleeps_in_the_owner_thread_stay_real(local):
    kernel_code = {"__name__": "ipykernel.kernelbase", "time": time}
    exec("def pause_after_a_cell():\n    time.sleep(0.0005)\n", kernel_code)
    kernel_code["pause_after_a_cell"]()
    assert local.clock.seconds == 0
    time.sleep(0.5)  # the learner's own sleep
    assert local.clock.seconds == 0.5
