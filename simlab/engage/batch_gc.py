"""Cheap garbage collection while a batch of messages is sent.

A send allocates many short-lived objects, so the collector runs often during a batch; each of
its full passes walks every container object of the process, and a local AWS holds hundreds of
thousands of them that never change (botocore's service models, a campaign's resolved
audience). ``older_objects_frozen`` moves the objects that exist when a batch starts out of the
collector's reach for the batch (``gc.freeze``) and back afterwards (``gc.unfreeze``), both
constant-time, so the passes inside the batch walk only what the batch made. Nothing is lost:
garbage among the older objects waits for the first pass after the batch.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    """Keeps the objects older than the block out of the collector's passes inside it.

    Blocks nest and may overlap across threads: the outermost one freezes and the last to
    leave unfreezes.
    """
    global _depth
    with _lock:
        _depth += 1
        if _depth == 1:
            gc.freeze()
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
