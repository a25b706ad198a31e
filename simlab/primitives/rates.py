"""Rate rules shared by the local AWS, the engine and the simulation models: one of each.

* ``TokenBucket`` — a sustained rate with a burst, e.g. SES's sending rate or SMS MPS.
* ``RollingWindow`` — a count over a sliding window, e.g. SES's 24-hour quota.
* ``MpsLimiter`` — SMS parts per second per origination identity, one bucket each.

All take the time as seconds on a simulated clock, never the wall clock.
"""

from __future__ import annotations

import math
from collections import deque

from simlab.facts import sms


class TokenBucket:
    """Admits ``rate`` units per second on average, up to ``burst`` at once."""

    def __init__(self, rate: float, burst: float | None = None, *, now: float = 0.0) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(1.0, rate))
        if self.burst < 1:
            raise ValueError(f"burst must be at least 1, got {self.burst}")
        self._tokens = self.burst
        self._at = now

    def _refill(self, now: float) -> None:
        if now > self._at:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now

    def available(self, now: float) -> float:
        """Tokens available at ``now``."""
        self._refill(now)
        return self._tokens

    def try_take(self, now: float, amount: float = 1.0) -> bool:
        """Takes ``amount`` tokens if there are enough at ``now``; returns whether it did."""
        self._refill(now)
        if self._tokens + 1e-9 >= amount:
            self._tokens -= amount
            return True
        return False

    def take(self, now: float, amount: float = 1.0) -> None:
        """Takes ``amount`` tokens at ``now`` even if that leaves a debt for refills to repay."""
        self._refill(now)
        self._tokens -= amount

    def wait_time(self, now: float, amount: float = 1.0) -> float:
        """Seconds from ``now`` until ``amount`` tokens are available (0 if they are)."""
        self._refill(now)
        missing = amount - self._tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate


class RollingWindow:
    """Counts what happened in the last ``window`` seconds, against a ``limit``."""

    def __init__(self, window: float, limit: float) -> None:
        self.window = float(window)
        self.limit = limit
        self._events: deque[tuple[float, float]] = deque()
        self._total = 0.0

    def used(self, now: float) -> float:
        """The amount counted in ``(now - window, now]``."""
        while self._events and self._events[0][0] <= now - self.window:
            self._total -= self._events.popleft()[1]
        return self._total

    def remaining(self, now: float) -> float:
        """What may still be added at ``now`` (``math.inf`` when the limit is unlimited)."""
        return math.inf if self.limit < 0 else self.limit - self.used(now)

    def try_add(self, now: float, amount: float = 1.0) -> bool:
        """Adds ``amount`` if it fits under the limit at ``now``; returns whether it did."""
        if self.remaining(now) < amount:
            return False
        self.add(now, amount)
        return True

    def add(self, now: float, amount: float = 1.0) -> None:
        """Counts ``amount`` at ``now`` regardless of the limit."""
        self.used(now)
        self._events.append((now, amount))
        self._total += amount

    def next_free(self, now: float, amount: float = 1.0) -> float:
        """The earliest time from ``now`` at which ``amount`` fits under the limit."""
        missing = amount - self.remaining(now)
        if missing <= 0:
            return now
        for at, counted in self._events:
            missing -= counted
            if missing <= 0:
                free = at + self.window
                while free - self.window < at:  # the first float at which ``at`` has left
                    free = math.nextafter(free, math.inf)
                return free
        return math.inf


class MpsLimiter:
    """SMS throughput: message parts per second per origination identity, one TokenBucket each.

    The rate of an identity comes from ``facts.sms.origination_mps`` (its number type and
    country); the bucket holds one second's worth. A message is admitted while its identity is
    not behind; its parts are all charged at once, so a long message on a slow number delays
    the next one by as many seconds as it has parts, and the sustained rate is exactly the MPS.
    """

    def __init__(self) -> None:
        self._buckets: dict[str, TokenBucket] = {}

    @staticmethod
    def rate_of(number_type: str, iso_country: str = "US") -> float:
        """Returns the MPS of an origination type in a country (SIMULATOR counts as LONG_CODE)."""
        kind = "LONG_CODE" if number_type == "SIMULATOR" else number_type
        return float(sms.origination_mps(kind, iso_country).value)

    def bucket(
        self, identity: str, number_type: str, iso_country: str = "US", *, now: float = 0.0
    ) -> TokenBucket:
        """Returns the bucket of ``identity``, made on first use."""
        if identity not in self._buckets:
            rate = self.rate_of(number_type, iso_country)
            self._buckets[identity] = TokenBucket(rate, rate, now=now)
        return self._buckets[identity]

    def try_send(
        self, identity: str, number_type: str, iso_country: str, parts: int, now: float
    ) -> bool:
        """Admits a message of ``parts`` parts from ``identity`` at ``now``; returns if it did."""
        bucket = self.bucket(identity, number_type, iso_country, now=now)
        if bucket.available(now) + 1e-9 < min(max(parts, 1), bucket.burst):
            return False
        bucket.take(now, max(parts, 1))
        return True

    def wait_time(
        self, identity: str, number_type: str, iso_country: str, parts: int, now: float
    ) -> float:
        """Seconds from ``now`` until ``identity`` may send a message of ``parts`` parts."""
        bucket = self.bucket(identity, number_type, iso_country, now=now)
        return bucket.wait_time(now, min(max(parts, 1), bucket.burst))

    def forget(self, identity: str) -> None:
        """Drops the bucket of a released identity."""
        self._buckets.pop(identity, None)
