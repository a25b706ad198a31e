"""The exact model: every message, one at a time, on a SimPy clock — the reference.

Lean by design: one sender process per channel walks its arrivals (drawn in sorted blocks, never
one process per queued message), asks the shared rate rules (`TokenBucket`, `RollingWindow`)
when the next message may leave, and sleeps until then. Outcomes and latencies are drawn a block
at a time from seeded generators. Memory holds one block per channel plus the events still in
flight, unless ``records=True`` keeps 22 bytes per message as columns.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np
import simpy

from simlab.primitives.rates import RollingWindow, TokenBucket
from simlab.sim import arrivals
from simlab.sim.costs import unit_price
from simlab.sim.pipeline import EVENTS, OUTCOMES
from simlab.sim.scenario import CHANNELS, DAY, Channel, Scenario
from simlab.sim.trace import Trace, channel_rng

Progress = Callable[[float], None]
#: A SimPy process body.
Process = Generator[simpy.events.Event, object, None]
#: Outcome codes in columnar records: the four sent outcomes, then these.
OPTED_OUT, THROTTLED, PENDING = 4, 5, 6
#: Messages a sender handles between two hand-overs of events to the pipeline.
COMMIT = 512


@dataclass
class _Lane:
    name: str
    channel: Channel
    count: int
    bucket: TokenBucket
    window: RollingWindow | None
    cap: float
    marker: float = 0.0
    last: tuple[float, float] = (0.0, math.inf)  # (time, tokens) just after the last send
    sleeping: bool = False
    done: bool = False
    process: simpy.Process | None = None
    columns: list[tuple[np.ndarray, ...]] = field(default_factory=list)


class _Pool:
    """Events not yet safe to write: fed to the pipeline in time order once no lane can precede."""

    def __init__(self, trace: Trace, lanes: list[_Lane]) -> None:
        self.trace, self.lanes = trace, lanes
        self.times: list[np.ndarray] = []
        self.sizes: list[np.ndarray] = []
        self.held = 0

    def push(self, times: np.ndarray, size: int) -> None:
        if len(times):
            self.times.append(times)
            self.sizes.append(np.full(len(times), size, dtype=np.int64))

    def flush(self, final: bool = False) -> None:
        """Writes the events no lane can precede; sorts only once the pool has doubled."""
        fresh = sum(len(t) for t in self.times) - self.held
        if not self.times or (not final and fresh < max(self.held, 65_536)):
            return
        safe = (
            math.inf
            if final
            else min((ln.marker for ln in self.lanes if not ln.done), default=math.inf)
        )
        times, sizes = np.concatenate(self.times), np.concatenate(self.sizes)
        order = np.argsort(times, kind="stable")
        times, sizes = times[order], sizes[order]
        cut = int(np.searchsorted(times, safe, side="right"))
        if cut:
            self.trace.firehose.add(times[:cut], sizes[:cut])
            self.trace.peak.add(times[:cut], sizes[:cut])
        self.times, self.sizes = ([times[cut:]], [sizes[cut:]]) if cut < len(times) else ([], [])
        self.held = len(times) - cut


def run_exact(
    scenario: Scenario,
    seed: int = 0,
    *,
    records: bool = False,
    progress: Progress | None = None,
    dt: float | None = None,
) -> Trace:
    """Simulates ``scenario`` message by message; returns its `Trace`."""
    began = time.perf_counter()
    trace = Trace.start(scenario, "exact", seed, dt)
    env = simpy.Environment()
    counts = scenario.counts()
    lanes: list[_Lane] = []
    for name, channel in scenario.channels.items():
        price = unit_price(channel.service, name, channel.parts)
        cap = math.inf
        if channel.spend_limit_usd is not None and price:
            cap = math.floor(channel.spend_limit_usd / price + 1e-9)
        window = None
        if channel.daily_quota is not None:
            window = RollingWindow(DAY, channel.daily_quota)
        bucket = TokenBucket(channel.rate, channel.bucket_burst)
        lanes.append(_Lane(name, channel, counts[name], bucket, window, cap))
    pool = _Pool(trace, lanes)
    total = max(1, scenario.messages)
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        if progress:
            progress(min(1.0, done[0] / total))

    for lane in lanes:
        lane.process = env.process(_send(env, scenario, lane, trace, pool, seed, records, advance))
    for change in scenario.rate_changes:
        lane = next(ln for ln in lanes if ln.name == change.channel)
        env.process(_rate_change(env, lane, change.at_s, change.rate, trace))
    env.run()
    pool.flush(final=True)
    trace.firehose.close()
    trace.peak.close()
    if records:
        trace.records = _columns(lanes)
    trace.wall_s = time.perf_counter() - began
    return trace


def _rate_change(
    env: simpy.Environment, lane: _Lane, at: float, rate: float, trace: Trace
) -> Generator[simpy.Event, None, None]:
    yield env.timeout(at)
    old = lane.bucket
    sent_at, tokens = lane.last
    now = env.now
    held = min(old.burst, tokens + (now - sent_at) * old.rate)
    bucket = TokenBucket(rate, old.burst, now=now)
    bucket.take(now, old.burst - held)
    lane.bucket = bucket
    trace.controls.append((env.now, f"{lane.name} rate -> {rate:g}/s"))
    if lane.sleeping and lane.process is not None and lane.process.is_alive:
        lane.process.interrupt()


def _send(
    env: simpy.Environment,
    scenario: Scenario,
    lane: _Lane,
    trace: Trace,
    pool: _Pool,
    seed: int,
    records: bool,
    advance: Callable[[int], None],
) -> Generator[simpy.Event, None, None]:
    """One channel's sender: the next message leaves when the queue, the bucket and quotas allow."""
    channel, name = lane.channel, lane.name
    rng = channel_rng(seed, name)
    p_opt = channel.outcomes.opted_out
    split = np.array(channel.outcomes.sent_split())
    mu, sigma = math.log(channel.latency.median_s), channel.latency.sigma
    bucket, window = lane.bucket, lane.window
    quiet = scenario.quiet_until if scenario.quiet_hours else None
    deadline = math.inf
    if scenario.max_duration_s is not None:
        deadline = scenario.arrival.start_s + scenario.max_duration_s
    horizon = scenario.horizon_s
    patience = math.inf if scenario.max_wait_s is None else scenario.max_wait_s
    ready = 0.0
    spec = EVENTS[name]
    size = channel.record_bytes
    closed_at = math.inf
    sent_total = 0
    stopped = False
    source = arrivals.blocks(scenario.arrival, lane.count, rng)

    interruptible = any(change.channel == name for change in scenario.rate_changes)
    simple = quiet is None and window is None
    nan = math.nan

    def commit(c0: int, c1: int) -> None:
        """Accounts messages ``c0:c1`` of the block and hands their events to the pool."""
        if c1 <= c0:
            return
        part = slice(c0, c1)
        sent = np.array(sent_at[part])
        throttled = np.array(throttled_at[part])
        got = ~np.isnan(sent)
        _account(trace, lane, block[part], opted[part], kinds[part], latency[part], sent, throttled)
        if spec.send:
            pool.push(sent[got], size)
        for code, outcome in enumerate(OUTCOMES):
            if spec.outcome[outcome]:
                mask = (kinds[part] == code) & got
                pool.push(sent[mask] + latency[part][mask], size)
        if spec.opted_out:
            pool.push(np.array(reached_at[part])[opted[part]], size)
        if records:
            lane.columns.append(
                _block_columns(
                    name, block[part], opted[part], kinds[part], latency[part], sent, throttled
                )
            )
        lane.marker = env.now
        pool.flush()

    for block in source:
        lane.marker = env.now
        n = len(block)
        opted = rng.random(n) < p_opt
        kinds = rng.choice(4, size=n, p=split)
        latency = rng.lognormal(mu, sigma, n)
        sent_at = [nan] * n
        throttled_at = [nan] * n
        reached_at = [nan] * n
        arrived = block.tolist()
        opted_list = opted.tolist()
        stop_at = n
        committed = 0
        for i in range(n):
            if i - committed == COMMIT:
                commit(committed, i)
                committed = i
            a = arrived[i]
            if opted_list[i]:
                now = env.now
                reached_at[i] = a if a > now else now
                continue
            if closed_at < math.inf:  # closed: everything still queued or arriving is throttled
                throttled_at[i] = a if a > closed_at else closed_at
                continue
            while True:
                now = env.now
                t = a if a > now else now
                if t < ready:  # the bucket was last asked about `ready`: no earlier tokens exist
                    t = ready
                if simple:
                    wait = bucket.wait_time(t)
                    if wait > 0:
                        t += wait
                else:
                    while True:
                        if quiet is not None:
                            t = quiet(t)
                        wait = bucket.wait_time(t)
                        if wait > 0:
                            t += wait
                            continue
                        if window is not None and window.remaining(t) < 1:
                            t = window.next_free(t)
                            continue
                        break
                ready = t
                if t - a > patience:
                    break
                if t > deadline:
                    break
                if t > horizon:
                    stopped = True
                    break
                if t > now:
                    if interruptible:
                        lane.sleeping = True
                        try:
                            yield env.timeout(t - now)
                        except simpy.Interrupt:  # the rate changed: ask the new bucket
                            bucket, ready = lane.bucket, env.now
                            continue
                        finally:
                            lane.sleeping = False
                        t = env.now
                    else:
                        yield env.timeout(t - now)
                if bucket.try_take(t):
                    break
            if stopped:
                stop_at = i
                break
            if t - a > patience:  # it expired in the queue: the next message takes its turn
                throttled_at[i] = a + patience
                continue
            if t > deadline:
                if closed_at == math.inf:
                    closed_at = deadline
                    trace.controls.append((closed_at, f"{name} campaign ends (MaximumDuration)"))
                throttled_at[i] = a if a > closed_at else closed_at
                continue
            sent_at[i] = t
            if interruptible:
                lane.last = (t, bucket.available(t))
            if window is not None:
                window.add(t)
            sent_total += 1
            if sent_total >= lane.cap:
                closed_at = t
                trace.controls.append((t, f"{name} spend limit reached"))
        commit(committed, stop_at)
        advance(stop_at)
        if stopped:
            pending = n - stop_at + sum(len(b) for b in source)
            trace.channels[name].unprocessed += pending
            if records:
                lane.columns.append(_pending_columns(name, pending))
            advance(pending)
            break
    lane.done = True
    lane.marker = math.inf


def _account(
    trace: Trace,
    lane: _Lane,
    block: np.ndarray,
    opted: np.ndarray,
    kinds: np.ndarray,
    latency: np.ndarray,
    sent_at: np.ndarray,
    throttled_at: np.ndarray,
) -> None:
    name = lane.name
    sink = trace.channels[name]
    sent = ~np.isnan(sent_at)
    trace.bin(name, "arrived", block)
    trace.bin(name, "opted_out", block[opted])
    trace.bin(name, "sent", sent_at[sent])
    trace.bin(name, "throttled", throttled_at[~np.isnan(throttled_at)])
    codes = np.bincount(kinds[sent], minlength=4)
    for code, outcome in enumerate(OUTCOMES):
        sink.outcomes[outcome] += int(codes[code])
    if sent.any():
        sink.latency.add(sent_at[sent] - block[sent] + latency[sent])
        last = float(sent_at[sent].max())
        sink.completion_s = last if math.isnan(sink.completion_s) else max(sink.completion_s, last)


def _block_columns(
    name: str,
    block: np.ndarray,
    opted: np.ndarray,
    kinds: np.ndarray,
    latency: np.ndarray,
    sent_at: np.ndarray,
    throttled_at: np.ndarray,
) -> tuple[np.ndarray, ...]:
    outcome = kinds.astype(np.uint8)
    outcome[opted] = OPTED_OUT
    outcome[~np.isnan(throttled_at)] = THROTTLED
    left = np.where(np.isnan(sent_at), throttled_at, sent_at)
    return (
        block.astype(np.float64),
        left.astype(np.float64),
        latency.astype(np.float32),
        np.full(len(block), CHANNELS.index(name), dtype=np.uint8),
        outcome,
    )


def _pending_columns(name: str, n: int) -> tuple[np.ndarray, ...]:
    return (
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.zeros(n, np.float32),
        np.full(n, CHANNELS.index(name), dtype=np.uint8),
        np.full(n, PENDING, dtype=np.uint8),
    )


def _columns(lanes: list[_Lane]) -> dict[str, np.ndarray]:
    """Columnar records, 22 bytes per message: arrival, send (or throttle) time, latency, codes."""
    names = ("arrived_s", "left_s", "latency_s", "channel", "outcome")
    parts = [col for lane in lanes for col in lane.columns]
    if not parts:
        return {
            n: np.zeros(0, t) for n, t in zip(names, ("f8", "f8", "f4", "u1", "u1"), strict=True)
        }
    return {n: np.concatenate([p[i] for p in parts]) for i, n in enumerate(names)}


def run_idiomatic(scenario: Scenario, seed: int = 0) -> dict[str, float]:
    """The textbook SimPy model: one process per message and a token `Container` per channel.

    It supports what a first SimPy model would (arrivals, a rate with a burst, outcomes) and is
    kept to measure the lean model against; it returns sent count and completion time.
    """
    env = simpy.Environment()
    counts = scenario.counts()
    result = {"sent": 0.0, "opted_out": 0.0, "completion_s": 0.0}

    def refill(tokens: simpy.Container, rate: float, left: list[int]) -> Process:
        while left[0] > 0:
            yield env.timeout(1.0 / rate)
            if tokens.level < tokens.capacity:
                yield tokens.put(1)

    def message(at: float, opted: bool, tokens: simpy.Container, left: list[int]) -> Process:
        yield env.timeout(at)
        if opted:
            result["opted_out"] += 1
            left[0] -= 1
            return
        yield tokens.get(1)
        result["sent"] += 1
        result["completion_s"] = max(result["completion_s"], env.now)
        left[0] -= 1

    for name, channel in scenario.channels.items():
        rng = channel_rng(seed, name)
        burst = channel.bucket_burst
        tokens = simpy.Container(env, capacity=burst, init=burst)
        left = [counts[name]]
        for block in arrivals.blocks(scenario.arrival, counts[name], rng):
            opted = (rng.random(len(block)) < channel.outcomes.opted_out).tolist()
            for at, out in zip(block.tolist(), opted, strict=True):
                env.process(message(at, out, tokens, left))
        env.process(refill(tokens, channel.rate, left))
    env.run()
    return result
