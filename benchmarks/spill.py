"""What keeping memory flat costs per entry: SpillDict beside dict, SpillList beside list.

Each run adds ``--entries`` message-like records (a dataclass with a time, a dict and a list,
as the SMS engine keeps) to a plain ``dict`` / ``list`` and to a ``SpillDict`` / ``SpillList``
holding the default 10,000 in memory, reading each back once by key or index while it is
new; it prints the median microseconds per entry over ``--runs`` runs and the ratio to the
plain container measured in the same run.

Run: ``.venv/bin/python benchmarks/spill.py [--entries 100000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simlab.primitives.spill import SpillDict, SpillList


@dataclass
class Record:
    message_id: str
    sent_at: datetime
    status: str = "DELIVERED"
    context: dict[str, str] = field(default_factory=dict)
    trail: list[tuple[str, int, bool]] = field(default_factory=list)


def _record(n: int) -> Record:
    return Record(f"{n:032x}", datetime(2026, 1, 1), context={"n": str(n)}, trail=[("Q", n, False)])


def by_key(make: Callable[[], Any], entries: int) -> float:
    """Microseconds per entry to add ``entries`` records by key and read each back."""
    mapping = make()
    started = time.perf_counter()
    for n in range(entries):
        record = _record(n)
        mapping[record.message_id] = record
        mapping[record.message_id]
    return (time.perf_counter() - started) / entries * 1e6


def appended(make: Callable[[], Any], entries: int) -> float:
    """Microseconds per entry to append ``entries`` records and read the last one back."""
    sequence = make()
    started = time.perf_counter()
    for n in range(entries):
        sequence.append(_record(n))
        sequence[-1]
    return (time.perf_counter() - started) / entries * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pairs = (
        ("dict", by_key, dict, SpillDict),
        ("list", appended, list, SpillList),
    )
    print(f"{args.entries:,} records, median of {args.runs} runs, microseconds per record:")
    for name, measure, plain, spilling in pairs:
        plain_us = statistics.median(measure(plain, args.entries) for _ in range(args.runs))
        spill_us = statistics.median(measure(spilling, args.entries) for _ in range(args.runs))
        print(
            f"  {name:<5} {plain_us:7.2f} us   Spill{name.capitalize():<5} {spill_us:7.2f} us   "
            f"(x{spill_us / plain_us:.1f}; +{spill_us - plain_us:.2f} us a record)"
        )


if __name__ == "__main__":
    main()
