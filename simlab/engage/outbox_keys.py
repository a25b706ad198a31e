"""Finding an outbox row by its message id, cheaply at any size.

An index on the ``message_id`` text would take every new row at a random place (message ids
are random), a page read and write per row once it outgrows SQLite's page cache. Instead the
ids of newly written rows wait in memory (``MessageKeys.fresh``), and join the table
``message_keys`` (a 32-bit hash of the id, then the row's id) ``MERGE`` at a time in hash
order: one pass over the index's pages per batch. A lookup reads the waiting ids first (they
are the newest), then the table, and checks the row's id itself, so a hash shared by two ids
or a row given another id since costs nothing but a look.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Sequence
from typing import Any

#: The table of hashed message ids (created if missing, filled from any rows it lacks).
KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS message_keys (
    hash INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (hash, id)
) WITHOUT ROWID;
"""
#: Written rows whose ids wait in memory before they join ``message_keys`` together.
MERGE = 8_192
_INSERT = "INSERT OR IGNORE INTO message_keys (hash, id) VALUES (?, ?)"


def key_hash(message_id: str) -> int:
    """The hash ``message_keys`` files ``message_id`` under (the same in every process)."""
    return zlib.crc32(message_id.encode())


class MessageKeys:
    """The newest written rows' message ids, and the table that holds the older ones.

    ``columns`` are the ``messages`` table's columns after ``id`` (``message_id`` sixth), as
    ``outbox_messages.COLUMNS`` names them; rows are read as ``id`` and those columns.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self.fresh: dict[str, int] = {}  # message id -> newest row not yet in the table
        self.pending: list[tuple[str, int]] = []  # (message id, row) of those rows, in order
        names = ", ".join(f"m.{column}" for column in ("id", *columns))
        self._by_id = f"SELECT {names} FROM messages m WHERE m.id = ?"
        self._find = (
            f"SELECT {names} FROM message_keys k CROSS JOIN messages m ON m.id = k.id "
            "WHERE k.hash = ? AND m.message_id = ? ORDER BY m.id DESC LIMIT 1"
        )

    def open(self, db: sqlite3.Connection) -> None:
        """Creates the table if missing and files the rows it lacks (a database written before
        it existed, or rows whose ids were still waiting when the outbox closed)."""
        db.executescript(KEYS_SCHEMA)
        newest = db.execute("SELECT coalesce(max(id), 0) FROM message_keys").fetchone()[0]
        missing = db.execute(
            "SELECT message_id, id FROM messages WHERE id > ? ORDER BY id", (newest,)
        ).fetchall()
        if missing:
            self.pending.extend(missing)
            self.merge(db)

    def written(self, db: sqlite3.Connection, rows: list[tuple[str, int]]) -> None:
        """Files rows just written, ``(message id, row)`` in row order; merges when enough
        wait. The caller holds the outbox's lock, inside a transaction or not."""
        self.fresh.update(rows)
        self.pending.extend(rows)
        if len(self.pending) >= MERGE:
            self.merge(db)

    def merge(self, db: sqlite3.Connection) -> None:
        """Moves the waiting ids into ``message_keys``, in hash order."""
        if self.pending:
            crc32 = zlib.crc32  # key_hash, inlined: once per message written
            db.executemany(_INSERT, sorted([(crc32(m.encode()), row) for m, row in self.pending]))
        self.pending.clear()
        self.fresh.clear()

    def latest(self, db: sqlite3.Connection, message_id: str) -> Any:
        """The newest written row with ``message_id`` (``select``'s columns), or None."""
        row_id = self.fresh.get(message_id)
        if row_id is not None:
            row = db.execute(self._by_id, (row_id,)).fetchone()
            if row is not None and row[6] == message_id:
                return row
            for waiting, row_id in reversed(self.pending):  # that row has another id now
                if waiting == message_id:
                    row = db.execute(self._by_id, (row_id,)).fetchone()
                    if row is not None and row[6] == message_id:
                        return row
        return db.execute(self._find, (key_hash(message_id), message_id)).fetchone()

    def clear(self) -> None:
        """Forgets the waiting ids (the caller empties the table)."""
        self.fresh.clear()
        self.pending.clear()
