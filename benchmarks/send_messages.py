"""SendMessages throughput in-process with the event stream on: recipients per second.

Run: ``.venv/bin/python benchmarks/send_messages.py [--calls 60] [--runs 5] [--channel SMS]``
(``--profile FILE`` profiles the calls too; their rates are then the profiler's).
Each call sends to 100 endpoints (the per-request maximum) of one channel:

* SMS through AWS End User Messaging from a short code (100 MPS) out of the SMS sandbox, one
  call per simulated second, streaming ``_SMS.*`` records to Firehose -> S3;
* EMAIL through SES in production (quota raised), streaming ``_email.*`` records;
* GCM push (the engine and outbox alone; Pinpoint streams no transactional push events).

Two medians: the SendMessages calls alone, and with the clock moved on until every message's
final outcome (carrier receipt, SES delivery or bounce) has been recorded and streamed. Beside
them, measured in the same run: plain moto's SES ``send_email`` and SNS ``publish`` loops
(``benchmarks/baseline.py``), one recipient per call, and the goal (20,000 recipients/s).
The default 60 calls a run are 6,000 messages, past the 2,500 an SMS engine's dicts hold
before they spill to SQLite: the figure is the steady state, spilling included.

The floor: the same call with Pinpoint's SendMessages handler answering a response recorded
from a real call, so what remains is the client's own work (validating, serialising, signing
and parsing in botocore) and the local AWS's routing and request parsing. The recipients per
second it reaches are the most any handler could give on this machine.
With ``--other-calls N`` (300 by default; 0 skips them), the same SES and SNS calls through
simlab in-process, and UpdateEndpointsBatch of 100 endpoints, each ``N`` times per run: the
fixed cost of a call that simlab adds to moto's, per CPU second.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from typing import Any
from unittest import mock

from baseline import measure

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.messages_api import MessageHandlers

BATCH = 100
ROLE = "arn:aws:iam::123456789012:role/events"
SENDER = "news@example.com"
#: Recipients a second the local SendMessages should at least reach (Pinpoint's own ceiling).
GOAL = 20_000

ADDRESSES = {"SMS": "+1206{i:07d}", "EMAIL": "reader{i}@example.com", "GCM": "fcm-token-{i}"}
CONFIGS = {
    "SMS": {"SMSMessage": {"Body": "Your order has shipped", "MessageType": "TRANSACTIONAL"}},
    "EMAIL": {
        "EmailMessage": {
            "FromAddress": SENDER,
            "SimpleEmail": {
                "Subject": {"Data": "Shipped"},
                "TextPart": {"Data": "Your order has shipped"},
            },
        }
    },
    "GCM": {"GCMMessage": {"Title": "Shipped", "Body": "Your order has shipped"}},
}


def prepare(aws: LocalAWS, channel: str) -> None:
    """What each channel needs before it can send at volume."""
    if channel == "SMS":
        aws.sms.provision_short_code()
        aws.sms.leave_sandbox(monthly_spend_limit=1_000_000)
    if channel == "EMAIL":
        aws.client("ses").verify_domain_identity(Domain="example.com")
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=1_000_000)


def run(
    calls: int, channel: str = "SMS", profile: cProfile.Profile | None = None
) -> tuple[float, float, float]:
    """Sends ``calls`` batches of 100; returns recipients per second (calls, calls + outcomes)
    and per CPU second of the calls (the process's CPU time: steadier on a shared machine).

    ``profile``, if given, is enabled around the SendMessages calls alone.
    """
    with LocalAWS() as aws:
        prepare(aws, channel)
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
        sending = sending_cpu = 0.0
        started = time.perf_counter()
        for start in range(0, calls * BATCH, BATCH):
            endpoints = {f"e{i}": {} for i in range(start, start + BATCH)}
            if profile is not None:
                profile.enable()
            began, began_cpu = time.perf_counter(), time.process_time()
            response = pinpoint.send_messages(
                ApplicationId=app_id,
                MessageRequest={"Endpoints": endpoints, "MessageConfiguration": config},
            )["MessageResponse"]
            sending += time.perf_counter() - began
            sending_cpu += time.process_time() - began_cpu
            if profile is not None:
                profile.disable()
            statuses = {r["DeliveryStatus"] for r in response["EndpointResult"].values()}
            assert "THROTTLED" not in statuses, statuses  # push providers refuse a few tokens
            aws.clock.advance(1)  # the next second: a short code's 100 MPS is free again
        aws.clock.advance(3 * 86_400)  # every carrier receipt and SES outcome arrives
        elapsed = time.perf_counter() - started
        sent = aws.outbox.filter(service="pinpoint")
        assert len(sent) == len(aws.outbox) == calls * BATCH
        if channel != "GCM":
            assert {m.status for m in sent} <= {"DELIVERED", "FAILED"}
        return calls * BATCH / sending, calls * BATCH / elapsed, calls * BATCH / sending_cpu


def floor(calls: int) -> float:
    """Recipients per CPU second of ``calls`` SMS SendMessages calls of 100 whose handler
    answers a response recorded from a real call: the client's and the routing's share."""
    with LocalAWS() as aws:
        prepare(aws, "SMS")
        pinpoint = aws.client("pinpoint")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "floor"})[
            "ApplicationResponse"
        ]["Id"]
        items = [
            {"Id": f"e{i}", "ChannelType": "SMS", "Address": ADDRESSES["SMS"].format(i=i)}
            for i in range(BATCH)
        ]
        pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
        request = {
            "Endpoints": {f"e{i}": {} for i in range(BATCH)},
            "MessageConfiguration": CONFIGS["SMS"],
        }
        answers: list[Any] = []
        real = MessageHandlers.send_messages

        def recorded(self: MessageHandlers) -> Any:
            if not answers:
                answers.append(real(self))
            return answers[0]

        with mock.patch.object(MessageHandlers, "send_messages", recorded):
            pinpoint.send_messages(ApplicationId=app_id, MessageRequest=request)
            began = time.process_time()
            for _ in range(calls):
                response = pinpoint.send_messages(ApplicationId=app_id, MessageRequest=request)
            spent = time.process_time() - began
        assert len(response["MessageResponse"]["EndpointResult"]) == BATCH
        return calls * BATCH / spent


def other_calls(calls: int) -> dict[str, float]:
    """CPU seconds per call of simlab's in-process SES ``send_email`` and SNS ``publish`` (as
    ``baseline.py`` calls them) and of ``update_endpoints_batch`` with 100 endpoints."""
    with LocalAWS() as aws:
        ses, sns, pinpoint = aws.client("ses"), aws.client("sns"), aws.client("pinpoint")
        ses.verify_domain_identity(Domain="example.com")
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=1_000_000)
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "calls"})[
            "ApplicationResponse"
        ]["Id"]

        def send_email(n: int) -> None:
            ses.send_email(
                Source=SENDER,
                Destination={"ToAddresses": [f"reader{n}@example.com"]},
                Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "News"}}},
            )

        def publish(n: int) -> None:
            sns.publish(PhoneNumber=f"+1206{n:07d}", Message="News of the week")

        def update_endpoints(n: int) -> None:
            items = [
                {"Id": f"u{n}-{i}", "ChannelType": "SMS", "Address": f"+1206{i:07d}"}
                for i in range(BATCH)
            ]
            pinpoint.update_endpoints_batch(
                ApplicationId=app_id, EndpointBatchRequest={"Item": items}
            )

        seconds: dict[str, float] = {}
        loops = {"ses_send_email": send_email, "sns_publish": publish}
        loops["update_endpoints_batch"] = update_endpoints
        for name, call in loops.items():
            count = calls if name != "update_endpoints_batch" else max(1, calls // 10)
            for n in range(5):  # botocore loads each operation's model on first use
                call(9_000_000 + n)
            began = time.process_time()
            for n in range(count):
                call(n)
            seconds[name] = (time.process_time() - began) / count
            aws.clock.advance(60)
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=60, help="SendMessages calls per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--channel", choices=sorted(CONFIGS), default="SMS")
    parser.add_argument("--baseline-messages", type=int, default=1000)
    parser.add_argument(
        "--other-calls",
        type=int,
        default=300,
        help="SES and SNS calls through simlab per run (a tenth as many UpdateEndpointsBatch); "
        "0 skips them",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the SendMessages calls (cProfile), save the stats to FILE and print the "
        "40 costliest functions by own time",
    )
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    rates = [run(args.calls, args.channel, profile) for _ in range(args.runs)]
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(40)
    baselines = [measure(args.baseline_messages) for _ in range(args.runs)]
    floors = [floor(args.calls) for _ in range(args.runs)] if args.channel == "SMS" else []
    others = [other_calls(args.other_calls) for _ in range(args.runs)] if args.other_calls else []
    print(f"SendMessages, {BATCH} {args.channel} endpoints per call, event stream on")
    calls = statistics.median(r[0] for r in rates)
    total = statistics.median(r[1] for r in rates)
    cpu = statistics.median(r[2] for r in rates)
    ses = 1 / statistics.median(b["ses_send_email"] for b in baselines)
    sns = 1 / statistics.median(b["sns_publish"] for b in baselines)
    print(
        f"median over {args.runs} runs, the calls alone:  {calls:,.0f} recipients/s "
        f"({cpu:,.0f} per CPU second)"
    )
    print(f"median over {args.runs} runs, to final outcome: {total:,.0f} recipients/s")
    print(
        f"plain moto, same run: SES send_email {ses:,.0f}/s, SNS publish {sns:,.0f}/s; "
        f"SendMessages (calls alone) is {calls / ses:.1f}x send_email and {calls / sns:.1f}x "
        "publish per recipient"
    )
    if floors:
        ceiling = statistics.median(floors)
        print(
            f"floor, same run: the same calls with a recorded answer (botocore's client and the "
            f"local AWS's routing alone) reach {ceiling:,.0f} recipients per CPU second; the "
            f"handler's own work is {1e6 / cpu - 1e6 / ceiling:,.0f} us a recipient"
        )
    if others:
        rate = {k: 1 / statistics.median(o[k] for o in others) for k in others[0]}
        print(
            f"simlab in-process, same run, per CPU second: SES send_email "
            f"{rate['ses_send_email']:,.0f}/s, SNS publish {rate['sns_publish']:,.0f}/s, "
            f"UpdateEndpointsBatch of {BATCH} {rate['update_endpoints_batch']:,.0f} calls/s"
        )
    verdict = "met" if calls >= GOAL else "NOT met"
    print(f"goal: >= {GOAL:,} recipients/s; measured {calls:,.0f}: {verdict}")


if __name__ == "__main__":
    main()
