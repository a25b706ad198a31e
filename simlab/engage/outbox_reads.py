"""Reading the outbox: filters, pages, read-only SQL and notebook exports."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from simlab.engage.outbox_messages import FIELDS, SELECT, OutboxMessage, Unwritten, from_row

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
#: What a read-only query may do (sqlite3 authorizer action codes).
_READ_ACTIONS = frozenset(
    (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE)
)


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


class OutboxReads:
    """The reading half of ``Outbox``: every read writes the buffered messages first."""

    _db: sqlite3.Connection
    _lock: threading.RLock
    _unwritten: Unwritten
    _count: int

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
        query = f"{SELECT}{f' WHERE {where}' if where else ''} ORDER BY id"
        with self._lock:
            self._unwritten.flush(self._db)
            rows = self._db.execute(query, values).fetchall()
        return [from_row(row) for row in rows]

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
        query = f"{SELECT} WHERE id > ?{f' AND {where}' if where else ''} ORDER BY id LIMIT ?"
        with self._lock:
            self._unwritten.flush(self._db)
            rows = self._db.execute(query, [after, *values, limit + 1]).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        positions = [int(row[0]) for row in rows]
        return Page([from_row(row) for row in rows], positions, positions[-1] if more else None)

    def last(self, **criteria: str) -> OutboxMessage:
        """Returns the newest message matching ``criteria``; raises LookupError if none."""
        where, values = self._where(dict(criteria))
        query = f"{SELECT}{f' WHERE {where}' if where else ''} ORDER BY id DESC LIMIT 1"
        with self._lock:
            self._unwritten.flush(self._db)
            row = self._db.execute(query, values).fetchone()
        if row is None:
            raise LookupError(f"no message in the outbox matches {criteria}")
        return from_row(row)

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
        return pandas.DataFrame.from_records(self.to_records(), columns=list(FIELDS))

    def summary(self) -> str:
        """Returns a stable text table: one line per message, no ids or dates."""
        lines = [f"{'channel':<7} {'status':<20} {'from':<28} {'to':<32} subject/body"]
        for m in self:
            text = (m.subject or m.body).replace("\n", " ")
            text = text if len(text) <= 40 else text[:37] + "..."
            lines.append(f"{m.channel:<7} {m.status:<20} {m.origin:<28} {m.destination:<32} {text}")
        return "\n".join(lines)

    def __iter__(self) -> Iterator[OutboxMessage]:
        """Yields the messages sent so far, oldest first, a page at a time."""
        end, after = self._count, 0
        while after < end:
            with self._lock:
                self._unwritten.flush(self._db)
                rows = self._db.execute(
                    f"{SELECT} WHERE id > ? AND id <= ? ORDER BY id LIMIT 1000", (after, end)
                ).fetchall()
            if not rows:
                return
            after = int(rows[-1][0])
            yield from (from_row(row) for row in rows)
