"""What a model run records: per-tick counts per channel, outcome totals, latencies, the pipeline.

Both models fill the same `Trace`, so every metric is computed one way (`simlab.sim.results`).
Ticks are ``(t_{k-1}, t_k]`` with ``t_k = k * dt``; tick 0 holds what happens at time 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from simlab.sim.pipeline import OUTCOMES, FirehoseBuffer, PeakMeter
from simlab.sim.scenario import CHANNELS, Scenario

_DECADES = (-3, 9)
_BINS = int(math.ceil((_DECADES[1] - _DECADES[0]) * math.log(10) / math.log(1.001)))
_LOG_LO = _DECADES[0] * math.log(10)
_LOG_STEP = (_DECADES[1] - _DECADES[0]) * math.log(10) / _BINS
_DIVISORS_OF_HOUR = [d for d in range(1, 3601) if 3600 % d == 0]
MAX_TICKS = 1 << 18


class LatencyHistogram:
    """Latencies in log-spaced bins 0.1% wide (1 ms to 30 years): percentiles without storage."""

    def __init__(self) -> None:
        self.counts = np.zeros(_BINS, dtype=np.float64)

    def add(self, seconds: np.ndarray, weight: float = 1.0) -> None:
        """Counts latencies (each with ``weight``)."""
        if len(seconds):
            logs = np.log(np.maximum(seconds, 1e-12))
            index = np.clip(((logs - _LOG_LO) / _LOG_STEP).astype(np.int64), 0, _BINS - 1)
            self.counts += weight * np.bincount(index, minlength=_BINS)

    def merge(self, other: LatencyHistogram, weight: float = 1.0) -> None:
        self.counts += weight * other.counts

    @property
    def total(self) -> float:
        return float(self.counts.sum())

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile in seconds (NaN when empty), interpolated within its bin."""
        total = self.total
        if total <= 0:
            return math.nan
        cumulative = np.cumsum(self.counts)
        target = q / 100.0 * total
        i = int(np.searchsorted(cumulative, target, side="left"))
        i = min(i, _BINS - 1)
        before = cumulative[i - 1] if i else 0.0
        inside = (target - before) / self.counts[i] if self.counts[i] else 1.0
        return math.exp(_LOG_LO + (i + inside) * _LOG_STEP)


def channel_rng(seed: int, channel: str) -> np.random.Generator:
    """The generator a channel draws from: independent per channel, fixed by the seed."""
    return np.random.default_rng([seed, CHANNELS.index(channel)])


def time_of(
    cumulative: np.ndarray, m: np.ndarray | float, dt: float, instant: bool = False
) -> np.ndarray:
    """When the ``m``-th item happened, from counts at tick ends spread evenly within a tick.

    With ``instant`` the items of a tick happened at its end (a burst).
    """
    m = np.asarray(m, dtype=np.float64)
    j = np.searchsorted(cumulative, m, side="left")
    j = np.minimum(j, len(cumulative) - 1)
    before = np.where(j > 0, cumulative[np.maximum(j - 1, 0)], 0)
    inside = cumulative[j] - before
    if instant:
        return j * dt
    fraction = np.where(inside > 0, (m - before) / np.where(inside > 0, inside, 1), 1.0)
    return np.where(j > 0, (j - 1 + fraction) * dt, 0.0)


def choose_dt(scenario: Scenario) -> float:
    """The tick: 1 s when the run fits in `MAX_TICKS` seconds, else a divisor of an hour."""
    from simlab.sim.arrivals import last_arrival

    counts = scenario.counts()
    drain = 0.0
    active = 1.0
    if scenario.quiet_hours:
        start, end = scenario.quiet_hours
        active = 1.0 - ((end - start) % 24) / 24.0
    for name, channel in scenario.channels.items():
        rate = min([channel.rate, *(c.rate for c in scenario.rate_changes if c.channel == name)])
        if channel.daily_quota is not None:
            rate = min(rate, channel.daily_quota / 86_400.0)
        drain = max(drain, counts[name] / (rate * active))
    horizon = min(scenario.horizon_s, last_arrival(scenario.arrival) + drain) * 1.25 + 1
    for dt in _DIVISORS_OF_HOUR:
        if horizon / dt <= MAX_TICKS:
            return float(dt)
    return 3600.0 * math.ceil(horizon / 3600.0 / MAX_TICKS)


@dataclass
class ChannelTrace:
    """One channel's record of a run."""

    arrived: np.ndarray
    opted_out: np.ndarray
    sent: np.ndarray
    throttled: np.ndarray
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    completion_s: float = math.nan
    unprocessed: int = 0  # messages the run never reached (past its horizon)
    latency: LatencyHistogram = field(default_factory=LatencyHistogram)

    @classmethod
    def empty(cls, ticks: int) -> ChannelTrace:

        def zeros() -> np.ndarray:
            return np.zeros(ticks, dtype=np.int64)

        return cls(zeros(), zeros(), zeros(), zeros())

    def grow(self, ticks: int) -> None:
        """Makes room for ``ticks`` ticks."""
        if ticks > len(self.sent):
            extra = ticks - len(self.sent)
            for name in ("arrived", "opted_out", "sent", "throttled"):
                setattr(
                    self, name, np.concatenate([getattr(self, name), np.zeros(extra, np.int64)])
                )


@dataclass
class Trace:
    """Everything one run of one model records."""

    scenario: Scenario
    model: str
    seed: int
    dt: float
    channels: dict[str, ChannelTrace]
    firehose: FirehoseBuffer
    peak: PeakMeter
    controls: list[tuple[float, str]] = field(default_factory=list)
    wall_s: float = 0.0
    records: dict[str, np.ndarray] | None = None

    @classmethod
    def start(cls, scenario: Scenario, model: str, seed: int, dt: float | None = None) -> Trace:
        dt = dt or choose_dt(scenario)
        ticks = 1024
        pipeline = scenario.pipeline
        return cls(
            scenario,
            model,
            seed,
            dt,
            {name: ChannelTrace.empty(ticks) for name in scenario.channels},
            FirehoseBuffer(pipeline.buffer_mb, pipeline.buffer_interval_s),
            PeakMeter(),
        )

    def ticks(self) -> int:
        return max(len(c.sent) for c in self.channels.values())

    def tick_of(self, times: np.ndarray) -> np.ndarray:
        return np.ceil(times / self.dt - 1e-9).astype(np.int64)

    def bin(self, channel: str, series: str, times: np.ndarray) -> None:
        """Adds one to ``series`` of ``channel`` at the tick of each time."""
        if not len(times):
            return
        ticks = self.tick_of(times)
        trace = self.channels[channel]
        top = int(ticks.max()) + 1
        if top > len(trace.sent):
            trace.grow(max(top, 2 * len(trace.sent)))
        getattr(trace, series)[:top] += np.bincount(ticks, minlength=top)
