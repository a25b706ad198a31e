"""The outbox: every message the local AWS sends, on every channel, in one place.

One message is one entry. When one service sends through another (Pinpoint hands an email to
SES, a text to End User Messaging), the caller wraps the hand-off in ``acting_for``: the entry
the carrier writes then names the API the learner called (``service``) and the carrier
(``detail["carrier"]``), so nothing is counted twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


class Outbox:
    """A thread-safe, append-only record of sent messages, filterable."""

    def __init__(self) -> None:
        self._messages: list[OutboxMessage] = []
        self._latest: dict[str, int] = {}  # message id -> index of its newest message
        self._lock = threading.Lock()

    def add(self, message: OutboxMessage) -> OutboxMessage:
        """Records ``message`` and returns it (as written for the caller ``acting_for`` names)."""
        if message.channel not in CHANNELS:
            raise ValueError(
                f"channel must be one of {', '.join(CHANNELS)}, got {message.channel!r}"
            )
        acting = _ACTING.get()
        if acting is not None and acting.outbox is self and message.service != acting.service:
            detail = {**message.detail, **acting.detail, "carrier": message.service}
            message = replace(message, service=acting.service, detail=detail)
        with self._lock:
            index = len(self._messages)
            self._latest[message.message_id] = index
            self._messages.append(message)
        if acting is not None and acting.outbox is self:
            acting.indices.append(index)
        return message

    @contextmanager
    def acting_for(self, service: str, **detail: Any) -> Iterator[Acting]:
        """Writes the entries added inside the block for ``service``, the carrier in detail.

        ``with outbox.acting_for("pinpoint", app_id=...) as acting: ses.send_email(...)``
        gives one entry with ``service="pinpoint"`` and ``detail["carrier"] == "ses"``;
        ``acting.messages`` holds it. Later ``update_status`` calls by message id reach it.
        """
        acting = Acting(self, service, dict(detail))
        token = _ACTING.set(acting)
        try:
            yield acting
        finally:
            _ACTING.reset(token)

    def _replace(self, index: int, **changes: Any) -> OutboxMessage:
        with self._lock:
            old = self._messages[index]
            new = replace(old, **changes)
            self._messages[index] = new
            if new.message_id != old.message_id:
                if self._latest.get(old.message_id) == index:
                    del self._latest[old.message_id]
                self._latest[new.message_id] = index
        return new

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
