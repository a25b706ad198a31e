"""Arrival patterns: message times one block at a time (exact model) or counts per tick (aggregate).

Both forms come from the same distribution: ``burst`` puts all ``n`` at the start, ``steady``
spaces them evenly, ``diurnal`` draws them from a day-shaped density (sorted, in blocks, so
memory never holds the whole audience), ``event`` is a Poisson stream of rate ``n / duration``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from simlab.sim.scenario import DAY, Arrival

BLOCK = 8_192


def _diurnal_cdf(arrival: Arrival, t: np.ndarray) -> np.ndarray:
    """Fraction of a diurnal campaign's messages that have arrived by time ``t``."""
    t0, span, a = arrival.start_s, arrival.duration_s, arrival.amplitude
    phase = 2 * math.pi / DAY
    peak = arrival.peak_hour * 3600.0

    def mass(x: np.ndarray | float) -> np.ndarray | float:
        return (x - t0) + a / phase * (np.sin(phase * (x - peak)) - math.sin(phase * (t0 - peak)))

    x = np.clip(t, t0, t0 + span)
    return np.clip(mass(x) / mass(t0 + span), 0.0, 1.0)


def _diurnal_inverse(arrival: Arrival) -> tuple[np.ndarray, np.ndarray]:
    points = int(min(1_000_001, max(1_001, arrival.duration_s + 1)))
    grid = np.linspace(arrival.start_s, arrival.start_s + arrival.duration_s, points)
    return _diurnal_cdf(arrival, grid), grid


def blocks(arrival: Arrival, n: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Yields sorted arrival times in blocks of at most `BLOCK` (Poisson-many for ``event``)."""
    t0, span = arrival.start_s, arrival.duration_s
    if arrival.pattern == "burst":
        for start in range(0, n, BLOCK):
            yield np.full(min(BLOCK, n - start), t0)
    elif arrival.pattern == "steady":
        for start in range(0, n, BLOCK):
            yield t0 + np.arange(start, min(n, start + BLOCK)) * (span / n)
    elif arrival.pattern == "diurnal":
        cdf, grid = _diurnal_inverse(arrival)
        carry = 0.0  # log(1 - U) of the last order statistic drawn
        for start in range(0, n, BLOCK):
            j = np.arange(start, min(n, start + BLOCK))
            logs = carry + np.cumsum(np.log(rng.random(j.size)) / (n - j))
            carry = float(logs[-1])
            yield np.interp(-np.expm1(logs), cdf, grid)
    elif arrival.pattern == "event":
        if n == 0:
            return
        rate, now, end = n / span, t0, t0 + span
        while True:
            times = now + np.cumsum(rng.exponential(1.0 / rate, BLOCK))
            inside = times[times <= end]
            if inside.size:
                yield inside
            if inside.size < BLOCK:
                return
            now = float(times[-1])
    else:
        raise ValueError(f"arrival.pattern {arrival.pattern!r} is unknown")


def tick_counts(
    arrival: Arrival, n: int, dt: float, ticks: int, rng: np.random.Generator
) -> np.ndarray:
    """Arrivals in ``(t_{k-1}, t_k]`` for ``t_k = k * dt``, ``k < ticks`` (index 0: at time 0)."""
    edges = np.arange(ticks) * dt
    t0, span = arrival.start_s, arrival.duration_s
    counts = np.zeros(ticks, dtype=np.int64)
    if n == 0:
        return counts
    if arrival.pattern == "burst":
        counts[math.ceil(t0 / dt - 1e-9)] = n
        return counts
    if arrival.pattern == "steady":
        # message i arrives at t0 + i * span / n; how many have arrived by each edge
        arrived = np.floor((edges - t0) * n / span + 1e-9) + 1
        cumulative = np.clip(arrived, 0, n).astype(np.int64)
        return np.diff(cumulative, prepend=0)
    if arrival.pattern == "diurnal":
        probs = np.diff(_diurnal_cdf(arrival, edges), prepend=0.0)
        probs = np.clip(probs, 0.0, None)
        drawn: np.ndarray = rng.multinomial(n, probs / probs.sum())
        return drawn.astype(np.int64)
    if arrival.pattern == "event":
        lo = np.clip(edges - dt, t0, t0 + span)
        hi = np.clip(edges, t0, t0 + span)
        events: np.ndarray = rng.poisson((n / span) * (hi - lo))
        return events.astype(np.int64)
    raise ValueError(f"arrival.pattern {arrival.pattern!r} is unknown")


def last_arrival(arrival: Arrival) -> float:
    """The latest time a message can arrive."""
    return arrival.start_s if arrival.pattern == "burst" else arrival.start_s + arrival.duration_s
