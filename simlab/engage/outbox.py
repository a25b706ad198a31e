"""The outbox: every message the local AWS sends, on every channel, in one place.

One message is one entry. When one service sends through another (Pinpoint hands an email to
SES, a text to End User Messaging), the caller wraps the hand-off in ``acting_for``: the entry
the carrier writes then names the API the learner called (``service``) and the carrier
(``detail["carrier"]``), so nothing is counted twice.

Entries live in an SQLite database (the standard library's ``sqlite3``), not in a Python list,
so memory stays flat however many messages are sent: a private temporary file by default, or
``outbox.sqlite3`` in a directory that outlives the process (``use_directory``, which
``simlab serve --state DIR`` sets). ``Outbox.sql`` runs read-only queries on the ``messages``
table; ``to_records`` and ``to_dataframe`` hand the entries to a notebook.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Mapping, Sequence
from contextvars import ContextVar, Token
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from simlab.engage.outbox_details import detail_json
from simlab.engage.outbox_messages import (
    DETAIL,
    MESSAGE_ID,
    PLACES,
    SCHEMA,
    SELECT,
    SET_STATUS,
    STATUS,
    UPDATE,
    OutboxMessage,
    Unwritten,
    from_row,
    row_message,
    to_row,
    with_status,
)
from simlab.engage.outbox_reads import OutboxReads

#: Channels a message can leave on, as Pinpoint names them.
CHANNELS = ("EMAIL", "SMS", "VOICE", "PUSH", "IN_APP", "CUSTOM")
#: Writes a temporary outbox makes between commits.
_BATCH = 4096
#: Messages of each of the two generations an outbox keeps in memory before writing them
#: to the database together (``Unwritten``).
_BUFFER = 4096
FILE_NAME = "outbox.sqlite3"

_directory: Path | None = None
_new_message = object.__new__


def use_directory(directory: str | Path | None) -> None:
    """Keeps the outboxes made from now on in ``directory`` (None: a private temporary file)."""
    global _directory
    if directory is None:
        _directory = None
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    _directory = path


class Acting:
    """A hand-off in progress: who the carrier's entries are written for, and those entries.

    It is the ``with`` block of ``Outbox.acting_for`` too: the hand-off is current inside it.
    One is made for every message handed off, so it is a small slotted object.
    """

    __slots__ = ("outbox", "service", "detail", "indices", "_token")

    def __init__(
        self,
        outbox: Outbox,
        service: str,
        detail: dict[str, Any],
        indices: list[int] | None = None,
    ) -> None:
        self.outbox, self.service, self.detail = outbox, service, detail
        self.indices: list[int] = [] if indices is None else indices
        self._token: Token[Acting | None] | None = None

    @property
    def messages(self) -> list[OutboxMessage]:
        """The entries written during the hand-off, oldest first."""
        return [self.outbox[i] for i in self.indices]

    def update(self, **changes: Any) -> list[OutboxMessage]:
        """Replaces fields (``status``, ``message_id`` ...) of every entry written so far."""
        return [self.outbox._replace(i, **changes) for i in self.indices]

    def __enter__(self) -> Acting:
        self._token = _ACTING.set(self)
        return self

    def __exit__(self, *_: object) -> None:
        if self._token is not None:
            _ACTING.reset(self._token)
            self._token = None

    def __repr__(self) -> str:
        return f"Acting(service={self.service!r}, detail={self.detail!r}, indices={self.indices})"


_ACTING: ContextVar[Acting | None] = ContextVar("simlab_outbox_acting", default=None)


def _close(connection: sqlite3.Connection, lock: threading.RLock, unwritten: Unwritten) -> None:
    with lock:
        unwritten.flush(connection)
        if connection.in_transaction:
            connection.execute("COMMIT")
        connection.close()


class Outbox(OutboxReads):
    """A thread-safe, append-only record of sent messages, filterable, in SQLite.

    One connection serves every thread, behind one lock. ``path`` names the database file;
    by default it is ``outbox.sqlite3`` in the directory ``use_directory`` set, or a private
    temporary file that SQLite deletes when the outbox is closed or garbage-collected. The
    newest few thousand messages wait in memory and are written together, a generation at a
    time, so that a message whose status changes soon after it is sent (as most do) is
    written once, with its last status. Any read writes them first.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None and _directory is not None:
            path = _directory / FILE_NAME
        self.path = None if path is None else Path(path)
        self._db = sqlite3.connect(
            "" if self.path is None else str(self.path),
            check_same_thread=False,
            isolation_level=None,  # autocommit: a kept outbox is on disk after every write
        )
        self._lock = threading.RLock()
        #: the lock's own methods: a ``with`` block costs twice as much as calling them
        self._acquire, self._release = self._lock.acquire, self._lock.release
        self._batched = self.path is None
        if self._batched:  # private and temporary: writes commit in batches, nothing to recover
            self._db.execute("PRAGMA page_size = 16384")  # a fifth cheaper to fill than 4 KiB
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
        else:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(SCHEMA)
        self._count = int(
            self._db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
        )
        self._uncommitted = 0
        self._unwritten = Unwritten()
        self._unwritten.keys.open(self._db)
        self._finalizer = weakref.finalize(self, _close, self._db, self._lock, self._unwritten)

    def close(self) -> None:
        """Writes what is buffered and closes the database (a temporary one is deleted)."""
        self._finalizer()

    def flush(self) -> None:
        """Writes the buffered messages to the database and commits."""
        with self._lock:
            self._unwritten.flush(self._db)
            if self._db.in_transaction:
                self._db.execute("COMMIT")
                self._uncommitted = 0

    # -- writing ------------------------------------------------------------------------------

    def _write(self, statement: str, values: Sequence[Any]) -> None:
        """Runs one write; the caller holds the lock. A temporary outbox commits in batches."""
        if not self._batched:
            self._db.execute(statement, values)
            return
        if not self._db.in_transaction:
            self._db.execute("BEGIN")
        self._db.execute(statement, values)
        self._uncommitted += 1
        if self._uncommitted >= _BATCH:
            self._db.execute("COMMIT")
            self._uncommitted = 0

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Records ``message`` and returns it (as written for the caller ``acting_for`` names).

        Raises ValueError naming the channel if it is not one of ``CHANNELS``.
        """
        acting = _ACTING.get()
        if acting is not None and acting.outbox is self and message.service != acting.service:
            detail = {**message.detail, **acting.detail, "carrier": message.service}
            written = _new_message(OutboxMessage)
            written.__dict__.update(message.__dict__, service=acting.service, detail=detail)
            message = written
        self.add_row(
            message.channel,
            message.service,
            message.origin,
            message.destination,
            message.body,
            message.message_id,
            message.sent_at,
            message.status,
            message.subject,
            message.detail,
        )
        return message

    def add_row(
        self,
        channel: str,
        service: str,
        origin: str,
        destination: str,
        body: str,
        message_id: str,
        sent_at: datetime,
        status: str,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        """``add(OutboxMessage(channel, ...))`` without making the message or returning it:
        for a sender of many messages. Raises ValueError as ``add`` does."""
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
        if detail is None:
            detail = {}
        acting = _ACTING.get()
        if acting is not None and acting.outbox is not self:
            acting = None
        if acting is not None and service != acting.service:
            detail = {**detail, **acting.detail, "carrier": service}
            service = acting.service
        self._acquire()  # ``with self._lock``, at half the cost: once per message sent
        try:
            unwritten = self._unwritten
            if len(unwritten.messages) >= _BUFFER:
                unwritten.age(self._db)
            position = self._count = self._count + 1
            unwritten.messages[position] = [
                position,
                channel,
                service,
                origin,
                destination,
                body,
                message_id,
                sent_at,
                status,
                subject,
                detail,
            ]
            unwritten.latest[message_id] = position
        finally:
            self._release()
        if acting is not None:
            acting.indices.append(position - 1)

    def acting_for(self, service: str, **detail: Any) -> Acting:
        """Writes the entries added inside the block for ``service``, the carrier in detail.

        ``with outbox.acting_for("pinpoint", app_id=...) as acting: ses.send_email(...)``
        gives one entry with ``service="pinpoint"`` and ``detail["carrier"] == "ses"``;
        ``acting.messages`` holds it. Later ``update_status`` calls by message id reach it.
        """
        return Acting(self, service, detail)

    def _replace(self, index: int, **changes: Any) -> OutboxMessage:
        with self._lock:
            position = self._position(index)
            unwritten = self._unwritten
            row = unwritten.find(position)
            if row is None:
                current = self[index]
                new = replace(current, **changes)
                self._write(UPDATE, (*to_row(new), position))
                if new.message_id != current.message_id:  # found by its new id from now on
                    unwritten.keys.renamed(self._db, position, new.message_id)
                return new
            unknown = changes.keys() - PLACES.keys()
            if unknown:
                raise TypeError(f"OutboxMessage has no field {', '.join(sorted(unknown))}")
            old_id = row[MESSAGE_ID]
            for name, value in changes.items():
                row[PLACES[name]] = value
            if row[MESSAGE_ID] != old_id:
                unwritten.renamed(position)
            return row_message(row)

    def update_status(self, message_id: str, status: str, **detail: Any) -> OutboxMessage:
        """Replaces the status of the message with ``message_id`` (the latest one if several)
        and returns the message as it is now.

        Raises KeyError if no message has that id.
        """
        with self._lock:
            row = self._unwritten_row(message_id)
            if row is not None:
                self._set(row, status, detail)
                return row_message(row)
            return self._set_written(message_id, status, detail)

    def set_status(self, message_id: str, status: str, **detail: Any) -> None:
        """``update_status`` that returns nothing (no message is made when the message waits
        in memory, as a message whose outcome arrives soon after it is sent does).

        Raises KeyError if no message has that id.
        """
        self.set_status_to(message_id, status, detail)

    def set_status_to(self, message_id: str, status: str, detail: Mapping[str, Any]) -> None:
        """``set_status(message_id, status, **detail)`` for a caller that holds ``detail``
        already (no keyword dict made on the way). Raises KeyError if no message has that id.
        """
        self._acquire()  # as in ``add_row``
        try:
            unwritten = self._unwritten
            position = unwritten.latest.get(message_id)
            if position is not None:  # the newest message with that id is not written yet
                row = unwritten.messages[position]
            else:
                position = unwritten.older_latest.get(message_id)
                if position is None:
                    self._set_written(message_id, status, detail)
                    return
                row = unwritten.older[position]
            row[STATUS] = status
            if detail:
                row[DETAIL] = {**row[DETAIL], **detail}
        finally:
            self._release()

    def _unwritten_row(self, message_id: str) -> list[Any] | None:
        """The unwritten row of the newest message with ``message_id``, or None; the caller
        holds the lock."""
        unwritten = self._unwritten
        position = unwritten.latest.get(message_id)
        if position is not None:
            return unwritten.messages[position]
        position = unwritten.older_latest.get(message_id)
        return None if position is None else unwritten.older[position]

    @staticmethod
    def _set(row: list[Any], status: str, detail: dict[str, Any]) -> None:
        """Sets an unwritten row's status and adds ``detail`` to its detail (a new dict: the
        old one may be a message's a caller holds)."""
        row[STATUS] = status
        if detail:
            row[DETAIL] = {**row[DETAIL], **detail}

    def _set_written(
        self, message_id: str, status: str, detail: Mapping[str, Any]
    ) -> OutboxMessage:
        """``update_status`` of a message already in the table; the caller holds the lock."""
        row = self._unwritten.keys.latest(self._db, message_id)
        if row is None:
            raise KeyError(f"no message with id {message_id!r} in the outbox")
        old = from_row(row)
        new = with_status(old, status, {**old.detail, **detail})
        self._write(SET_STATUS, (status, detail_json(new.detail), row[0]))
        return new

    def clear(self) -> None:
        """Forgets every message (a kept outbox too)."""
        with self._lock:
            self._unwritten.clear()
            self._write("DELETE FROM messages", ())
            self._write("DELETE FROM message_key_blocks", ())
            self._count = 0

    def _position(self, index: int) -> int:
        position = index + 1 if index >= 0 else self._count + index + 1
        if not 1 <= position <= self._count:
            raise IndexError(f"outbox index {index} out of range ({self._count} messages)")
        return position

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> OutboxMessage:
        with self._lock:
            position = self._position(index)
            unwritten = self._unwritten.find(position)
            if unwritten is not None:
                return row_message(unwritten)
            row = self._db.execute(f"{SELECT} WHERE id = ?", (position,)).fetchone()
        return from_row(row)
