"""SES event publishing: configuration sets send records to SNS, Firehose → S3, EventBridge
→ CloudWatch Logs and CloudWatch metrics, in SES's documented shape, as the clock advances."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.aws.sqs_delivery import raw_queue_for

NO_RETRY = Config(retries={"max_attempts": 0})
SENDER = "news@example.com"
ROLE = "arn:aws:iam::123456789012:role/ses-firehose"
BUCKET = "ses-event-archive"
SIMPLE = {"Simple": {"Subject": {"Data": "Weekly news"}, "Body": {"Text": {"Data": "Hello"}}}}


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2", config=NO_RETRY)
    client.create_email_identity(EmailIdentity="example.com")
    client.create_configuration_set(ConfigurationSetName="tracked")
    return client


def firehose_stream(aws, interval: int = 60) -> str:
    aws.client("s3").create_bucket(Bucket=BUCKET)
    return aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="ses-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"IntervalInSeconds": interval, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]


def s3_records(aws) -> list[dict]:
    s3 = aws.client("s3")
    found = []
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        body = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read().decode()
        found += [json.loads(line) for line in body.splitlines() if line]
    return found


def send(sesv2, to: str, **extra) -> str:
    return sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": [to]}, Content=SIMPLE, **extra
    )["MessageId"]


def to_firehose(sesv2, arn: str, types: list[str], enabled: bool = True) -> None:
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="archive",
        EventDestination={
            "Enabled": enabled,
            "MatchingEventTypes": types,
            "KinesisFirehoseDestination": {"IamRoleArn": ROLE, "DeliveryStreamArn": arn},
        },
    )


def test_a_simulated_bounce_reaches_s3_through_firehose_once_the_buffer_flushes(aws, sesv2):
    to_firehose(sesv2, firehose_stream(aws, interval=60), ["SEND", "BOUNCE"])
    message_id = send(sesv2, "bounce@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(30)
    assert s3_records(aws) == []
    aws.clock.advance(60)
    records = s3_records(aws)
    assert [r["eventType"] for r in records] == ["Send", "Bounce"]
    bounce = records[1]
    assert bounce["bounce"]["bounceType"] == "Permanent"
    assert bounce["bounce"]["bounceSubType"] == "General"
    assert bounce["bounce"]["bouncedRecipients"][0]["emailAddress"] == (
        "bounce@simulator.amazonses.com"
    )
    assert set(bounce["bounce"]) >= {"timestamp", "feedbackId", "reportingMTA"}
    mail = bounce["mail"]
    assert mail["messageId"] == message_id
    assert mail["source"] == SENDER
    assert mail["sourceArn"] == "arn:aws:ses:us-east-1:123456789012:identity/example.com"
    assert mail["sendingAccountId"] == "123456789012"
    assert mail["destination"] == ["bounce@simulator.amazonses.com"]
    assert mail["headersTruncated"] is False
    assert mail["commonHeaders"]["subject"] == "Weekly news"
    assert mail["tags"]["ses:configuration-set"] == ["tracked"]
    assert mail["timestamp"] == "2026-01-05T09:00:00.000Z"


def test_only_matching_event_types_are_published_and_only_when_enabled(aws, sesv2):
    arn = firehose_stream(aws, interval=60)
    to_firehose(sesv2, arn, ["DELIVERY"])
    send(sesv2, "success@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(120)
    assert [r["eventType"] for r in s3_records(aws)] == ["Delivery"]
    delivery = s3_records(aws)[0]["delivery"]
    assert delivery["recipients"] == ["success@simulator.amazonses.com"]
    assert delivery["smtpResponse"].startswith("250")
    assert delivery["processingTimeMillis"] > 0
    sesv2.update_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="archive",
        EventDestination={
            "Enabled": False,
            "MatchingEventTypes": ["DELIVERY"],
            "KinesisFirehoseDestination": {"IamRoleArn": ROLE, "DeliveryStreamArn": arn},
        },
    )
    send(sesv2, "success@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(120)
    assert len(s3_records(aws)) == 1


def test_messages_without_a_configuration_set_publish_nothing(aws, sesv2):
    to_firehose(sesv2, firehose_stream(aws, interval=0), ["SEND"])
    send(sesv2, "success@simulator.amazonses.com")
    aws.clock.advance(60)
    assert s3_records(aws) == []


def test_the_identity_default_configuration_set_applies_to_its_sends(aws, sesv2):
    to_firehose(sesv2, firehose_stream(aws, interval=0), ["SEND"])
    sesv2.put_email_identity_configuration_set_attributes(
        EmailIdentity="example.com", ConfigurationSetName="tracked"
    )
    send(sesv2, "success@simulator.amazonses.com")
    assert [r["eventType"] for r in s3_records(aws)] == ["Send"]


def test_sns_destinations_receive_complaints_after_the_delivery(aws, sesv2):
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="ses-feedback")["TopicArn"]
    queue = raw_queue_for(aws, topic, "feedback")
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="feedback",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["DELIVERY", "COMPLAINT"],
            "SnsDestination": {"TopicArn": topic},
        },
    )
    message_id = send(sesv2, "complaint@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(3600)
    bodies = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    events = [json.loads(m["Body"]) for m in bodies]
    assert [e["eventType"] for e in events] == ["Delivery", "Complaint"]
    complaint = events[1]["complaint"]
    assert complaint["complainedRecipients"] == [
        {"emailAddress": "complaint@simulator.amazonses.com"}
    ]
    assert events[1]["mail"]["messageId"] == message_id
    assert aws.outbox.last(service="ses").status == "COMPLAINED"


def test_eventbridge_routes_ses_events_to_cloudwatch_logs(aws, sesv2):
    logs, events = aws.client("logs"), aws.client("events")
    logs.create_log_group(logGroupName="/ses/events")
    group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ses/events"
    events.put_rule(Name="ses-to-logs", EventPattern=json.dumps({"source": ["aws.ses"]}))
    events.put_targets(Rule="ses-to-logs", Targets=[{"Id": "logs", "Arn": group_arn}])
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="bus",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["SEND", "DELIVERY"],
            "EventBridgeDestination": {
                "EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"
            },
        },
    )
    message_id = send(sesv2, "success@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(60)
    found = logs.filter_log_events(logGroupName="/ses/events")["events"]
    entries = [json.loads(e["message"]) for e in found]
    assert [e["detail-type"] for e in entries] == ["Email Sent", "Email Delivered"]
    assert {e["source"] for e in entries} == {"aws.ses"}
    assert entries[1]["detail"]["eventType"] == "Delivery"
    assert entries[1]["detail"]["mail"]["messageId"] == message_id


def test_cloudwatch_destinations_publish_metrics_with_their_dimensions(aws, sesv2):
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="metrics",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["SEND", "DELIVERY"],
            "CloudWatchDestination": {
                "DimensionConfigurations": [
                    {
                        "DimensionName": "campaign",
                        "DimensionValueSource": "MESSAGE_TAG",
                        "DefaultDimensionValue": "none",
                    }
                ]
            },
        },
    )
    send(
        sesv2,
        "success@simulator.amazonses.com",
        ConfigurationSetName="tracked",
        EmailTags=[{"Name": "campaign", "Value": "spring"}],
    )
    aws.clock.advance(60)
    metrics = aws.client("cloudwatch").list_metrics(Namespace="AWS/SES")["Metrics"]
    assert sorted(m["MetricName"] for m in metrics) == ["Delivery", "Send"]
    assert all(m["Dimensions"] == [{"Name": "campaign", "Value": "spring"}] for m in metrics)


def test_the_outbox_follows_each_simulator_outcome(aws, sesv2):
    expected = {
        "success@simulator.amazonses.com": "DELIVERED",
        "bounce@simulator.amazonses.com": "BOUNCED",
        "ooto@simulator.amazonses.com": "DELIVERED",
        "complaint@simulator.amazonses.com": "COMPLAINED",
        "suppressionlist@simulator.amazonses.com": "SUPPRESSED",
    }
    message_id = sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": list(expected)}, Content=SIMPLE
    )["MessageId"]
    assert {m.destination: m.status for m in aws.outbox.filter(service="ses")} == {
        a: "SENT" for a in expected
    }
    aws.clock.advance(3600)
    outcome = {m.destination: m.status for m in aws.outbox.filter(service="ses")}
    assert outcome == expected
    ooto = aws.outbox.last(to="ooto@simulator.amazonses.com")
    assert ooto.detail["auto_response"] is True
    listed = aws.outbox.last(to="suppressionlist@simulator.amazonses.com")
    assert listed.detail["bounce_sub_type"] == "Suppressed"
    assert listed.message_id == f"{message_id}/suppressionlist@simulator.amazonses.com"
    assert listed.detail["ses_message_id"] == message_id


def test_seeded_deliverability_makes_outcomes_repeatable_and_counts_add_up(aws, sesv2):
    aws.ses.grant_production_access()
    aws.ses.set_production_quota(max_send_rate=1000)
    aws.ses.set_deliverability(bounce=0.2, complaint=0.1, delivery_delay=0.1)
    for n in range(100):
        send(sesv2, f"reader{n}@example.org")
    aws.clock.advance(6 * 3600)
    counts: dict[str, int] = {}
    for message in aws.outbox.filter(service="ses"):
        counts[message.status] = counts.get(message.status, 0) + 1
    assert sum(counts.values()) == 100
    assert set(counts) <= {"DELIVERED", "BOUNCED", "COMPLAINED"}
    assert 5 <= counts["BOUNCED"] <= 35
    first_run = [m.status for m in aws.outbox.filter(service="ses")]
    aws.reset()
    aws.ses.grant_production_access()
    aws.ses.set_production_quota(max_send_rate=1000)
    aws.ses.set_deliverability(bounce=0.2, complaint=0.1, delivery_delay=0.1)
    again = aws.client("sesv2", config=NO_RETRY)
    again.create_email_identity(EmailIdentity="example.com")
    for n in range(100):
        send(again, f"reader{n}@example.org")
    aws.clock.advance(6 * 3600)
    assert [m.status for m in aws.outbox.filter(service="ses")] == first_run


def test_deliverability_rejects_impossible_probabilities(aws):
    with pytest.raises(ValueError, match="bounce must be a probability"):
        aws.ses.set_deliverability(bounce=1.5)
    with pytest.raises(ValueError, match="must not exceed 1"):
        aws.ses.set_deliverability(bounce=0.6, complaint=0.6)
    with pytest.raises(ValueError, match="unknown deliverability field"):
        aws.ses.set_deliverability(spam=0.1)


def test_event_destination_errors_name_the_problem(aws, sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="missing",
            EventDestinationName="x",
            EventDestination={"MatchingEventTypes": ["SEND"], "SnsDestination": {"TopicArn": "x"}},
        )
    assert raised.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as raised:
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="tracked",
            EventDestinationName="x",
            EventDestination={
                "MatchingEventTypes": ["SEND"],
                "SnsDestination": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:nope"},
            },
        )
    assert raised.value.response["Error"]["Code"] == "BadRequestException"
    assert "nope" in raised.value.response["Error"]["Message"]


def test_v1_event_destinations_fire_and_are_described(aws):
    ses = aws.client("ses", config=NO_RETRY)
    ses.verify_domain_identity(Domain="example.com")
    ses.create_configuration_set(ConfigurationSet={"Name": "classic"})
    arn = firehose_stream(aws, interval=0)
    ses.create_configuration_set_event_destination(
        ConfigurationSetName="classic",
        EventDestination={
            "Name": "archive",
            "Enabled": True,
            "MatchingEventTypes": ["send", "bounce"],
            "KinesisFirehoseDestination": {"IAMRoleARN": ROLE, "DeliveryStreamARN": arn},
        },
    )
    with pytest.raises(ClientError) as raised:
        ses.create_configuration_set_event_destination(
            ConfigurationSetName="classic",
            EventDestination={
                "Name": "archive",
                "MatchingEventTypes": ["send"],
                "KinesisFirehoseDestination": {"IAMRoleARN": ROLE, "DeliveryStreamARN": arn},
            },
        )
    assert raised.value.response["Error"]["Code"] == "EventDestinationAlreadyExists"
    described = ses.describe_configuration_set(
        ConfigurationSetName="classic", ConfigurationSetAttributeNames=["eventDestinations"]
    )
    assert described["EventDestinations"][0]["MatchingEventTypes"] == ["send", "bounce"]
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}},
        ConfigurationSetName="classic",
    )
    aws.clock.advance(60)
    assert [r["eventType"] for r in s3_records(aws)] == ["Send", "Bounce"]


def test_identity_notification_topics_get_feedback_notifications(aws):
    ses, sns, sqs = aws.client("ses"), aws.client("sns"), aws.client("sqs")
    ses.verify_email_identity(EmailAddress=SENDER)
    topic = sns.create_topic(Name="bounces")["TopicArn"]
    queue = raw_queue_for(aws, topic, "bounces")
    ses.set_identity_notification_topic(Identity=SENDER, NotificationType="Bounce", SnsTopic=topic)
    ses.send_email(
        Source=SENDER,
        Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}},
    )
    aws.clock.advance(60)
    body = json.loads(sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"])
    assert body["notificationType"] == "Bounce"
    assert body["bounce"]["bounceType"] == "Permanent"
    assert "tags" not in body["mail"]


def test_event_destinations_fire_over_http(server_aws):
    aws = server_aws
    sesv2 = aws.client("sesv2", config=NO_RETRY)
    sesv2.create_email_identity(EmailIdentity="example.com")
    sesv2.create_configuration_set(ConfigurationSetName="tracked")
    to_firehose(sesv2, firehose_stream(aws, interval=60), ["SEND", "BOUNCE"])
    message_id = send(sesv2, "bounce@simulator.amazonses.com", ConfigurationSetName="tracked")
    aws.clock.advance(120)
    records = s3_records(aws)
    assert [r["eventType"] for r in records] == ["Send", "Bounce"]
    assert records[1]["mail"]["messageId"] == message_id
    assert records[1]["bounce"]["bounceType"] == "Permanent"
