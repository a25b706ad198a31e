"""Thirty attendees run notebook 00's calls at once against ``simlab serve --room 30``.

Each attendee works in a thread with their own profile's keys, over HTTP on 127.0.0.1; nothing
is lost (every message, queue delivery and archived event arrives) and nothing is mixed (each
sees only their own).
"""

import configparser
import json
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore.config
import botocore.exceptions
import pytest

from simlab.room import RoomClient
from simlab.toolkit import s3_json_records, tally
from tests.room.served import served_room

pytestmark = pytest.mark.server

ATTENDEES = 30
#: Wall seconds an attendee waits for Firehose to archive events (300 simulated s at 100x).
ARCHIVE_WAIT = 60
RETRIES = botocore.config.Config(retries={"mode": "standard", "max_attempts": 10})


def notebook_00(profile: str) -> dict:
    """Notebook 00's calls, as an attendee runs them with their handout's profile (which names
    the room's endpoint)."""
    session = boto3.Session(profile_name=profile)
    call = lambda service: session.client(service, config=RETRIES)  # noqa: E731
    account = call("sts").get_caller_identity()["Account"]
    ses = call("sesv2")
    for address in ["news@example.com", "ana@example.com"]:
        ses.create_email_identity(EmailIdentity=address)
    identities = sorted(i["IdentityName"] for i in ses.list_email_identities()["EmailIdentities"])
    ses.send_email(
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["ana@example.com"]},
        Content={
            "Simple": {"Subject": {"Data": f"Welcome {profile}"}, "Body": {"Text": {"Data": "Hi"}}}
        },
    )
    sns = call("sns")
    sns.publish(PhoneNumber="+12065550100", Message=f"Your code for {profile}")

    bucket = f"ses-events-{account}"  # bucket names are global, as on AWS
    call("s3").create_bucket(Bucket=bucket)
    stream = call("firehose").create_delivery_stream(
        DeliveryStreamName="ses-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{account}:role/firehose-to-s3",
            "BucketARN": f"arn:aws:s3:::{bucket}",
        },
    )["DeliveryStreamARN"]
    ses.create_configuration_set(ConfigurationSetName="tracked")
    ses.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="to-s3",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["SEND", "DELIVERY", "BOUNCE"],
            "KinesisFirehoseDestination": {
                "IamRoleArn": f"arn:aws:iam::{account}:role/ses-to-firehose",
                "DeliveryStreamArn": stream,
            },
        },
    )
    reply = ses.send_email(  # the sandbox's one message a second: botocore retries a throttle
        FromEmailAddress="news@example.com",
        Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]},
        Content={"Simple": {"Subject": {"Data": "Hello?"}, "Body": {"Text": {"Data": profile}}}},
        ConfigurationSetName="tracked",
    )

    sqs = call("sqs")
    topic = sns.create_topic(Name="orders")["TopicArn"]

    def subscribe_queue(name, filter_policy=None):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        attributes = {"RawMessageDelivery": "true"}
        if filter_policy:
            attributes["FilterPolicy"] = json.dumps(filter_policy)
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn["Attributes"]["QueueArn"],
            Attributes=attributes,
        )
        return url

    every_order = subscribe_queue("all-orders")
    urgent_only = subscribe_queue("urgent-orders", {"priority": ["high"]})
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+12065550111")
    for number, priority in [(1, "low"), (2, "high"), (3, "low")]:
        sns.publish(
            TopicArn=topic,
            Message=f"order {number} of {profile}",
            MessageAttributes={"priority": {"DataType": "String", "StringValue": priority}},
        )

    def bodies(url):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        return sorted(m["Body"] for m in got.get("Messages", []))

    queues = {"all": bodies(every_order), "urgent": bodies(urgent_only)}
    push_app = sns.create_platform_application(
        Name="shop-android", Platform="GCM", Attributes={"PlatformCredential": "fcm-server-key"}
    )["PlatformApplicationArn"]
    device = sns.create_platform_endpoint(PlatformApplicationArn=push_app, Token=f"token-{profile}")
    payload = {
        "default": f"Shipped to {profile}",
        "GCM": json.dumps({"notification": {"title": "!"}}),
    }
    sns.publish(
        TargetArn=device["EndpointArn"], Message=json.dumps(payload), MessageStructure="json"
    )

    deadline = time.monotonic() + ARCHIVE_WAIT
    records = s3_json_records(call("s3"), bucket)
    while "Bounce" not in tally(records, "eventType") and time.monotonic() < deadline:
        time.sleep(0.5)
        records = s3_json_records(call("s3"), bucket)
    return {
        "account": account,
        "identities": identities,
        "queues": queues,
        "events": tally(records, "eventType"),
        "bounce_is_mine": any(
            r["eventType"] == "Bounce" and r["mail"]["messageId"] == reply["MessageId"]
            for r in records
        ),
        "topics": [t["TopicArn"] for t in sns.list_topics()["Topics"]],
        "buckets": [b["Name"] for b in call("s3").list_buckets()["Buckets"]],
    }


def test_thirty_attendees_run_notebook_00_at_once_with_nothing_lost_or_mixed(tmp_path, monkeypatch):
    folder = tmp_path / "room"
    with served_room(folder, ATTENDEES, "--clock", "live", "--speed", "100") as (url, room):
        credentials = configparser.ConfigParser()
        credentials.read(folder / "credentials")
        assert sorted(credentials.sections()) == sorted(a.profile for a in room)
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder / "credentials"))
        monkeypatch.setenv("AWS_CONFIG_FILE", str(folder / "config"))
        for name in (
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
        ):
            monkeypatch.delenv(name, raising=False)
        with ThreadPoolExecutor(ATTENDEES) as pool:
            futures = {a.name: pool.submit(notebook_00, a.profile) for a in room}
            results = {name: future.result(timeout=600) for name, future in futures.items()}

        for attendee in room:
            mine = results[attendee.name]
            tag = attendee.profile
            assert mine["account"] == attendee.account_id
            assert mine["identities"] == ["ana@example.com", "news@example.com"]
            assert mine["queues"] == {
                "all": [f"order {n} of {tag}" for n in (1, 2, 3)],
                "urgent": [f"order 2 of {tag}"],
            }
            assert mine["events"].get("Bounce") == 1 and mine["bounce_is_mine"]
            assert mine["topics"] == [f"arn:aws:sns:us-east-1:{attendee.account_id}:orders"]
            assert mine["buckets"] == [f"ses-events-{attendee.account_id}"]
            outbox = RoomClient(url, attendee.access_key_id).outbox()
            channels = sorted(m["channel"] for m in outbox)
            assert channels == ["EMAIL", "EMAIL", "PUSH", "SMS", "SMS", "SMS", "SMS"]
            others = [a.profile for a in room if a is not attendee]
            text = json.dumps(outbox)
            assert not [p for p in others if f'{p}"' in text or f"{p} " in text]

        instructor = RoomClient(url, room.instructor.access_key_id)
        _, statuses = instructor.status()
        assert [s.name for s in statuses] == [a.name for a in room]
        assert all(s.notebooks_done == ["00"] for s in statuses), [
            (s.name, s.checkpoints) for s in statuses if "00" not in s.notebooks_done
        ]
        assert all(
            s.errors == []
            or {e["code"] for e in s.errors} <= {"Throttling", "TooManyRequestsException"}
            for s in statuses
        )
        assert instructor.outbox() == []  # the instructor's own account sent nothing
