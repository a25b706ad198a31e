"""SMS sends: prints the median time per message through the engine and through boto3.

Run: ``.venv/bin/python benchmarks/sms_voice.py [--messages 2000] [--api-messages 200] [--runs 5]``

The engine figure is a send plus its events and carrier outcome on the simulated clock; the API
figure adds a boto3 SendTextMessage call to the in-process local AWS (moto's stubbed HTTP).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import statistics
import time

import numpy as np

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox
from simlab.engage.sms import SmsVoiceEngine


def engine_run(messages: int) -> float:
    """Seconds per message for ``messages`` sends from a short code, events to a list."""
    counter = itertools.count()
    records: list[dict] = []

    streams: dict[str, np.random.Generator] = {}

    def rng(name: str) -> np.random.Generator:
        if name not in streams:
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8])
            streams[name] = np.random.default_rng(key)
        return streams[name]

    engine = SmsVoiceEngine(
        clock=Clock(),
        outbox=Outbox(),
        rng=rng,
        new_id=lambda: f"id-{next(counter)}",
        deliver=lambda arn, record: records.append(record),
    )
    engine.leave_sandbox(monthly_spend_limit=1_000_000)
    code = engine.provision_short_code("US")
    engine.create_configuration_set("bench")
    engine.create_event_destination(
        "bench", "all", ["ALL"], sns_topic={"TopicArn": "arn:aws:sns:us-east-1:1:t"}
    )
    start = time.perf_counter()
    for i in range(messages):
        engine.send_text_message(
            f"+1206555{i % 10_000:04d}",
            "Your code is 123456",
            origination_identity=code.number,
            configuration_set="bench",
        )
        engine.clock.advance(0.01)
    engine.clock.advance(72 * 3600)
    elapsed = time.perf_counter() - start
    assert engine.counts("SMS")["delivered"] + engine.counts("SMS")["failed"] == messages
    return elapsed / messages


def api_run(messages: int) -> float:
    """Seconds per SendTextMessage through boto3 against the in-process local AWS."""
    from simlab.aws import LocalAWS

    with LocalAWS() as aws:
        aws.sms.leave_sandbox(monthly_spend_limit=1_000_000)
        code = aws.sms.provision_short_code("US")
        client = aws.client("pinpoint-sms-voice-v2")
        start = time.perf_counter()
        for i in range(messages):
            client.send_text_message(
                DestinationPhoneNumber=f"+1206555{i % 10_000:04d}",
                OriginationIdentity=code.number,
                MessageBody="Your code is 123456",
            )
            aws.clock.advance(0.01)
        return (time.perf_counter() - start) / messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--api-messages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engine = statistics.median(engine_run(args.messages) for _ in range(args.runs))
    api = statistics.median(api_run(args.api_messages) for _ in range(args.runs))
    print(f"engine send + events + outcome: median {engine * 1e6:8.1f} us/message")
    print(f"boto3 SendTextMessage (in-process): median {api * 1e3:8.2f} ms/message")


if __name__ == "__main__":
    main()
