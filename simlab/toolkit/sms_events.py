"""SMS event records (End User Messaging v2) turned into counts and a delivery curve.

The records are what a configuration set's event destinations receive (camelCase,
``eventType`` ``TEXT_*``), read back from S3, CloudWatch Logs or SQS. Each message has
non-final records (``TEXT_QUEUED``, ``TEXT_PENDING``) and, once the carrier answers, one final
record (``isFinal``) whose ``messageStatus`` says what became of it. Sends AWS refused (opted
out, throttled) leave no record, so the accounting takes their counts from the sender.
``simlab.plotting.delivery_rate_figure`` draws the curve.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Final statuses that mean the message reached the handset (or its carrier accepted it).
DELIVERED_STATUSES = ("DELIVERED", "SUCCESSFUL")
#: Non-final event types, in the order a message passes through them.
LIFECYCLE = ("TEXT_QUEUED", "TEXT_PENDING")

Record = Mapping[str, Any]


@dataclass(frozen=True)
class DeliveryTally:
    """Every message attempted: sent = delivered + failed + opted-out + throttled + pending."""

    delivered: int = 0
    failed: int = 0
    opted_out: int = 0
    throttled: int = 0
    pending: int = 0

    @property
    def sent(self) -> int:
        return self.delivered + self.failed + self.opted_out + self.throttled + self.pending

    @property
    def delivery_rate(self) -> float:
        """Delivered share of the messages AWS accepted (0 when none were)."""
        accepted = self.delivered + self.failed + self.pending
        return self.delivered / accepted if accepted else 0.0

    def summary(self) -> str:
        return (
            f"sent {self.sent} = delivered {self.delivered} + failed {self.failed} + "
            f"opted-out {self.opted_out} + throttled {self.throttled} + pending {self.pending}"
        )


def _finals(records: Iterable[Record]) -> tuple[dict[str, Record], set[str]]:
    """(final record by message id, every message id seen)."""
    finals: dict[str, Record] = {}
    seen: set[str] = set()
    for record in records:
        message_id = record["messageId"]
        seen.add(message_id)
        if record.get("isFinal"):
            finals[message_id] = record
    return finals, seen


def tally_deliveries(
    records: Iterable[Record], refused: Mapping[str, int] | None = None
) -> DeliveryTally:
    """Counts messages by outcome: the final record of each, plus ``refused`` by kind.

    ``refused`` holds ``opted_out`` and ``throttled`` counts (``Batch.refused``).
    """
    refused = dict(refused or {})
    unknown = set(refused) - {"opted_out", "throttled"}
    if unknown:
        raise ValueError(f"refused keys must be opted_out or throttled; got {sorted(unknown)}")
    finals, seen = _finals(records)
    delivered = sum(1 for r in finals.values() if r["messageStatus"] in DELIVERED_STATUSES)
    return DeliveryTally(
        delivered=delivered,
        failed=len(finals) - delivered,
        opted_out=refused.get("opted_out", 0),
        throttled=refused.get("throttled", 0),
        pending=len(seen) - len(finals),
    )


def event_type_counts(records: Iterable[Record]) -> dict[str, int]:
    """Records per ``eventType``: the lifecycle types first, then the final ones by name."""
    counts = Counter(r["eventType"] for r in records)
    order = [t for t in LIFECYCLE if t in counts] + sorted(set(counts) - set(LIFECYCLE))
    return {t: counts[t] for t in order}


def delivery_report(records: Sequence[Record], refused: Mapping[str, int] | None = None) -> str:
    """Stable text: records per event type, then the accounting of every message."""
    tally = tally_deliveries(records, refused)
    lines = ["records by eventType:"]
    lines += [f"  {kind:<26}{count:>6}" for kind, count in event_type_counts(records).items()]
    lines.append(f"messages: {tally.summary()}")
    lines.append(f"delivery rate (of accepted): {tally.delivery_rate:.1%}")
    return "\n".join(lines)


def side_by_side(sources: Mapping[str, Iterable[Record]]) -> str:
    """A table of records per ``eventType`` (rows) at each destination (columns)."""
    counts = {name: Counter(r["eventType"] for r in records) for name, records in sources.items()}
    kinds = event_type_counts(
        {"eventType": kind} for table in counts.values() for kind in table.elements()
    )
    width = max([len("eventType"), *map(len, kinds)]) + 2
    columns = [max(len(name), 5) + 2 for name in counts]
    header = "eventType".ljust(width) + "".join(
        name.rjust(size) for name, size in zip(counts, columns, strict=True)
    )
    lines = [header]
    for kind in kinds:
        cells = [
            str(table[kind] or "-").rjust(size)
            for table, size in zip(counts.values(), columns, strict=True)
        ]
        lines.append(kind.ljust(width) + "".join(cells))
    return "\n".join(lines)


@dataclass(frozen=True)
class DeliveryCurve:
    """Cumulative outcomes over time, from the first send request.

    ``delivered[i]`` and ``failed[i]`` are the shares of the ``accepted`` messages whose final
    record arrived by ``seconds[i]``.
    """

    seconds: tuple[float, ...]
    delivered: tuple[float, ...]
    failed: tuple[float, ...]
    accepted: int

    @property
    def final_delivery_rate(self) -> float:
        return self.delivered[-1] if self.delivered else 0.0


def delivery_curve(records: Iterable[Record]) -> DeliveryCurve:
    """The cumulative delivered and failed shares at each time a final record arrived."""
    records = list(records)
    finals, seen = _finals(records)
    if not seen:
        return DeliveryCurve((0.0,), (0.0,), (0.0,), 0)
    start = min(r["messageRequestTimestamp"] for r in records)
    times = sorted(
        ((r["eventTimestamp"] - start) / 1000, r["messageStatus"] in DELIVERED_STATUSES)
        for r in finals.values()
    )
    seconds, delivered, failed = [0.0], [0.0], [0.0]
    done_ok = done_bad = 0
    for at, ok in times:
        done_ok, done_bad = done_ok + ok, done_bad + (not ok)
        if at == seconds[-1]:
            delivered[-1], failed[-1] = done_ok / len(seen), done_bad / len(seen)
        else:
            seconds.append(at)
            delivered.append(done_ok / len(seen))
            failed.append(done_bad / len(seen))
    return DeliveryCurve(tuple(seconds), tuple(delivered), tuple(failed), len(seen))
