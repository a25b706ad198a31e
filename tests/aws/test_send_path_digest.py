"""A seeded campaign and a direct send leave the same outbox and event stream, byte for byte.

The digest covers what a learner can observe: every S3 object the event stream wrote (key and
body), every outbox entry (all fields, in order), the campaign's activities and the SendMessages
results. Speeding up the send path must leave it unchanged; a change of behaviour changes it on
purpose, and then ``EXPECTED`` is recomputed and the reason given in the commit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from simlab.aws import LocalAWS

ROLE = "arn:aws:iam::123456789012:role/events"
SENDER = "news@example.com"
BUCKET = "digest-events"
ENDPOINTS = 300

#: The digest of the scenario below, recorded before the send path was optimised.
EXPECTED = "4688be001f951ae0f6fc131135163681cd64a40351e0967568e98059f493fe0b"


def _scenario(aws: LocalAWS) -> dict[str, Any]:
    """A 300-endpoint email + SMS campaign and a mixed SendMessages call, to final outcome."""
    pinpoint, ses, s3, firehose = (aws.client(n) for n in ("pinpoint", "ses", "s3", "firehose"))
    ses.verify_email_identity(EmailAddress=SENDER)
    aws.ses.grant_production_access()
    aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=100_000)
    aws.sms.leave_sandbox(monthly_spend_limit=1_000_000)
    aws.sms.provision_short_code("US", "PROMOTIONAL")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "digest"})[
        "ApplicationResponse"
    ]["Id"]
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": SENDER,
            "Identity": f"arn:aws:ses:us-east-1:123456789012:identity/{SENDER}",
        },
    )
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    s3.create_bucket(Bucket=BUCKET)
    stream = firehose.create_delivery_stream(
        DeliveryStreamName="digest",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": stream, "RoleArn": ROLE}
    )
    items = [
        {"Id": f"e{i}", "ChannelType": "EMAIL", "Address": f"user{i}@example.com"}
        if i % 2
        else {"Id": f"s{i}", "ChannelType": "SMS", "Address": f"+1206{i:07d}"}
        for i in range(ENDPOINTS)
    ]
    for start in range(0, len(items), 100):
        pinpoint.update_endpoints_batch(
            ApplicationId=app_id, EndpointBatchRequest={"Item": items[start : start + 100]}
        )
    segment = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "everyone",
            "Dimensions": {
                "Demographic": {
                    "Channel": {"DimensionType": "INCLUSIVE", "Values": ["EMAIL", "SMS"]}
                }
            },
        },
    )["SegmentResponse"]["Id"]
    campaign = pinpoint.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest={
            "Name": "digest",
            "SegmentId": segment,
            "MessageConfiguration": {
                "EmailMessage": {"Title": "Hello {{Address}}", "Body": "News of the week"},
                "SMSMessage": {"Body": "News of the week", "MessageType": "PROMOTIONAL"},
            },
            "Schedule": {"Frequency": "ONCE", "StartTime": "IMMEDIATE"},
            "Limits": {"MessagesPerSecond": 100},
        },
    )["CampaignResponse"]["Id"]
    aws.clock.advance(3600)
    sent = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {
                "+12065550100": {"ChannelType": "SMS"},
                "reader@example.com": {"ChannelType": "EMAIL"},
                "bad@@example": {"ChannelType": "EMAIL"},
            },
            "Endpoints": {"e1": {}, "s2": {}, "missing": {}},
            "MessageConfiguration": {
                "SMSMessage": {"Body": "Your code", "MessageType": "TRANSACTIONAL"},
                "EmailMessage": {
                    "FromAddress": SENDER,
                    "SimpleEmail": {
                        "Subject": {"Data": "Receipt"},
                        "TextPart": {"Data": "Thank you"},
                    },
                },
            },
        },
    )["MessageResponse"]
    aws.clock.advance(3 * 86_400)
    activities = pinpoint.get_campaign_activities(ApplicationId=app_id, CampaignId=campaign)[
        "ActivitiesResponse"
    ]["Item"]
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
            body = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read().decode()
            objects.append((item["Key"], body))
    return {
        "objects": objects,
        "outbox": [m.to_json() for m in aws.outbox],
        "activities": activities,
        "send_messages": {k: v for k, v in sent.items() if k != "RequestId"},
    }


def _digest(observed: dict[str, Any]) -> str:
    text = json.dumps(observed, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_seeded_campaign_leaves_the_recorded_outbox_and_stream(aws):
    observed = _scenario(aws)
    records = [json.loads(line) for _, body in observed["objects"] for line in body.splitlines()]
    assert len(observed["outbox"]) == ENDPOINTS + 6
    assert {r["event_type"] for r in records} >= {"_email.send", "_SMS.BUFFERED"}
    assert _digest(observed) == EXPECTED
