"""The aggregated model: SimPy keeps the clock and the control events, numpy moves the counts.

A driver process sleeps from one control event to the next (campaign start, quiet hours,
quota changes, the campaign's end, a daily checkpoint for rolling 24-hour quotas). Between two
events every channel's parameters are constant, so its sends over the whole stretch follow in a
few vector operations from the token-bucket rule: with ``E`` eligible arrivals so far, ``U`` the
quota and spend caps, ``b`` the burst and ``R`` the tokens earned since the stretch began,

    sent(t) = floor(min(M(t), sent0 + tokens0 + R(t), b + R(t) + min_{s<=t} (M(s) - R(s)))),
    M = min(E - X, U),

the greatest output a token bucket allows (network calculus' min-plus convolution). ``X`` counts
messages dropped for waiting too long (``max_wait_s``): whatever arrived that long ago and is
unsent; sends and drops depend on each other, so they are iterated to their (monotone) fixed
point, usually in two or three passes. Counts are integers throughout, so conservation holds
exactly; latencies, outcomes and pipeline records are drawn or spread from the same
distributions the exact model samples.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator

import numpy as np
import simpy

from simlab.sim import arrivals
from simlab.sim.costs import unit_price
from simlab.sim.pipeline import EVENTS, OUTCOMES
from simlab.sim.scenario import DAY, Channel, RateChange, Scenario
from simlab.sim.trace import Trace, channel_rng, time_of

Progress = Callable[[float], None]
LATENCY_SAMPLES = 200_000


class _Lane:
    """One channel's cumulative counts at tick ends, and its bucket between stretches."""

    def __init__(self, name: str, channel: Channel, eligible: np.ndarray, opted: np.ndarray):
        self.name, self.channel = name, channel
        self.eligible = eligible  # cumulative, over the arrival window
        self.opted = opted  # per tick
        self.rate = channel.rate
        self.burst = channel.bucket_burst
        self.tokens = self.burst
        self.sent = np.zeros(1024, dtype=np.int64)  # cumulative at tick ends
        self.throttled = np.zeros(1024, dtype=np.int64)
        self.quiet = False
        self.patience: int | None = None  # ticks a message may wait before it is dropped
        self.closed_at: int | None = None
        price = unit_price(channel.service, name, channel.parts)
        self.cap = math.inf
        if channel.spend_limit_usd is not None and price:
            self.cap = math.floor(channel.spend_limit_usd / price + 1e-9)

    def eligible_at(self, ks: np.ndarray) -> np.ndarray:
        eligible: np.ndarray = self.eligible[np.minimum(ks, len(self.eligible) - 1)]
        return eligible

    def room(self, ticks: int) -> None:
        if ticks > len(self.sent):
            size = max(ticks, 2 * len(self.sent))
            for attr in ("sent", "throttled"):
                old = getattr(self, attr)
                new = np.empty(size, dtype=np.int64)
                new[: len(old)] = old
                setattr(self, attr, new)

    def backlog(self, k: int) -> int:
        return int(self.eligible_at(np.array([k]))[0] - self.sent[k] - self.throttled[k])


def run_aggregate(
    scenario: Scenario, seed: int = 0, *, progress: Progress | None = None, dt: float | None = None
) -> Trace:
    """Simulates ``scenario`` as counts per tick; returns its `Trace`."""
    began = time.perf_counter()
    trace = Trace.start(scenario, "aggregate", seed, dt)
    dt = trace.dt
    counts = scenario.counts()
    end_arrivals = arrivals.last_arrival(scenario.arrival)
    window_ticks = math.ceil(end_arrivals / dt - 1e-9) + 1
    lanes: list[_Lane] = []
    rngs: dict[str, np.random.Generator] = {}
    for name, channel in scenario.channels.items():
        rng = rngs[name] = channel_rng(seed, name)
        came = arrivals.tick_counts(scenario.arrival, counts[name], dt, window_ticks, rng)
        opted = rng.binomial(came, channel.outcomes.opted_out)
        lane = _Lane(name, channel, np.cumsum(came - opted), opted)
        if scenario.max_wait_s is not None:
            lane.patience = math.floor(scenario.max_wait_s / dt + 1e-9)
        lanes.append(lane)
        trace.channels[name].arrived = came
    env = simpy.Environment()
    state = {"k": 0}
    horizon_k = math.floor(scenario.horizon_s / dt + 1e-9)
    estimate = max(end_arrivals, dt)

    def step(to_k: int) -> None:
        k0 = state["k"]
        if to_k <= k0:
            return
        for lane in lanes:
            _advance(lane, k0, to_k, dt, trace)
        state["k"] = to_k
        if progress:
            progress(min(1.0, to_k * dt / estimate))

    def drained(k: int) -> bool:
        return k * dt >= end_arrivals and all(lane.backlog(k) == 0 for lane in lanes)

    env.process(_driver(env, scenario, lanes, step, drained, horizon_k, dt, trace))
    env.run()
    final = state["k"]
    if progress:
        progress(1.0)
    _finish(trace, scenario, lanes, rngs, final, dt)
    trace.wall_s = time.perf_counter() - began
    return trace


def _controls(scenario: Scenario, until: float) -> list[tuple[float, str, object]]:
    """Every scheduled control event: (time, kind, detail), in time order."""
    events: list[tuple[float, str, object]] = [(scenario.arrival.start_s, "start", None)]
    for at, quiet in scenario.quiet_edges(until):
        events.append((at, "quiet" if quiet else "open", None))
    for change in scenario.rate_changes:
        events.append((change.at_s, "rate", change))
    if scenario.max_duration_s is not None:
        events.append((scenario.arrival.start_s + scenario.max_duration_s, "deadline", None))
    return sorted(events, key=lambda e: e[0])


def _driver(
    env: simpy.Environment,
    scenario: Scenario,
    lanes: list[_Lane],
    step: Callable[[int], None],
    drained: Callable[[int], bool],
    horizon_k: int,
    dt: float,
    trace: Trace,
) -> Generator[simpy.Event, None, None]:
    """Sleeps to each control event (or a daily checkpoint), advancing the counts on the way."""
    pending = _controls(scenario, scenario.horizon_s)
    day_k = max(1, math.floor(DAY / dt))
    k = 0
    while True:
        event_k = min(horizon_k, k + day_k)
        if pending:
            event_k = min(event_k, math.ceil(pending[0][0] / dt - 1e-9))
        if event_k > k:
            yield env.timeout(event_k * dt - env.now)
            step(event_k)
            k = event_k
        while pending and math.ceil(pending[0][0] / dt - 1e-9) <= k:
            at, kind, detail = pending.pop(0)
            _apply(kind, detail, lanes, k, trace, dt)
        if k >= horizon_k or drained(k):
            return


def _apply(kind: str, detail: object, lanes: list[_Lane], k: int, trace: Trace, dt: float) -> None:
    at = k * dt
    if kind == "quiet":
        for lane in lanes:
            lane.quiet = True
        trace.controls.append((at, "quiet hours begin"))
    elif kind == "open":
        for lane in lanes:
            lane.quiet = False
        trace.controls.append((at, "quiet hours end"))
    elif kind == "rate":
        assert isinstance(detail, RateChange)
        lane = next(ln for ln in lanes if ln.name == detail.channel)
        lane.rate = float(detail.rate)
        trace.controls.append((at, f"{lane.name} rate -> {lane.rate:g}/s"))
    elif kind == "deadline":
        for lane in lanes:
            if lane.closed_at is None:
                lane.closed_at = k
                _close(lane, k)
        trace.controls.append((at, "campaign ends (MaximumDuration)"))
    elif kind == "start":
        trace.controls.append((at, "campaign starts"))


def _close(lane: _Lane, k: int) -> None:
    """From tick ``k`` on, whatever is eligible and unsent is throttled."""
    lane.throttled[k] = lane.eligible_at(np.array([k]))[0] - lane.sent[k]


def _expired(lane: _Lane, ks: np.ndarray, sent: np.ndarray, dropped0: int) -> np.ndarray:
    """Cumulative drops at ticks ``ks``: whatever arrived ``patience`` ticks ago and is unsent."""
    if lane.patience is None:
        return np.full(len(ks), dropped0)
    back = ks - lane.patience
    old = np.where(back >= 0, lane.eligible_at(np.maximum(back, 0)), 0)
    return np.maximum(dropped0, np.maximum.accumulate(old - sent))


def _advance(lane: _Lane, k0: int, k1: int, dt: float, trace: Trace) -> None:
    """Moves one channel's counts from tick ``k0`` to ``k1`` with constant parameters."""
    lane.room(k1 + 1)
    ks = np.arange(k0 + 1, k1 + 1)
    eligible = lane.eligible_at(ks)
    sent0, thr0 = lane.sent[k0], lane.throttled[k0]
    if k0 == 0 and not lane.quiet and lane.closed_at is None:
        sent0 = min(lane.eligible[0], math.floor(lane.tokens), lane.cap)
        lane.sent[0] = sent0
        lane.tokens -= sent0
    if lane.closed_at is not None:
        lane.sent[ks] = sent0
        lane.throttled[ks] = eligible - sent0
        return
    span = (ks - k0) * dt
    if lane.quiet:
        lane.sent[ks] = sent0
        lane.throttled[ks] = _expired(lane, ks, np.full(len(ks), sent0), thr0)
        lane.tokens = min(lane.burst, lane.tokens + lane.rate * span[-1])
        return
    ceiling = np.full(len(ks), np.inf)
    quota = lane.channel.daily_quota
    if quota is not None:
        back = ks - math.floor(DAY / dt)
        ceiling = quota + np.where(back >= 0, lane.sent[np.maximum(back, 0)], 0)
    ceiling = np.minimum(ceiling, lane.cap)
    earned = lane.rate * span
    start_tokens = lane.tokens
    dropped = np.full(len(ks), thr0)
    for _ in range(1_000):  # drops and sends settle together (a monotone fixed point)
        limit = np.minimum(eligible - dropped, ceiling)
        bound = np.minimum(
            sent0 + start_tokens + earned,
            lane.burst + earned + np.minimum.accumulate(limit - earned),
        )
        sent = np.floor(np.minimum(limit, bound) + 1e-9).astype(np.int64)
        sent = np.maximum.accumulate(np.maximum(sent, sent0))
        settled = _expired(lane, ks, sent, thr0)
        if lane.patience is None or np.array_equal(settled, dropped):
            break
        dropped = settled
    lane.sent[ks] = sent
    lane.throttled[ks] = dropped
    last = sent[-1]
    lane.tokens = float(
        min(
            lane.burst,
            sent0 + start_tokens + earned[-1] - last,
            lane.burst + earned[-1] + np.min(sent - earned) - last,
        )
    )
    if last >= lane.cap:
        k_cap = int(ks[np.argmax(sent >= lane.cap)])
        lane.closed_at = k_cap
        lane.sent[k_cap : k1 + 1] = lane.cap
        lane.throttled[k_cap : k1 + 1] = lane.eligible_at(np.arange(k_cap, k1 + 1)) - lane.cap
        trace.controls.append((k_cap * dt, f"{lane.name} spend limit reached"))


def _finish(
    trace: Trace,
    scenario: Scenario,
    lanes: list[_Lane],
    rngs: dict[str, np.random.Generator],
    final: int,
    dt: float,
) -> None:
    """Turns cumulative counts into the trace: per-tick series, outcomes, latency, pipeline."""
    ticks = final + 1
    tail = max(_kernel_length(lane.channel, dt) for lane in lanes)
    records_total = np.zeros(ticks + tail)
    bytes_total = np.zeros(ticks + tail)
    for lane in lanes:
        name, channel, rng = lane.name, lane.channel, rngs[lane.name]
        ct = trace.channels[name]
        ct.grow(ticks)
        sent_cum, thr_cum = lane.sent[:ticks], lane.throttled[:ticks]
        came = np.zeros(ticks, dtype=np.int64)
        n = min(ticks, len(lane.opted))
        came[:n] = ct.arrived[:n]
        ct.unprocessed = int(ct.arrived[n:].sum())  # arrivals after the horizon
        opted = np.zeros(ticks, dtype=np.int64)
        opted[:n] = lane.opted[:n]
        ct.arrived, ct.opted_out = came, opted
        ct.sent = np.diff(sent_cum, prepend=0)
        ct.throttled = np.diff(thr_cum, prepend=0)
        total = int(sent_cum[-1])
        split = channel.outcomes.sent_split()
        drawn = rng.multinomial(total, split)
        ct.outcomes = {o: int(c) for o, c in zip(OUTCOMES, drawn, strict=True)}
        if total:
            ct.completion_s = float(time_of(sent_cum, total, dt))
            eligible = lane.eligible_at(np.arange(ticks))
            samples = min(total, LATENCY_SAMPLES)
            m = np.sort(rng.integers(1, total + 1, samples))  # sorted: searches stay in cache
            burst = scenario.arrival.pattern == "burst"
            sent_times = time_of(sent_cum, m, dt)
            ahead = np.interp(sent_times / dt, np.arange(ticks), thr_cum) if thr_cum[-1] else 0
            waited = sent_times - time_of(eligible, m + ahead, dt, instant=burst)
            mu, sigma = math.log(channel.latency.median_s), channel.latency.sigma
            ct.latency.add(
                np.maximum(waited, 0.0) + rng.lognormal(mu, sigma, samples), total / samples
            )
        spec = EVENTS[name]
        records = np.zeros(ticks + tail)
        if spec.send:
            records[:ticks] += ct.sent
        named = sum(share for o, share in zip(OUTCOMES, split, strict=True) if spec.outcome[o])
        if named:
            spread = _spread(ct.sent.astype(np.float64), channel, dt)
            records[: len(spread)] += named * spread
        if spec.opted_out:
            records[:ticks] += _reached(lane, sent_cum + thr_cum, opted)
        records_total += records
        bytes_total += records * channel.record_bytes
    ends = np.arange(ticks + tail) * dt
    trace.firehose.add_ticks(ends, dt, np.round(records_total), np.round(bytes_total))
    trace.firehose.close()
    trace.peak.add_ticks(dt, records_total, bytes_total)


def _reached(lane: _Lane, passed: np.ndarray, opted: np.ndarray) -> np.ndarray:
    """Opted-out messages per tick, counted when the queue head reaches them (FIFO)."""
    eligible = lane.eligible_at(np.arange(len(passed)))
    opted_cum = np.cumsum(opted)
    # the head has passed ``passed`` eligible messages; opted-out ones are interleaved among them
    xs = np.concatenate([[0], eligible])
    ys = np.concatenate([[0], opted_cum])
    keep = np.concatenate([[True], np.diff(xs) > 0])
    heads = np.interp(passed, xs[keep], ys[keep])
    arrived_idle = np.where(passed >= eligible, opted_cum, heads)
    return np.diff(np.maximum.accumulate(arrived_idle), prepend=0.0)


def _kernel_length(channel: Channel, dt: float) -> int:
    top = channel.latency.median_s * math.exp(5 * channel.latency.sigma)
    return max(2, math.ceil(top / dt) + 2)


def _spread(sent: np.ndarray, channel: Channel, dt: float) -> np.ndarray:
    """Outcome events per tick: sends delayed by the latency distribution (tail included)."""
    mu, sigma = math.log(channel.latency.median_s), channel.latency.sigma
    length = _kernel_length(channel, dt)
    edges = np.arange(length) * dt
    with np.errstate(divide="ignore"):
        z = (np.log(np.maximum(edges, 1e-300)) - mu) / (sigma * math.sqrt(2)) if sigma else None
    if z is None:
        cdf = (edges >= channel.latency.median_s).astype(np.float64)
    else:
        cdf = 0.5 * (1 + np.frompyfunc(math.erf, 1, 1)(z).astype(np.float64))
        cdf[0] = 0.0
    kernel = np.diff(np.append(cdf, 1.0))
    kernel[-1] += 1.0 - kernel.sum()
    return np.convolve(sent, kernel)
