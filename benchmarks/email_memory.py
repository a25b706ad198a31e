"""Resident memory while Pinpoint sends more and more email through SES; prints RSS per checkpoint.

The email twin of ``benchmarks/memory.py``: one in-process local AWS (SES out of its sandbox)
sends with Pinpoint ``SendMessages`` (100 EMAIL addresses a call, the event stream on to
Firehose -> S3), moving the clock a second per call and a day at each checkpoint so every
delivery, bounce and open lands. At each checkpoint it prints the resident set size, its change
since the first checkpoint, and what the mailer still holds for messages in flight (watchers):
a finished message should leave nothing behind but its outbox row and moto's ``sent_messages``
entry. Beside it, from the same run, plain moto's SES ``send_email`` loop in a fresh interpreter
at the same checkpoints up to ``--baseline-upto``: what moto itself keeps per message.

Run: ``.venv/bin/python benchmarks/email_memory.py [--checkpoints 10000,30000,100000]
[--baseline-upto 100000]``
"""

from __future__ import annotations

import argparse
import json
import time

from memory import fresh_baseline, report, rss_mib, trimmed
from moto.backends import get_backend

from simlab.aws import LocalAWS

BATCH = 100
ROLE = "arn:aws:iam::123456789012:role/events"
SENDER = "news@example.com"


def simlab_rss(checkpoints: list[int]) -> list[tuple[int, float, float, int]]:
    """Sends up to the last checkpoint; returns (messages, RSS MiB, seconds, watchers) at each."""
    found: list[tuple[int, float, float, int]] = []
    with LocalAWS() as aws:
        pinpoint, ses = aws.client("pinpoint"), aws.client("ses")
        s3, firehose = aws.client("s3"), aws.client("firehose")
        ses.verify_email_identity(EmailAddress=SENDER)
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=100_000)
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "memory"})[
            "ApplicationResponse"
        ]["Id"]
        pinpoint.update_email_channel(
            ApplicationId=app_id,
            EmailChannelRequest={
                "FromAddress": SENDER,
                "Identity": f"arn:aws:ses:us-east-1:123456789012:identity/{SENDER}",
            },
        )
        s3.create_bucket(Bucket="memory-stream")
        arn = firehose.create_delivery_stream(
            DeliveryStreamName="memory",
            ExtendedS3DestinationConfiguration={
                "RoleARN": ROLE,
                "BucketARN": "arn:aws:s3:::memory-stream",
            },
        )["DeliveryStreamARN"]
        pinpoint.put_event_stream(
            ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": ROLE}
        )
        mailer = get_backend("ses")["123456789012"]["us-east-1"].mailer
        config = {
            "EmailMessage": {
                "SimpleEmail": {
                    "Subject": {"Data": "Shipped"},
                    "TextPart": {"Data": "Your order has shipped"},
                }
            }
        }
        sent, started = 0, time.perf_counter()
        for checkpoint in checkpoints:
            while sent < checkpoint:
                addresses = {
                    f"reader{sent + i}@example.com": {"ChannelType": "EMAIL"} for i in range(BATCH)
                }
                pinpoint.send_messages(
                    ApplicationId=app_id,
                    MessageRequest={"Addresses": addresses, "MessageConfiguration": config},
                )
                sent += BATCH
                aws.clock.advance(1)
            aws.clock.advance(86_400)  # every event lands, every buffer is flushed
            assert len(aws.outbox) == sent
            found.append((sent, rss_mib(), time.perf_counter() - started, len(mailer.watchers)))
            records = mailer.backend.sent_messages
            held = getattr(records, "in_memory", len(records))
            print(
                f"  simlab: {sent:>9,} sent, RSS {found[-1][1]:8.1f} MiB, "
                f"{found[-1][2]:6.0f} s, {trimmed()}, mailer watchers {found[-1][3]:,}, "
                f"sent_messages in memory {held:,} of {len(records):,}",
                flush=True,
            )
    return found


def _moto_rss(checkpoints: list[int]) -> list[tuple[int, float]]:
    """Plain moto's SES send_email loop (no simlab in this interpreter); RSS at each checkpoint."""
    import os

    import boto3
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ[key] = "testing"
    found: list[tuple[int, float]] = []
    with mock_aws():
        ses = boto3.client("ses", region_name="us-east-1")
        ses.verify_email_identity(EmailAddress=SENDER)
        sent = 0
        for checkpoint in checkpoints:
            while sent < checkpoint:
                ses.send_email(
                    Source=SENDER,
                    Destination={"ToAddresses": [f"reader{sent}@example.com"]},
                    Message={"Subject": {"Data": "Shipped"}, "Body": {"Text": {"Data": "Hi"}}},
                )
                sent += 1
            found.append((sent, rss_mib()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoints", default="10000,30000,100000")
    parser.add_argument("--baseline-upto", type=int, default=100_000)
    parser.add_argument("--moto-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.moto_only:
        print(json.dumps(_moto_rss([int(n) for n in args.moto_only.split(",")])))
        return
    checkpoints = sorted(int(n) for n in args.checkpoints.split(","))
    print(f"resident memory, SendMessages ({BATCH} EMAIL a call, event stream on), one process:")
    found = simlab_rss(checkpoints)
    base = [n for n in checkpoints if n <= args.baseline_upto]
    moto = fresh_baseline(__file__, base) if base else []
    report([(sent, rss, seconds) for sent, rss, seconds, _ in found], moto, "send_email")


if __name__ == "__main__":
    main()
