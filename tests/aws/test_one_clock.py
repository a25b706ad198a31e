"""One clock everywhere: every timestamp a learner reads comes from the simulated clock.

The local AWS starts in 2031, far from the wall clock, and a day of simulated time passes; any
time a response, record or outbox entry shows must then lie on that simulated day.
"""

import json
from datetime import UTC, date, datetime

import pytest

from simlab.aws import LocalAWS

EPOCH = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)
DAY = date(2031, 3, 4)


def datetimes(value):
    """Every datetime inside a parsed boto3 response."""
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from datetimes(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from datetimes(item)


def on_the_day(moment: datetime) -> bool:
    return moment.astimezone(UTC).date() == DAY


@pytest.fixture(params=["inprocess", "server"])
def local(request):
    with LocalAWS(request.param, epoch=EPOCH) as aws:
        aws.clock.advance(86_400)
        yield aws


def test_s3_sqs_sns_logs_and_ses_answer_with_simulated_times(local):
    s3, sqs, sns = local.client("s3"), local.client("sqs"), local.client("sns")
    logs, ses = local.client("logs"), local.client("sesv2")
    answers = []
    s3.create_bucket(Bucket="clock-check")
    s3.put_object(Bucket="clock-check", Key="a.txt", Body=b"a")
    answers += [s3.list_buckets(), s3.list_objects_v2(Bucket="clock-check")]
    answers.append(s3.head_object(Bucket="clock-check", Key="a.txt"))
    queue = sqs.create_queue(QueueName="clock")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    topic = sns.create_topic(Name="clock")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    sns.publish(TopicArn=topic, Message="tick")
    [message] = sqs.receive_message(QueueUrl=queue, AttributeNames=["All"])["Messages"]
    sent_ms = int(message["Attributes"]["SentTimestamp"])
    envelope = json.loads(message["Body"])
    logs.create_log_group(logGroupName="clock")
    logs.create_log_stream(logGroupName="clock", logStreamName="s")
    logs.put_log_events(
        logGroupName="clock",
        logStreamName="s",
        logEvents=[{"timestamp": local.clock.timestamp_ms(), "message": "m"}],
    )
    [event] = logs.get_log_events(logGroupName="clock", logStreamName="s")["events"]
    ses.create_email_identity(EmailIdentity="shop@example.com")
    answers.append(ses.get_email_identity(EmailIdentity="shop@example.com"))

    seen = [m for answer in answers for m in datetimes(answer)]
    assert len(seen) == 3  # CreationDate, LastModified listed and read
    assert [m for m in seen if not on_the_day(m)] == []
    assert on_the_day(datetime.fromtimestamp(sent_ms / 1000, UTC))
    assert envelope["Timestamp"].startswith(DAY.isoformat())
    assert on_the_day(datetime.fromtimestamp(event["ingestionTime"] / 1000, UTC))


def test_the_outbox_and_event_records_follow_the_clock(local):
    ses = local.client("ses")
    for address in ("shop@example.com", "ana@example.com"):
        ses.verify_email_identity(EmailAddress=address)
    ses.send_email(
        Source="shop@example.com",
        Destination={"ToAddresses": ["ana@example.com"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}},
    )
    sent = local.outbox.filter(channel="EMAIL")
    assert sent and all(on_the_day(m.sent_at) for m in sent)
    assert datetime.fromisoformat(local.clock.describe()["now"]).date() == DAY
