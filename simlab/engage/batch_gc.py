"""Cheap garbage collection while a batch of messages is sent, and freed memory handed back.

A send allocates many short-lived objects, so the collector runs often during a batch; each of
its full passes walks every container object of the process, and a local AWS holds hundreds of
thousands of them that never change (botocore's service models, a campaign's resolved
audience). ``older_objects_frozen`` moves the objects that exist when a batch starts out of the
collector's reach for the batch (``gc.freeze``) and back afterwards (``gc.unfreeze``), both
constant-time, so the passes inside the batch walk only what the batch made. Nothing is lost:
garbage among the older objects waits for a full pass after the batch.

Garbage must not reach the oldest generation where that can be helped: unfreezing puts every
frozen object there, only a full pass looks at it, and a full pass walks every object of the
process (a few tenths of a second with botocore's models loaded), so it runs rarely; the
interpreter's own full passes run inside later batches, where such garbage is frozen again.
Before the outermost batch freezes, a young pass drops what died since the last batch (a
client's response parser, which refers to itself); before it unfreezes, a pass of the two
younger generations drops what died inside it (a request's parsers and headers, when the
request is served inside the batch, as every in-process request is): the older objects are
frozen and, with the youngest generation grown (below), little of what the batch made has
reached the oldest one (a full pass there would also empty the interpreter's free lists, and
took three times as long). What is left is older objects that died during a batch: for them
``collector`` runs a full pass of the process (``gc.collect()``) when the outermost batch ends,
rate-limited like the trim below (``COLLECT_GAP``, ``COLLECT_SHARE``), and the trim follows it.

Inside a batch, and while a clock runs what fell due, the collector's youngest generation may
also grow to ``YOUNG_THRESHOLD`` objects before a pass (``fewer_young_passes``; the interpreter
starts a pass every 700 by default): a send's objects mostly die young by reference counting,
so a pass finds little, and one pass in ten or so does the same work.

When the outermost batch ends, the memory it freed is offered back to the operating system.
The C allocator keeps what a program frees for its next requests, and glibc's keeps free pages
in the middle of its heaps for good: a long run of sends then grows its resident memory even
though the live data stays the same size. Where glibc is the C library, ``malloc_trim(0)``
returns those pages; it walks every free chunk, so it runs at most once per ``TRIM_GAP``
seconds and never takes more than ``TRIM_SHARE`` of the time since the previous one.
Elsewhere (macOS, Windows, musl) trimming does nothing. glibc also raises its threshold for
serving a block from a mapping of its own each time such a block is freed (up to 32 MiB), after
which large short-lived buffers (a Firehose batch, an S3 object) come from the heap and leave
holes there; the first batch fixes the threshold at glibc's default, ``MMAP_THRESHOLD``, which
turns that adjustment off (``mallopt(3)``).
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: The shortest time between two trims, in seconds.
TRIM_GAP = 0.5
#: The largest fraction of the time between two trims that the earlier trim may have taken.
TRIM_SHARE = 0.02
#: The shortest time between two full collector passes after batches, in seconds ...
COLLECT_GAP = 30.0
#: ... and the largest fraction of the time between two that the earlier pass may have taken.
COLLECT_SHARE = 0.01
#: Blocks of this many bytes and more get a mapping of their own, returned whole when freed.
MMAP_THRESHOLD = 128 * 1024
#: ``mallopt``'s parameter number for that threshold in glibc's ``malloc.h``.
_M_MMAP_THRESHOLD = -3

#: How many container objects the youngest generation may gain before a pass, in a batch.
YOUNG_THRESHOLD = 10_000

_lock = threading.Lock()
_depth = 0
_young_depth = 0
#: The thresholds before the outermost ``fewer_young_passes`` block changed them.
_saved_thresholds: tuple[int, ...] | None = None
_pinned: bool | None = None  # whether the mapping threshold is fixed (None: not tried yet)


def _glibc(name: str, *argtypes: Any) -> Any:
    """The C library's function ``name`` taking ``argtypes`` and returning an int, or None
    off Linux or where the C library has no such function."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return function


def _glibc_trim() -> Callable[[], int] | None:
    """glibc's ``malloc_trim(0)`` as a function, or None where the C library has none."""
    function = _glibc("malloc_trim", ctypes.c_size_t)
    return None if function is None else lambda: int(function(0))


def _pin_mmap_threshold() -> bool:
    """Fixes glibc's mapping threshold at ``MMAP_THRESHOLD``; returns whether it could."""
    mallopt = _glibc("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


class Trimmer:
    """Runs a costly clean-up, rate-limited: the C library's trim, or a full collector pass.

    ``trim`` is the clean-up (None: nothing to do); ``clock`` reads seconds.
    """

    def __init__(
        self,
        trim: Callable[[], int] | None,
        *,
        gap: float = TRIM_GAP,
        share: float = TRIM_SHARE,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._trim, self._clock = trim, clock
        self.gap, self.share = gap, share
        self._due = clock() + gap
        self.trims = 0
        self.seconds = 0.0  # spent trimming, in total

    @property
    def available(self) -> bool:
        """Whether this process's C library can trim."""
        return self._trim is not None

    def maybe(self) -> bool:
        """Trims if the last trim was long enough ago; returns whether it trimmed."""
        if self._trim is None:
            return False
        started = self._clock()
        if started < self._due:
            return False
        self._trim()
        took = self._clock() - started
        self.trims += 1
        self.seconds += took
        self._due = started + max(self.gap, took / self.share)
        return True


def _collect_all() -> int:
    """One full pass of the garbage collector; returns how many objects it found unreachable."""
    return gc.collect()


#: The process's full collector pass, then its trimmer, run when the outermost batch ends.
collector = Trimmer(_collect_all, gap=COLLECT_GAP, share=COLLECT_SHARE)
trimmer = Trimmer(_glibc_trim())


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    """Keeps the objects older than the block out of the collector's passes inside it.

    Blocks nest and may overlap across threads: the outermost one freezes and the last to
    leave unfreezes, collects what died meanwhile (``collector``) and offers freed memory back
    to the system (``trimmer``). A batch that starts while a clock runs what fell due (a
    campaign's chunk, inside ``fewer_young_passes``) skips the two young passes: a run's
    garbage is almost never cyclic, and what little is waits for ``collector``.
    """
    global _depth, _pinned
    if _pinned is None:
        _pinned = _pin_mmap_threshold()
    passes = not _young_depth  # read without the lock: a pass more or less is harmless
    if not _depth and passes:  # outside the lock, as every pass: a finalizer may start a batch
        gc.collect(1)
    with _lock:
        _depth += 1
        if _depth == 1:
            gc.freeze()
    try:
        with fewer_young_passes():
            yield
    finally:
        with _lock:
            _depth -= 1
            last = _depth == 0
        if last:
            if passes:
                gc.collect(1)  # the older objects are frozen: this walks what the batch made
            with _lock:
                if not _depth:
                    gc.unfreeze()
            collector.maybe()
            trimmer.maybe()


@contextmanager
def fewer_young_passes() -> Iterator[None]:
    """Raises the youngest generation's threshold to ``YOUNG_THRESHOLD`` inside the block.

    Blocks nest and may overlap across threads: the outermost one raises it and the last to
    leave puts back what was there, unless someone changed it meanwhile (then it stays). A
    collector switched off with a threshold of 0, or one set higher already, is left alone.
    """
    global _young_depth, _saved_thresholds
    with _lock:
        _young_depth += 1
        if _young_depth == 1:
            current = gc.get_threshold()
            if 0 < current[0] < YOUNG_THRESHOLD:
                gc.set_threshold(YOUNG_THRESHOLD, *current[1:])
                _saved_thresholds = current
    try:
        yield
    finally:
        with _lock:
            _young_depth -= 1
            saved = _saved_thresholds
            if _young_depth == 0 and saved is not None:
                _saved_thresholds = None
                if gc.get_threshold() == (YOUNG_THRESHOLD, *saved[1:]):
                    gc.set_threshold(*saved)
