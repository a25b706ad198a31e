"""A 100,000-endpoint email + SMS campaign through the local AWS, event stream on; prints medians.

Each run opens a fresh in-process local AWS (SES and SMS out of their sandboxes, a short code
for the texts), loads the endpoints with UpdateEndpointsBatch, streams events to Firehose -> S3,
creates an IMMEDIATE campaign paced to the short code, and advances the clock an hour (longer
when the pace needs it: a million endpoints at 100 a second take 10,000 s).
The campaign's wall time (CreateCampaign plus the clock advance that runs it) is what is timed.
For comparison it also times the campaign engine alone, with a sender that accepts everything,
so the engine's share of the total is visible, and, in the same run, plain moto's SES
``send_email`` and SNS ``publish`` loops (``benchmarks/baseline.py``): the per-message cost of
the machinery simlab extends. Wall time is shared with whatever else the machine runs, so the
campaign's CPU time is printed too.

The goal is Pinpoint's own ceiling, 20,000 messages a second (5 s for 100,000 endpoints):
the emulator should never be slower than the service it imitates.

Run: ``.venv/bin/python benchmarks/campaign.py [--endpoints 100000] [--runs 3]``; with
``--profile FILE`` the timed section is profiled too (its times are then the profiler's).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import statistics
import sys
import time

import numpy as np
from baseline import measure

from simlab.aws import LocalAWS
from simlab.engage.campaigns import CampaignEngine
from simlab.engage.clock import Clock

ROLE = "arn:aws:iam::123456789012:role/pinpoint-events"
SENDER = "news@example.com"
#: The campaign is paced to its short code's throughput (facts.sms.MPS_BY_ORIGINATION_TYPE).
SHORT_CODE_MPS = 100
#: Pinpoint's own ceiling (messages a second), the pace the emulator must at least keep.
GOAL_RATE = 20_000


def peak_mib() -> float:
    """The process's peak resident set size so far, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def run(
    endpoints: int, profile: cProfile.Profile | None = None
) -> tuple[float, float, float, float, float, dict[str, int]]:
    """Returns (setup wall s, setup CPU s, campaign wall s, campaign CPU s, peak RSS MiB at the
    campaign's end, outbox counts by status) of one run.

    ``profile``, if given, is enabled for the timed section only.
    """
    with LocalAWS() as aws:
        started, setup_cpu = time.perf_counter(), time.process_time()
        pinpoint, ses, s3, firehose = (aws.client(n) for n in ("pinpoint", "ses", "s3", "firehose"))
        ses.verify_email_identity(EmailAddress=SENDER)
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=100_000)
        aws.sms.leave_sandbox(monthly_spend_limit=1_000_000)
        aws.sms.provision_short_code("US", "PROMOTIONAL")  # 100 message parts a second
        app = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})["ApplicationResponse"]
        app_id = app["Id"]
        pinpoint.update_email_channel(
            ApplicationId=app_id,
            EmailChannelRequest={
                "FromAddress": SENDER,
                "Identity": f"arn:aws:ses:us-east-1:123456789012:identity/{SENDER}",
            },
        )
        pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
        s3.create_bucket(Bucket="bench-events")
        stream = firehose.create_delivery_stream(
            DeliveryStreamName="bench-events",
            ExtendedS3DestinationConfiguration={
                "RoleARN": ROLE,
                "BucketARN": "arn:aws:s3:::bench-events",
            },
        )["DeliveryStreamARN"]
        pinpoint.put_event_stream(
            ApplicationId=app_id,
            WriteEventStream={"DestinationStreamArn": stream, "RoleArn": ROLE},
        )
        for start in range(0, endpoints, 100):  # a request's items at a time, so that the
            items = [  # script's own memory stays out of the peak it reports
                {"Id": f"e{i}", "ChannelType": "EMAIL", "Address": f"user{i}@example.com"}
                if i % 2
                else {"Id": f"s{i}", "ChannelType": "SMS", "Address": f"+1206{i:07d}"}
                for i in range(start, min(start + 100, endpoints))
            ]
            pinpoint.update_endpoints_batch(
                ApplicationId=app_id, EndpointBatchRequest={"Item": items}
            )
        segment = pinpoint.create_segment(
            ApplicationId=app_id,
            WriteSegmentRequest={
                "Name": "everyone",
                "Dimensions": {
                    "Demographic": {
                        "Channel": {"DimensionType": "INCLUSIVE", "Values": ["EMAIL", "SMS"]}
                    }
                },
            },
        )["SegmentResponse"]["Id"]
        setup, setup_cpu = time.perf_counter() - started, time.process_time() - setup_cpu

        if profile is not None:
            profile.enable()
        started, cpu = time.perf_counter(), time.process_time()
        pinpoint.create_campaign(
            ApplicationId=app_id,
            WriteCampaignRequest={
                "Name": "big",
                "SegmentId": segment,
                "MessageConfiguration": {
                    "EmailMessage": {"Title": "Hello", "Body": "News of the week"},
                    "SMSMessage": {"Body": "News of the week", "MessageType": "PROMOTIONAL"},
                },
                "Schedule": {"Frequency": "ONCE", "StartTime": "IMMEDIATE"},
                "Limits": {"MessagesPerSecond": SHORT_CODE_MPS},
            },
        )
        # an hour, or as long as the short code's pace needs to reach everyone, and then some
        aws.clock.advance(max(3600.0, endpoints / SHORT_CODE_MPS + 600))
        campaign, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profile is not None:
            profile.disable()
        peak = peak_mib()  # before the check below reads the outbox
        rows = aws.outbox.sql(
            "SELECT status, count(*) AS n FROM messages WHERE service = 'pinpoint' "
            "GROUP BY status ORDER BY min(id)"
        )
        counts = {row["status"]: row["n"] for row in rows}
        assert sum(counts.values()) == endpoints, counts
        return setup, setup_cpu, campaign, cpu, peak, counts


def run_engine_only(endpoints: int) -> float:
    """Returns the seconds the campaign engine alone takes (records built, nothing sent)."""
    clock = Clock()
    audience = [
        {"Id": f"e{i}", "ChannelType": "EMAIL" if i % 2 else "SMS", "Address": f"u{i}@x.com"}
        for i in range(endpoints)
    ]
    records: list[dict] = []  # refusals and reactions, as dicts
    streamed = [0]  # send records the stream got: counted, not kept (a million fill a GB)

    def stream(texts: list[tuple[str, str]]) -> None:
        streamed[0] += len(texts)

    def accept(channel, batch, messages, templates, context):  # type: ignore[no-untyped-def]
        return {e["Id"]: {"DeliveryStatus": "SUCCESSFUL"} for e in batch}

    engine = CampaignEngine(
        clock,
        segment_resolver=lambda app_id, segment_id, version: audience,
        sender=accept,
        record_event=records.append,
        record_texts=stream,
        rng=np.random.default_rng(0),
    )
    started = time.perf_counter()
    engine.create(
        "bench",
        {
            "SegmentId": "everyone",
            "MessageConfiguration": {
                "EmailMessage": {"Title": "Hello"},
                "SMSMessage": {"Body": "News"},
            },
            "Schedule": {"StartTime": "IMMEDIATE"},
        },
    )
    clock.advance(3600)
    elapsed = time.perf_counter() - started
    if streamed[0] != endpoints:  # every endpoint accepted: one send record each
        raise SystemExit(f"the engine streamed {streamed[0]:,} send records for {endpoints:,}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-messages", type=int, default=1000)
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the timed section of each run (cProfile, in CPU time so that other "
        "processes do not inflate it), save the stats to FILE and print the 40 costliest "
        "functions by own time",
    )
    args = parser.parse_args()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    setups, setup_cpus, campaigns, cpus = [], [], [], []
    for index in range(args.runs):
        setup, setup_cpu, campaign, cpu, peak, counts = run(args.endpoints, profile)
        setups.append(setup)
        setup_cpus.append(setup_cpu)
        campaigns.append(campaign)
        cpus.append(cpu)
        print(
            f"run {index + 1}: setup {setup:.1f} s (CPU {setup_cpu:.1f} s), "
            f"campaign {campaign:.1f} s (CPU {cpu:.1f} s), peak RSS so far {peak:,.0f} MiB, "
            f"outbox {counts}",
            flush=True,
        )
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(40)
    engine = [run_engine_only(args.endpoints) for _ in range(args.runs)]
    baselines = [measure(args.baseline_messages) for _ in range(args.runs)]
    ses = statistics.median(b["ses_send_email"] for b in baselines)
    sns = statistics.median(b["sns_publish"] for b in baselines)
    wall, cpu = statistics.median(campaigns), statistics.median(cpus)
    per_message = wall / args.endpoints
    goal = args.endpoints / GOAL_RATE
    print(
        f"{args.endpoints:,} endpoints: median campaign {wall:.1f} s (CPU {cpu:.1f} s, "
        f"setup {statistics.median(setups):.1f} s, CPU {statistics.median(setup_cpus):.1f} s) "
        f"over {args.runs} runs; "
        f"engine alone {statistics.median(engine):.1f} s"
    )
    print(
        f"per message: campaign {per_message * 1e6:,.0f} us (email or SMS, every record "
        f"streamed, to final outcome); plain moto SES send_email {ses * 1e6:,.0f} us, "
        f"SNS publish {sns * 1e6:,.0f} us (medians over {args.runs} runs of "
        f"{args.baseline_messages:,} calls)"
    )
    print(
        f"ratio: a campaign message costs {per_message / ses:.2f}x a plain-moto send_email "
        f"and {per_message / sns:.2f}x a plain-moto publish"
    )
    verdict = "met" if wall <= goal else "NOT met"
    print(
        f"goal: <= {goal:.1f} s ({GOAL_RATE:,} messages/s); measured {wall:.1f} s = "
        f"{args.endpoints / wall:,.0f} messages/s: {verdict}"
    )


if __name__ == "__main__":
    main()
