"""Every message accounted for: ``sent = delivered + failed + opted_out + throttled + pending``.

``Tally`` counts messages by fate; ``SendCaps`` remembers each endpoint's sends for the daily and
total caps of a campaign or journey.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: How each ``DeliveryStatus`` counts toward ``sent = delivered + failed + opted_out + throttled``.
OUTCOMES = {"SUCCESSFUL": "delivered", "OPT_OUT": "opted_out", "THROTTLED": "throttled"}


def outcome(delivery_status: str) -> str:
    """Returns the tally a delivery status counts in: delivered, opted_out, throttled or failed."""
    return OUTCOMES.get(delivery_status, "failed")


def send_status(delivery_status: str) -> str:
    """Returns the ``*_send_status`` a delivery status is streamed as (SUCCESSFUL -> SUCCESS)."""
    return "SUCCESS" if delivery_status == "SUCCESSFUL" else delivery_status


@dataclass
class Tally:
    """Messages by fate; ``sent`` always equals the sum of the five fates."""

    sent: int = 0
    delivered: int = 0
    failed: int = 0
    opted_out: int = 0
    throttled: int = 0
    pending: int = 0

    def schedule(self, count: int = 1) -> None:
        """Counts ``count`` messages committed but not sent yet."""
        self.sent += count
        self.pending += count

    def cancel(self, count: int = 1) -> None:
        """Withdraws ``count`` pending messages that will never leave."""
        self.sent -= count
        self.pending -= count

    def settle(self, delivery_status: str, count: int = 1) -> None:
        """Moves ``count`` pending messages to the fate their delivery status names."""
        self.pending -= count
        fate = outcome(delivery_status)
        setattr(self, fate, getattr(self, fate) + count)

    def balanced(self) -> bool:
        """True when every sent message has exactly one fate."""
        parts = self.delivered + self.failed + self.opted_out + self.throttled + self.pending
        return self.sent == parts

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "delivered": self.delivered,
            "failed": self.failed,
            "opted_out": self.opted_out,
            "throttled": self.throttled,
            "pending": self.pending,
        }


class SendCaps:
    """Per-endpoint send history of one campaign or journey: daily (rolling 24 h) and total caps.

    An endpoint sent once keeps its send's time alone (no list), so a run over a million
    endpoints keeps one dictionary entry each.
    """

    def __init__(self) -> None:
        self._times: dict[str, float | list[float]] = {}

    def times(self, endpoint_id: str) -> list[float] | tuple[float, ...]:
        """The simulated seconds of each send to the endpoint recorded here, oldest first."""
        times = self._times.get(endpoint_id)
        if times is None:
            return ()
        return times if isinstance(times, list) else (times,)

    def refusal(self, endpoint_id: str, now: float, daily: int, total: int) -> str | None:
        """Returns DAILY_CAP or TOTAL_CAP if one more send would break a cap (0 = no cap)."""
        if not (daily or total):
            return None
        times = self.times(endpoint_id)
        if total and len(times) >= total:
            return "TOTAL_CAP"
        if daily and sum(1 for t in times if now - t < 86_400) >= daily:
            return "DAILY_CAP"
        return None

    def record(self, endpoint_id: str, now: float) -> None:
        times = self._times.get(endpoint_id)
        if times is None:
            self._times[endpoint_id] = now
        elif isinstance(times, list):
            times.append(now)
        else:
            self._times[endpoint_id] = [times, now]

    def record_many(self, endpoint_ids: Iterable[str], now: float) -> None:
        """``record`` of each endpoint id, in order."""
        times = self._times
        ids = endpoint_ids if isinstance(endpoint_ids, list) else list(endpoint_ids)
        fresh = dict.fromkeys(ids, now)
        if len(fresh) == len(ids) and times.keys().isdisjoint(fresh):  # each sent once, first
            times.update(fresh)
            return
        for endpoint_id in ids:
            known = times.get(endpoint_id)
            if known is None:
                times[endpoint_id] = now
            elif isinstance(known, list):
                known.append(now)
            else:
                times[endpoint_id] = [known, now]

    def count(self, endpoint_id: str) -> int:
        return len(self.times(endpoint_id))
