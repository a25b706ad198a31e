"""How waiting code lives with the simulated clock: a learner's ``time.sleep`` and a live pump.

* While a local AWS with a ``manual`` clock is open, ``time.sleep`` called by the thread that
  opened it (a script, a notebook's cells, botocore's back-off before a retry) lets that much
  simulated time pass and returns at once. Every other thread (a kernel's own, a server's)
  sleeps as usual, and so do the frameworks around a learner's code in that thread (Jupyter's
  kernel pauses after each cell, event loops, Dask): ``FRAMEWORKS`` names them.
* With a ``live`` clock, a ``Pump`` thread runs scheduled work as it falls due, with nobody
  advancing the clock.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
from collections import Counter
from typing import SupportsIndex

from simlab.aws.state import state

log = logging.getLogger(__name__)

_real_sleep = time.sleep
_owners: Counter[int] = Counter()
_owners_lock = threading.Lock()
#: The longest a pump waits before it looks at the clock again (real seconds).
PUMP_INTERVAL = 0.25
#: Packages whose own sleeps are real even in the owner thread: they pace the machinery around
#: a learner's code (ipykernel sleeps after every cell), not the code itself.
FRAMEWORKS = frozenset(
    (
        "IPython",
        "asyncio",
        "comm",
        "concurrent",
        "dask",
        "distributed",
        "ipykernel",
        "ipywidgets",
        "jupyter_client",
        "jupyter_core",
        "matplotlib",
        "nbclient",
        "selectors",
        "threading",
        "tornado",
        "traitlets",
        "zmq",
    )
)


def _called_by_framework() -> bool:
    caller = sys._getframe(2).f_globals.get("__name__", "")
    return caller.partition(".")[0] in FRAMEWORKS


def _simulated_sleep(seconds: float | SupportsIndex) -> None:
    """``time.sleep`` while a manual local AWS is open: simulated time for its owner thread."""
    if threading.get_ident() in _owners and not _called_by_framework():
        clock = state().clock
        if clock.mode == "manual":
            delay = float(seconds)
            if not delay >= 0:  # also NaN: the same refusal time.sleep gives
                raise ValueError("sleep length must be non-negative")
            clock.sleep(delay)
            _real_sleep(0)  # lets other threads run, as a real sleep would
            return
    _real_sleep(seconds)


def hold_sleep() -> int:
    """Routes this thread's ``time.sleep`` through the simulated clock until ``release_sleep``.

    Returns the thread's id, for ``release_sleep``.
    """
    ident = threading.get_ident()
    with _owners_lock:
        _owners[ident] += 1
        time.sleep = _simulated_sleep
    return ident


def release_sleep(ident: int) -> None:
    """Undoes one ``hold_sleep`` of thread ``ident``; the last one gives ``time.sleep`` back."""
    with _owners_lock:
        if _owners[ident] > 0:
            _owners[ident] -= 1
        if _owners[ident] <= 0:
            del _owners[ident]
        if not _owners:
            time.sleep = _real_sleep


class Pump:
    """Runs a live clock's scheduled work as it falls due, in a daemon thread."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="simlab-clock", daemon=True)

    def start(self) -> Pump:
        """Starts pumping."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops pumping; returns once the thread has ended."""
        self._stopped.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                clock = state().clock
                with clock.changed:
                    clock.sync()
                    due = clock.next_due()
                    wait = PUMP_INTERVAL if math.isinf(due) else due / clock.speed
                    clock.changed.wait(min(PUMP_INTERVAL, max(wait, 0.001)))
            except Exception:  # scheduled work that fails must not stop the clock
                log.exception("scheduled work failed on the live clock")
                self._stopped.wait(PUMP_INTERVAL)
