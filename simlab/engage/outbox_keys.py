"""Finding an outbox row by its message id, cheaply at any size.

An index on the ``message_id`` text would take every new row at a random place (message ids
are random), a page read and write per row once it outgrows SQLite's page cache. Instead each
row's id is filed as a 32-bit hash in a block of ``BLOCK`` consecutive rows (the table
``message_key_blocks``: a block's first row, then its hashes as little-endian 32-bit integers,
the hash of row ``first + i`` at ``i``). Writing a batch of rows adds its hashes to the newest
block, kept in memory and written whole with the batch: no index entry per row. A lookup
compares the hash with each block, newest first, and checks a matching row's id itself, so a
hash shared by two ids or a row given another id since costs nothing but a look. Messages are
looked up soon after they are sent, so a lookup rarely reads more than the newest block.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

#: The table of hashed message ids (created if missing, filled from any rows it lacks).
KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS message_key_blocks (
    first INTEGER PRIMARY KEY, hashes BLOB NOT NULL
);
DROP TABLE IF EXISTS message_keys;
"""
#: Rows a block holds (64 KiB of hashes).
BLOCK = 16_384
#: A block's hashes as stored, in every process.
_HASHES = np.dtype("<u4")
_SAVE = "INSERT OR REPLACE INTO message_key_blocks (first, hashes) VALUES (?, ?)"
_OLDER = "SELECT first, hashes FROM message_key_blocks WHERE first < ? ORDER BY first DESC LIMIT 1"


def key_hash(message_id: str) -> int:
    """The hash a block files ``message_id`` under (the same in every process)."""
    return zlib.crc32(message_id.encode())


class MessageKeys:
    """The hashed message ids of the written rows: the newest block in memory, all in the table.

    ``columns`` are the ``messages`` table's columns after ``id`` (``message_id`` sixth), as
    ``outbox_messages.COLUMNS`` names them; rows are read as ``id`` and those columns.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self.block = BLOCK  # rows a new block holds (one read back may hold more or fewer)
        self.first = 1  # the newest block's first row
        self.filled = 0  # rows of it written so far
        self.hashes: npt.NDArray[np.uint32] = np.zeros(BLOCK, dtype=_HASHES)
        names = ", ".join(f"m.{column}" for column in ("id", *columns))
        self._by_id = f"SELECT {names} FROM messages m WHERE m.id = ?"

    def open(self, db: sqlite3.Connection) -> None:
        """Creates the table if missing (dropping an older outbox's ``message_keys``), reads
        its newest block back and files the rows it lacks (a database written before it)."""
        db.executescript(KEYS_SCHEMA)
        last = db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
        db.execute("DELETE FROM message_key_blocks WHERE first > ?", (last,))
        newest = db.execute(_OLDER, (last + 1,)).fetchone()
        self.first, self.filled = 1, 0
        if newest is not None:
            hashes = np.frombuffer(newest[1], dtype=_HASHES)
            count = min(len(hashes), last + 1 - newest[0])  # of rows still in the table
            if count < self.block:  # goes on filling it
                self.first, self.filled = newest[0], count
                self.hashes[:count] = hashes[:count]
            else:
                self.first = newest[0] + count
        filed = self.first + self.filled - 1
        if last > filed:
            ids = [""] * (last - filed)  # a row missing from the table: filed as ""
            for row, message_id in db.execute(
                "SELECT id, message_id FROM messages WHERE id > ?", (filed,)
            ):
                ids[row - filed - 1] = message_id
            db.execute("BEGIN")
            self.written(db, filed + 1, ids)
            db.execute("COMMIT")

    def written(self, db: sqlite3.Connection, first: int, message_ids: Sequence[str]) -> None:
        """Files rows just written: ``message_ids`` of rows ``first``, ``first + 1`` ... right
        after the rows filed so far. The caller holds the outbox's lock, in a transaction."""
        if first != self.first + self.filled:
            raise ValueError(f"row {first} written after row {self.first + self.filled - 1}")
        crc32 = zlib.crc32  # key_hash, inlined: once per message written
        hashes = [crc32(message_id.encode()) for message_id in message_ids]
        done = 0
        while done < len(hashes):
            room = min(self.block - self.filled, len(hashes) - done)
            self.hashes[self.filled : self.filled + room] = hashes[done : done + room]
            self.filled += room
            done += room
            db.execute(_SAVE, (self.first, self.hashes[: self.filled].tobytes()))
            if self.filled == self.block:
                self.first, self.filled = self.first + self.block, 0

    def renamed(self, db: sqlite3.Connection, position: int, message_id: str) -> None:
        """Files written row ``position`` under its new ``message_id``."""
        if position >= self.first:
            self.hashes[position - self.first] = key_hash(message_id)
            db.execute(_SAVE, (self.first, self.hashes[: self.filled].tobytes()))
            return
        first, blob = db.execute(_OLDER, (position + 1,)).fetchone()
        hashes = np.frombuffer(blob, dtype=_HASHES).copy()
        hashes[position - first] = key_hash(message_id)
        db.execute(_SAVE, (first, hashes.tobytes()))

    def latest(self, db: sqlite3.Connection, message_id: str) -> Any:
        """The newest written row with ``message_id`` (``id`` and the columns), or None."""
        wanted = key_hash(message_id)
        first, hashes = self.first, self.hashes[: self.filled]
        while True:
            for offset in np.flatnonzero(hashes == wanted)[::-1].tolist():
                row = db.execute(self._by_id, (first + offset,)).fetchone()
                if row is not None and row[6] == message_id:
                    return row
            older = db.execute(_OLDER, (first,)).fetchone()
            if older is None:
                return None
            first, hashes = older[0], np.frombuffer(older[1], dtype=_HASHES)

    def clear(self) -> None:
        """Starts again from row 1 (the caller empties the table)."""
        self.first, self.filled = 1, 0
