"""A `Scenario`: who gets what, on which channels, how fast, at what odds, through which pipeline.

Everything is a frozen dataclass validated on construction, so a bad value fails where it is
made, with a message naming the field and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from simlab.facts import streams
from simlab.primitives.scale import SCALES as SCALES  # re-exported: older imports name sim
from simlab.primitives.scale import ScaleError as ScaleError
from simlab.primitives.scale import default_scale as default_scale

#: The channels a scenario may use, in display order.
CHANNELS: tuple[str, ...] = ("email", "sms", "push", "voice", "in_app")
#: Arrival patterns: all at once, spread evenly, following the day, or as random events.
PATTERNS: tuple[str, ...] = ("burst", "steady", "diurnal", "event")
#: Which service may carry which channel (SNS, SES, Pinpoint, AWS End User Messaging).
SERVICES: dict[str, tuple[str, ...]] = {
    "ses": ("email",),
    "sns": ("email", "sms", "push"),
    "pinpoint": ("email", "sms", "push", "voice", "in_app"),
    "eum": ("sms", "voice"),
}
DAY = 86_400.0


class ScenarioError(ValueError):
    """A scenario value is out of range; the message names the field and what is allowed."""


def _check(ok: bool, name: str, allowed: str, value: Any) -> None:
    if not ok:
        raise ScenarioError(f"{name} must be {allowed}; got {value!r}")


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What becomes of each message: probabilities that sum to 1.

    ``opted_out`` messages are never sent; ``bounced`` and ``failed`` are sent and fail;
    ``delivered`` and ``complained`` (a delivery marked as spam) are sent and delivered.
    """

    delivered: float = 1.0
    bounced: float = 0.0
    complained: float = 0.0
    failed: float = 0.0
    opted_out: float = 0.0

    def validate(self, where: str) -> None:
        for name in ("delivered", "bounced", "complained", "failed", "opted_out"):
            value = getattr(self, name)
            _check(_finite(value) and 0 <= value <= 1, f"{where}.{name}", "in [0, 1]", value)
        total = self.delivered + self.bounced + self.complained + self.failed + self.opted_out
        _check(abs(total - 1) <= 1e-9, f"{where} (probabilities)", "summing to 1", round(total, 12))

    def sent_split(self) -> tuple[float, float, float, float]:
        """(delivered, bounced, complained, failed) given the message was sent."""
        sent = 1.0 - self.opted_out
        if sent <= 0:
            return (1.0, 0.0, 0.0, 0.0)
        return (
            self.delivered / sent,
            self.bounced / sent,
            self.complained / sent,
            self.failed / sent,
        )


@dataclass(frozen=True, slots=True)
class Latency:
    """Seconds from sending to the outcome event: lognormal with a median and a spread."""

    median_s: float = 2.0
    sigma: float = 0.5

    def validate(self, where: str) -> None:
        _check(
            _finite(self.median_s) and self.median_s > 0, f"{where}.median_s", "> 0", self.median_s
        )
        _check(
            _finite(self.sigma) and 0 <= self.sigma <= 3, f"{where}.sigma", "in [0, 3]", self.sigma
        )


@dataclass(frozen=True, slots=True)
class Channel:
    """One channel of a scenario: its share of the audience, its limits, odds and price.

    ``rate`` is messages per second (for SMS, the origination MPS divided by ``parts``);
    ``burst`` is how many may leave at once (default: one second's worth);
    ``daily_quota`` caps sends in any rolling 24 hours (``None`` for none);
    ``spend_limit_usd`` stops the channel once its spend would pass the limit (``None``: none);
    ``price`` is USD per message, ``price_ref`` names the `simlab.facts` entry it came from.
    """

    share: float
    rate: float
    service: str
    burst: float | None = None
    daily_quota: float | None = None
    spend_limit_usd: float | None = None
    parts: int = 1
    outcomes: Outcomes = field(default_factory=Outcomes)
    latency: Latency = field(default_factory=Latency)
    record_bytes: int = 1_000

    def validate(self, where: str) -> None:
        _check(
            self.service in SERVICES,
            f"{where}.service",
            f"one of {', '.join(SERVICES)}",
            self.service,
        )
        _check(
            _finite(self.share) and 0 <= self.share <= 1, f"{where}.share", "in [0, 1]", self.share
        )
        _check(
            _finite(self.rate) and self.rate > 0, f"{where}.rate", "a positive number", self.rate
        )
        if self.burst is not None:
            _check(_finite(self.burst) and self.burst >= 1, f"{where}.burst", ">= 1", self.burst)
        if self.daily_quota is not None:
            _check(
                _finite(self.daily_quota) and self.daily_quota >= 1,
                f"{where}.daily_quota",
                ">= 1 or None for unlimited",
                self.daily_quota,
            )
        if self.spend_limit_usd is not None:
            _check(
                _finite(self.spend_limit_usd) and self.spend_limit_usd >= 0,
                f"{where}.spend_limit_usd",
                ">= 0 or None",
                self.spend_limit_usd,
            )
        _check(
            isinstance(self.parts, int) and self.parts >= 1, f"{where}.parts", ">= 1", self.parts
        )
        _check(
            isinstance(self.record_bytes, int) and self.record_bytes >= 1,
            f"{where}.record_bytes",
            ">= 1",
            self.record_bytes,
        )
        self.outcomes.validate(f"{where}.outcomes")
        self.latency.validate(f"{where}.latency")

    @property
    def bucket_burst(self) -> float:
        """Tokens the sending bucket holds when full."""
        return float(self.burst if self.burst is not None else max(1.0, self.rate))


@dataclass(frozen=True, slots=True)
class Arrival:
    """When messages arrive: ``pattern`` over ``duration_s`` seconds from ``start_s``.

    ``burst`` puts every message at ``start_s`` (a campaign's segment resolved at launch);
    ``steady`` spaces them evenly; ``diurnal`` follows a day curve peaking at ``peak_hour``
    with relative ``amplitude``; ``event`` is a Poisson stream averaging the audience size.
    """

    pattern: str = "burst"
    start_s: float = 0.0
    duration_s: float = DAY
    peak_hour: float = 19.0
    amplitude: float = 0.8

    def validate(self) -> None:
        _check(
            self.pattern in PATTERNS,
            "arrival.pattern",
            f"one of {', '.join(PATTERNS)}",
            self.pattern,
        )
        _check(_finite(self.start_s) and self.start_s >= 0, "arrival.start_s", ">= 0", self.start_s)
        _check(
            _finite(self.duration_s) and self.duration_s > 0,
            "arrival.duration_s",
            "> 0",
            self.duration_s,
        )
        _check(
            _finite(self.peak_hour) and 0 <= self.peak_hour < 24,
            "arrival.peak_hour",
            "in [0, 24)",
            self.peak_hour,
        )
        _check(
            _finite(self.amplitude) and 0 <= self.amplitude < 1,
            "arrival.amplitude",
            "in [0, 1)",
            self.amplitude,
        )


@dataclass(frozen=True, slots=True)
class Pipeline:
    """Where events go: a Firehose stream with buffering hints, optionally via Kinesis shards."""

    buffer_mb: int = streams.FIREHOSE_BUFFER_SIZE_MB_DEFAULT.value
    buffer_interval_s: int = streams.FIREHOSE_BUFFER_INTERVAL_SECONDS_DEFAULT.value
    kinesis_shards: int = 0

    def validate(self) -> None:
        lo, hi = (
            streams.FIREHOSE_BUFFER_SIZE_MB_MIN.value,
            streams.FIREHOSE_BUFFER_SIZE_MB_MAX.value,
        )
        _check(
            isinstance(self.buffer_mb, int) and lo <= self.buffer_mb <= hi,
            "pipeline.buffer_mb",
            f"an integer {lo}..{hi} (Firehose SizeInMBs)",
            self.buffer_mb,
        )
        lo = streams.FIREHOSE_BUFFER_INTERVAL_SECONDS_MIN.value
        hi = streams.FIREHOSE_BUFFER_INTERVAL_SECONDS_MAX.value
        _check(
            isinstance(self.buffer_interval_s, int) and lo <= self.buffer_interval_s <= hi,
            "pipeline.buffer_interval_s",
            f"an integer {lo}..{hi} (Firehose IntervalInSeconds)",
            self.buffer_interval_s,
        )
        _check(
            isinstance(self.kinesis_shards, int) and self.kinesis_shards >= 0,
            "pipeline.kinesis_shards",
            ">= 0",
            self.kinesis_shards,
        )


@dataclass(frozen=True, slots=True)
class RateChange:
    """From ``at_s`` on, ``channel`` sends at ``rate`` messages per second (a quota change)."""

    at_s: float
    channel: str
    rate: float


@dataclass(frozen=True, slots=True)
class Scenario:
    """A workload and the limits it meets: the input of both simulation models.

    ``messages`` is the audience size (the expected count for ``event`` arrivals);
    ``quiet_hours`` is ``(start_hour, end_hour)`` each day when nothing is sent;
    ``max_duration_s`` ends the campaign (what is still queued then is throttled);
    ``max_wait_s`` drops a message that waited that long unsent (throttled), as Pinpoint drops
    an event-triggered message it cannot deliver within five minutes;
    ``horizon_s`` stops the run (what is still queued then is pending).
    """

    name: str
    messages: int
    channels: Mapping[str, Channel]
    arrival: Arrival = field(default_factory=Arrival)
    pipeline: Pipeline = field(default_factory=Pipeline)
    quiet_hours: tuple[float, float] | None = None
    rate_changes: tuple[RateChange, ...] = ()
    max_duration_s: float | None = None
    max_wait_s: float | None = None
    horizon_s: float = 2 * 365 * DAY
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "channels", MappingProxyType(dict(self.channels)))
        object.__setattr__(self, "rate_changes", tuple(self.rate_changes))
        self.validate()

    def validate(self) -> None:
        _check(
            isinstance(self.name, str) and bool(self.name), "name", "a non-empty string", self.name
        )
        _check(
            isinstance(self.messages, int)
            and not isinstance(self.messages, bool)
            and self.messages >= 0,
            "messages",
            "an integer >= 0",
            self.messages,
        )
        _check(bool(self.channels), "channels", f"a mapping with some of {', '.join(CHANNELS)}", {})
        for name, channel in self.channels.items():
            _check(name in CHANNELS, "channels", f"keyed by {', '.join(CHANNELS)}", name)
            _check(isinstance(channel, Channel), f"channels.{name}", "a Channel", channel)
            carried = SERVICES.get(channel.service, CHANNELS)
            _check(
                name in carried,
                f"channels.{name}.service",
                f"a service carrying {name}",
                channel.service,
            )
            channel.validate(f"channels.{name}")
        total = sum(c.share for c in self.channels.values())
        _check(abs(total - 1) <= 1e-9, "channels (shares)", "summing to 1", round(total, 12))
        self.arrival.validate()
        self.pipeline.validate()
        if self.quiet_hours is not None:
            start, end = self.quiet_hours
            _check(
                all(_finite(h) and 0 <= h < 24 for h in (start, end)) and start != end,
                "quiet_hours",
                "(start_hour, end_hour) in [0, 24), different",
                self.quiet_hours,
            )
        for i, change in enumerate(self.rate_changes):
            _check(
                change.channel in self.channels,
                f"rate_changes[{i}].channel",
                f"one of {', '.join(self.channels)}",
                change.channel,
            )
            _check(
                _finite(change.rate) and change.rate > 0,
                f"rate_changes[{i}].rate",
                "> 0",
                change.rate,
            )
            _check(
                _finite(change.at_s) and change.at_s >= 0,
                f"rate_changes[{i}].at_s",
                ">= 0",
                change.at_s,
            )
        if self.max_duration_s is not None:
            _check(
                _finite(self.max_duration_s) and self.max_duration_s > 0,
                "max_duration_s",
                "> 0 or None",
                self.max_duration_s,
            )
        if self.max_wait_s is not None:
            _check(
                _finite(self.max_wait_s) and self.max_wait_s > 0,
                "max_wait_s",
                "> 0 or None",
                self.max_wait_s,
            )
        _check(_finite(self.horizon_s) and self.horizon_s > 0, "horizon_s", "> 0", self.horizon_s)

    def quiet_until(self, t: float) -> float:
        """``t``, or the end of the quiet hours ``t`` falls in."""
        if self.quiet_hours is None:
            return t
        start, end = self.quiet_hours[0] * 3600.0, self.quiet_hours[1] * 3600.0
        day = math.floor(t / DAY) * DAY
        second = t - day
        if start < end:
            return day + end if start <= second < end else t
        if second >= start:
            return day + DAY + end
        return day + end if second < end else t

    def quiet_edges(self, until: float) -> list[tuple[float, bool]]:
        """``(time, quiet)`` at each start (True) and end (False) of quiet hours to ``until``."""
        if self.quiet_hours is None:
            return []
        start, end = self.quiet_hours[0] * 3600.0, self.quiet_hours[1] * 3600.0
        edges: list[tuple[float, bool]] = []
        if start > end:
            edges.append((0.0, True))
        day = 0.0
        while day <= until:
            edges += [(day + start, True), (day + end, False)]
            day += DAY
        return sorted(e for e in edges if e[0] <= until)

    def with_messages(self, messages: int) -> Scenario:
        """The same scenario for another audience size."""
        return replace(self, messages=int(messages))

    def with_channel(self, name: str, **changes: Any) -> Scenario:
        """The same scenario with one channel's fields changed."""
        if name not in self.channels:
            raise ScenarioError(f"channel must be one of {', '.join(self.channels)}; got {name!r}")
        channels = dict(self.channels)
        channels[name] = replace(channels[name], **changes)
        return replace(self, channels=channels)

    def with_(self, **changes: Any) -> Scenario:
        """The same scenario with fields changed; dotted keys reach into parts.

        ``with_(**{"messages": 10, "channels.sms.rate": 100, "arrival.pattern": "steady"})``
        """
        scenario = self
        for key, value in changes.items():
            parts = key.split(".")
            if parts[0] == "channels" and len(parts) == 3:
                scenario = scenario.with_channel(parts[1], **{parts[2]: value})
            elif parts[0] in ("arrival", "pipeline") and len(parts) == 2:
                inner = replace(getattr(scenario, parts[0]), **{parts[1]: value})
                scenario = replace(scenario, **{parts[0]: inner})
            elif len(parts) == 1 and parts[0] in Scenario.__dataclass_fields__:
                scenario = replace(scenario, **{parts[0]: value})
            else:
                raise ScenarioError(
                    f"{key!r} is not a scenario field; use a field name, "
                    "'channels.<name>.<field>', 'arrival.<field>' or 'pipeline.<field>'"
                )
        return scenario

    def counts(self) -> dict[str, int]:
        """Messages per channel: the audience split by share, remainders to the largest shares."""
        shares = {name: c.share for name, c in self.channels.items()}
        exact = {name: self.messages * share for name, share in shares.items()}
        counts = {name: int(math.floor(value)) for name, value in exact.items()}
        left = self.messages - sum(counts.values())
        for name in sorted(exact, key=lambda n: (counts[n] - exact[n], CHANNELS.index(n)))[:left]:
            counts[name] += 1
        return counts
