"""Reading back what AWS wrote (S3 objects, SQS messages, log events, send results, templates).

Small helpers for notebooks: each takes an injected boto3 client, so the same code reads the
local AWS or real AWS, whichever the client was opened for.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simlab.engage.templates import CONTENT_MEMBERS, TemplateVersion, check_type
from simlab.primitives.times import parse_instant


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


@dataclass(frozen=True)
class Delivery:
    """One recipient's answer in a SendMessages or SendUsersMessages response."""

    recipient: str  # the address, the endpoint id, or "user/endpoint" for SendUsersMessages
    kind: str  # address, endpoint or user
    status: str  # DeliveryStatus
    code: int  # StatusCode
    message: str  # StatusMessage
    message_id: str | None = None


def deliveries(response: Mapping[str, Any]) -> list[Delivery]:
    """Flattens a SendMessages or SendUsersMessages response, one row per recipient.

    Takes the whole response or its ``MessageResponse``/``SendUsersMessageResponse``; rows come
    addresses first, then endpoints, each in the response's order.
    """
    inner = response.get("MessageResponse") or response.get("SendUsersMessageResponse") or response
    rows: list[Delivery] = []
    for address, result in (inner.get("Result") or {}).items():
        if "DeliveryStatus" not in result:  # SendUsersMessages: user -> endpoint -> result
            for endpoint_id, answer in result.items():
                rows.append(_delivery(f"{address}/{endpoint_id}", "user", answer))
        else:
            rows.append(_delivery(address, "address", result))
    for endpoint_id, result in (inner.get("EndpointResult") or {}).items():
        rows.append(_delivery(endpoint_id, "endpoint", result))
    return rows


def _delivery(recipient: str, kind: str, result: Mapping[str, Any]) -> Delivery:
    return Delivery(
        recipient,
        kind,
        str(result["DeliveryStatus"]),
        int(result.get("StatusCode", 0)),
        str(result.get("StatusMessage", "")),
        result.get("MessageId"),
    )


def delivery_table(response: Mapping[str, Any], *, width: int = 60) -> str:
    """A stable text table of each recipient's DeliveryStatus, StatusCode and StatusMessage."""
    rows = deliveries(response)
    size = max([len("recipient"), *(len(r.recipient) for r in rows)])
    lines = [f"{'recipient':<{size}}  {'kind':<8}  {'DeliveryStatus':<17}  code  StatusMessage"]
    for row in rows:
        text = row.message if len(row.message) <= width else row.message[: width - 3] + "..."
        lines.append(
            f"{row.recipient:<{size}}  {row.kind:<8}  {row.status:<17}  {row.code:>4}  {text}"
        )
    return "\n".join(lines)


#: The Get<Type>Template operation and its response member, by template type.
_TEMPLATE_GETTERS: dict[str, tuple[str, str]] = {
    "EMAIL": ("get_email_template", "EmailTemplateResponse"),
    "SMS": ("get_sms_template", "SMSTemplateResponse"),
    "VOICE": ("get_voice_template", "VoiceTemplateResponse"),
    "PUSH": ("get_push_template", "PushNotificationTemplateResponse"),
    "INAPP": ("get_in_app_template", "InAppTemplateResponse"),
}


def template_version(
    pinpoint: Any, name: str, template_type: str, version: int | str | None = None
) -> TemplateVersion:
    """Reads a Pinpoint message template (the active version unless ``version``) with boto3."""
    kind = check_type(template_type)
    operation, member = _TEMPLATE_GETTERS[kind]
    request: dict[str, Any] = {"TemplateName": name}
    if version is not None:
        request["Version"] = str(version)
    found = getattr(pinpoint, operation)(**request)[member]
    content = {k: found[k] for k in CONTENT_MEMBERS[kind] if found.get(k) not in (None, "")}
    return TemplateVersion(
        name=found.get("TemplateName", name),
        type=kind,
        version=int(found.get("Version") or 0),
        content=content,
        created=_instant(found.get("CreationDate")),
        modified=_instant(found.get("LastModifiedDate")),
    )


def _instant(text: Any) -> datetime:
    if isinstance(text, datetime):
        return text
    return parse_instant(str(text))
