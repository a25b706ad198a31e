"""One outbox entry (``OutboxMessage``) and its row in the ``messages`` table."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import chain, islice
from operator import itemgetter
from typing import Any

from simlab.engage.outbox_details import detail_json, details_json
from simlab.engage.outbox_keys import MessageKeys

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
#: The table, created if missing (rows are found by message id through ``outbox_keys``).
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, {", ".join(f"{c} TEXT NOT NULL" for c in COLUMNS)}
);
"""
#: The statements the outbox runs on the table.
SELECT = f"SELECT id, {', '.join(COLUMNS)} FROM messages"
INSERT_AT = (
    f"INSERT INTO messages (id, {', '.join(COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})"
)
#: Rows one statement inserts when many are written together: a statement per row costs more
#: (its run and reset) than its values, and 64 rows' values stay far below SQLite's limit.
ROWS_AT_ONCE = 64


def insert_rows(count: int) -> str:
    """``INSERT_AT`` of ``count`` rows at once: their values one after the other."""
    row = f"({', '.join('?' * (len(COLUMNS) + 1))})"
    return f"{INSERT_AT.partition(' VALUES ')[0]} VALUES {', '.join([row] * count)}"


SET_STATUS = "UPDATE messages SET status = ?, detail = ? WHERE id = ?"
UPDATE = f"UPDATE messages SET {', '.join(f'{c} = ?' for c in COLUMNS)} WHERE id = ?"


@dataclass(frozen=True, init=False)
class OutboxMessage:
    """One message as it left (or failed to leave) the local AWS.

    A few are made for every message sent (the carrier's entry, the entry it stands for, each
    status change), so ``__init__`` fills the instance dict in one call rather than the frozen
    dataclass's one ``object.__setattr__`` per field; it stays frozen, compared field by field.
    """

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

    def __init__(
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
        self.__dict__.update(
            channel=channel,
            service=service,
            origin=origin,
            destination=destination,
            body=body,
            message_id=message_id,
            sent_at=sent_at,
            status=status,
            subject=subject,
            detail={} if detail is None else detail,
        )

    def to_json(self) -> dict[str, Any]:
        """Returns the message as JSON-ready data, time in ISO 8601."""
        data = asdict(self)
        data["sent_at"] = self.sent_at.isoformat().replace("+00:00", "Z")
        return data


_new_message = object.__new__


def with_status(old: OutboxMessage, status: str, detail: dict[str, Any]) -> OutboxMessage:
    """``replace(old, status=..., detail=...)`` without its per-call field walk."""
    new = _new_message(OutboxMessage)
    new.__dict__.update(old.__dict__, status=status, detail=detail)
    return new


#: The last ``sent_at`` written and its text: the messages of one instant share one datetime.
_LAST_SENT_AT: tuple[datetime | None, str] = (None, "")


def _sent_at_text(moment: datetime) -> str:
    """``moment.isoformat()``, worked out once for a run of messages sent at one instant."""
    global _LAST_SENT_AT
    last = _LAST_SENT_AT
    if last[0] is not moment:
        last = _LAST_SENT_AT = (moment, moment.isoformat())
    return last[1]


def to_row(message: OutboxMessage) -> tuple[str, ...]:
    """The message's values for ``COLUMNS``, in order."""
    return (
        message.channel,
        message.service,
        message.origin,
        message.destination,
        message.body,
        message.message_id,
        _sent_at_text(message.sent_at),
        message.status,
        message.subject,
        detail_json(message.detail),
    )


#: Where a field sits in an unwritten row: ``[position, *COLUMNS values]``, ``sent_at`` a
#: datetime and ``detail`` a dict until the row is written.
POSITION, SENT_AT, STATUS, DETAIL, MESSAGE_ID = 0, 7, 8, 10, 6
#: A field's place in an unwritten row, by name.
PLACES = {name: place for place, name in enumerate(COLUMNS, start=1)}
#: An unwritten row: its position, then its values for ``COLUMNS``.
Row = list[Any]


def row_message(row: Row) -> OutboxMessage:
    """The message an unwritten row holds (a new object, equal to the one added)."""
    message = _new_message(OutboxMessage)
    message.__dict__.update(zip(COLUMNS, islice(row, 1, None), strict=True))
    return message


def _finish_rows(rows: list[Row]) -> list[str]:
    """Turns each unwritten row's ``sent_at`` and ``detail`` into the text the table stores,
    in place, and returns the rows' message ids (the messages of a run share their
    ``sent_at``, and most of their detail: ``details_json`` writes the details together)."""
    global _LAST_SENT_AT
    last, text = _LAST_SENT_AT
    texts = details_json(list(map(_detail_of, rows)))
    for row, detail in zip(rows, texts, strict=True):
        moment = row[SENT_AT]
        if moment is not last:
            last, text = moment, moment.isoformat()
        row[SENT_AT] = text
        row[DETAIL] = detail
    _LAST_SENT_AT = (last, text)
    return list(map(_id_of, rows))


def _insert(db: sqlite3.Connection, rows: list[Row]) -> None:
    """Inserts ``rows``, ``ROWS_AT_ONCE`` to a statement (the rest by one of their own)."""
    values = list(chain.from_iterable(rows))
    width = ROWS_AT_ONCE * (len(COLUMNS) + 1)
    whole = len(values) - len(values) % width
    if whole:
        db.executemany(_INSERT_MANY, [values[at : at + width] for at in range(0, whole, width)])
    if whole < len(values):
        db.execute(insert_rows(len(rows) % ROWS_AT_ONCE), values[whole:])


_INSERT_MANY = insert_rows(ROWS_AT_ONCE)
_detail_of = itemgetter(DETAIL)
_id_of = itemgetter(MESSAGE_ID)


def from_row(row: Sequence[Any]) -> OutboxMessage:
    """The message of a ``SELECT`` row (``id`` first)."""
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
class Unwritten:
    """Messages added but not yet in the database, in two generations, as rows.

    New messages join ``messages``; once it holds the outbox's buffer (4,096) the outbox calls
    ``age``, which writes the older generation (``older``) and makes ``messages`` the older
    one. So every message stays unwritten while a buffer's worth more are sent, and one whose
    status changes meanwhile (most: a carrier answers in seconds) is written once, as it ends
    up. ``flush``, which every read makes first, writes both. A message waits as a ``Row``
    (a list the outbox changes in place), not an ``OutboxMessage``: no object per change.
    """

    messages: dict[int, Row] = field(default_factory=dict)  # position -> row
    latest: dict[str, int] = field(default_factory=dict)  # message id -> newest position
    older: dict[int, Row] = field(default_factory=dict)  # the generation before
    older_latest: dict[str, int] = field(default_factory=dict)  # its message ids
    keys: MessageKeys = field(default_factory=lambda: MessageKeys(COLUMNS))  # written rows' ids

    def age(self, db: sqlite3.Connection) -> None:
        """Writes the older generation and makes the newer one older; the caller holds the
        lock."""
        self._write(db, self.older)
        self.older, self.older_latest = self.messages, self.latest
        self.messages, self.latest = {}, {}

    def flush(self, db: sqlite3.Connection) -> None:
        """Writes both generations; the caller holds the lock."""
        if self.older:
            self._write(db, self.older)
            self.older, self.older_latest = {}, {}
        if self.messages:
            self._write(db, self.messages)
            self.messages, self.latest = {}, {}

    def _write(self, db: sqlite3.Connection, messages: dict[int, Row]) -> None:
        """Inserts ``messages`` (consecutive positions) and files their ids, together; their
        rows hold the table's text afterwards (the caller drops the generation)."""
        if not messages:
            return
        rows = list(messages.values())
        ids = _finish_rows(rows)
        begun = not db.in_transaction
        if begun:
            db.execute("BEGIN")
        _insert(db, rows)
        self.keys.written(db, rows[0][POSITION], ids)
        if begun:
            db.execute("COMMIT")

    def find(self, position: int) -> Row | None:
        """The unwritten row at ``position``, or None."""
        row = self.messages.get(position)
        return self.older.get(position) if row is None else row

    def renamed(self, position: int) -> None:
        """Files the message ids of ``position``'s generation again (one of them changed)."""
        generation, latest = (
            (self.messages, self.latest)
            if position in self.messages
            else (self.older, self.older_latest)
        )
        latest.clear()
        latest.update({row[MESSAGE_ID]: p for p, row in generation.items()})

    def clear(self) -> None:
        """Forgets every unwritten message (the caller empties the tables)."""
        self.keys.clear()
        self.messages, self.latest = {}, {}
        self.older, self.older_latest = {}, {}


#: The fields of an ``OutboxMessage``, in order (the columns of ``Outbox.to_dataframe``).
FIELDS = tuple(OutboxMessage.__dataclass_fields__)
