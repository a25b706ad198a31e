"""Many threads at once: nothing is lost or counted twice, over HTTP and in-process.

Sixteen threads each make 500 SNS publishes (to a topic fanning out to SQS, email and a Python
function, to a phone number, to a push endpoint) and, in server mode, interleave SES sends to
verified addresses after leaving the SES sandbox. Afterwards every publish is accounted for.
"""

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from moto.backends import get_backend

from simlab.aws import LocalAWS
from simlab.aws.state import ACCOUNT_ID

THREADS = 16
NUMBER = "+12065550100"
SENDER, RECIPIENT = "shop@example.com", "ana@example.com"


def prepare(aws):
    """A topic with its subscribers, a push endpoint, money for SMS; returns what tests need."""
    sns, sqs = aws.client("sns"), aws.client("sqs")
    aws.sns.raise_spend_quota(1_000)
    aws.sms.leave_sandbox()
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "1000"})
    topic = sns.create_topic(Name="load")["TopicArn"]
    urls = []
    for n in range(THREADS):  # one queue per worker, chosen by a filter policy
        urls.append(sqs.create_queue(QueueName=f"worker-{n}")["QueueUrl"])
        queue = sqs.get_queue_attributes(QueueUrl=urls[-1], AttributeNames=["QueueArn"])
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=queue["Attributes"]["QueueArn"],
            Attributes={"FilterPolicy": json.dumps({"worker": [str(n)]})},
        )
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    token = aws.outbox.last(channel="EMAIL").detail["token"]
    sns.confirm_subscription(TopicArn=topic, Token=token)
    calls = Counter()
    lock = threading.Lock()

    def count(event, context):
        with lock:
            calls[event["Records"][0]["Sns"]["MessageId"]] += 1

    sns.subscribe(
        TopicArn=topic, Protocol="lambda", Endpoint=aws.state.functions.register("count", count)
    )
    app = sns.create_platform_application(
        Name="load", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device")[
        "EndpointArn"
    ]
    return topic, urls, endpoint, calls


def publish_all(aws, topic, endpoint, per_thread, with_ses):
    """Runs the threads; returns (worker, kind, MessageId) per publish and the SES sends made."""

    def worker(n):
        sns = aws.client("sns")
        ses = aws.client("ses") if with_ses else None
        done, emails = [], 0
        for i in range(per_thread):
            kind = ("topic", "sms", "push", "topic")[i % 4]
            if kind == "topic":
                worker = {"worker": {"DataType": "String", "StringValue": str(n)}}
                reply = sns.publish(TopicArn=topic, Message=f"{n}-{i}", MessageAttributes=worker)
            elif kind == "sms":
                reply = sns.publish(PhoneNumber=NUMBER, Message=f"{n}-{i}")
            else:
                reply = sns.publish(TargetArn=endpoint, Message=f"{n}-{i}")
            done.append((n, kind, reply["MessageId"]))
            if ses is not None and i % 5 == 0:
                ses.send_email(
                    Source=SENDER,
                    Destination={"ToAddresses": [RECIPIENT]},
                    Message={"Subject": {"Data": "hi"}, "Body": {"Text": {"Data": f"{n}-{i}"}}},
                )
                emails += 1
        return done, emails

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    return [p for done, _ in results for p in done], sum(e for _, e in results)


def queued_ids(aws, url):
    """MessageIds of the envelopes in the queue.

    The count comes through boto3; the bodies are read from moto's queue, because receiving a
    thousand messages costs moto time quadratic in the queue's length.
    """
    sqs = aws.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    queue = get_backend("sqs")[ACCOUNT_ID][aws.region].get_queue(url.rsplit("/", 1)[1])
    ids = [json.loads(message.body)["MessageId"] for message in queue._messages]
    assert int(attributes["ApproximateNumberOfMessages"]) == len(ids)
    return ids


def assert_accounted_for(aws, published, urls, calls):
    by_kind = {
        k: [mid for _, kind, mid in published if kind == k] for k in ("topic", "sms", "push")
    }
    assert len({mid for _, _, mid in published}) == len(published)  # no MessageId twice

    sns_out = aws.outbox.filter(service="sns")
    assert sorted(m.message_id for m in sns_out if m.channel == "SMS") == sorted(by_kind["sms"])
    assert sorted(m.message_id for m in sns_out if m.channel == "PUSH") == sorted(by_kind["push"])
    notifications = [m for m in sns_out if m.channel == "EMAIL" and "kind" not in m.detail]
    assert sorted(m.message_id for m in notifications) == sorted(by_kind["topic"])
    for n, url in enumerate(urls):
        mine = [mid for worker, kind, mid in published if worker == n and kind == "topic"]
        assert sorted(queued_ids(aws, url)) == sorted(mine)
    assert calls == Counter(dict.fromkeys(by_kind["topic"], 1))
    deliveries = aws.sns.deliveries()
    assert len(deliveries) == 3 * len(by_kind["topic"])
    assert all(d.status == "DELIVERED" for d in deliveries)
    counts = Counter(m.status for m in sns_out if m.channel == "SMS")
    assert counts["DELIVERED"] + counts["FAILED"] == len(by_kind["sms"])


@pytest.mark.server
def test_16_threads_by_500_publishes_over_http_lose_and_duplicate_nothing():
    with LocalAWS("server") as aws:
        topic, urls, endpoint, calls = prepare(aws)
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=10_000)
        ses = aws.client("ses")
        for address in (SENDER, RECIPIENT):
            ses.verify_email_identity(EmailAddress=address)

        published, emails = publish_all(aws, topic, endpoint, per_thread=500, with_ses=True)

        assert len(published) == THREADS * 500 == 8_000
        assert_accounted_for(aws, published, urls, calls)
        assert len(aws.outbox.filter(service="ses")) == emails == THREADS * 100


def test_threads_in_process_are_as_safe_as_the_server():
    with LocalAWS() as aws:
        topic, urls, endpoint, calls = prepare(aws)

        published, _ = publish_all(aws, topic, endpoint, per_thread=100, with_ses=False)

        assert len(published) == THREADS * 100
        assert_accounted_for(aws, published, urls, calls)
