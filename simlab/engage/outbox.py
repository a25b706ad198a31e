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

import json
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

#: Channels a message can leave on, as Pinpoint names them.
CHANNELS = ("EMAIL", "SMS", "VOICE", "PUSH", "IN_APP", "CUSTOM")
#: The columns of the ``messages`` table after its ``id`` (1 for the first message sent).
COLUMNS = (
    "channel",
    "service",
    "origin",
    "destination",
    "body",
    "message_id",
    "sent_at",
    "status",
    "subject",
    "detail",
)
#: Filters ``filter`` and ``page`` accept, and the column each one matches.
FILTERS = {
    "channel": "channel",
    "service": "service",
    "to": "destination",
    "origin": "origin",
    "status": "status",
}
#: The most entries one page returns.
PAGE_LIMIT_MAX = 10_000
#: Writes a temporary outbox makes between commits.
_BATCH = 4096
#: Messages an outbox keeps in memory before writing them to the database together.
_BUFFER = 4096
FILE_NAME = "outbox.sqlite3"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, {", ".join(f"{c} TEXT NOT NULL" for c in COLUMNS)}
);
CREATE INDEX IF NOT EXISTS messages_by_message_id ON messages (message_id);
"""
_SELECT = f"SELECT id, {', '.join(COLUMNS)} FROM messages"
_INSERT_AT = (
    f"INSERT INTO messages (id, {', '.join(COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
)
_LATEST = f"{_SELECT} WHERE message_id = ? ORDER BY id DESC LIMIT 1"
_SET_STATUS = "UPDATE messages SET status = ?, detail = ? WHERE id = ?"
_UPDATE = f"UPDATE messages SET {', '.join(f'{c} = ?' for c in COLUMNS)} WHERE id = ?"
#: What a read-only query may do (sqlite3 authorizer action codes).
_READ_ACTIONS = frozenset(
    (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE)
)

_directory: Path | None = None


def use_directory(directory: str | Path | None) -> None:
    """Keeps the outboxes made from now on in ``directory`` (None: a private temporary file)."""
    global _directory
    if directory is None:
        _directory = None
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    _directory = path


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message as it left (or failed to leave) the local AWS."""

    channel: str
    service: str
    origin: str
    destination: str
    body: str
    message_id: str
    sent_at: datetime
    status: str
    subject: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Returns the message as JSON-ready data, time in ISO 8601."""
        data = asdict(self)
        data["sent_at"] = self.sent_at.isoformat().replace("+00:00", "Z")
        return data


_detail_json = json.JSONEncoder(separators=(",", ":"), default=str).encode


def _with_status(old: OutboxMessage, status: str, detail: dict[str, Any]) -> OutboxMessage:
    """``replace(old, status=..., detail=...)`` without its per-call field walk."""
    return OutboxMessage(
        old.channel,
        old.service,
        old.origin,
        old.destination,
        old.body,
        old.message_id,
        old.sent_at,
        status,
        old.subject,
        detail,
    )


def _row(message: OutboxMessage) -> tuple[str, ...]:
    return (
        message.channel,
        message.service,
        message.origin,
        message.destination,
        message.body,
        message.message_id,
        message.sent_at.isoformat(),
        message.status,
        message.subject,
        _detail_json(message.detail),
    )


def _message(row: Sequence[Any]) -> OutboxMessage:
    return OutboxMessage(
        channel=row[1],
        service=row[2],
        origin=row[3],
        destination=row[4],
        body=row[5],
        message_id=row[6],
        sent_at=datetime.fromisoformat(row[7]),
        status=row[8],
        subject=row[9],
        detail=json.loads(row[10]),
    )


@dataclass
class Acting:
    """A hand-off in progress: who the carrier's entries are written for, and those entries."""

    outbox: Outbox
    service: str
    detail: dict[str, Any]
    indices: list[int] = field(default_factory=list)

    @property
    def messages(self) -> list[OutboxMessage]:
        """The entries written during the hand-off, oldest first."""
        return [self.outbox[i] for i in self.indices]

    def update(self, **changes: Any) -> list[OutboxMessage]:
        """Replaces fields (``status``, ``message_id`` ...) of every entry written so far."""
        return [self.outbox._replace(i, **changes) for i in self.indices]


_ACTING: ContextVar[Acting | None] = ContextVar("simlab_outbox_acting", default=None)


class _ActingBlock:
    """The ``with`` block of ``Outbox.acting_for``: its hand-off is current inside it."""

    __slots__ = ("acting", "token")

    def __init__(self, acting: Acting) -> None:
        self.acting = acting
        self.token: Token[Acting | None] | None = None

    def __enter__(self) -> Acting:
        self.token = _ACTING.set(self.acting)
        return self.acting

    def __exit__(self, *_: object) -> None:
        if self.token is not None:
            _ACTING.reset(self.token)
            self.token = None


@dataclass
class Page:
    """One page of the outbox: the entries and where the next page starts (None at the end)."""

    messages: list[OutboxMessage]
    after: list[int]  # each entry's position (1 for the first message sent)
    next_after: int | None

    def to_json(self) -> dict[str, Any]:
        """``{"messages": [...]}`` plus ``"next": position`` when more entries follow."""
        data: dict[str, Any] = {"messages": [m.to_json() for m in self.messages]}
        if self.next_after is not None:
            data["next"] = self.next_after
        return data


@dataclass
class _Unwritten:
    """Messages added but not yet in the database (at most ``_BUFFER`` of them)."""

    messages: dict[int, OutboxMessage] = field(default_factory=dict)  # position -> message
    latest: dict[str, int] = field(default_factory=dict)  # message id -> newest position

    def flush(self, db: sqlite3.Connection) -> None:
        """Writes every buffered message in one statement; the caller holds the lock."""
        if not self.messages:
            return
        rows = [(position, *_row(m)) for position, m in self.messages.items()]
        begun = not db.in_transaction
        if begun:
            db.execute("BEGIN")
        db.executemany(_INSERT_AT, rows)
        if begun:
            db.execute("COMMIT")
        self.messages.clear()
        self.latest.clear()


def _close(connection: sqlite3.Connection, lock: threading.RLock, unwritten: _Unwritten) -> None:
    with lock:
        unwritten.flush(connection)
        if connection.in_transaction:
            connection.execute("COMMIT")
        connection.close()


class Outbox:
    """A thread-safe, append-only record of sent messages, filterable, in SQLite.

    One connection serves every thread, behind one lock. ``path`` names the database file;
    by default it is ``outbox.sqlite3`` in the directory ``use_directory`` set, or a private
    temporary file that SQLite deletes when the outbox is closed or garbage-collected. The
    newest few hundred messages wait in a small buffer and are written together, so that a
    message's first status changes cost no database write; any read writes them first.
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
        self._batched = self.path is None
        if self._batched:  # private and temporary: writes commit in batches, nothing to recover
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
        else:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(_SCHEMA)
        self._count = int(
            self._db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
        )
        self._uncommitted = 0
        self._unwritten = _Unwritten()
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
        if message.channel not in CHANNELS:
            raise ValueError(
                f"channel must be one of {', '.join(CHANNELS)}, got {message.channel!r}"
            )
        acting = _ACTING.get()
        if acting is not None and acting.outbox is self and message.service != acting.service:
            detail = {**message.detail, **acting.detail, "carrier": message.service}
            message = OutboxMessage(
                message.channel,
                acting.service,
                message.origin,
                message.destination,
                message.body,
                message.message_id,
                message.sent_at,
                message.status,
                message.subject,
                detail,
            )
        with self._lock:
            unwritten = self._unwritten
            if len(unwritten.messages) >= _BUFFER:
                unwritten.flush(self._db)
            self._count += 1
            unwritten.messages[self._count] = message
            unwritten.latest[message.message_id] = self._count
            index = self._count - 1
        if acting is not None and acting.outbox is self:
            acting.indices.append(index)
        return message

    def acting_for(self, service: str, **detail: Any) -> _ActingBlock:
        """Writes the entries added inside the block for ``service``, the carrier in detail.

        ``with outbox.acting_for("pinpoint", app_id=...) as acting: ses.send_email(...)``
        gives one entry with ``service="pinpoint"`` and ``detail["carrier"] == "ses"``;
        ``acting.messages`` holds it. Later ``update_status`` calls by message id reach it.
        """
        return _ActingBlock(Acting(self, service, detail))

    def _replace(self, index: int, **changes: Any) -> OutboxMessage:
        with self._lock:
            position = self._position(index)
            unwritten = self._unwritten
            old = unwritten.messages.get(position)
            if old is None:
                new = replace(self[index], **changes)
                self._write(_UPDATE, (*_row(new), position))
                return new
            if changes.keys() == {"status"}:  # the common case: a hand-off's status
                new = _with_status(old, changes["status"], old.detail)
            else:
                new = replace(old, **changes)
            unwritten.messages[position] = new
            if new.message_id != old.message_id:
                unwritten.latest = {m.message_id: p for p, m in unwritten.messages.items()}
            return new

    def update_status(self, message_id: str, status: str, **detail: Any) -> OutboxMessage:
        """Replaces the status of the message with ``message_id`` (the latest one if several).

        Raises KeyError if no message has that id.
        """
        with self._lock:
            unwritten = self._unwritten
            position = unwritten.latest.get(message_id)
            if position is not None:  # the newest message with that id is not written yet
                old = unwritten.messages[position]
                new = _with_status(old, status, {**old.detail, **detail})
                unwritten.messages[position] = new
                return new
            row = self._db.execute(_LATEST, (message_id,)).fetchone()
            if row is not None:
                old = _message(row)
                new = _with_status(old, status, {**old.detail, **detail})
                self._write(_SET_STATUS, (status, _detail_json(new.detail), row[0]))
                return new
        raise KeyError(f"no message with id {message_id!r} in the outbox")

    def clear(self) -> None:
        """Forgets every message (a kept outbox too)."""
        with self._lock:
            self._unwritten.messages.clear()
            self._unwritten.latest.clear()
            self._write("DELETE FROM messages", ())
            self._count = 0

    # -- reading ------------------------------------------------------------------------------

    def _where(self, criteria: dict[str, str | None]) -> tuple[str, list[str]]:
        clauses, values = [], []
        for name, value in criteria.items():
            if value is None:
                continue
            if name not in FILTERS:
                raise ValueError(f"unknown filter {name!r}; allowed: {', '.join(FILTERS)}")
            clauses.append(f"{FILTERS[name]} = ?")
            values.append(str(value))
        return " AND ".join(clauses), values

    def filter(
        self,
        *,
        channel: str | None = None,
        service: str | None = None,
        to: str | None = None,
        origin: str | None = None,
        status: str | None = None,
    ) -> list[OutboxMessage]:
        """Returns the messages matching every criterion given, oldest first."""
        where, values = self._where(
            {"channel": channel, "service": service, "to": to, "origin": origin, "status": status}
        )
        query = f"{_SELECT}{f' WHERE {where}' if where else ''} ORDER BY id"
        with self._lock:
            self._unwritten.flush(self._db)
            rows = self._db.execute(query, values).fetchall()
        return [_message(row) for row in rows]

    def page(self, *, limit: int = 1000, after: int = 0, **criteria: str | None) -> Page:
        """Returns up to ``limit`` messages matching ``criteria`` that follow position ``after``.

        Positions count from 1 in sending order; pass a page's ``next_after`` as ``after`` to
        get the next one. Raises ValueError naming ``limit``, ``after`` or an unknown filter.
        """
        if not 1 <= limit <= PAGE_LIMIT_MAX:
            raise ValueError(f"limit must be between 1 and {PAGE_LIMIT_MAX}, got {limit}")
        if after < 0:
            raise ValueError(f"after must be a position of 0 or more, got {after}")
        where, values = self._where(criteria)
        query = f"{_SELECT} WHERE id > ?{f' AND {where}' if where else ''} ORDER BY id LIMIT ?"
        with self._lock:
            self._unwritten.flush(self._db)
            rows = self._db.execute(query, [after, *values, limit + 1]).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        positions = [int(row[0]) for row in rows]
        return Page([_message(row) for row in rows], positions, positions[-1] if more else None)

    def last(self, **criteria: str) -> OutboxMessage:
        """Returns the newest message matching ``criteria``; raises LookupError if none."""
        where, values = self._where(dict(criteria))
        query = f"{_SELECT}{f' WHERE {where}' if where else ''} ORDER BY id DESC LIMIT 1"
        with self._lock:
            self._unwritten.flush(self._db)
            row = self._db.execute(query, values).fetchone()
        if row is None:
            raise LookupError(f"no message in the outbox matches {criteria}")
        return _message(row)

    def counts(self) -> dict[tuple[str, str], int]:
        """Counts messages by (channel, status), in order of each pair's first message."""
        query = (
            "SELECT channel, status, count(*) FROM messages "
            "GROUP BY channel, status ORDER BY min(id)"
        )
        with self._lock:
            self._unwritten.flush(self._db)
            rows = self._db.execute(query).fetchall()
        return {(channel, status): int(n) for channel, status, n in rows}

    def sql(self, query: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Runs a read-only SQL query on the ``messages`` table; returns one dict per row.

        Columns: ``id`` (position, from 1), ``channel``, ``service``, ``origin``,
        ``destination``, ``body``, ``message_id``, ``sent_at`` (ISO 8601), ``status``,
        ``subject`` and ``detail`` (JSON text: ``json_extract(detail, '$.carrier')``).
        Raises sqlite3.DatabaseError for a query that would write or is not valid SQL.
        """

        def only_reads(action: int, *_: Any) -> int:
            return sqlite3.SQLITE_OK if action in _READ_ACTIONS else sqlite3.SQLITE_DENY

        with self._lock:
            self._unwritten.flush(self._db)
            self._db.set_authorizer(only_reads)
            try:
                cursor = self._db.execute(query, parameters)
                names = [column[0] for column in cursor.description or ()]
                rows = cursor.fetchall()
            finally:
                self._db.set_authorizer(None)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def to_records(self) -> list[dict[str, Any]]:
        """Every message as JSON-ready data (``OutboxMessage.to_json``), oldest first."""
        return [message.to_json() for message in self]

    def to_dataframe(self) -> Any:
        """Every message as a pandas DataFrame, one row per message; needs pandas installed.

        Raises ImportError saying how to install pandas if it is missing.
        """
        try:
            import pandas  # noqa: PLC0415 - optional, imported only when asked for
        except ImportError as error:
            raise ImportError(
                "Outbox.to_dataframe needs pandas, which simlab does not install: "
                "pip install pandas (or use Outbox.to_records() for a list of dicts)"
            ) from error
        return pandas.DataFrame.from_records(self.to_records(), columns=list(_FIELDS))

    def summary(self) -> str:
        """Returns a stable text table: one line per message, no ids or dates."""
        lines = [f"{'channel':<7} {'status':<20} {'from':<28} {'to':<32} subject/body"]
        for m in self:
            text = (m.subject or m.body).replace("\n", " ")
            text = text if len(text) <= 40 else text[:37] + "..."
            lines.append(f"{m.channel:<7} {m.status:<20} {m.origin:<28} {m.destination:<32} {text}")
        return "\n".join(lines)

    def _position(self, index: int) -> int:
        position = index + 1 if index >= 0 else self._count + index + 1
        if not 1 <= position <= self._count:
            raise IndexError(f"outbox index {index} out of range ({self._count} messages)")
        return position

    def __iter__(self) -> Iterator[OutboxMessage]:
        """Yields the messages sent so far, oldest first, a page at a time."""
        end, after = self._count, 0
        while after < end:
            with self._lock:
                self._unwritten.flush(self._db)
                rows = self._db.execute(
                    f"{_SELECT} WHERE id > ? AND id <= ? ORDER BY id LIMIT 1000", (after, end)
                ).fetchall()
            if not rows:
                return
            after = int(rows[-1][0])
            yield from (_message(row) for row in rows)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> OutboxMessage:
        with self._lock:
            position = self._position(index)
            unwritten = self._unwritten.messages.get(position)
            if unwritten is not None:
                return unwritten
            row = self._db.execute(f"{_SELECT} WHERE id = ?", (position,)).fetchone()
        return _message(row)


_FIELDS = tuple(OutboxMessage.__dataclass_fields__)
