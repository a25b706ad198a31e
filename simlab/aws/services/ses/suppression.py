"""The account-level suppression list: addresses SES will not send to, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

REASONS = ("BOUNCE", "COMPLAINT")


@dataclass
class SuppressedDestination:
    """One suppressed address, with what put it there."""

    email_address: str
    reason: str
    last_update_time: datetime
    message_id: str = ""
    feedback_id: str = ""

    def summary(self) -> dict[str, object]:
        """The ``SuppressedDestinationSummary`` shape."""
        return {
            "EmailAddress": self.email_address,
            "Reason": self.reason,
            "LastUpdateTime": self.last_update_time,
        }

    def full(self) -> dict[str, object]:
        """The ``SuppressedDestination`` shape."""
        attributes = {"MessageId": self.message_id, "FeedbackId": self.feedback_id}
        return {**self.summary(), "Attributes": {k: v for k, v in attributes.items() if v}}


class SuppressionList:
    """Addresses keyed case-insensitively; ``suppressed_reasons`` say what adds them itself.

    Accounts created since November 2019 start with the list on for bounces and complaints
    (https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html).
    """

    def __init__(self) -> None:
        self.suppressed_reasons: list[str] = list(REASONS)
        self._entries: dict[str, SuppressedDestination] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, entry: SuppressedDestination) -> None:
        """Adds or replaces the entry for its address."""
        self._entries[entry.email_address.lower()] = entry

    def get(self, address: str) -> SuppressedDestination | None:
        """The entry for ``address``, or None."""
        return self._entries.get(address.lower())

    def delete(self, address: str) -> bool:
        """Removes ``address``; returns whether it was listed."""
        return self._entries.pop(address.lower(), None) is not None

    def entries(
        self,
        reasons: list[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[SuppressedDestination]:
        """Entries with one of ``reasons``, updated within [start, end], oldest first."""
        found = [
            entry
            for entry in self._entries.values()
            if (not reasons or entry.reason in reasons)
            and (start is None or entry.last_update_time >= start)
            and (end is None or entry.last_update_time <= end)
        ]
        return sorted(found, key=lambda e: (e.last_update_time, e.email_address))
