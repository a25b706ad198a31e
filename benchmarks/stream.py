"""Pinpoint's event stream per record: records built, handed over and buffered in Firehose.

A message of a campaign writes about three stream records: its ``_campaign.send`` record, the
channel's first record (``_email.send``, ``_SMS.BUFFERED``) and the carrier's final one
(``_email.delivered``, ``_SMS.SUCCESS``). This times those records for ``--messages`` email and
SMS messages through the project's ``ChannelEvents`` and its campaign record template into an
in-process Firehose -> S3 stream, and prints the median CPU microseconds per record (CPU
time: other processes on a shared machine move it far less than wall time). The S3 objects'
digest is printed too: the same seed writes the same bytes in any version.

``--baseline DIR`` runs the same workload in a second process with ``DIR`` (an unpacked copy
of another version, e.g. main) first on ``PYTHONPATH``, one run there before each run here
(so both see the same load), and prints the ratio of the medians.

``--size-mb 5`` gives the stream a campaign's buffers (Firehose's default), whose objects are
larger than moto keeps in memory.

Run: ``.venv/bin/python benchmarks/stream.py [--messages 5000] [--runs 3] [--size-mb 1]
[--baseline DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from alternating import runs_from_arguments
from moto.backends import get_backend

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.channel_events import ChannelEvents, SentMessage
from simlab.aws.state import state
from simlab.engage import event_records
from simlab.engage.record_templates import campaign_send_template
from simlab.engage.sms import Message as Text

ROLE = "arn:aws:iam::123456789012:role/pinpoint-events"
BUCKET = "bench-stream"
#: What each timed part writes per message (records).
RECORDS = {"email": 2, "sms": 2, "campaign": 1}


def _stream(aws: LocalAWS, size_mb: int) -> Any:
    """A Pinpoint app streaming to Firehose -> S3 (``size_mb`` MB or 60 s buffers); returns its
    project."""
    pinpoint, s3, firehose = (aws.client(n) for n in ("pinpoint", "s3", "firehose"))
    s3.create_bucket(Bucket=BUCKET)
    arn = firehose.create_delivery_stream(
        DeliveryStreamName="bench",
        ExtendedS3DestinationConfiguration={
            "RoleARN": ROLE,
            "BucketARN": f"arn:aws:s3:::{BUCKET}",
            "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": size_mb},
        },
    )["DeliveryStreamARN"]
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.put_event_stream(
        ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": ROLE}
    )
    return get_backend("pinpoint")["123456789012"][aws.region].project(app_id)


def _digest(aws: LocalAWS) -> str:
    s3, digest = aws.client("s3"), hashlib.sha256()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
            digest.update(item["Key"].encode())
            digest.update(s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read())
    return digest.hexdigest()


def run(messages: int, size_mb: int = 1) -> tuple[dict[str, float], str]:
    """Returns (seconds per part, digest of the S3 objects) of one run."""
    with LocalAWS() as aws:
        project = _stream(aws, size_mb)
        events = ChannelEvents(project, state())
        now_ms = state().clock.timestamp_ms()
        context = {"campaign_id": "c1", "treatment_id": "0"}
        sent = [
            SentMessage(f"e{i}", f"user{i}@example.com", "Hello", dict(context))
            for i in range(messages)
        ]
        emails = [
            {"id": f"0100-{i:012d}-000000", "sender": "news@example.com", "send_ms": now_ms}
            for i in range(messages)
        ]
        delivered = {"smtp_response": "250 ok", "reporting_mta": "a1.simlab.local"}
        texts = [
            Text(
                f"sms-{i:08d}",
                "SMS",
                "+18005550100",
                f"+1206{i:07d}",
                "News",
                "PROMOTIONAL",
                datetime(2026, 1, 5, tzinfo=UTC),
                parts=1,
                price=0.00581,
            )
            for i in range(messages)
        ]
        endpoints = [
            {
                "Id": f"e{i}",
                "ChannelType": "EMAIL",
                "Address": f"user{i}@example.com",
                "EndpointStatus": "ACTIVE",
                "OptOut": "NONE",
                "Attributes": {"Interests": ["news"]},
                "Demographic": {"Platform": "web"},
                "Location": {"Country": "US"},
                "Metrics": {},
                "User": {"UserId": f"u{i}"},
            }
            for i in range(messages)
        ]
        seconds: dict[str, float] = {}

        started = time.process_time()
        for email, message in zip(emails, sent, strict=True):
            events.email_event("_email.send", email, message)
            events.email_event("_email.delivered", email, message, dict(delivered))
        seconds["email"] = time.process_time() - started

        started = time.process_time()
        for text, message in zip(texts, sent, strict=True):
            events.sms_event("_SMS.BUFFERED", text, message, "PENDING")
            events.sms_event("_SMS.SUCCESS", text, message, "DELIVERED")
        seconds["sms"] = time.process_time() - started

        template = campaign_send_template(
            app_id=project.app_id,
            account_id=project.account_id,
            campaign_id="c1",
            campaign_activity_id="a1",
            delivery_type="EMAIL",
        )
        started = time.process_time()
        for start in range(0, messages, 100):  # a campaign streams a chunk's records together
            chunk = [
                (
                    str(endpoint["Id"]),
                    template.fill(
                        {
                            "endpoint_id": str(endpoint["Id"]),
                            "campaign_send_status": "SUCCESS",
                            "endpoint_text": event_records.endpoint_json(endpoint),
                            "event_timestamp": now_ms,
                            "arrival_timestamp": now_ms,
                        }
                    ),
                )
                for endpoint in endpoints[start : start + 100]
            ]
            project.stream_texts(chunk)
        seconds["campaign"] = time.process_time() - started
        aws.clock.advance(120)
        return seconds, _digest(aws)


def measure(messages: int, runs: int, size_mb: int = 1) -> dict[str, Any]:
    """Median microseconds per record of each part over ``runs`` runs, and the digests."""
    results = [run(messages, size_mb) for _ in range(runs)]
    medians = {
        part: statistics.median(r[0][part] for r in results) / (messages * RECORDS[part]) * 1e6
        for part in RECORDS
    }
    return {"us_per_record": medians, "digests": sorted({r[1] for r in results})}


def _merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median per part of several one-run ``measure`` results, and their digests."""
    return {
        "us_per_record": {
            part: statistics.median(r["us_per_record"][part] for r in runs) for part in RECORDS
        },
        "digests": sorted({d for r in runs for d in r["digests"]}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument(
        "--size-mb", type=int, default=1, help="the stream's buffer size (a campaign's: 5)"
    )
    found = runs_from_arguments(parser, __file__, measure, "messages", "size_mb")
    if found is None:
        return
    args, runs, baselines = found
    result, baseline = _merged(runs), _merged(baselines) if baselines else None
    print(
        f"{args.messages:,} email and {args.messages:,} SMS messages, {args.size_mb} MB buffers, "
        f"median of {args.runs}"
    )
    for part, value in result["us_per_record"].items():
        line = f"  {part:<9} {value:7.2f} us CPU per record"
        if baseline is not None:
            before = baseline["us_per_record"][part]
            line += f"   baseline {before:7.2f} us   ratio {before / value:4.2f}x faster"
        print(line)
    print(f"  S3 digest {', '.join(result['digests'])}")
    if baseline is not None:
        same = "same" if baseline["digests"] == result["digests"] else "DIFFERS"
        print(f"  baseline digest {', '.join(baseline['digests'])} ({same})")


if __name__ == "__main__":
    main()
