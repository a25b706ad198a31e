"""A simulated clock: wall-clock time for the emulator, driven by a SimPy environment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import simpy

#: Where every simulated clock starts unless told otherwise: a Monday morning, UTC.
DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)


def _as_seconds(duration: float | timedelta) -> float:
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if seconds < 0:
        raise ValueError(f"duration must not be negative, got {seconds} s")
    return seconds


def parse_time(value: str | datetime) -> datetime:
    """Returns an aware UTC datetime from an ISO 8601 string or a datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Clock:
    """Simulated time that moves only when told to.

    ``env`` is a SimPy environment whose time unit is one second since ``epoch``; anything
    scheduled on it (buffer flushes, campaign runs) happens as the clock is advanced.
    """

    def __init__(self, epoch: datetime = DEFAULT_EPOCH) -> None:
        self.epoch = parse_time(epoch)
        self._naive_epoch = self.epoch.replace(tzinfo=None)
        self.env = simpy.Environment()
        self._lock = threading.RLock()

    @property
    def seconds(self) -> float:
        """Seconds elapsed since the epoch."""
        return float(self.env.now)

    def now(self) -> datetime:
        """The current simulated time, UTC."""
        return self.epoch + timedelta(seconds=self.env.now)

    def naive_utc(self) -> datetime:
        """The current simulated time as a naive UTC datetime (how moto keeps time)."""
        return self._naive_epoch + timedelta(seconds=self.env.now)

    def timestamp(self) -> float:
        """The current simulated time as a Unix timestamp in seconds."""
        return self.now().timestamp()

    def timestamp_ms(self) -> int:
        """The current simulated time as a Unix timestamp in milliseconds."""
        return round(self.timestamp() * 1000)

    def advance(self, duration: float | timedelta) -> datetime:
        """Moves time forward by ``duration`` (seconds or a timedelta), running what falls due."""
        with self._lock:
            target = self.env.now + _as_seconds(duration)
            while self.env.peek() <= target:  # what falls due at ``target`` runs too
                self.env.step()
            if self.env.now < target:
                self.env.run(until=target)
            return self.now()

    def advance_to(self, moment: str | datetime) -> datetime:
        """Moves time forward to ``moment``; moving backwards is refused."""
        target = parse_time(moment)
        delta = (target - self.now()).total_seconds()
        if delta < 0:
            raise ValueError(f"cannot move the clock back from {self.now():%Y-%m-%dT%H:%M:%SZ}")
        return self.advance(delta)

    def call_at(self, moment: datetime, callback: Callable[[], object]) -> None:
        """Runs ``callback`` once when the clock reaches ``moment`` (at once if it has)."""
        delay = max(0.0, (parse_time(moment) - self.now()).total_seconds())
        self.call_later(delay, callback)

    def call_later(self, delay: float | timedelta, callback: Callable[[], object]) -> None:
        """Runs ``callback`` once after ``delay`` simulated seconds."""
        seconds = _as_seconds(delay)

        def run() -> simpy.events.Event:
            yield self.env.timeout(seconds)
            callback()

        with self._lock:
            self.env.process(run())

    def __repr__(self) -> str:
        return f"Clock(now={self.now().isoformat()})"
