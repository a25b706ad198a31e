"""The per-message internals of the send path, in-process, to final outcome; prints medians.

Two loops, each in a fresh interpreter and a fresh local AWS, timed from the first send until
the clock has moved on far enough for every message's final outcome to be recorded:

* ``ses``: the SES backend's ``send_email`` to one recipient (what a Pinpoint email does), SES
  in production, no configuration set;
* ``sms``: Pinpoint's origination choice (``choose_origination``) and the End User Messaging
  engine's ``send_text_message`` from a short code out of the sandbox, to a new number each
  time (what a Pinpoint text does), a hundred a second of simulated time.

Beside them, measured in the same run: plain moto's SES ``send_email`` and SNS ``publish``
loops (``benchmarks/baseline.py``). Each loop prints its median wall time and CPU time (the
steadier figure on a shared machine). ``--against DIR`` also times another checkout's ``simlab``
(e.g. an unpacked ``git archive`` of main) in alternate runs, and prints the speed-up.

Run: ``.venv/bin/python benchmarks/senders.py [--messages 5000] [--runs 5] [--against DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from baseline import measure

SENDER = "news@example.com"
#: Seconds of simulated time that see every message to its final outcome.
SETTLE = 3 * 86_400
BATCH = 100


def _ses(messages: int) -> tuple[float, float]:
    from moto.backends import get_backend

    from simlab.aws import LocalAWS

    with LocalAWS() as aws:
        aws.client("ses").verify_email_identity(EmailAddress=SENDER)
        aws.ses.grant_production_access()
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=1_000_000)
        backend = get_backend("ses")["123456789012"]["us-east-1"]
        started = time.perf_counter(), time.process_time()
        for n in range(messages):
            backend.send_email(SENDER, "Hello", "News", {"ToAddresses": [f"user{n}@example.com"]})
        aws.clock.advance(SETTLE)
        return time.perf_counter() - started[0], time.process_time() - started[1]


def _sms(messages: int) -> tuple[float, float]:
    from simlab.aws import LocalAWS
    from simlab.aws.services.pinpoint.channels import choose_origination

    with LocalAWS() as aws:
        aws.sms.leave_sandbox(monthly_spend_limit=1_000_000)
        aws.sms.provision_short_code("US", "PROMOTIONAL")
        engine = aws.sms.engine
        numbers = [f"+1206{n:07d}" for n in range(messages)]
        started = time.perf_counter(), time.process_time()
        for start in range(0, messages, BATCH):
            chunk = numbers[start : start + BATCH]
            routes = [choose_origination(engine, number) for number in chunk]
            for number, route in zip(chunk, routes, strict=True):
                engine.send_text_message(
                    number, "News of the week", route=route, message_type="PROMOTIONAL"
                )
            aws.clock.advance(1)  # a short code sends 100 parts a second
        aws.clock.advance(SETTLE)
        return time.perf_counter() - started[0], time.process_time() - started[1]


def _worker(kind: str, messages: int) -> None:
    wall, cpu = _ses(messages) if kind == "ses" else _sms(messages)
    print(json.dumps({"wall": wall, "cpu": cpu}))


def _one(kind: str, messages: int, tree: str | None) -> tuple[float, float]:
    """Wall and CPU seconds per message of one run of ``kind`` in a fresh interpreter, from
    ``tree``."""
    env = dict(os.environ)
    if tree:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [tree, env.get("PYTHONPATH")]))
    output = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--messages", str(messages)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1200,
        env=env,
    ).stdout
    times = json.loads(output.splitlines()[-1])
    return float(times["wall"]) / messages, float(times["cpu"]) / messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", help="another checkout's root (its simlab is timed too)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.messages)
        return
    kinds = ["ses", "sms"]
    trees: dict[str, str | None] = {"this": None}
    if args.against:
        trees["against"] = str(Path(args.against).resolve())
    base = measure(min(args.messages, 2000))
    print(
        f"plain moto (same run): SES send_email {base['ses_send_email'] * 1e6:,.0f} µs/msg, "
        f"SNS publish {base['sns_publish'] * 1e6:,.0f} µs/msg"
    )
    for kind in kinds:
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():  # alternate, so both see the same load
                times[name].append(_one(kind, args.messages, tree))
        moto = base["ses_send_email"] if kind == "ses" else base["sns_publish"]
        medians = {
            name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
            for name, runs in times.items()
            if runs
        }
        for name, (wall, cpu) in medians.items():
            print(
                f"{kind:9} {name:8} median {wall * 1e6:7,.1f} µs/msg wall "
                f"({1 / wall:7,.0f} msg/s), {cpu * 1e6:7,.1f} µs/msg CPU, "
                f"over {len(times[name])} runs of {args.messages:,}; "
                f"{moto / wall:5.2f}x plain moto's per-message speed"
            )
        if "against" in medians and "this" in medians:
            (wall, cpu), (other_wall, other_cpu) = medians["this"], medians["against"]
            print(
                f"{kind:9} speed-up of this tree over the other: {other_wall / wall:.2f}x wall, "
                f"{other_cpu / cpu:.2f}x CPU"
            )


if __name__ == "__main__":
    main()
