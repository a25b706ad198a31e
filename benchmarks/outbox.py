"""What every message writes, per message: its outbox entry and its SMS engine's dict entries.

A campaign message leaves an outbox entry (added for the API the learner called, its status
changed once the carrier's outcome arrives, written to SQLite with a batch) and, for a text,
entries in the SMS engine's spilling dicts (the message, the last message between two
numbers, the last message Pinpoint sent a number). This times ``--messages`` of each:

* ``outbox``: ``Outbox.add_row`` of an SMS entry with a campaign's detail, its ``set_status``
  a few thousand messages later (as a final outcome arrives), the writes included;
* ``spill``: a ``SpillDict`` entry keyed by message id holding a tuple (pickled), and one
  holding a string (written by a codec), both spilling as they do in a campaign.

It prints the median CPU microseconds per message over ``--runs`` runs (CPU time: other
processes on a shared machine move it far less than wall time) and a digest of the outbox's
rows, the same for the same workload in any version. ``--baseline DIR`` runs the same
workload in a second process with ``DIR`` (an unpacked copy of another version) first on
``PYTHONPATH``, one run there before each run here, and prints the ratio of the medians.

Run: ``.venv/bin/python benchmarks/outbox.py [--messages 100000] [--runs 3] [--baseline DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from alternating import runs_from_arguments

from simlab.engage.outbox import Outbox
from simlab.engage.outbox_messages import OutboxMessage
from simlab.primitives.spill import SpillDict

#: Messages between a message's entry and its final status (outcomes arrive later).
LAG = 3_000
_CONTEXT = {
    "campaign_id": "0202861c628348698fa7ee0538974df5",
    "campaign_activity_id": "98a33736fd1a47ce9ad0a6f226bdd974",
    "treatment_id": "0",
}
_SENT_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
#: What ``str.encode`` / ``bytes.decode`` write: a codec as the SMS engine gives one.
_TEXT = (str.encode, bytes.decode)


def _message_ids(messages: int) -> list[str]:
    return [f"{n:08x}-7fa7-4d8a-bf88-{n * 7919 % 16**12:012x}" for n in range(messages)]


def outbox_run(ids: list[str]) -> tuple[float, str]:
    """CPU seconds to add, update and write an entry per id; and a digest of the rows."""
    outbox = Outbox()
    # how a sender of many writes an entry and its final status (an older version without
    # ``add_row``: ``add`` of a message, and ``update_status``)
    rows = hasattr(outbox, "add_row")
    set_status = outbox.set_status if rows else outbox.update_status
    started = time.process_time()
    for n, message_id in enumerate(ids):
        detail = {
            "accepted": True,
            "parts": 1,
            "encoding": "GSM",
            "price": 0.00645,
            "message_type": "PROMOTIONAL",
            "configuration_set": None,
            "context": _CONTEXT,
            "app_id": "71545a137a1d40068d723104f77383c1",
            "endpoint_id": f"s{n}",
            "channel_type": "SMS",
            "carrier": "sms-voice",
        }
        destination = f"+1206{n:07d}"
        if rows:
            outbox.add_row(
                "SMS", "pinpoint", "78910", destination, "News", message_id, _SENT_AT, "PENDING",
                "", detail,
            )  # fmt: skip
        else:
            message = OutboxMessage(
                "SMS", "pinpoint", "78910", destination, "News", message_id, _SENT_AT, "PENDING",
                "", detail,
            )  # fmt: skip
            outbox.add(message)
        if n >= LAG:
            set_status(ids[n - LAG], "DELIVERED", event_type="TEXT_DELIVERED")
    outbox.flush()
    seconds = time.process_time() - started
    digest = hashlib.sha256()
    for row in outbox.sql("SELECT * FROM messages ORDER BY id"):
        digest.update(repr(tuple(row.values())).encode())
    outbox.close()
    return seconds, digest.hexdigest()


def spill_run(ids: list[str]) -> float:
    """CPU seconds to give each id an entry in two spilling dicts, as a text does."""
    last: SpillDict[str, tuple[str, str]] = SpillDict()
    texts: SpillDict[str, str] = SpillDict(codec=_TEXT)
    started = time.process_time()
    for n, message_id in enumerate(ids):
        last[message_id] = (message_id, f"s{n}")
        texts[message_id] = message_id
    seconds = time.process_time() - started
    last.close()
    texts.close()
    return seconds


def measure(messages: int, runs: int) -> dict[str, Any]:
    """Median microseconds per message of each part over ``runs`` runs, and the digests."""
    ids = _message_ids(messages)
    outbox = [outbox_run(ids) for _ in range(runs)]
    spill = [spill_run(ids) for _ in range(runs)]
    return {
        "us_per_message": {
            "outbox": statistics.median(s for s, _ in outbox) / messages * 1e6,
            "spill": statistics.median(spill) / messages * 1e6,
        },
        "digests": sorted({d for _, d in outbox}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    found = runs_from_arguments(parser, __file__, measure, "messages")
    if found is None:
        return
    args, runs, baselines = found
    print(f"{args.messages:,} messages, median of {args.runs} runs")
    for part in ("outbox", "spill"):
        value = statistics.median(r["us_per_message"][part] for r in runs)
        line = f"  {part:<7} {value:7.2f} us CPU per message"
        if baselines:
            before = statistics.median(r["us_per_message"][part] for r in baselines)
            line += f"   baseline {before:7.2f} us   ratio {before / value:4.2f}x faster"
        print(line)
    digests = sorted({d for r in runs for d in r["digests"]})
    print(f"  outbox digest {', '.join(digests)}")
    if baselines:
        before = sorted({d for r in baselines for d in r["digests"]})
        print(
            f"  baseline digest {', '.join(before)} ({'same' if before == digests else 'DIFFERS'})"
        )


if __name__ == "__main__":
    main()
