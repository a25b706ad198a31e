"""SMS event destinations: prints medians for a paced batch and for charting its events.

Run: ``.venv/bin/python benchmarks/sms_events.py [--messages 300] [--runs 3]``

``batch`` is one ``send_texts`` call per message through boto3 to the in-process local AWS, with
every event going to a Firehose stream and a log group (what notebook 05 does); ``read back``
is reading the records from S3 after the flush; ``curve + tally`` is ``delivery_curve`` and
``tally_deliveries`` over those records.
"""

from __future__ import annotations

import argparse
import statistics
import time

from simlab.aws import LocalAWS
from simlab.toolkit import (
    customer_numbers,
    delivery_curve,
    firehose_to_bucket,
    log_group,
    s3_json_records,
    send_texts,
    tally_deliveries,
)

ROLE = "arn:aws:iam::123456789012:role/sms-events"


def run(messages: int) -> dict[str, float]:
    """Seconds per message for each stage of one batch."""
    with LocalAWS(seed=1) as aws:
        sms, s3 = aws.client("pinpoint-sms-voice-v2"), aws.client("s3")
        number = sms.request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TOLL_FREE",
        )["PhoneNumberArn"]
        sms.create_configuration_set(ConfigurationSetName="orders")
        stream = firehose_to_bucket(aws.client("firehose"), s3, "sms-archive", role_arn=ROLE)
        group = log_group(aws.client("logs"), "/sms/events")
        sms.create_event_destination(
            ConfigurationSetName="orders",
            EventDestinationName="to-firehose",
            MatchingEventTypes=["TEXT_ALL"],
            KinesisFirehoseDestination={"IamRoleArn": ROLE, "DeliveryStreamArn": stream},
        )
        sms.create_event_destination(
            ConfigurationSetName="orders",
            EventDestinationName="to-logs",
            MatchingEventTypes=["TEXT_ALL"],
            CloudWatchLogsDestination={"IamRoleArn": ROLE, "LogGroupArn": group},
        )
        aws.sms.leave_sandbox(monthly_spend_limit=10_000)
        customers = customer_numbers(messages)
        start = time.perf_counter()
        send_texts(
            sms,
            customers,
            "Shipped!",
            origination=number,
            ConfigurationSetName="orders",
            per_second=3,
            wait=aws.clock.advance,
        )
        aws.clock.advance(600)
        sent = time.perf_counter()
        records = s3_json_records(s3, "sms-archive")
        read = time.perf_counter()
        delivery_curve(records)
        tally_deliveries(records)
        done = time.perf_counter()
    return {
        "batch (send + events)": (sent - start) / messages,
        "read back from S3": (read - sent) / messages,
        "curve + tally": (done - read) / messages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [run(args.messages) for _ in range(args.runs)]
    print(f"{args.messages} texts, median of {args.runs} runs, per message:")
    for stage in runs[0]:
        median = statistics.median(r[stage] for r in runs)
        print(f"  {stage:<22} {median * 1e3:8.3f} ms")


if __name__ == "__main__":
    main()
