"""What keeping memory flat costs per entry: SpillDict beside dict, SpillList beside list.

Each run adds ``--entries`` message-like records (a dataclass with a time, a dict and a list,
as the SMS engine keeps) to a plain ``dict`` / ``list`` and to a ``SpillDict`` / ``SpillList``
holding the default number in memory, reading each back once by key or index while it is new,
then looks up 2,000 spilled keys (``in``) and searches its database for 2,000 keys never added
(what a new key costs on the rare occasion the dict's filter lets it through). A last part
stores texts as the SMS engine does, three entries a text (the message under its id with the
engine's codec, the last id sent between two numbers, the project's last text to a number),
each text finishing 300 texts later. It prints the
median CPU microseconds per entry (per lookup) over ``--runs`` runs, and the ratio to the plain
container measured in the same run. ``--baseline DIR`` runs the same in a copy of another
version (``DIR`` holds its ``simlab``), alternating with the runs here, each in a fresh
interpreter.

Run: ``.venv/bin/python benchmarks/spill.py [--entries 100000] [--runs 3] [--baseline DIR]``
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from alternating import runs_from_arguments

from simlab.engage.sms.core import _finished
from simlab.engage.sms.records import Message, message_from_state, message_state
from simlab.primitives.spill import SpillDict, SpillList, StateCodec

#: Lookups timed in each of the two lookup parts.
LOOKUPS = 2_000


@dataclass
class Record:
    message_id: str
    sent_at: datetime
    status: str = "DELIVERED"
    context: dict[str, str] = field(default_factory=dict)
    trail: list[tuple[str, int, bool]] = field(default_factory=list)


def _record(n: int) -> Record:
    return Record(f"{n:032x}", datetime(2026, 1, 1), context={"n": str(n)}, trail=[("Q", n, False)])


def by_key(make: Callable[[], Any], entries: int) -> tuple[float, Any]:
    """CPU microseconds per entry to add ``entries`` records by key and read each back; the
    mapping."""
    mapping = make()
    started = time.process_time()
    for n in range(entries):
        record = _record(n)
        mapping[record.message_id] = record
        mapping[record.message_id]
    return (time.process_time() - started) / entries * 1e6, mapping


def appended(make: Callable[[], Any], entries: int) -> float:
    """CPU microseconds per entry to append ``entries`` records and read the last one back."""
    sequence = make()
    started = time.process_time()
    for n in range(entries):
        sequence.append(_record(n))
        sequence[-1]
    return (time.process_time() - started) / entries * 1e6


#: Texts a text's final event comes after, in ``texts``.
IN_FLIGHT = 300


def _texts(entries: int) -> list[Message]:
    """Texts in flight, 100 sharing each request time (a SendMessages call's), to 100 numbers."""
    made = []
    for n in range(entries):
        at = datetime.fromtimestamp(1_780_000_000 + n // 100, tz=UTC)
        made.append(
            Message(
                f"{n:08x}-0000-4000-8000-{n:012x}",
                "SMS",
                "+12065550100",
                f"+1206{n:07d}",
                "Your code is 1234",
                "TRANSACTIONAL",
                at,
                price=0.00581,
                status="PENDING",
                trail=[("TEXT_QUEUED", n, False), ("TEXT_PENDING", n, False)],
                on_final=print,
            )
        )
    return made


def texts(entries: int) -> float:
    """CPU microseconds per text to store ``entries`` texts as the SMS engine and a project
    do (three entries a text), each finishing ``IN_FLIGHT`` texts later."""
    made = _texts(entries)
    codec = StateCodec(message_state, message_from_state)  # as the engine makes its own
    messages: SpillDict[str, Message] = SpillDict(spillable=_finished, codec=codec)
    last: SpillDict[str, str] = SpillDict()
    sent: SpillDict[str, tuple[str, str]] = SpillDict()
    started = time.process_time()
    for n, text in enumerate(made):
        messages[text.message_id] = text
        last[f"{text.origin}\n{text.destination}"] = text.message_id
        sent[text.destination] = (text.message_id, f"endpoint-{n}")
        if n >= IN_FLIGHT:
            done = made[n - IN_FLIGHT]
            done.on_final, done.final, done.status = None, True, "DELIVERED"
            done.trail.append(("TEXT_DELIVERED", n, True))
    spent = (time.process_time() - started) / entries * 1e6
    assert len(messages) == len(last) == len(sent) == entries
    return spent


def lookups(mapping: SpillDict[str, Record], entries: int) -> dict[str, float]:
    """CPU microseconds per ``in`` of a spilled key, and per search of the database for a key
    never added (what a new key costs when the filter lets it through)."""
    draw = random.Random(16)
    spilled = [f"{n:032x}" for n in draw.sample(range(entries // 2), LOOKUPS)]
    started = time.process_time()
    assert all(key in mapping for key in spilled)
    hit = (time.process_time() - started) / LOOKUPS * 1e6
    db = mapping._store.connection()
    started = time.process_time()
    for n in range(entries, entries + LOOKUPS):
        with contextlib.suppress(KeyError):  # this version raises it, an older one said None
            assert mapping._find(db, f"{n:032x}") is None
    miss = (time.process_time() - started) / LOOKUPS * 1e6
    return {"hit": hit, "miss": miss}


def measure(entries: int, runs: int) -> dict[str, Any]:
    """Median microseconds per entry (per lookup) of each part over ``runs`` runs."""
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        plain, _ = by_key(dict, entries)
        spilling, mapping = by_key(SpillDict, entries)
        found.setdefault("dict", []).append(plain)
        found.setdefault("SpillDict", []).append(spilling)
        for part, value in lookups(mapping, entries).items():
            found.setdefault(f"lookup {part}", []).append(value)
        mapping.close()
        found.setdefault("list", []).append(appended(list, entries))
        found.setdefault("SpillList", []).append(appended(SpillList, entries))
        found.setdefault("SMS texts", []).append(texts(entries))
    return {part: statistics.median(values) for part, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    found = runs_from_arguments(parser, __file__, measure, "entries")
    if found is None:
        return
    args, runs, baselines = found
    print(f"{args.entries:,} records, median of {args.runs} runs, CPU microseconds:")
    median = {part: statistics.median(r[part] for r in runs) for part in runs[0]}
    before = {part: statistics.median(r[part] for r in baselines) for part in runs[0] if baselines}
    for part, unit, plain in (
        ("SpillDict", "a record", "dict"),
        ("SpillList", "a record", "list"),
        ("lookup hit", "a lookup", None),
        ("lookup miss", "a lookup", None),
        ("SMS texts", "a text", None),
    ):
        line = f"  {part:<11} {median[part]:8.2f} us {unit}"
        if plain:
            line += f" (x{median[part] / median[plain]:.1f} a plain {plain})"
        if baselines:
            line += (
                f"   baseline {before[part]:8.2f} us   ratio {before[part] / median[part]:4.2f}x"
            )
        print(line)


if __name__ == "__main__":
    main()
