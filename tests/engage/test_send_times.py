"""Campaign sends grouped by each endpoint's local time, from ``_campaign.send`` records."""

import json
from datetime import UTC, datetime

import pytest

from simlab.aws import LocalAWS
from simlab.engage.send_times import NO_ZONE, local_send_table, local_sends
from simlab.toolkit import s3_json_records


def record(at: str, zone: str | None, status: str) -> dict:
    endpoint = {"ChannelType": "EMAIL"}
    if zone is not None:
        endpoint["Demographic"] = {"Timezone": zone}
    moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return {
        "event_type": "_campaign.send",
        "event_timestamp": int(moment.timestamp() * 1000),
        "attributes": {"campaign_send_status": status},
        "client_context": {"custom": {"endpoint": json.dumps(endpoint)}},
    }


RECORDS = [
    record("2026-01-05T22:00:00", "Asia/Tokyo", "QUIET_TIME"),
    record("2026-01-05T22:00:07", "Asia/Tokyo", "QUIET_TIME"),
    record("2026-01-06T07:00:00", None, "SUCCESS"),
    record("2026-01-06T07:00:00", "Mars/Olympus_Mons", "SUCCESS"),
    record("2026-01-06T15:00:00", "America/Los_Angeles", "SUCCESS"),
    {"event_type": "_email.send", "event_timestamp": 0},
]


def test_sends_are_counted_per_minute_zone_and_status_in_local_time():
    rows = local_sends(RECORDS)
    assert [(r.zone, r.local_time, r.status, r.count) for r in rows] == [
        ("Asia/Tokyo", "Tue 07:00 local", "QUIET_TIME", 2),
        (NO_ZONE, "Tue 07:00 UTC", "SUCCESS", 2),
        ("America/Los_Angeles", "Tue 07:00 local", "SUCCESS", 1),
    ]


def test_since_leaves_out_earlier_sends():
    rows = local_sends(RECORDS, since=datetime(2026, 1, 6, 12, tzinfo=UTC))
    assert [r.zone for r in rows] == ["America/Los_Angeles"]
    table = local_send_table(RECORDS, since="2026-01-06T12:00:00Z")
    assert table.splitlines()[1].split() == [
        "Tue",
        "06",
        "15:00",
        "UTC",
        "America/Los_Angeles",
        "Tue",
        "07:00",
        "local",
        "SUCCESS",
        "1",
    ]


@pytest.fixture(params=["inprocess", "server"])
def local(request):
    """The local AWS, in this process and over HTTP."""
    with LocalAWS(request.param) as aws:
        yield aws


def stream_to_s3(aws, app_id: str) -> None:
    """Email through SES out of its sandbox; Pinpoint's events to S3 through Firehose."""
    sesv2 = aws.client("sesv2")
    sesv2.create_email_identity(EmailIdentity="news@example.com")
    sesv2.put_account_details(
        MailType="MARKETING",
        WebsiteURL="https://example.com",
        UseCaseDescription="digest",
        ProductionAccessEnabled=True,
    )
    pinpoint = aws.client("pinpoint")
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": "news@example.com",
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/news@example.com",
            "Enabled": True,
        },
    )
    aws.client("s3").create_bucket(Bucket="campaign-events")
    role = "arn:aws:iam::123456789012:role/events"
    stream = aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": role,
            "BucketARN": "arn:aws:s3:::campaign-events",
            "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": stream, "RoleArn": role}
    )


def test_a_local_time_campaign_in_quiet_hours_reaches_only_endpoints_without_a_zone(local):
    pinpoint = local.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"][
        "Id"
    ]
    stream_to_s3(local, app_id)
    readers = [
        {"Id": "tokyo", "Demographic": {"Timezone": "Asia/Tokyo"}},
        {"Id": "paris", "Demographic": {"Timezone": "Europe/Paris"}},
        {"Id": "nowhere"},
    ]
    items = [{**r, "ChannelType": "EMAIL", "Address": f"{r['Id']}@example.com"} for r in readers]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    segment = pinpoint.create_segment(
        ApplicationId=app_id, WriteSegmentRequest={"Name": "all", "Dimensions": {}}
    )["SegmentResponse"]["Id"]
    pinpoint.create_campaign(
        ApplicationId=app_id,
        WriteCampaignRequest={
            "Name": "late",
            "SegmentId": segment,
            "MessageConfiguration": {"EmailMessage": {"Title": "Hi", "HtmlBody": "<p>Hi</p>"}},
            "Schedule": {
                "Frequency": "DAILY",
                "StartTime": "2026-01-06T23:00:00",
                "EndTime": "2026-01-07T12:00:00Z",
                "IsLocalTime": True,
                "Timezone": "UTC",
                "QuietTime": {"Start": "22:00", "End": "07:00"},
            },
        },
    )
    local.clock.advance_to("2026-01-08T00:00:00Z")
    records = s3_json_records(local.client("s3"), "campaign-events")
    rows = [(r.zone, r.local_time, r.status, r.count) for r in local_sends(records)]
    assert rows == [
        ("Asia/Tokyo", "Tue 23:00 local", "QUIET_TIME", 1),
        ("Europe/Paris", "Tue 23:00 local", "QUIET_TIME", 1),
        (NO_ZONE, "Tue 23:00 UTC", "SUCCESS", 1),
    ]
