"""SendMessages throughput in-process with the event stream on: recipients per second.

Run: ``.venv/bin/python benchmarks/send_messages.py [--calls 20] [--runs 5] [--channel SMS]``.
Each call sends to 100 endpoints (the per-request maximum) of one channel — SMS (through the SNS
SMS path, streaming ``_SMS.*`` records to Firehose -> S3) or GCM push (the engine and outbox
alone; Pinpoint streams no transactional push events).
"""

from __future__ import annotations

import argparse
import statistics
import time

from simlab.aws import LocalAWS

BATCH = 100
ROLE = "arn:aws:iam::123456789012:role/events"


ADDRESSES = {"SMS": "+1206{i:07d}", "GCM": "fcm-token-{i}"}
CONFIGS = {
    "SMS": {"SMSMessage": {"Body": "Your order has shipped", "MessageType": "TRANSACTIONAL"}},
    "GCM": {"GCMMessage": {"Title": "Shipped", "Body": "Your order has shipped"}},
}


def run(calls: int, channel: str = "SMS") -> float:
    """Sends ``calls`` batches of 100 and returns recipients per second."""
    with LocalAWS() as aws:
        pinpoint, s3, firehose = aws.client("pinpoint"), aws.client("s3"), aws.client("firehose")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})[
            "ApplicationResponse"
        ]["Id"]
        s3.create_bucket(Bucket="bench-stream")
        arn = firehose.create_delivery_stream(
            DeliveryStreamName="bench",
            ExtendedS3DestinationConfiguration={
                "RoleARN": ROLE,
                "BucketARN": "arn:aws:s3:::bench-stream",
                "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 5},
            },
        )["DeliveryStreamARN"]
        pinpoint.put_event_stream(
            ApplicationId=app_id, WriteEventStream={"DestinationStreamArn": arn, "RoleArn": ROLE}
        )
        for start in range(0, calls * BATCH, BATCH):
            items = [
                {"Id": f"e{i}", "ChannelType": channel, "Address": ADDRESSES[channel].format(i=i)}
                for i in range(start, start + BATCH)
            ]
            pinpoint.update_endpoints_batch(
                ApplicationId=app_id, EndpointBatchRequest={"Item": items}
            )
        config = CONFIGS[channel]
        started = time.perf_counter()
        for start in range(0, calls * BATCH, BATCH):
            endpoints = {f"e{i}": {} for i in range(start, start + BATCH)}
            pinpoint.send_messages(
                ApplicationId=app_id,
                MessageRequest={"Endpoints": endpoints, "MessageConfiguration": config},
            )
        elapsed = time.perf_counter() - started
        assert len(aws.outbox.filter(service="pinpoint")) == calls * BATCH
        return calls * BATCH / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20, help="SendMessages calls per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--channel", choices=sorted(CONFIGS), default="SMS")
    args = parser.parse_args()
    rates = [run(args.calls, args.channel) for _ in range(args.runs)]
    print(f"SendMessages, {BATCH} {args.channel} endpoints per call, event stream on")
    print(f"median over {args.runs} runs: {statistics.median(rates):,.0f} recipients/s")


if __name__ == "__main__":
    main()
