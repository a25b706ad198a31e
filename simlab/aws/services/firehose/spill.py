"""Delivered S3 objects kept on disk in one file per Firehose backend, not one file each.

A stream delivers thousands of objects. Kept in memory they would grow the process with every
message; a temporary file per object (moto's own way to keep a large object) costs a file
made, written and unlinked each time, which is most of what a delivered record costs the
kernel. Here every object's bytes are appended to one unlinked temporary file, and the
object reads them back through a ``Segment``, which is all moto's S3 key asks of its buffer
(``seek``, ``tell``, ``read``; ``truncate`` and ``write`` when a value is replaced, which
gives the key a buffer of its own again). The space of a deleted object is given back when
the backend (and every key it delivered) is gone.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from typing import IO, Any

#: Whether this platform reads a file at an offset without moving its position.
AVAILABLE = hasattr(os, "pread")


class SpillFile:
    """One unlinked temporary file that delivered objects are appended to."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._size = 0
        self._lock = threading.Lock()

    def append(self, data: bytes, max_size: int) -> Segment:
        """Writes ``data`` at the end of the file; returns the segment that reads it back (a
        key buffer of ``max_size`` bytes in memory if it is ever written to). Raises OSError
        if the file cannot be written."""
        with self._lock:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open while keys read it)
            start = self._size
            self._file.seek(start)
            self._file.write(data)
            self._file.flush()
            self._size += len(data)
        return Segment(self._file, start, len(data), max_size)

    def append_chunks(self, chunks: Iterable[bytes], max_size: int) -> Segment:
        """``append`` of the bytes of ``chunks`` one after the other, written as they come (no
        copy of them all at once). Raises OSError if the file cannot be written (the space
        taken so far is written over by the next append)."""
        with self._lock:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open while keys read it)
            start = self._size
            self._file.seek(start)
            size = 0
            for chunk in chunks:
                size += self._file.write(chunk)
            self._file.flush()
            self._size += size
        return Segment(self._file, start, size, max_size)


class Segment:
    """The bytes of one object in a ``SpillFile``, read like the object's own buffer."""

    __slots__ = ("_file", "_start", "_size", "_at", "_closed", "_max_size", "_own")

    def __init__(self, file: IO[bytes], start: int, size: int, max_size: int) -> None:
        self._file, self._start, self._size, self._max_size = file, start, size, max_size
        self._at = 0
        self._closed = False
        self._own: Any = None

    @property
    def size(self) -> int:
        """The object's size in bytes, as written."""
        return self._size

    def seek(self, offset: int, whence: int = 0) -> int:
        """Moves the read position (``whence`` as ``io``: 0 start, 1 here, 2 end)."""
        if self._own is not None:
            return int(self._own.seek(offset, whence))
        self._check()
        base = (0, self._at, self._size)[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        if self._own is not None:
            return int(self._own.tell())
        self._check()
        return self._at

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes from the read position (all that is left if None or < 0);
        raises ValueError once closed, as a closed file does."""
        if self._own is not None:
            return bytes(self._own.read(size))
        self._check()
        left = self._size - self._at
        wanted = left if size is None or size < 0 else min(size, left)
        if wanted <= 0:
            return b""
        data = os.pread(self._file.fileno(), wanted, self._start + self._at)
        self._at += len(data)
        return data

    def truncate(self, size: int | None = None) -> int:
        return int(self._owned().truncate(size))

    def write(self, data: bytes) -> int:
        return int(self._owned().write(data))

    def rollover(self) -> None:
        """Nothing to do: the bytes are on disk already."""

    def close(self) -> None:
        self._closed = True
        if self._own is not None:
            self._own.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def _owned(self) -> Any:
        """A buffer of the key's own holding these bytes, for a key whose value changes."""
        if self._own is None:
            self._check()
            at = self._at
            self._at = 0
            own = tempfile.SpooledTemporaryFile(self._max_size)  # noqa: SIM115 (the key closes it)
            own.write(self.read())
            own.seek(at)
            self._own = own
        return self._own

    def _check(self) -> None:
        if self._closed:
            raise ValueError("I/O operation on closed file.")
