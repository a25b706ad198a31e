"""A workshop room under load: thirty attendees each send 100 texts and poll their outbox.

Run: ``.venv/bin/python benchmarks/room.py [--attendees 30] [--messages 100] [--runs 1]``.

``simlab serve --room N`` runs in its own process on 127.0.0.1; each attendee is a thread in this
one with their own keys, sending SNS Publish (an SMS) calls and, every tenth send, reading their
outbox through ``GET /simlab/outbox``. The baseline, in the same run, is ``simlab serve`` without
a room, the same threads all in the default account (one shared outbox).

Prints, per server, the p50 and p99 latency of sends and of outbox polls (after each thread's
first call, whose slowest is shown apart: connections opening while the server warms), calls/s,
the server's
resident memory after start-up and its peak under load, and that every message was accounted
for (each attendee's outbox holds exactly their own); then the room/baseline ratios.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import psutil
from botocore.config import Config

CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, max_pool_connections=4)
POLL_EVERY = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(room: int | None, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Starts ``simlab serve`` (with ``--room`` when given); returns it once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "simlab.cli", "serve", "--port", str(port)]
    if room:
        command += ["--room", str(room), "--room-dir", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wanted = 6 if room else 3  # the lines serve prints once it is listening (and wrote the room)
    for _ in range(wanted):
        process.stdout.readline()  # type: ignore[union-attr]
    return process, url


def poll(url: str, key: str | None, after: int) -> tuple[float, list[dict[str, object]], int]:
    """One outbox page of SMS after ``after``: seconds taken, messages, where the next starts."""
    request = urllib.request.Request(f"{url}/simlab/outbox?channel=SMS&after={after}")
    if key:
        request.add_header("X-Simlab-Access-Key", key)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as answer:
        page = json.load(answer)
    took = time.perf_counter() - started
    return took, page["messages"], int(page.get("next", after + len(page["messages"])))


def everything(url: str, key: str | None) -> list[dict[str, object]]:
    """Every SMS in the caller's outbox, page by page."""
    messages: list[dict[str, object]] = []
    after = 0
    while True:
        _, page, after = poll(url, key, after)
        messages += page
        if not page:
            return messages


def attendee(url: str, key: str, secret: str, number: int, messages: int, room: bool) -> dict:
    """One attendee's session: sends, and polls the outbox for what is new; returns latencies."""
    sns = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
    ).client("sns", endpoint_url=url, config=CONFIG)
    started = time.perf_counter()
    sns.list_topics()  # the first call of a thread opens its connection and wakes the server
    first = time.perf_counter() - started
    sends, polls, after = [], [], 0
    for index in range(messages):
        started = time.perf_counter()
        sns.publish(PhoneNumber=f"+1206555{number:04d}", Message=f"{tag(number)} message {index}")
        sends.append(time.perf_counter() - started)
        if (index + 1) % POLL_EVERY == 0:
            took, _, after = poll(url, key if room else None, after)
            polls.append(took)
    return {"sends": sends, "polls": polls, "first": first}


def tag(number: int) -> str:
    return f"attendee {number:02d}"


def account_for(
    url: str, keys: list[tuple[str, str]] | None, attendees: int, messages: int
) -> bool:
    """True when every attendee's messages are all there, and (in a room) only theirs."""
    if keys is None:
        bodies = [str(m["body"]) for m in everything(url, None)]
        return (
            all(
                sum(b.startswith(f"{tag(i)} message ") for b in bodies) == messages
                for i in range(attendees)
            )
            and len(bodies) == attendees * messages
        )
    for number, (key, _) in enumerate(keys):
        bodies = [str(m["body"]) for m in everything(url, key)]
        if len(bodies) != messages or not all(
            b.startswith(f"{tag(number)} message ") for b in bodies
        ):
            return False
    return True


def measure(room: int | None, attendees: int, messages: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        process, url = start(room, Path(folder))
        try:
            server = psutil.Process(process.pid)
            idle = server.memory_info().rss
            peak = [idle]
            done = threading.Event()

            def sample() -> None:
                while not done.wait(0.1):
                    peak[0] = max(peak[0], server.memory_info().rss)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            if room:
                data = json.loads((Path(folder) / "room.json").read_text())["attendees"]
                keys = [(a["access_key_id"], a["secret_access_key"]) for a in data]
            else:
                keys = [("testing", "testing")] * attendees
            started = time.perf_counter()
            with ThreadPoolExecutor(attendees) as pool:
                results = list(
                    pool.map(
                        lambda i: attendee(url, *keys[i], i, messages, bool(room)),
                        range(attendees),
                    )
                )
            elapsed = time.perf_counter() - started
            done.set()
            sampler.join()
            accounted = account_for(url, keys if room else None, attendees, messages)
        finally:
            process.terminate()
            process.wait(timeout=30)
    sends = sorted(s for r in results for s in r["sends"])
    polls = sorted(p for r in results for p in r["polls"])
    return {
        "send_p50_ms": 1000 * statistics.median(sends),
        "send_p99_ms": 1000 * sends[int(0.99 * (len(sends) - 1))],
        "poll_p50_ms": 1000 * statistics.median(polls),
        "poll_p99_ms": 1000 * polls[int(0.99 * (len(polls) - 1))],
        "first_max_ms": 1000 * max(r["first"] for r in results),
        "calls_per_s": (len(sends) + len(polls)) / elapsed,
        "rss_idle_mb": idle / 2**20,
        "rss_peak_mb": peak[0] / 2**20,
        "accounted": float(accounted),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attendees", type=int, default=30)
    parser.add_argument("--messages", type=int, default=100, help="texts per attendee")
    parser.add_argument("--runs", type=int, default=1, help="measurements per server (median)")
    args = parser.parse_args()
    rows: dict[str, list[dict[str, float]]] = {"room": [], "baseline": []}
    for _ in range(args.runs):  # alternating, so the ratio holds when the machine's speed drifts
        rows["room"].append(measure(args.attendees, args.attendees, args.messages))
        rows["baseline"].append(measure(None, args.attendees, args.messages))
    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in rows.items()
    }
    total = args.attendees * args.messages
    print(f"{args.attendees} attendees x {args.messages} texts ({total} sends), "
          f"an outbox poll every {POLL_EVERY}; median of {args.runs} run(s)")  # fmt: skip
    head = f"{'server':<10}{'send p50':>10}{'send p99':>10}{'poll p50':>10}{'poll p99':>10}"
    print(head + f"{'1st call':>10}{'calls/s':>9}{'RSS idle':>10}{'RSS peak':>10}  accounted")
    for name, m in medians.items():
        print(
            f"{name:<10}{m['send_p50_ms']:>8.1f}ms{m['send_p99_ms']:>8.1f}ms"
            f"{m['poll_p50_ms']:>8.1f}ms{m['poll_p99_ms']:>8.1f}ms{m['first_max_ms']:>8.0f}ms"
            f"{m['calls_per_s']:>9.0f}"
            f"{m['rss_idle_mb']:>8.0f}MB{m['rss_peak_mb']:>8.0f}MB  "
            f"{'all' if m['accounted'] == 1 else 'NOT ALL'}"
        )
    room, base = medians["room"], medians["baseline"]
    print(
        f"room/baseline: send p99 {room['send_p99_ms'] / base['send_p99_ms']:.2f}x, "
        f"poll p99 {room['poll_p99_ms'] / base['poll_p99_ms']:.2f}x, "
        f"calls/s {room['calls_per_s'] / base['calls_per_s']:.2f}x, "
        f"peak RSS {room['rss_peak_mb'] / base['rss_peak_mb']:.2f}x"
    )


if __name__ == "__main__":
    main()
