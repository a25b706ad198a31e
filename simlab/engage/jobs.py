"""Import and export jobs: endpoint files in, endpoint files out, progressing on the clock.

An import reads CSV (a header of dotted field names such as ``ChannelType,Address,
Location.Country,Demographic.Timezone,User.UserId,User.UserAttributes.FirstName,Attributes.X,
Metrics.Y``) or newline-delimited JSON (one ``EndpointBatchItem`` a line). A job moves through
Pinpoint's ``JobStatus`` values CREATED → INITIALIZING → PROCESSING → COMPLETED (or FAILED) as
the simulated clock advances; its work happens when it completes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simlab.engage.clock import Clock
from simlab.engage.faults import BadRequest
from simlab.facts import pinpoint as facts
from simlab.primitives.times import iso_seconds

#: Seconds a job spends in each status before the next.
STEP_SECONDS = {"CREATED": 1.0, "INITIALIZING": 2.0}
#: Endpoints processed per simulated second while PROCESSING.
ENDPOINTS_PER_SECOND = 5_000.0
#: Endpoints per piece (Pinpoint splits a job into roughly equal pieces).
PIECE_SIZE = 1_000
MAX_FAILURES_LISTED = 100
_LIST_FIELDS = ("Attributes", "User.UserAttributes")


@dataclass
class Job:
    """An import or export job as ``ImportJobResponse``/``ExportJobResponse`` describe it."""

    id: str
    kind: str  # IMPORT or EXPORT
    definition: dict[str, Any]
    created: float
    status: str = "CREATED"
    completed: float | None = None
    total_pieces: int = 0
    completed_pieces: int = 0
    failed_pieces: int = 0
    total_processed: int = 0
    total_failures: int = 0
    failures: list[str] = field(default_factory=list)

    def to_json(self, app_id: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ApplicationId": app_id,
            "Id": self.id,
            "Type": self.kind,
            "JobStatus": self.status,
            "CreationDate": iso_seconds(self.created),
            "Definition": dict(self.definition),
            "TotalPieces": self.total_pieces,
            "CompletedPieces": self.completed_pieces,
            "FailedPieces": self.failed_pieces,
            "TotalProcessed": self.total_processed,
            "TotalFailures": self.total_failures,
        }
        if self.failures:
            data["Failures"] = list(self.failures)
        if self.completed is not None:
            data["CompletionDate"] = iso_seconds(self.completed)
        return data

    @property
    def active(self) -> bool:
        return self.status not in ("COMPLETED", "FAILED")


def run(job: Job, clock: Clock, rows: int, work: Callable[[Job], None]) -> None:
    """Moves ``job`` through its statuses on ``clock``; ``work(job)`` runs before COMPLETED."""
    job.total_pieces = max(1, -(-rows // PIECE_SIZE))
    processing = max(1.0, rows / ENDPOINTS_PER_SECOND)

    def initializing() -> None:
        job.status = "INITIALIZING"
        clock.call_later(STEP_SECONDS["INITIALIZING"], processing_step)

    def processing_step() -> None:
        job.status = "PROCESSING"
        clock.call_later(processing, finish)

    def finish() -> None:
        try:
            work(job)
        except BadRequest as error:
            job.status, job.failed_pieces = "FAILED", job.total_pieces
            job.failures.append(error.message)
        else:
            job.failed_pieces = 1 if job.total_failures and not job.total_processed else 0
            job.completed_pieces = job.total_pieces - job.failed_pieces
            job.status = "COMPLETED" if not job.failed_pieces else "FAILED"
        job.completed = clock.timestamp()

    clock.call_later(STEP_SECONDS["CREATED"], initializing)


def parse(
    text: str, file_format: str, new_id: Callable[[], str]
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """Returns ([(endpoint id, EndpointRequest)], [failure messages]) from one file's text."""
    if file_format not in facts.IMPORT_FORMATS.value:
        raise BadRequest(
            f"Format must be one of {', '.join(facts.IMPORT_FORMATS.value)}, got {file_format!r}"
        )
    items = _csv_items(text) if file_format == "CSV" else _json_items(text)
    parsed, failures = [], []
    for line, item in items:
        if isinstance(item, str):
            failures.append(f"line {line}: {item}")
            continue
        endpoint_id = str(item.pop("Id", "") or new_id())
        if not item.get("ChannelType") or not item.get("Address"):
            failures.append(f"line {line}: ChannelType and Address are required")
            continue
        parsed.append((endpoint_id, item))
    return parsed, failures


def _json_items(text: str) -> list[tuple[int, dict[str, Any] | str]]:
    items: list[tuple[int, dict[str, Any] | str]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            items.append((line, f"not JSON: {error.msg}"))
            continue
        items.append((line, value if isinstance(value, dict) else "not a JSON object"))
    return items


def _csv_items(text: str) -> list[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(io.StringIO(text))
    items: list[tuple[int, dict[str, Any] | str]] = []
    for line, row in enumerate(reader, start=2):
        item: dict[str, Any] = {}
        try:
            for column, value in row.items():
                if column is None or value in (None, ""):
                    continue
                _set_path(item, column.strip(), value)
        except (ValueError, TypeError) as error:
            items.append((line, str(error)))
            continue
        items.append((line, item))
    return items


def _set_path(item: dict[str, Any], column: str, value: str) -> None:
    parts = column.split(".")
    target = item
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    leaf = parts[-1]
    parent = ".".join(parts[:-1])
    if parent in _LIST_FIELDS:
        target[leaf] = [value]
    elif parent == "Metrics" or column in ("Location.Latitude", "Location.Longitude"):
        try:
            target[leaf] = float(value)
        except ValueError:
            raise ValueError(f"{column} must be a number, got {value!r}") from None
    else:
        target[leaf] = value


def export_lines(endpoints: list[dict[str, Any]]) -> str:
    """Newline-delimited JSON of endpoints, one ``EndpointResponse`` a line."""
    return "".join(json.dumps(e, separators=(",", ":"), sort_keys=True) + "\n" for e in endpoints)
