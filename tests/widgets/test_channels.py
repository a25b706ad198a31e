"""The channel panel, driven headlessly: pick a channel, send, read the three views."""

from __future__ import annotations

import pytest

from simlab.toolkit import s3_json_records
from simlab.widgets.channels import (
    CHANNELS,
    build_channel_panel,
    channel_report,
    channel_request,
)

ROLE = "arn:aws:iam::123456789012:role/pinpoint-events"


@pytest.fixture
def panel(aws):
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "tour"})["ApplicationResponse"][
        "Id"
    ]
    ses = aws.client("sesv2")
    for address in ["news@example.com", "ana@example.com"]:
        ses.create_email_identity(EmailIdentity=address)
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": "news@example.com",
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/news@example.com",
        },
    )
    origin = aws.client("pinpoint-sms-voice-v2").request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    aws.sms.leave_sandbox()
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="pinpoint-events")
    stream = aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="pinpoint-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": "arn:aws:s3:::pinpoint-events",
            "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": stream, "RoleArn": ROLE}
    )
    return build_channel_panel(
        pinpoint,
        app_id,
        origin=origin,
        outbox=aws.outbox,
        look=lambda: s3_json_records(s3, "pinpoint-events"),
        wait=lambda: aws.clock.advance(120),
    )


def test_the_request_carries_one_address_and_its_channels_message():
    request = channel_request("SMS", "+12065550100", origin="+18005550100")
    assert request["Addresses"] == {"+12065550100": {"ChannelType": "SMS"}}
    assert list(request["MessageConfiguration"]) == ["SMSMessage"]
    assert request["MessageConfiguration"]["SMSMessage"]["OriginationNumber"] == "+18005550100"


def test_an_unknown_channel_is_refused_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="EMAIL, SMS, VOICE, GCM"):
        channel_request("FAX", "x", origin="+18005550100")


def test_picking_a_channel_fills_its_example_address(panel):
    panel.channel.value = "SMS"
    assert panel.address.value == CHANNELS["SMS"][0]


@pytest.mark.parametrize(
    ("channel", "outbox_channel", "events"),
    [
        ("EMAIL", "EMAIL", ["_email.send", "_email.delivered"]),
        ("SMS", "SMS", ["_SMS.BUFFERED", "_SMS.SUCCESS"]),
    ],
)
def test_one_send_shows_its_answer_outbox_entry_and_stream_records(
    panel, channel, outbox_channel, events
):
    panel.channel.value = channel
    sent = panel.send()
    assert sent is not None
    assert sent.result["DeliveryStatus"] == "SUCCESSFUL"
    assert [(m["channel"], m["status"]) for m in sent.outbox] == [(outbox_channel, "DELIVERED")]
    assert [r["event_type"] for r in sent.records] == events
    assert "answer: SUCCESSFUL 200" in channel_report(sent)
    assert "answer: SUCCESSFUL" in panel.output.value


def test_a_refused_address_shows_the_error_instead_of_a_report(panel):
    panel.channel.value = "SMS"
    panel.address.value = "not-a-number"
    assert panel.send() is None
    assert "⚠" in panel.output.value


def test_after_the_local_aws_stops_the_panel_sends_nothing(aws, panel):
    aws.stop()
    assert panel.send() is None
    assert "stopped" in panel.output.value
