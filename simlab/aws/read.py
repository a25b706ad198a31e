"""Reading back what the local AWS wrote, with the boto3 client you pass in.

Small helpers for notebooks: each takes an injected boto3 client, so the same code reads real
AWS when the learner asks for it by name.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any


def s3_json_records(s3: Any, bucket: str, prefix: str = "") -> list[dict[str, Any]]:
    """Returns every newline-delimited JSON record under ``prefix``, objects in key order."""
    records: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in sorted(page.get("Contents", []), key=lambda o: o["Key"]):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
            records.extend(json.loads(line) for line in body.splitlines() if line.strip())
    return records


def s3_object_count(s3: Any, bucket: str, prefix: str = "") -> int:
    """Counts the objects under ``prefix``."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sum(page.get("KeyCount", 0) for page in pages)


def queue_messages(sqs: Any, queue_url: str, *, limit: int = 100) -> list[dict[str, Any]]:
    """Receives and deletes up to ``limit`` messages; returns their bodies parsed as JSON."""
    bodies: list[dict[str, Any]] = []
    while len(bodies) < limit:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            break
        for message in batch:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies[:limit]


def log_messages(logs: Any, group: str) -> list[dict[str, Any]]:
    """Returns every JSON message in every stream of a log group, oldest first."""
    events = []
    for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group):
        events.extend(page.get("events", []))
    events.sort(key=lambda e: (e["timestamp"], e.get("eventId", "")))
    return [json.loads(e["message"]) for e in events]


def tally(records: Iterable[dict[str, Any]], key: str) -> dict[str, int]:
    """Counts records by the value at ``key`` (dotted for nested keys), sorted by name."""
    counts: Counter[str] = Counter()
    for record in records:
        value: Any = record
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        counts[str(value)] += 1
    return dict(sorted(counts.items()))
