"""``Instant``: one simulated instant in every form a ``Clock`` reads it out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from math import modf
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simlab.engage.clock import Clock


class Instant:
    """One simulated instant as ``Clock`` reads it out: timestamps, and aware and naive
    datetimes made on first read (most instants are read as a timestamp alone).

    Its values never change once read, so a clock can hand the last one to any thread.
    """

    __slots__ = ("_clock", "_naive", "_now", "_us", "seconds", "timestamp", "timestamp_ms")

    def __init__(self, clock: Clock, seconds: float) -> None:
        self._us = us = offset_microseconds(seconds)
        self._clock = clock
        self._now: datetime | None = None
        self._naive: datetime | None = None
        self.seconds = seconds
        # ``(clock.epoch + offset).timestamp()``: whole microseconds since 1970, divided once
        self.timestamp = (clock.epoch_microseconds + us) / 1_000_000
        self.timestamp_ms = round(self.timestamp * 1000)

    @property
    def now(self) -> datetime:
        """The instant as an aware UTC datetime."""
        if self._now is None:
            self._now = self._clock.epoch + timedelta(microseconds=self._us)
        return self._now

    @property
    def naive(self) -> datetime:
        """The instant as a naive UTC datetime."""
        if self._naive is None:
            self._naive = self._clock.naive_epoch + timedelta(microseconds=self._us)
        return self._naive


def offset_microseconds(seconds: float) -> int:
    """``microseconds(timedelta(seconds=seconds))`` without making the timedelta: the whole
    seconds exactly, their fraction rounded to a microsecond half to even, as timedelta rounds
    a float (a whole microsecond count's parity is its fraction's, a million being even)."""
    fraction, whole = modf(seconds)
    return int(whole) * 1_000_000 + round(fraction * 1_000_000.0)


def microseconds(span: timedelta) -> int:
    """``span`` in whole microseconds (a timedelta holds nothing finer)."""
    return (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds


#: The Unix epoch, which ``datetime.timestamp`` counts from.
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
