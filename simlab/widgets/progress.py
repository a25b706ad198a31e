"""Progress for long notebook cells: a one-line text bar that redraws in place.

``for batch in progress(batches, total, "loading endpoints"): ...`` prints
``loading endpoints [##########....................]  35% (350 of 1,000)`` and redraws it with
a carriage return at most ten times a second (and only when the percentage moves), ending on
the full bar and a newline. Plain text
on stdout: it shows in JupyterLab, Voilà and a terminal alike, and a saved notebook keeps only
the final line (which is the same on every run).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sized
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 30


def bar(label: str, done: int, total: int) -> str:
    """One state of the bar: ``label [###...]  35% (350 of 1,000)``."""
    fraction = done / total if total else 1.0
    filled = int(fraction * WIDTH)
    return (
        f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {fraction:4.0%} ({done:,} of {total:,})"
    )


def progress(
    items: Iterable[T],
    total: int | None = None,
    label: str = "working",
    *,
    stream: TextIO | None = None,
    every_s: float = 0.1,
) -> Iterator[T]:
    """Yields ``items`` while a text bar counts them; ``total`` defaults to ``len(items)``.

    Raises `TypeError` when ``total`` is missing and ``items`` has no length.
    """
    if total is None:
        if not isinstance(items, Sized):
            raise TypeError("progress needs total= for items without a length (a generator)")
        total = len(items)
    out = stream or sys.stdout
    done, shown_at, shown_percent = 0, 0.0, 0
    out.write(bar(label, 0, total))
    out.flush()
    for item in items:
        yield item
        done += 1
        now, percent = time.monotonic(), done * 100 // max(total, 1)
        if now - shown_at >= every_s and percent != shown_percent:
            out.write("\r" + bar(label, done, total))
            out.flush()
            shown_at, shown_percent = now, percent
    out.write("\r" + bar(label, done, max(total, done)) + "\n")
    out.flush()
