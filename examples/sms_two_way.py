"""Two-way SMS with AWS End User Messaging, end to end, using only the documented v2 API.

Request a toll-free number, point its replies at an SNS topic (read through SQS), stream every
event to CloudWatch Logs, Firehose -> S3 and SNS, verify the customer's number (the account
starts in the SMS sandbox), send, let the customer reply STOP, send again and be refused, then
read the events back.

    python examples/sms_two_way.py                      # a local AWS in this process
    python examples/sms_two_way.py --endpoint-url URL   # against `simlab serve`

The customer's handset is the one thing no AWS API plays: ``Handset`` reads texts and replies
through simlab's side door (``aws.sms`` in-process, ``/simlab/...`` routes over HTTP).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.exceptions import ClientError

REGION = "us-east-1"
CUSTOMER = "+12065550142"


class Handset:
    """The customer's phone: reads the texts it got, replies, and lets time pass."""

    def __init__(self, number: str, endpoint_url: str | None, local_aws: Any = None) -> None:
        self.number, self.endpoint_url, self.local_aws = number, endpoint_url, local_aws

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint_url}/simlab/{path}", data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def texts(self) -> list[dict[str, Any]]:
        if self.local_aws is not None:
            return [m.to_json() for m in self.local_aws.outbox.filter(to=self.number)]
        query = urllib.parse.urlencode({"to": self.number})
        return self._call("GET", f"outbox?{query}")["messages"]

    def read_code(self) -> str:
        return next(m["detail"]["code"] for m in reversed(self.texts()) if "code" in m["detail"])

    def reply(self, to: str, body: str) -> None:
        if self.local_aws is not None:
            self.local_aws.sms.reply(self.number, to, body)
        else:
            self._call("POST", "sms/inbound", {"from": self.number, "to": to, "body": body})

    def wait(self, seconds: float) -> None:
        if self.local_aws is not None:
            self.local_aws.clock.advance(seconds)
        else:
            self._call("POST", "clock", {"advance": seconds})


def drain(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Receives and deletes every message in a queue; returns the bodies as JSON."""
    bodies = []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def queue_for(sns: Any, sqs: Any, topic_arn: str, name: str) -> str:
    """A queue that receives what the topic publishes, raw (no SNS envelope)."""
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=arn["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )
    return url


def run(endpoint_url: str | None, handset: Handset) -> dict[str, Any]:
    """The scenario; returns what it observed."""
    # A local endpoint takes any credentials; these never leave the machine.
    local = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    session = boto3.session.Session(region_name=REGION, **(local if endpoint_url else {}))
    client = lambda name: session.client(name, endpoint_url=endpoint_url)  # noqa: E731
    sms, sns, sqs = client("pinpoint-sms-voice-v2"), client("sns"), client("sqs")
    logs, firehose, s3 = client("logs"), client("firehose"), client("s3")
    account = "123456789012"
    role = f"arn:aws:iam::{account}:role/sms-events"

    # Where replies and events land.
    inbox_topic = sns.create_topic(Name="sms-replies")["TopicArn"]
    inbox = queue_for(sns, sqs, inbox_topic, "sms-replies")
    events_topic = sns.create_topic(Name="sms-events")["TopicArn"]
    event_queue = queue_for(sns, sqs, events_topic, "sms-events")
    logs.create_log_group(logGroupName="/sms/events")
    s3.create_bucket(Bucket="sms-events-archive")
    stream_arn = firehose.create_delivery_stream(
        DeliveryStreamName="sms-events",
        ExtendedS3DestinationConfiguration={
            "RoleARN": role,
            "BucketARN": "arn:aws:s3:::sms-events-archive",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
        },
    )["DeliveryStreamARN"]

    # A number that can answer, and a configuration set with all three destinations.
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS", "VOICE"],
        NumberType="TOLL_FREE",
    )
    sms.update_phone_number(
        PhoneNumberId=number["PhoneNumberId"], TwoWayEnabled=True, TwoWayChannelArn=inbox_topic
    )
    sms.create_configuration_set(ConfigurationSetName="alerts")
    destinations = {
        "to-logs": {
            "MatchingEventTypes": ["ALL"],
            "CloudWatchLogsDestination": {
                "IamRoleArn": role,
                "LogGroupArn": f"arn:aws:logs:{REGION}:{account}:log-group:/sms/events",
            },
        },
        "to-firehose": {
            "MatchingEventTypes": ["TEXT_ALL"],
            "KinesisFirehoseDestination": {"IamRoleArn": role, "DeliveryStreamArn": stream_arn},
        },
        "to-sns": {
            "MatchingEventTypes": ["TEXT_DELIVERED", "TEXT_BLOCKED", "TEXT_UNREACHABLE"],
            "SnsDestination": {"TopicArn": events_topic},
        },
    }
    for name, settings in destinations.items():
        sms.create_event_destination(
            ConfigurationSetName="alerts", EventDestinationName=name, **settings
        )

    # The sandbox sends only to verified numbers: the customer reads the code aloud.
    tier = sms.describe_account_attributes()["AccountAttributes"][0]["Value"]
    verified = sms.create_verified_destination_number(DestinationPhoneNumber=CUSTOMER)
    sms.send_destination_number_verification_code(
        VerifiedDestinationNumberId=verified["VerifiedDestinationNumberId"],
        VerificationChannel="TEXT",
    )
    sms.verify_destination_number(
        VerifiedDestinationNumberId=verified["VerifiedDestinationNumberId"],
        VerificationCode=handset.read_code(),
    )

    first = sms.send_text_message(
        DestinationPhoneNumber=CUSTOMER,
        OriginationIdentity=number["PhoneNumberArn"],
        MessageBody="Your order has shipped. Reply STOP to opt out.",
        ConfigurationSetName="alerts",
        Context={"order": "1042"},
    )["MessageId"]
    handset.wait(120)  # the carrier reports delivery; Firehose flushes its buffer

    handset.reply(number["PhoneNumber"], "STOP")
    replies = drain(sqs, inbox)
    try:
        sms.send_text_message(
            DestinationPhoneNumber=CUSTOMER,
            OriginationIdentity=number["PhoneNumberArn"],
            MessageBody="One more thing...",
            ConfigurationSetName="alerts",
        )
        refusal = None
    except ClientError as error:
        refusal = (error.response["Error"]["Code"], error.response.get("Reason"))
    opted_out = sms.describe_opted_out_numbers(OptOutListName="Default")["OptedOutNumbers"]

    log_events = [
        json.loads(e["message"])
        for e in logs.filter_log_events(logGroupName="/sms/events")["events"]
    ]
    s3_records = []
    for item in s3.list_objects_v2(Bucket="sms-events-archive").get("Contents", []):
        body = s3.get_object(Bucket="sms-events-archive", Key=item["Key"])["Body"].read()
        s3_records += [json.loads(line) for line in body.decode().splitlines() if line]
    sns_events = drain(sqs, event_queue)
    return {
        "tier": tier,
        "number": number["PhoneNumber"],
        "message_id": first,
        "reply": replies[0] if replies else None,
        "refusal": refusal,
        "opted_out": [n["OptedOutNumber"] for n in opted_out],
        "logs": [e["eventType"] for e in log_events],
        "s3": [e["eventType"] for e in s3_records],
        "sns": [e["eventType"] for e in sns_events],
        "first_event": log_events[0] if log_events else None,
    }


def report(result: dict[str, Any]) -> str:
    """Stable text: no ids, no dates."""
    reply = result["reply"] or {}
    lines = [
        f"account tier at start: {result['tier']}",
        f"reply on the two-way topic: {reply.get('messageBody')!r} "
        f"(keyword {reply.get('messageKeyword')!r}, answers the first message: "
        f"{reply.get('previousPublishedMessageId') == result['message_id']})",
        f"second send refused: {result['refusal']}",
        f"opted out: {result['opted_out']}",
    ]
    for where in ("logs", "s3", "sns"):
        counts = ", ".join(f"{k} x{v}" for k, v in sorted(Counter(result[where]).items()))
        lines.append(f"events in {where:<4}: {counts}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", help="a `simlab serve` endpoint; default: in-process")
    args = parser.parse_args(argv)
    if args.endpoint_url:
        result = run(args.endpoint_url, Handset(CUSTOMER, args.endpoint_url))
    else:
        from simlab.aws import LocalAWS

        with LocalAWS() as aws:
            result = run(None, Handset(CUSTOMER, None, aws))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
