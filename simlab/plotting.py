"""Figures: simulation results (backlog over time, latency distribution, cost breakdown), a
journey's graph and SMS delivery over time.

Each function takes plain data (`simlab.sim.Result` objects, a
`simlab.engage.journeys.JourneyGraph`, a `simlab.toolkit.DeliveryCurve`) and returns a matplotlib
``Figure``; nothing is shown or saved, so notebooks display it and tests read its data. This is
the only module of simlab that draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from simlab.engage.journeys.graph import JourneyGraph
from simlab.sim.results import PERCENTILES, Result, Series, human
from simlab.toolkit.sms_events import DeliveryCurve

__all__ = [
    "COUNT_TICKS",
    "backlog_figure",
    "cost_figure",
    "delivery_rate_figure",
    "journey_figure",
    "latency_figure",
    "time_unit",
]

#: Line styles cycled over the lines of a figure; each line is thinner than the one before, so a
#: line drawn over another leaves it showing on both sides.
_DASHES = ("-", "--", ":", "-.")


def _style(index: int) -> dict[str, Any]:
    return {"linestyle": _DASHES[index % len(_DASHES)], "linewidth": max(0.8, 3.2 - 0.5 * index)}


#: Axis tick labels people read: 1 M, 2.5 B rather than 1e7 offsets.
COUNT_TICKS = FuncFormatter(lambda value, _: human(value))

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


def _series(result: Result) -> Series:
    """The result's per-tick series; ValueError if it has none (a result rebuilt from a row)."""
    if result.series is None:
        raise ValueError(f"result {result.scenario!r} has no series to plot; plot a run's Result")
    return result.series


def _same_line(x: np.ndarray, y: np.ndarray, other_x: np.ndarray, other_y: np.ndarray) -> bool:
    """Whether two lines would be drawn on top of each other (within 0.5% of the larger peak)."""
    if len(x) != len(other_x) or not np.allclose(x, other_x):
        return False
    scale = max(float(np.max(np.abs(y), initial=0)), float(np.max(np.abs(other_y), initial=0)), 1)
    return bool(np.max(np.abs(np.asarray(y) - np.asarray(other_y)), initial=0) <= 0.005 * scale)


def backlog_figure(results: Result | Sequence[Result], channel: str | None = None) -> Figure:
    """Messages waiting over time: one line per channel (or for ``channel``) per result.

    Lines take turns of style (solid, dashed, dotted), and a line that would hide under an
    earlier one says so in the legend, so every line stays visible.
    """
    results = [results] if isinstance(results, Result) else list(results)
    many = len({r.scenario for r in results}) > 1
    longest = max(float(_series(r).t[-1]) for r in results)
    size, unit = time_unit(longest)
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    drawn: list[tuple[str, np.ndarray, np.ndarray]] = []
    for result in results:
        series = _series(result)
        names = [channel] if channel else list(series.backlog)
        for name in names:
            x, y = series.t / size, series.backlog[name]
            label = _label(result, name, many)
            same = next((other for other, ox, oy in drawn if _same_line(x, y, ox, oy)), None)
            if same is not None:  # drawn in another style over it, and said so
                label += f" (overlaps {same})"
            axes.plot(x, y, label=label, **_style(len(drawn)))
            drawn.append((_label(result, name, many), x, y))
    axes.set_xlabel(f"time since midnight of day 1 ({unit})")
    axes.set_ylabel("messages waiting")
    axes.yaxis.set_major_formatter(COUNT_TICKS)
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
    for i, result in enumerate(results):
        seconds = _series(result).latency[channel]
        label = _label(result, None if channel == "all" else channel, many)
        axes.plot(seconds, PERCENTILES / 100, label=label, **_style(i))
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
    axes.yaxis.set_major_formatter(COUNT_TICKS)
    axes.set_title("Cost by service (list prices; see each line's as-of date)")
    axes.legend(loc="best", fontsize="small")
    return figure


def journey_figure(graph: JourneyGraph, *, title: str = "") -> Figure:
    """Draws ``graph``: a box per activity with its counts, an arrow per path."""
    columns = max((n.column for n in graph.nodes), default=0) + 1
    rows = max((n.row for n in graph.nodes), default=0) + 1
    figure = Figure(figsize=(3.2 * columns, 1.9 * rows + 0.8))
    axes = figure.add_subplot()
    where = {n.id: (n.column * 3.2, -n.row * 1.9 + (rows - 1) * 0.95) for n in graph.nodes}
    boxes = {
        node.id: axes.text(
            *where[node.id],
            node.label,
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round", "facecolor": "#e8f0fe", "edgecolor": "0.5"},
        )
        for node in graph.nodes
    }
    for edge in graph.edges:
        if edge.target not in boxes:
            continue
        axes.annotate(
            "",
            xy=(0, 0.5),
            xycoords=boxes[edge.target],
            xytext=(1, 0.5),
            textcoords=boxes[edge.source],
            arrowprops={"arrowstyle": "->", "color": "0.4", "shrinkA": 4, "shrinkB": 4},
        )
        if edge.label:
            (x0, y0), (x1, y1) = where[edge.source], where[edge.target]
            axes.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.15, edge.label, ha="center", fontsize=8)
    axes.set_xlim(-1.6, (columns - 1) * 3.2 + 1.6)
    axes.set_ylim(-(rows - 1) * 0.95 - 1.0, (rows - 1) * 0.95 + 1.0)
    axes.axis("off")
    axes.set_title(title or f"journey {graph.name}")
    return figure


def delivery_rate_figure(curve: DeliveryCurve, *, title: str = "SMS delivery over time") -> Figure:
    """A step chart of the delivered and failed percentages of accepted messages."""
    figure = Figure(figsize=(7, 3.5), layout="constrained")
    axes = figure.add_subplot()

    def percent(shares: Sequence[float]) -> list[float]:
        return [100 * s for s in shares]

    axes.plot(curve.seconds, percent(curve.delivered), drawstyle="steps-post", label="delivered")
    axes.plot(curve.seconds, percent(curve.failed), drawstyle="steps-post", label="failed")
    axes.axhline(
        100 * curve.final_delivery_rate,
        linestyle=":",
        color="grey",
        label=f"final delivery rate {curve.final_delivery_rate:.1%}",
    )
    axes.set(
        title=f"{title} ({curve.accepted} messages accepted)",
        xlabel="seconds since the first send",
        ylabel="% of accepted messages",
        ylim=(0, 105),
    )
    axes.legend(loc="center right")
    axes.grid(alpha=0.3)
    return figure
