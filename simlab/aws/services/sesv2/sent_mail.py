"""The email the account sent through SES, as the outbox holds it: what SES v2 reports read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage


def aware(moment: Any) -> Any:
    """``moment`` in UTC if it is a naive datetime; anything else as it is."""
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def sent_emails(start: datetime | None = None, end: datetime | None = None) -> list[OutboxMessage]:
    """The outbox's SES email entries with a MessageId, sent between ``start`` and ``end``."""
    start, end = aware(start), aware(end)
    return [
        m
        for m in state().outbox.filter(channel="EMAIL", service="ses")
        if m.message_id
        and (start is None or m.sent_at >= start)
        and (end is None or m.sent_at <= end)
    ]


def domain_of(address: str) -> str:
    """The lower-case domain of an email address."""
    return address.rpartition("@")[2].lower()
