"""Pinpoint quickstart: an app, endpoints, a segment, direct sends, and the event stream in S3.

Only documented boto3 calls. Run it in-process (``python examples/pinpoint_quickstart.py``) or
against ``simlab serve`` (``--endpoint-url http://127.0.0.1:5000``); the output is the same.
Pinpoint texts go out through AWS End User Messaging, so the account first gets a number to
send from and, while it is in the SMS sandbox, verifies the phones it texts. The one step no
API plays is the phone reading its verification code (``texted_code``).
"""

from __future__ import annotations

import argparse
import json
import urllib.parse
import urllib.request
from typing import Any

import boto3

SENDER = "news@example.com"
READERS = ["ana@example.com", "bao@example.com"]
PHONE = "+12065550142"
OTHER_PHONE = "+12065550199"
BUCKET = "pinpoint-events"


def clients(endpoint_url: str | None) -> dict[str, Any]:
    """boto3 clients for the services the quickstart uses."""
    options: dict[str, Any] = {"region_name": "us-east-1"}
    if endpoint_url:
        options.update(
            endpoint_url=endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
    names = ("pinpoint", "ses", "s3", "firehose", "iam", "pinpoint-sms-voice-v2")
    return {name: boto3.client(name, **options) for name in names}


def texted_code(endpoint_url: str | None, phone: str) -> str:
    """The verification code ``phone`` received, as its owner reads it off the screen."""
    if endpoint_url:
        query = urllib.parse.urlencode({"to": phone})
        with urllib.request.urlopen(f"{endpoint_url}/simlab/outbox?{query}") as answer:
            messages = json.loads(answer.read())["messages"]
    else:
        from simlab.aws.state import state

        messages = [m.to_json() for m in state().outbox.filter(to=phone)]
    return str(messages[-1]["detail"]["code"])


def sms_ready(sms: Any, endpoint_url: str | None, phones: list[str]) -> str:
    """A toll-free number to text from, and the phones verified (the SMS sandbox needs it)."""
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    for phone in phones:
        verified = sms.create_verified_destination_number(DestinationPhoneNumber=phone)
        number_id = verified["VerifiedDestinationNumberId"]
        sms.send_destination_number_verification_code(
            VerifiedDestinationNumberId=number_id, VerificationChannel="TEXT"
        )
        sms.verify_destination_number(
            VerifiedDestinationNumberId=number_id,
            VerificationCode=texted_code(endpoint_url, phone),
        )
    return number


def run(endpoint_url: str | None = None) -> dict[str, Any]:
    """Runs the quickstart and returns what it observed."""
    aws = clients(endpoint_url)
    pinpoint, ses, s3, firehose = aws["pinpoint"], aws["ses"], aws["s3"], aws["firehose"]

    # 1. An SES identity to send from (and, in the SES sandbox, verified recipients); a number
    #    to text from (and, in the SMS sandbox, verified phones).
    for address in [SENDER, *READERS]:
        ses.verify_email_identity(EmailAddress=address)
    sms_ready(aws["pinpoint-sms-voice-v2"], endpoint_url, [PHONE, OTHER_PHONE])

    # 2. A Pinpoint project whose email channel sends as that identity.
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "quickstart"})[
        "ApplicationResponse"
    ]["Id"]
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": SENDER,
            "Identity": f"arn:aws:ses:us-east-1:123456789012:identity/{SENDER}",
            "Enabled": True,
        },
    )

    # 3. Event stream: Pinpoint -> Firehose -> S3 (zero buffering, so records land at once).
    s3.create_bucket(Bucket=BUCKET)
    role = "arn:aws:iam::123456789012:role/pinpoint-events"
    stream_arn = firehose.create_delivery_stream(
        DeliveryStreamName="pinpoint-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": role,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    pinpoint.put_event_stream(
        ApplicationId=app_id,
        WriteEventStream={"DestinationStreamArn": stream_arn, "RoleArn": role},
    )

    # 4. Endpoints: two readers by email (one a sports fan), one by SMS.
    pinpoint.update_endpoints_batch(
        ApplicationId=app_id,
        EndpointBatchRequest={
            "Item": [
                {
                    "Id": "ana-email",
                    "ChannelType": "EMAIL",
                    "Address": READERS[0],
                    "Attributes": {"interests": ["sports", "music"]},
                    "User": {"UserId": "ana", "UserAttributes": {"FirstName": ["Ana"]}},
                },
                {
                    "Id": "bao-email",
                    "ChannelType": "EMAIL",
                    "Address": READERS[1],
                    "Attributes": {"interests": ["travel"]},
                    "User": {"UserId": "bao", "UserAttributes": {"FirstName": ["Bao"]}},
                },
                {
                    "Id": "bao-sms",
                    "ChannelType": "SMS",
                    "Address": PHONE,
                    "User": {"UserId": "bao"},
                },
            ]
        },
    )

    # 5. A segment of sports fans.
    segment = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "sports-fans",
            "Dimensions": {
                "Attributes": {"interests": {"AttributeType": "INCLUSIVE", "Values": ["sports"]}}
            },
        },
    )["SegmentResponse"]

    # 6. Direct sends: to endpoints (personalised) and to a raw address. One email only: the
    #    SES sandbox sends one message a second, and a second one now would come back THROTTLED.
    response = pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Endpoints": {"ana-email": {}, "bao-sms": {}},
            "Addresses": {OTHER_PHONE: {"ChannelType": "SMS"}},
            "MessageConfiguration": {
                "EmailMessage": {
                    "SimpleEmail": {
                        "Subject": {"Data": "Hello {{User.UserAttributes.FirstName}}"},
                        "TextPart": {"Data": "This week's news."},
                    }
                },
                "SMSMessage": {
                    "Body": "This week's news is in your inbox.",
                    "MessageType": "TRANSACTIONAL",
                },
            },
            "Context": {"campaign": "quickstart"},
        },
    )["MessageResponse"]

    # 7. Read the event stream back from S3.
    events = []
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        body = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read().decode()
        events += [json.loads(line) for line in body.splitlines() if line.strip()]

    return {
        "segment": segment["Name"],
        "statuses": {
            **{k: v["DeliveryStatus"] for k, v in response["EndpointResult"].items()},
            **{k: v["DeliveryStatus"] for k, v in response["Result"].items()},
        },
        "message_ids": sorted(
            [v["MessageId"] for v in response["EndpointResult"].values()]
            + [v["MessageId"] for v in response["Result"].values()]
        ),
        "events": sorted((e["event_type"], message_id(e)) for e in events),
    }


def message_id(record: dict[str, Any]) -> str:
    """The message a stream record is about: in the mail object for email, attributes for SMS."""
    if record["event_type"].startswith("_email."):
        return str(record["facets"]["email_channel"]["mail_event"]["mail"]["message_id"])
    return str(record["attributes"]["message_id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint-url", help="a simlab serve endpoint (default: in-process)")
    args = parser.parse_args()
    if args.endpoint_url:
        observed = run(args.endpoint_url)
    else:
        from simlab.aws import LocalAWS

        with LocalAWS():
            observed = run()
    print(f"segment: {observed['segment']}")
    for recipient, status in sorted(observed["statuses"].items()):
        print(f"  {recipient:<20} {status}")
    print("event stream records in S3:")
    for event_type, _ in observed["events"]:
        print(f"  {event_type}")


if __name__ == "__main__":
    main()
