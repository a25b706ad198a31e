"""Receiving email with SES: a receipt rule stores each message in S3 and announces it on SNS.

Only documented boto3 calls, plus delivering the inbound email the way a mail server on the
internet would (``aws.mail.receive`` in-process, ``POST /simlab/mail/inbound`` over HTTP). Run
it in-process (``python examples/inbound_mail.py``) or against ``simlab serve``
(``--endpoint-url http://127.0.0.1:5000``); the output is the same.
"""

from __future__ import annotations

import argparse
import json
import urllib.request
from collections.abc import Callable
from typing import Any

import boto3

REGION = "us-east-1"
DOMAIN = "school.example"
BUCKET = "school-inbound-mail"


def run(
    endpoint_url: str | None, deliver: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Sets up receiving, delivers two emails, and returns what arrived where."""
    # A local endpoint takes any credentials; these never leave the machine.
    local = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    session = boto3.session.Session(region_name=REGION, **(local if endpoint_url else {}))
    ses, s3, sns, sqs = (
        session.client(n, endpoint_url=endpoint_url) for n in ("ses", "s3", "sns", "sqs")
    )

    ses.verify_domain_identity(Domain=DOMAIN)
    s3.create_bucket(Bucket=BUCKET)
    topic = sns.create_topic(Name="mail-received")["TopicArn"]
    queue = sqs.create_queue(QueueName="mail-received")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn["Attributes"]["QueueArn"],
        Attributes={"RawMessageDelivery": "true"},
    )

    ses.create_receipt_rule_set(RuleSetName="school")
    ses.create_receipt_rule(
        RuleSetName="school",
        Rule={
            "Name": "office",
            "Enabled": True,
            "Recipients": [f"office@{DOMAIN}"],
            "Actions": [
                {
                    "S3Action": {
                        "BucketName": BUCKET,
                        "ObjectKeyPrefix": "office/",
                        "TopicArn": topic,
                    }
                }
            ],
        },
    )
    ses.set_active_receipt_rule_set(RuleSetName="school")

    accepted = deliver(
        {
            "from": "parent@home.example",
            "to": f"office@{DOMAIN}",
            "subject": "Absence",
            "text": "Ana is ill.",
        }
    )
    refused = deliver(
        {"from": "parent@home.example", "to": f"head@{DOMAIN}", "subject": "Hello", "text": "Hi"}
    )

    stored = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    body = s3.get_object(Bucket=BUCKET, Key=stored[0]["Key"])["Body"].read().decode()
    notices = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    notice = json.loads(notices[0]["Body"])
    return {
        "accepted": accepted["recipients"],
        "refused": refused["rejected"],
        "stored": [o["Key"].split("/")[0] for o in stored],
        "stored_text_found": "Ana is ill." in body,
        "notification": (notice["notificationType"], notice["receipt"]["action"]["type"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", help="a running `simlab serve` (default: in-process)")
    args = parser.parse_args()
    if args.endpoint_url:

        def deliver(email: dict[str, Any]) -> dict[str, Any]:
            request = urllib.request.Request(
                f"{args.endpoint_url}/simlab/mail/inbound",
                data=json.dumps(email).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.loads(answer.read())  # type: ignore[no-any-return]

        result = run(args.endpoint_url, deliver)
    else:
        from simlab.aws import LocalAWS

        with LocalAWS() as aws:
            result = run(
                None,
                lambda e: aws.mail.receive(e["from"], e["to"], e["subject"], e["text"]).summary(),
            )
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
