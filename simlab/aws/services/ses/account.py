"""The SES account of one Region: sandbox or production, its sending quotas and statistics.

Quotas count recipients, per Region (facts.ses 4.12): a rolling 24-hour quota
(``RollingWindow``) and a per-second rate (``TokenBucket``), both on the simulated clock.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from simlab.facts import ses as facts
from simlab.primitives.rates import RollingWindow, TokenBucket

DAY = 24 * 3600.0
#: GetSendStatistics reports 15-minute intervals over the last two weeks.
STATISTICS_INTERVAL = timedelta(minutes=15)
STATISTICS_SPAN = timedelta(days=14)


@dataclass
class Quota:
    """A sending quota; ``max_24_hour_send = -1`` means no daily cap."""

    max_24_hour_send: float
    max_send_rate: float

    def __post_init__(self) -> None:
        if self.max_24_hour_send != -1 and self.max_24_hour_send < 1:
            raise ValueError(
                f"max_24_hour_send must be at least 1 (or -1 for no cap), "
                f"got {self.max_24_hour_send}"
            )
        if self.max_send_rate <= 0:
            raise ValueError(f"max_send_rate must be positive, got {self.max_send_rate}")


SANDBOX_QUOTA = Quota(facts.SANDBOX_MAX_24_HOUR_SEND.value, facts.SANDBOX_MAX_SEND_RATE.value)


class SendRate:
    """The per-second sending rate, as SES applies it to messages with many recipients.

    A message goes out while at least one send is available; its other recipients are taken as
    debt, and the next message waits until it is paid. (SES: "if your send rate quota is one
    message per second, and you send a message to five recipients at once, Amazon SES lets you
    do that. For the next five seconds, though, Amazon will return errors", quoted from the SES
    blog in github.com/django-ses/django-ses/issues/59.)
    """

    def __init__(self, rate: float, now: float = -math.inf) -> None:
        self.bucket = TokenBucket(rate, now=now)
        self._debt = 0.0
        self._paid_at = now

    def try_send(self, now: float, recipients: int) -> bool:
        """Admits a message to ``recipients`` at ``now`` if the rate allows it."""
        if now < self._paid_at:
            return False
        if self._debt:
            self.bucket.try_take(
                self._paid_at, min(self._debt, self.bucket.available(self._paid_at))
            )
            self._debt = 0.0
        available = self.bucket.available(now)
        if available + 1e-9 < 1:
            return False
        taken = min(float(recipients), available)
        self.bucket.try_take(now, taken)
        self._debt = recipients - taken
        if self._debt > 1e-9:
            self._paid_at = now + self._debt / self.bucket.rate
        else:
            self._debt = 0.0
        return True


class DailyCount(RollingWindow):
    """The 24-hour quota's count: recipients counted at one instant share one entry, so a
    burst of sends (a campaign's batch) keeps one entry rather than one per message."""

    def add(self, now: float, amount: float = 1.0) -> None:
        """Counts ``amount`` at ``now`` regardless of the limit."""
        events = self._events
        if events and events[-1][0] == now:  # the newest entry, still in the window, grows
            self.used(now)
            events[-1] = (now, events[-1][1] + amount)
            self._total += amount
        else:
            super().add(now, amount)


class SendingAccount:
    """Sandbox state, quotas, counters and statistics of one SES account in one Region."""

    def __init__(self) -> None:
        self.production_access = False
        self.sending_enabled = True
        self.production_quota = Quota(
            facts.PRODUCTION_MAX_24_HOUR_SEND.value, facts.PRODUCTION_MAX_SEND_RATE.value
        )
        self.details: dict[str, object] = {}
        self._daily = DailyCount(DAY, SANDBOX_QUOTA.max_24_hour_send)
        self._rate = SendRate(SANDBOX_QUOTA.max_send_rate)
        #: the instant of the last message ``admit_one`` admitted and the rate it went by
        self._admitted_at = math.nan
        self._admitted_by: SendRate | None = None
        self._statistics: dict[datetime, Counter[str]] = {}
        #: the moment ``count`` last saw and the counter of its 15-minute interval
        self._counted_at: datetime | None = None
        self._counts: Counter[str] = Counter()

    @property
    def quota(self) -> Quota:
        """The quota in force: the sandbox's until production access, then the production one."""
        return self.production_quota if self.production_access else SANDBOX_QUOTA

    def set_production_access(self, enabled: bool, now: float) -> None:
        """Leaves (or re-enters) the sandbox; the quota in force changes at once."""
        self.production_access = enabled
        self._apply_quota(now)

    def set_production_quota(self, quota: Quota, now: float) -> None:
        """Sets the quota production access grants (in force at once if already granted)."""
        self.production_quota = quota
        self._apply_quota(now)

    def _apply_quota(self, now: float) -> None:
        self._daily.limit = self.quota.max_24_hour_send
        self._rate = SendRate(self.quota.max_send_rate, now)

    def sent_last_24_hours(self, now: float) -> float:
        """Recipients counted against the daily quota in the 24 hours up to ``now``."""
        return self._daily.used(now)

    def admit(self, now: float, recipients: int, counted: int) -> str | None:
        """Admits a message to ``recipients`` (``counted`` of them count against the daily
        quota); returns None, or which limit refuses it: "daily" or "rate"."""
        if counted and self._daily.remaining(now) < counted:
            return "daily"
        if not self._rate.try_send(now, recipients):
            return "rate"
        if counted:
            self._daily.add(now, counted)
        return None

    def admit_one(self, now: float, counted: bool) -> str | None:
        """``admit(now, 1, 1 if counted else 0)``: a message to one recipient, with the sending
        rate's common case (no debt, a whole token at hand) taken without its general sums.

        A message at the instant of the last one this admitted (a run's) reads the counts as
        they stand: nothing has left the day's window or refilled the bucket since.
        """
        daily = self._daily
        rate = self._rate
        if now == self._admitted_at and rate is self._admitted_by:
            if counted and 0 <= daily.limit < daily._total + 1:  # ``remaining(now) < 1``
                return "daily"
            bucket = rate.bucket
            if rate._debt or now < rate._paid_at or bucket._tokens < 1.0:
                return self.admit(now, 1, 1 if counted else 0)
            bucket._tokens -= 1.0  # ``try_take(now, 1.0)`` with nothing to refill
            if counted:
                events = daily._events
                if events and events[-1][0] == now:  # ``DailyCount.add``: the instant's entry
                    events[-1] = (now, events[-1][1] + 1)
                    daily._total += 1
                else:
                    daily.add(now, 1)
            return None
        daily.used(now)  # what has left the window leaves now, counted or not
        if counted and daily.remaining(now) < 1:
            return "daily"
        if rate._debt or now < rate._paid_at:
            return self.admit(now, 1, 1 if counted else 0)
        bucket = rate.bucket
        if bucket.available(now) < 1.0:  # a fraction of a token: the general sums decide
            return self.admit(now, 1, 1 if counted else 0)
        bucket.try_take(now, 1.0)  # what ``SendRate.try_send`` takes: the whole message
        rate._debt = 0.0
        if counted:
            daily.add(now, 1)
        self._admitted_at, self._admitted_by = now, rate
        return None

    # -- statistics (GetSendStatistics) -----------------------------------------------------

    def count(self, moment: datetime, what: str, amount: int = 1) -> None:
        """Counts ``amount`` DeliveryAttempts, Bounces, Complaints or Rejects at ``moment``."""
        if moment != self._counted_at:  # sends at one instant share its interval's counter
            start = moment - timedelta(
                minutes=moment.minute % 15, seconds=moment.second, microseconds=moment.microsecond
            )
            self._counted_at = moment
            self._counts = self._statistics.setdefault(start, Counter())
        self._counts[what] += amount

    def statistics(self, now: datetime) -> list[dict[str, object]]:
        """The send data points of the last two weeks, one per 15-minute interval with sends."""
        since = now - STATISTICS_SPAN
        return [
            {
                "Timestamp": start,
                "DeliveryAttempts": counts["DeliveryAttempts"],
                "Bounces": counts["Bounces"],
                "Complaints": counts["Complaints"],
                "Rejects": counts["Rejects"],
            }
            for start, counts in sorted(self._statistics.items())
            if start >= since
        ]
