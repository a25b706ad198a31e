"""Figures from simulation results: backlog over time, latency distribution, cost breakdown.

Each function takes `simlab.sim.Result` objects and returns a matplotlib ``Figure``; nothing is
shown or saved, so notebooks display it and tests read its data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from simlab.sim.results import PERCENTILES, Result

_UNITS = ((86_400.0, "days"), (3_600.0, "hours"), (60.0, "minutes"), (1.0, "seconds"))


def time_unit(seconds: float) -> tuple[float, str]:
    """The largest unit that shows ``seconds`` as at least 2 of it."""
    for size, name in _UNITS:
        if seconds >= 2 * size:
            return size, name
    return 1.0, "seconds"


def _label(result: Result, channel: str | None, many: bool) -> str:
    parts = [result.scenario] if many else []
    if channel:
        parts.append(channel)
    parts.append(result.model)
    return " · ".join(parts)


def backlog_figure(results: Result | Sequence[Result], channel: str | None = None) -> Figure:
    """Messages waiting over time: one line per channel (or for ``channel``) per result."""
    results = [results] if isinstance(results, Result) else list(results)
    many = len({r.scenario for r in results}) > 1
    longest = max(float(r.series.t[-1]) for r in results if r.series is not None)
    size, unit = time_unit(longest)
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    for result in results:
        series = result.series
        names = [channel] if channel else list(series.backlog)
        for name in names:
            axes.plot(series.t / size, series.backlog[name], label=_label(result, name, many))
    axes.set_xlabel(f"time since midnight of day 1 ({unit})")
    axes.set_ylabel("messages waiting")
    axes.set_title("Backlog")
    axes.legend(loc="best", fontsize="small")
    axes.grid(alpha=0.3)
    return figure


def latency_figure(results: Result | Sequence[Result], channel: str = "all") -> Figure:
    """Latency from arrival to outcome event as a cumulative distribution (log time axis)."""
    results = [results] if isinstance(results, Result) else list(results)
    many = len({r.scenario for r in results}) > 1
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    for result in results:
        seconds = result.series.latency[channel]
        label = _label(result, None if channel == "all" else channel, many)
        axes.plot(seconds, PERCENTILES / 100, label=label)
    axes.set_xscale("log")
    axes.set_xlabel("latency (seconds, log scale)")
    axes.set_ylabel("fraction of sent messages")
    axes.set_title(f"Latency ({channel} channels)" if channel == "all" else f"Latency ({channel})")
    axes.legend(loc="best", fontsize="small")
    axes.grid(alpha=0.3, which="both")
    return figure


def cost_figure(results: Result | Sequence[Result]) -> Figure:
    """USD per result, stacked by service; unpriced items are left out (see the summary)."""
    results = [results] if isinstance(results, Result) else list(results)
    services = sorted({line.service for r in results for line in r.cost_lines})
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    bottoms = np.zeros(len(results))
    positions = np.arange(len(results))
    for service in services:
        heights = np.array(
            [
                sum(line.usd or 0.0 for line in r.cost_lines if line.service == service)
                for r in results
            ]
        )
        axes.bar(positions, heights, bottom=bottoms, label=service)
        bottoms += heights
    axes.set_xticks(positions, [r.scenario for r in results], rotation=20, ha="right")
    axes.set_ylabel("USD")
    axes.set_title("Cost by service (list prices; see each line's as-of date)")
    axes.legend(loc="best", fontsize="small")
    return figure
