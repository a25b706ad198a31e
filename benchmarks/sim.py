"""Simulation speed and memory: prints medians and the ratios the design asks for.

Run: ``.venv/bin/python benchmarks/sim.py [--runs 3] [--exact-messages 1000000]``

* the lean exact model vs a textbook one-process-per-message SimPy model, side by side;
* a 1,000,000-message campaign in the exact model (wall, and peak memory while counting);
* the aggregated model on ``billion-day`` at 1e9 and 1e10 messages (wall and peak memory).

Times are wall-clock medians on this machine; other work on it moves them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

from simlab.sim import Channel, Outcomes, Scenario, preset
from simlab.sim.aggregate import run_aggregate
from simlab.sim.exact import run_exact, run_idiomatic
from simlab.sim.scenario import DAY


def median_wall(run: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def peak_mib(run: Callable[[], object]) -> float:
    """Peak traced Python memory of one call, in MiB."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def process_peak_mib(messages: int, run: bool = True) -> float:
    """Peak resident memory of a fresh Python that imports simlab (and runs billion-day)."""
    code = (  # VmHWM, unlike ru_maxrss, starts afresh at exec (Linux)
        "from simlab.sim import preset\n"
        "from simlab.sim.aggregate import run_aggregate\n"
        f"if {run}: run_aggregate(preset('billion-day', messages={messages}))\n"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def blast(messages: int) -> Scenario:
    """An SMS blast queued behind a 1,000 messages/s limit."""
    odds = Outcomes(delivered=0.93, failed=0.04, opted_out=0.03)
    return Scenario("blast", messages, {"sms": Channel(1.0, 1_000.0, "eum", outcomes=odds)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exact-messages", type=int, default=1_000_000)
    parser.add_argument("--side-by-side", type=int, default=100_000)
    args = parser.parse_args()

    n = args.side_by_side
    lean = median_wall(lambda: run_exact(blast(n)), args.runs)
    textbook = median_wall(lambda: run_idiomatic(blast(n)), args.runs)
    print(f"exact, lean        {n:>13,} messages  {lean:8.3f} s  {n / lean:>12,.0f} msgs/s")
    print(f"exact, idiomatic   {n:>13,} messages  {textbook:8.3f} s  {n / textbook:>12,.0f} msgs/s")
    print(f"lean / idiomatic speed-up: {textbook / lean:.1f}x")

    big = args.exact_messages
    wall = median_wall(lambda: run_exact(blast(big)), args.runs)
    print(f"exact, lean        {big:>13,} messages  {wall:8.3f} s  {big / wall:>12,.0f} msgs/s")
    small_peak = peak_mib(lambda: run_exact(blast(big // 10)))
    big_peak = peak_mib(lambda: run_exact(blast(big)))
    print(
        f"exact, counting: peak {small_peak:.1f} MiB at {big // 10:,}, {big_peak:.1f} MiB at "
        f"{big:,} (bounded by messages in flight, not by the campaign)"
    )
    trace = run_exact(blast(big // 10), records=True)
    per_message = sum(col.itemsize for col in trace.records.values())
    print(f"exact, records: {per_message} bytes per message")

    sizes = (10**9, 10**10)
    for label, horizon in (("one simulated day, 1-s ticks", DAY), ("until drained", None)):
        scenarios = {m: preset("billion-day", messages=m) for m in sizes}
        if horizon:
            scenarios = {m: s.with_(horizon_s=horizon) for m, s in scenarios.items()}
        dt = 1.0 if horizon else None
        run_aggregate(scenarios[10**9], dt=dt)  # warm up
        times: dict[int, list[float]] = {m: [] for m in sizes}
        for i in range(args.runs):  # interleaved, order alternating: outside load hits both alike
            for messages in sizes if i % 2 == 0 else sizes[::-1]:
                began = time.perf_counter()
                trace = run_aggregate(scenarios[messages], dt=dt)
                times[messages].append(time.perf_counter() - began)
        walls = {m: statistics.median(t) for m, t in times.items()}
        print(f"aggregate billion-day, {label}:")
        for messages in sizes:
            peak = peak_mib(lambda s=scenarios[messages], t=dt: run_aggregate(s, dt=t))
            trace = run_aggregate(scenarios[messages], dt=dt)
            span = trace.ticks() * trace.dt / DAY
            print(
                f"  {messages:>15,} messages/day  {walls[messages]:7.3f} s  peak {peak:6.1f} MiB"
                f"  ({span:.1f} simulated days at {trace.dt:g}-s ticks)"
            )
        change = walls[10**10] / walls[10**9] - 1
        print(f"  wall from 1e9 to 1e10: {change:+.0%}")
    base = process_peak_mib(0, run=False)
    for messages in (10**9, 10**10):
        print(
            f"aggregate billion-day {messages:>15,}: process peak RSS "
            f"{process_peak_mib(messages):.0f} MiB (imports alone {base:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
