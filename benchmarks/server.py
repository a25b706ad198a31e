"""Server throughput: calls per second and latency at 1, 8 and 16 client threads.

Run: ``.venv/bin/python benchmarks/server.py [--calls 1000] [--runs 3] [--threads 1,8,16]``.

Each server runs in its own process on 127.0.0.1 and the client threads (one boto3 client each)
in this one, as a workshop room or a threaded script would call it:

* ``simlab mixed``: ``simlab serve --clock manual`` answering an even mix of sends: SNS Publish
  to a topic fanning out to SQS, SES v2 SendEmail (production access) and SQS SendMessage;
* ``simlab publish`` and ``moto publish``: the same SNS Publish calls (a topic with one SQS
  subscriber) against simlab and against moto's own ``ThreadedMotoServer``, the baseline,
  measured in the same run, alternating, so the ratio holds when the machine's speed drifts.

Prints the median over ``--runs`` of calls/s, p50 and p99 latency, and simlab/moto ratios
against the goals (>= 1,000 calls/s at 16 threads; >= 0.8x plain moto).
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=32)
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SENDER, RECIPIENT = "shop@example.com", "ana@example.com"
MOTO = "from moto.server import ThreadedMotoServer as S; import time, sys; " + (
    "S(port=int(sys.argv[1]), verbose=False).start(); time.sleep(10**6)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(kind: str) -> tuple[subprocess.Popen[bytes], str]:
    """Starts a server process; returns it and its endpoint once it answers."""
    port = free_port()
    if kind == "simlab":
        command = [sys.executable, "-m", "simlab.cli", "serve", "--port", str(port)]
        command += ["--clock", "manual"]
    else:
        command = [sys.executable, "-c", MOTO, str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{kind} server did not start on port {port}")


def client(service: str, url: str):  # noqa: ANN201 - a boto3 client
    return boto3.client(
        service, endpoint_url=url, region_name="us-east-1", config=CONFIG, **CREDENTIALS
    )


def prepare(url: str, simlab: bool) -> None:
    """SES in production with verified addresses (simlab only)."""
    if simlab:
        ses = client("sesv2", url)
        for address in (SENDER, RECIPIENT):
            ses.create_email_identity(EmailIdentity=address)
        body = json.dumps(
            {"production_access": True, "max_send_rate": 1e6, "max_24_hour_send": -1}
        ).encode()
        request = urllib.request.Request(f"{url}/simlab/ses/quota", data=body, method="POST")
        urllib.request.urlopen(request).read()


def fresh_topic(url: str, name: str) -> dict[str, str]:
    """A new topic with a new SQS subscriber, so every measurement starts from empty queues."""
    sns, sqs = client("sns", url), client("sqs", url)
    topic = sns.create_topic(Name=name)["TopicArn"]
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    return {"topic": topic, "queue": queue}


def caller(kind: str, url: str, names: dict[str, str]):  # noqa: ANN201 - a call
    sns, sqs, ses = client("sns", url), client("sqs", url), client("sesv2", url)
    email = {
        "FromEmailAddress": SENDER,
        "Destination": {"ToAddresses": [RECIPIENT]},
        "Content": {"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}},
    }
    calls = [lambda: sns.publish(TopicArn=names["topic"], Message="order shipped")]
    if kind == "mixed":
        calls.append(lambda: ses.send_email(**email))
        calls.append(lambda: sqs.send_message(QueueUrl=names["queue"], MessageBody="order"))
    return calls


def measure(kind: str, url: str, name: str, threads: int, total: int) -> dict:
    """Runs ``total`` calls spread over ``threads`` threads; returns rate and latencies."""
    names = fresh_topic(url, name)
    per_thread = max(1, total // threads)
    callers = [caller(kind, url, names) for _ in range(threads)]
    for calls in callers:  # warm each client's connection
        calls[0]()

    def work(calls: list) -> list[float]:
        took = []
        for i in range(per_thread):
            start = time.perf_counter()
            calls[i % len(calls)]()
            took.append(time.perf_counter() - start)
        return took

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(t for took in pool.map(work, callers) for t in took)
    wall = time.perf_counter() - start
    return {
        "rate": len(latencies) / wall,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls per measurement")
    parser.add_argument("--runs", type=int, default=3, help="measurements per configuration")
    parser.add_argument("--threads", default="1,8,16", help="client thread counts")
    args = parser.parse_args()
    counts = [int(n) for n in args.threads.split(",")]

    simlab, simlab_url = start("simlab")
    moto, moto_url = start("moto")
    try:
        prepare(simlab_url, simlab=True)
        rows = []
        for threads in counts:
            runs: dict[str, list[dict]] = {"simlab mixed": [], "simlab publish": [], "moto": []}
            for run in range(args.runs):
                order = [("simlab publish", simlab_url, "publish"), ("moto", moto_url, "publish")]
                if run % 2:
                    order.reverse()
                order.append(("simlab mixed", simlab_url, "mixed"))
                for label, url, kind in order:
                    name = f"bench-{threads}-{run}-{kind}"
                    runs[label].append(measure(kind, url, name, threads, args.calls))
            medians = {
                label: {k: statistics.median(r[k] for r in results) for k in results[0]}
                for label, results in runs.items()
            }
            ratios = [
                s["rate"] / m["rate"]
                for s, m in zip(runs["simlab publish"], runs["moto"], strict=True)
            ]
            rows.append((threads, medians, statistics.median(ratios)))
    finally:
        for process in (simlab, moto):
            process.kill()
            process.wait()

    print(f"medians of {args.runs} runs of {args.calls} calls each")
    print(f"{'threads':>7}  {'server':<15} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for threads, medians, ratio in rows:
        for label in ("simlab mixed", "simlab publish", "moto"):
            m = medians[label]
            print(f"{threads:>7}  {label:<15} {m['rate']:8.0f} {m['p50']:8.1f} {m['p99']:8.1f}")
        print(f"{'':>7}  simlab/moto publish, pair by pair: {ratio:.2f}x (goal >= 0.8x)")
    last = rows[-1]
    goal = "met" if last[1]["simlab mixed"]["rate"] >= 1000 else "not met"
    print(f"goal >= 1,000 calls/s at {last[0]} threads (simlab mixed): {goal}")


if __name__ == "__main__":
    main()
