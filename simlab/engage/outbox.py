"""The outbox: every message the local AWS sends, on every channel, in one place."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

#: Channels a message can leave on, as Pinpoint names them.
CHANNELS = ("EMAIL", "SMS", "VOICE", "PUSH", "IN_APP", "CUSTOM")


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


class Outbox:
    """A thread-safe, append-only record of sent messages, filterable."""

    def __init__(self) -> None:
        self._messages: list[OutboxMessage] = []
        self._latest: dict[str, int] = {}  # message id -> index of its newest message
        self._lock = threading.Lock()

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Records ``message`` and returns it."""
        if message.channel not in CHANNELS:
            raise ValueError(
                f"channel must be one of {', '.join(CHANNELS)}, got {message.channel!r}"
            )
        with self._lock:
            self._latest[message.message_id] = len(self._messages)
            self._messages.append(message)
        return message

    def update_status(self, message_id: str, status: str, **detail: Any) -> OutboxMessage:
        """Replaces the status of the message with ``message_id`` (the latest one if several)."""
        with self._lock:
            index = self._latest.get(message_id)
            if index is not None:
                old = self._messages[index]
                new = replace(old, status=status, detail={**old.detail, **detail})
                self._messages[index] = new
                return new
        raise KeyError(f"no message with id {message_id!r} in the outbox")

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
        criteria = {
            "channel": channel,
            "service": service,
            "destination": to,
            "origin": origin,
            "status": status,
        }
        wanted = {key: value for key, value in criteria.items() if value is not None}
        with self._lock:
            messages = list(self._messages)
        return [m for m in messages if all(getattr(m, k) == v for k, v in wanted.items())]

    def last(self, **criteria: str) -> OutboxMessage:
        """Returns the newest message matching ``criteria``; raises LookupError if none."""
        found = self.filter(**criteria)
        if not found:
            raise LookupError(f"no message in the outbox matches {criteria}")
        return found[-1]

    def counts(self) -> dict[tuple[str, str], int]:
        """Counts messages by (channel, status)."""
        totals: dict[tuple[str, str], int] = {}
        for message in self:
            key = (message.channel, message.status)
            totals[key] = totals.get(key, 0) + 1
        return totals

    def summary(self) -> str:
        """Returns a stable text table: one line per message, no ids or dates."""
        lines = [f"{'channel':<7} {'status':<20} {'from':<28} {'to':<32} subject/body"]
        for m in self:
            text = (m.subject or m.body).replace("\n", " ")
            text = text if len(text) <= 40 else text[:37] + "..."
            lines.append(f"{m.channel:<7} {m.status:<20} {m.origin:<28} {m.destination:<32} {text}")
        return "\n".join(lines)

    def clear(self) -> None:
        """Forgets every message."""
        with self._lock:
            self._messages.clear()
            self._latest.clear()

    def __iter__(self) -> Iterator[OutboxMessage]:
        with self._lock:
            return iter(list(self._messages))

    def __len__(self) -> int:
        return len(self._messages)

    def __getitem__(self, index: int) -> OutboxMessage:
        return self._messages[index]
