"""The event pipeline: which events each channel writes, and how Firehose buffers them into objects.

Event names come from `simlab.facts` (Pinpoint stream records for email and push, AWS End User
Messaging event types for SMS and voice). Firehose writes an S3 object when its buffer reaches
``SizeInMBs`` or ``IntervalInSeconds`` after the first buffered record, whichever comes first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simlab.facts import events, sms, streams

OUTCOMES: tuple[str, ...] = ("delivered", "bounced", "complained", "failed")


def _fact_name(name: str, names: tuple[str, ...]) -> str:
    if name not in names:  # a guard: every name we write is one AWS documents
        raise KeyError(f"{name!r} is not among the documented event types")
    return name


def _email(name: str) -> str:
    return _fact_name(name, events.EMAIL_EVENT_TYPES.value)


def _sms(name: str) -> str:
    return _fact_name(name, events.SMS_EVENT_TYPES.value)


def _voice(name: str) -> str:
    return _fact_name(name, sms.EVENT_TYPES.value)


def _campaign(name: str) -> str:
    return _fact_name(name, events.CAMPAIGN_EVENT_TYPES.value)


@dataclass(frozen=True, slots=True)
class ChannelEvents:
    """Event names a channel writes: one when sent, one per outcome, one per opt-out."""

    send: str | None
    outcome: dict[str, str | None]
    opted_out: str | None


EVENTS: dict[str, ChannelEvents] = {
    "email": ChannelEvents(
        _email("_email.send"),
        {
            "delivered": _email("_email.delivered"),
            "bounced": _email("_email.hardbounce"),
            "complained": _email("_email.complaint"),
            "failed": _email("_email.rejected"),
        },
        None,
    ),
    "sms": ChannelEvents(
        _sms("_SMS.BUFFERED"),
        {
            "delivered": _sms("_SMS.SUCCESS"),
            "bounced": _sms("_SMS.FAILURE"),
            "complained": _sms("_SMS.SUCCESS"),
            "failed": _sms("_SMS.FAILURE"),
        },
        _sms("_SMS.OPTOUT"),
    ),
    "push": ChannelEvents(_campaign("_campaign.send"), dict.fromkeys(OUTCOMES), None),
    "voice": ChannelEvents(
        _voice("VOICE_INITIATED"),
        {
            "delivered": _voice("VOICE_COMPLETED"),
            "bounced": _voice("VOICE_NO_ANSWER"),
            "complained": _voice("VOICE_COMPLETED"),
            "failed": _voice("VOICE_FAILED"),
        },
        None,
    ),
    "in_app": ChannelEvents(_campaign("_campaign.send"), dict.fromkeys(OUTCOMES), None),
}


def event_counts(
    channel: str, sent: int, outcomes: dict[str, int], opted_out: int
) -> dict[str, int]:
    """How many records of each event name a channel writes for these totals."""
    spec = EVENTS[channel]
    counts: dict[str, int] = {}
    if spec.send:
        counts[spec.send] = counts.get(spec.send, 0) + sent
    for outcome, name in spec.outcome.items():
        if name:
            counts[name] = counts.get(name, 0) + outcomes[outcome]
    if spec.opted_out:
        counts[spec.opted_out] = counts.get(spec.opted_out, 0) + opted_out
    return counts


class FirehoseBuffer:
    """Counts the S3 objects a Firehose stream writes for records fed in time order."""

    def __init__(self, size_mb: int, interval_s: int) -> None:
        self.size = size_mb * 1024 * 1024
        self.interval = float(interval_s)
        self.objects = 0
        self.records = 0
        self.bytes = 0
        self._buffered = 0
        self._first = math.inf

    def add(self, times: np.ndarray, sizes: np.ndarray) -> None:
        """Buffers records at sorted ``times`` with byte ``sizes``, flushing as Firehose does."""
        size, interval = self.size, self.interval
        buffered, first, objects = self._buffered, self._first, self.objects
        for t, n in zip(times.tolist(), sizes.tolist(), strict=True):
            if buffered and t >= first + interval:
                objects += 1
                buffered = 0
            if not buffered:
                first = t
            buffered += n
            if buffered >= size:
                objects += 1
                buffered = 0
        self._buffered, self._first, self.objects = buffered, first, objects
        self.records += len(times)
        self.bytes += int(sizes.sum())

    def add_ticks(
        self, ends: np.ndarray, dt: float, records: np.ndarray, nbytes: np.ndarray
    ) -> None:
        """Buffers per-tick totals (records spread evenly over ``(end - dt, end]``)."""
        size, interval = self.size, self.interval
        buffered, first, objects = self._buffered, self._first, self.objects
        for end, n, b in zip(ends.tolist(), records.tolist(), nbytes.tolist(), strict=True):
            if not n:
                if buffered and end >= first + interval:
                    objects += 1
                    buffered = 0
                continue
            start = end - dt
            if buffered and start + dt / n >= first + interval:
                objects += 1
                buffered = 0
            if not buffered:
                first = start + dt / n
            total = buffered + b
            full = int(total // size)
            if full:
                objects += full
                buffered = total - full * size
                if buffered:
                    first = end - dt * buffered / b
            else:
                buffered = total
            if buffered and end >= first + interval:
                objects += 1
                buffered = 0
        self._buffered, self._first, self.objects = buffered, first, objects
        self.records += int(records.sum())
        self.bytes += int(nbytes.sum())

    def close(self) -> None:
        """Flushes what is left."""
        if self._buffered:
            self.objects += 1
            self._buffered = 0


class PeakMeter:
    """The busiest second's record and byte counts, for sizing Kinesis shards."""

    def __init__(self) -> None:
        self.peak_records = 0
        self.peak_bytes = 0
        self._second = -1
        self._records = 0
        self._bytes = 0

    def add(self, times: np.ndarray, sizes: np.ndarray) -> None:
        """Counts records at sorted ``times`` into one-second bins ``(s - 1, s]``."""
        if not len(times):
            return
        seconds = np.ceil(times).astype(np.int64)
        keys, starts = np.unique(seconds, return_index=True)
        counts = np.diff(np.append(starts, len(seconds)))
        nbytes = np.add.reduceat(sizes, starts)
        if keys[0] == self._second:
            counts[0] += self._records
            nbytes[0] += self._bytes
        else:
            self._close()
        self.peak_records = max(self.peak_records, int(counts[:-1].max(initial=0)))
        self.peak_bytes = max(self.peak_bytes, int(nbytes[:-1].max(initial=0)))
        self._second, self._records, self._bytes = int(keys[-1]), int(counts[-1]), int(nbytes[-1])

    def add_ticks(self, dt: float, records: np.ndarray, nbytes: np.ndarray) -> None:
        """Counts per-tick totals, averaged over the tick's seconds."""
        if len(records):
            self.peak_records = max(self.peak_records, math.ceil(records.max() / dt))
            self.peak_bytes = max(self.peak_bytes, math.ceil(nbytes.max() / dt))

    def _close(self) -> None:
        self.peak_records = max(self.peak_records, self._records)
        self.peak_bytes = max(self.peak_bytes, self._bytes)
        self._records = self._bytes = 0

    def close(self) -> None:
        self._close()

    def shards(self) -> int:
        """Kinesis shards the peak second needs (records and bytes per shard per second)."""
        per_records = streams.KINESIS_SHARD_WRITE_RECORDS_PER_SECOND.value
        per_bytes = streams.KINESIS_SHARD_WRITE_BYTES_PER_SECOND.value
        return max(
            math.ceil(self.peak_records / per_records), math.ceil(self.peak_bytes / per_bytes)
        )
