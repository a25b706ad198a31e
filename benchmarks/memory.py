"""Resident memory while the local AWS sends more and more messages; prints RSS per checkpoint.

One in-process local AWS sends texts with Pinpoint ``SendMessages`` (100 SMS endpoints a call,
a short code, the event stream on to Firehose -> S3), moving the clock on a second per call and,
at each checkpoint, past the carrier's 72-hour receipt timeout (``SETTLE``) so every text has its
final receipt, even one whose carrier never answers (``UNKNOWN`` after 72 hours). At each
checkpoint (10^4, 10^5 ... sent) it prints the resident set size and its change since the first
checkpoint; the goal is flat memory: within 10 % from 10^4 to 10^6 messages. Beside it, from
the same run, plain moto's SNS ``publish`` loop (``benchmarks/baseline.py``, a fresh
interpreter) at the same checkpoints up to ``--baseline-upto``: what moto itself keeps per
message.

Run: ``.venv/bin/python benchmarks/memory.py [--checkpoints 10000,100000,1000000]
[--baseline-upto 100000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from simlab.aws import LocalAWS
from simlab.aws.services.smsvoicev2.models import engine
from simlab.engage.batch_gc import collector, trimmer
from simlab.facts import sms as sms_facts

BATCH = 100
ROLE = "arn:aws:iam::123456789012:role/events"
#: The goal: resident memory within this fraction of the first checkpoint's ...
FLAT = 0.10
#: ... from this many messages sent to ``GOAL_TO``.
GOAL_FROM, GOAL_TO = 10_000, 1_000_000
#: The goal for a 1,000,000-endpoint campaign's peak resident memory, in MiB.
PEAK_MIB = 1024
#: Seconds the clock moves at a checkpoint: a day past the carrier's receipt timeout, so no text
#: is still waiting for its final receipt (and holding its in-flight state) when RSS is read.
SETTLE = sms_facts.CARRIER_RECEIPT_TIMEOUT_HOURS.value * 3600 + 86_400


def rss_mib() -> float:
    """The process's resident set size now, in MiB (peak size where /proc is missing)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mib() -> float:
    """The process's peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def trimmed() -> str:
    """How often batches ended in a full collector pass and in a trim, and what those cost."""
    passes = f"{collector.trims:,} full passes, {collector.seconds:.2f} s"
    if not trimmer.available:
        return f"{passes}, no malloc_trim in this C library"
    return f"{passes}, {trimmer.trims:,} trims, {trimmer.seconds:.2f} s"


def simlab_rss(checkpoints: list[int]) -> list[tuple[int, float, float]]:
    """Sends up to the last checkpoint; returns (messages, RSS MiB, seconds) at each."""
    found: list[tuple[int, float, float]] = []
    with LocalAWS() as aws:
        aws.sms.provision_short_code()
        aws.sms.leave_sandbox(monthly_spend_limit=10_000_000)
        pinpoint, s3, firehose = aws.client("pinpoint"), aws.client("s3"), aws.client("firehose")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "memory"})[
            "ApplicationResponse"
        ]["Id"]
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
        config = {"SMSMessage": {"Body": "Your order has shipped", "MessageType": "TRANSACTIONAL"}}
        sent, started = 0, time.perf_counter()
        for checkpoint in checkpoints:
            while sent < checkpoint:
                addresses = {
                    f"+1206{(sent + i) % 10_000_000:07d}": {"ChannelType": "SMS"}
                    for i in range(BATCH)
                }
                pinpoint.send_messages(
                    ApplicationId=app_id,
                    MessageRequest={"Addresses": addresses, "MessageConfiguration": config},
                )
                sent += BATCH
                aws.clock.advance(1)
            aws.clock.advance(SETTLE)  # every receipt arrives, every buffer is flushed
            assert len(aws.outbox) == sent
            found.append((sent, rss_mib(), time.perf_counter() - started))
            print(
                f"  simlab: {sent:>9,} sent, RSS {found[-1][1]:8.1f} MiB, "
                f"{found[-1][2]:6.0f} s, {trimmed()}, "
                f"{_held(engine('us-east-1', '123456789012').messages)}",
                flush=True,
            )
    return found


def _held(messages: object) -> str:
    """How many of the engine's message records are held in memory (all, in a plain dict)."""
    held = getattr(messages, "in_memory", None)
    total = len(messages)  # type: ignore[arg-type]
    return f"engine messages in memory {total if held is None else held:,} of {total:,}"


def _moto_rss(checkpoints: list[int]) -> list[tuple[int, float]]:
    """Plain moto's SNS publish loop (no simlab in this interpreter); RSS at each checkpoint."""
    import os

    import boto3
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ[key] = "testing"
    found: list[tuple[int, float]] = []
    with mock_aws():
        sns = boto3.client("sns", region_name="us-east-1")
        sns.set_sms_attributes(attributes={"MonthlySpendLimit": "10000000"})
        sent = 0
        for checkpoint in checkpoints:
            while sent < checkpoint:
                sns.publish(PhoneNumber=f"+1206{sent % 10_000_000:07d}", Message="Shipped")
                sent += 1
            found.append((sent, rss_mib()))
    return found


def fresh_baseline(script: str, checkpoints: list[int]) -> list[tuple[int, float]]:
    """Runs ``script --moto-only`` in a fresh interpreter, where simlab never replaced moto's
    services; returns its (messages, RSS MiB) at each checkpoint."""
    output = subprocess.run(
        [sys.executable, script, "--moto-only", ",".join(map(str, checkpoints))],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    ).stdout
    return [(int(n), float(rss)) for n, rss in json.loads(output)]


def report(
    found: list[tuple[int, float, float]], moto: list[tuple[int, float]], baseline: str
) -> None:
    """Prints simlab's RSS (messages, MiB, seconds) beside the plain-moto ``baseline`` loop's,
    and the verdict against the flat-memory goal."""
    first = found[0][1]
    padded = moto + [(0, float("nan"))] * (len(found) - len(moto))
    for (sent, rss, seconds), (_, moto_mib) in zip(found, padded, strict=True):
        print(
            f"{sent:>9,} messages: simlab {rss:8.1f} MiB ({(rss - first) / first:+6.1%} since "
            f"{found[0][0]:,}; {seconds:6.0f} s)   plain moto {baseline} loop {moto_mib:8.1f} MiB"
        )
    growth = (found[-1][1] - first) / first
    verdict = "met" if growth <= FLAT else "NOT met"
    covered = found[0][0] <= GOAL_FROM and found[-1][0] >= GOAL_TO
    scope = "" if covered else f" over {found[0][0]:,} to {found[-1][0]:,} messages only"
    print(
        f"goal: resident memory within {FLAT:.0%} from {GOAL_FROM:,} to {GOAL_TO:,} messages; "
        f"measured {growth:+.1%}{scope}: {verdict}{'' if covered else ' (for this range)'}"
    )
    peak = peak_mib()
    print(
        f"peak RSS {peak:.1f} MiB after {found[-1][0]:,} messages (the goal for 1,000,000 "
        f"endpoints: <= {PEAK_MIB:,} MiB){'' if peak <= PEAK_MIB else ': NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoints", default="10000,100000,1000000")
    parser.add_argument("--baseline-upto", type=int, default=100_000)
    parser.add_argument("--moto-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.moto_only:
        print(json.dumps(_moto_rss([int(n) for n in args.moto_only.split(",")])))
        return
    checkpoints = sorted(int(n) for n in args.checkpoints.split(","))
    print(f"resident memory, SendMessages ({BATCH} SMS a call, event stream on), one process:")
    found = simlab_rss(checkpoints)
    base = [n for n in checkpoints if n <= args.baseline_upto]
    moto = fresh_baseline(__file__, base) if base else []
    report(found, moto, "publish")


if __name__ == "__main__":
    main()
