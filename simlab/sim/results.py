"""Results as flat, immutable records: per channel and for the run, with a stable `summary()`.

One function (`build`) turns either model's `Trace` into a `Result`, so both models' metrics
mean exactly the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import numpy as np

from simlab.sim.costs import PRICES, CostLine, cost_lines
from simlab.sim.pipeline import OUTCOMES, event_counts
from simlab.sim.trace import LatencyHistogram, Trace, time_of


@dataclass(frozen=True, slots=True)
class ChannelResult:
    """One channel's totals: arrivals = opted_out + sent + throttled + pending,
    sent = delivered + complained + bounced + failed."""

    channel: str
    service: str
    arrivals: int
    opted_out: int
    sent: int
    delivered: int
    complained: int
    bounced: int
    failed: int
    throttled: int
    pending: int
    completion_s: float
    backlog_peak: int
    latency_p50_s: float
    latency_p90_s: float
    latency_p99_s: float
    cost_usd: float | None

    def to_dict(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Series:
    """Per-tick series for plots: tick end times and, per channel, backlog and sends per tick."""

    t: np.ndarray
    backlog: dict[str, np.ndarray]
    sent: dict[str, np.ndarray]
    arrived: dict[str, np.ndarray]
    #: latency in seconds at percentiles 1..99 (`PERCENTILES`), per channel and under "all"
    latency: dict[str, np.ndarray]


PERCENTILES = np.arange(1, 100)


@dataclass(frozen=True, slots=True)
class Result:
    """One run of one model: totals, times, backlog, latency, pipeline, cost.

    The totals are the sums of the channels' fields of the same name, so the same books hold:
    arrivals = opted_out + sent + throttled + pending and
    sent = delivered + complained + bounced + failed (a complaint is a delivery marked as spam,
    a bounce a failure the receiving server reports).
    ``completion_s`` and ``t99_s`` count from the campaign's start (``arrival.start_s``) to
    the last and the 99th-percentile send; latencies run from arrival to the outcome event.
    """

    scenario: str
    model: str
    seed: int
    messages: int
    channels: tuple[ChannelResult, ...]
    arrivals: int
    opted_out: int
    sent: int
    delivered: int
    complained: int
    bounced: int
    failed: int
    throttled: int
    pending: int
    completion_s: float
    t99_s: float
    backlog_peak: int
    latency_p50_s: float
    latency_p90_s: float
    latency_p99_s: float
    firehose_objects: int
    firehose_records: int
    kinesis_peak_records_per_s: int
    kinesis_shards_needed: int
    events: tuple[tuple[str, int], ...]
    cost_usd: float
    cost_lines: tuple[CostLine, ...]
    controls: tuple[tuple[float, str], ...]
    tick_s: float
    wall_s: float
    series: Series | None = field(default=None, repr=False, compare=False)

    def channel(self, name: str) -> ChannelResult:
        """The result of one channel."""
        for result in self.channels:
            if result.channel == name:
                return result
        raise KeyError(f"channel {name!r} is not in this run; it has {self.channel_names()}")

    def channel_names(self) -> list[str]:
        return [c.channel for c in self.channels]

    def to_dict(self) -> dict[str, Any]:
        """Everything but the series, as JSON-ready values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "series":
                continue
            value = getattr(self, f.name)
            if f.name == "channels" or f.name == "cost_lines":
                value = [c.to_dict() for c in value]
            elif f.name == "events":
                value = dict(value)
            elif f.name == "controls":
                value = [[round(t, 3), label] for t, label in value]
            else:
                value = _plain(value)
            out[f.name] = value
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One flat record per channel, with the run's identity: ready for a DataFrame."""
        head = {"scenario": self.scenario, "model": self.model, "seed": self.seed}
        return [{**head, **c.to_dict()} for c in self.channels]

    def summary(self) -> str:
        """Stable, rounded text: the same run always prints the same (no wall time)."""
        head = (
            f"{self.scenario} · {self.model} model · seed {self.seed} · "
            f"{self.messages:,} messages · tick {self.tick_s:g} s"
        )
        rows = [
            (c.channel, c.service, f"{c.sent:,}", f"{c.delivered + c.complained:,}",
             f"{c.bounced + c.failed:,}", f"{c.opted_out:,}", f"{c.throttled:,}",
             f"{c.pending:,}", duration(c.completion_s), f"{c.backlog_peak:,}",
             duration(c.latency_p99_s))
            for c in self.channels
        ]  # fmt: skip
        lines = [head, *_columns(_SUMMARY_COLUMNS, rows)]
        confirmed = all(line.confirmed for line in self.cost_lines)
        dates = sorted({line.as_of for line in self.cost_lines})
        lines += [
            f"sent {self.sent:,} of {self.arrivals:,} · "
            f"delivered {self.delivered + self.complained:,} · "
            f"failed {self.bounced + self.failed:,} · opted out {self.opted_out:,} · "
            f"throttled {self.throttled:,} · pending {self.pending:,}",
            f"done after {duration(self.completion_s)} · 99% sent after {duration(self.t99_s)}"
            f" · backlog peak {self.backlog_peak:,} · latency p50 "
            f"{duration(self.latency_p50_s)}, p99 {duration(self.latency_p99_s)}",
            f"events {sum(n for _, n in self.events):,} · Firehose objects "
            f"{self.firehose_objects:,} · Kinesis shards needed {self.kinesis_shards_needed:,}",
            f"cost USD {self.cost_usd:,.2f} (prices as of {', '.join(dates) or '-'}; "
            f"{'all confirmed' if confirmed else 'some UNCONFIRMED'})",
        ]
        return "\n".join(lines)


#: The summary table's columns: (header, width, right-aligned). A value wider than its column
#: widens it, so columns never run together.
_SUMMARY_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("channel", 8, False), ("service", 10, False), ("sent", 14, True), ("delivered", 14, True),
    ("failed", 12, True), ("opted out", 11, True), ("throttled", 11, True),
    ("pending", 11, True), ("done after", 16, True), ("backlog peak", 14, True),
    ("p99 latency", 16, True),
)  # fmt: skip


def _columns(
    columns: tuple[tuple[str, int, bool], ...], rows: Sequence[tuple[str, ...]]
) -> list[str]:
    """A header line and one line per row, each column at least one space from the next."""
    widths = []
    for i, (header, width, _) in enumerate(columns):
        widest = max([len(header), *(len(row[i]) for row in rows)])
        widths.append(max(width, widest + 1))

    def line(cells: tuple[str, ...]) -> str:
        return "".join(
            cell.rjust(w) if right else cell.ljust(w)
            for cell, w, (_, _, right) in zip(cells, widths, columns, strict=True)
        )

    return [line(tuple(header for header, _, _ in columns)), *(line(row) for row in rows)]


def human(count: float, unit: str = "") -> str:
    """A number as people read it: '950', '3', '3.16', '12 K', '1 M', '2.5 B', '10 B'.

    Three significant figures, trailing zeros dropped, then ``unit`` ('3 msg/s'); NaN and
    None read '-'.
    """
    if count is None or not math.isfinite(count):
        return "-"
    sign, value = ("-" if count < 0 else ""), abs(float(count))
    text = f"{_significant(value):g}"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if _significant(value) >= size:
            text = f"{_significant(value / size):g} {suffix}"
            break
    return f"{sign}{text} {unit}" if unit else f"{sign}{text}"


def _significant(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def duration(seconds: float) -> str:
    """'3 d 04:05:06', '04:05:06', '12.3 s' or '-' — rounded for stable printing."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = int(round(seconds))
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days} d {clock}" if days else clock


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def build(trace: Trace) -> Result:
    """Turns a model's `Trace` into a `Result`."""
    scenario, dt = trace.scenario, trace.dt
    ticks = trace.ticks()
    for ct in trace.channels.values():
        ct.grow(ticks)
    t = np.arange(ticks) * dt
    channel_results: list[ChannelResult] = []
    backlog: dict[str, np.ndarray] = {}
    total_sent_cum = np.zeros(ticks, dtype=np.int64)
    merged = LatencyHistogram()
    events: dict[str, int] = {}
    priced: dict[str, tuple[str, int, int, int]] = {}
    bytes_per_record: list[tuple[int, int]] = []
    for name, ct in trace.channels.items():
        spec = scenario.channels[name]
        arrived_cum = np.cumsum(ct.arrived)
        sent_cum = np.cumsum(ct.sent)
        left = arrived_cum - np.cumsum(ct.opted_out) - sent_cum - np.cumsum(ct.throttled)
        backlog[name] = left
        total_sent_cum += sent_cum
        opted, sent, throttled = (
            int(ct.opted_out.sum()),
            int(ct.sent.sum()),
            int(ct.throttled.sum()),
        )
        arrivals = int(ct.arrived.sum()) + ct.unprocessed
        pending = arrivals - opted - sent - throttled
        merged.merge(ct.latency)
        channel_events = event_counts(name, sent, ct.outcomes, opted)
        for event, n in channel_events.items():
            events[event] = events.get(event, 0) + n
        bytes_per_record.append((sum(channel_events.values()), spec.record_bytes))
        priced[name] = (spec.service, spec.parts, sent, int(arrived_cum[-1]) if ticks else 0)
        channel_results.append(
            ChannelResult(
                channel=name,
                service=spec.service,
                arrivals=arrivals,
                opted_out=opted,
                sent=sent,
                delivered=ct.outcomes["delivered"],
                complained=ct.outcomes["complained"],
                bounced=ct.outcomes["bounced"],
                failed=ct.outcomes["failed"],
                throttled=throttled,
                pending=pending,
                completion_s=float(ct.completion_s) - scenario.arrival.start_s,
                backlog_peak=int(left.max(initial=0)),
                latency_p50_s=ct.latency.percentile(50),
                latency_p90_s=ct.latency.percentile(90),
                latency_p99_s=ct.latency.percentile(99),
                cost_usd=None,
            )
        )
    lines = cost_lines(priced, sum(events.values()), bytes_per_record)
    by_channel = _channel_costs(lines, priced)
    channel_results = [_with_cost(c, by_channel.get(c.channel)) for c in channel_results]
    total_sent = int(total_sent_cum[-1]) if ticks else 0
    start = scenario.arrival.start_s
    t99 = math.nan
    if total_sent:
        t99 = float(time_of(total_sent_cum, math.ceil(0.99 * total_sent), dt)) - start
    completions = [c.completion_s for c in channel_results if math.isfinite(c.completion_s)]
    total_backlog = sum(backlog.values()) if backlog else np.zeros(1)
    shown = _shown_ticks(trace, ticks)
    return Result(
        scenario=scenario.name,
        model=trace.model,
        seed=trace.seed,
        messages=scenario.messages,
        channels=tuple(channel_results),
        arrivals=sum(c.arrivals for c in channel_results),
        opted_out=sum(c.opted_out for c in channel_results),
        sent=total_sent,
        delivered=sum(c.delivered for c in channel_results),
        complained=sum(c.complained for c in channel_results),
        bounced=sum(c.bounced for c in channel_results),
        failed=sum(c.failed for c in channel_results),
        throttled=sum(c.throttled for c in channel_results),
        pending=sum(c.pending for c in channel_results),
        completion_s=max(completions) if completions else math.nan,
        t99_s=t99,
        backlog_peak=int(np.max(total_backlog, initial=0)),
        latency_p50_s=merged.percentile(50),
        latency_p90_s=merged.percentile(90),
        latency_p99_s=merged.percentile(99),
        firehose_objects=trace.firehose.objects,
        firehose_records=trace.firehose.records,
        kinesis_peak_records_per_s=trace.peak.peak_records,
        kinesis_shards_needed=trace.peak.shards(),
        events=tuple(sorted(events.items())),
        cost_usd=round(sum(line.usd or 0.0 for line in lines), 6),
        cost_lines=tuple(lines),
        controls=tuple(trace.controls),
        tick_s=dt,
        wall_s=trace.wall_s,
        series=Series(
            _frozen(t[:shown]),
            {k: _frozen(v[:shown]) for k, v in backlog.items()},
            {k: _frozen(c.sent[:shown]) for k, c in trace.channels.items()},
            {k: _frozen(c.arrived[:shown]) for k, c in trace.channels.items()},
            {
                **{k: _quantiles(c.latency) for k, c in trace.channels.items()},
                "all": _quantiles(merged),
            },
        ),
    )


def _shown_ticks(trace: Trace, ticks: int) -> int:
    """Ticks worth plotting: up to the last one where anything happened, plus 5%."""
    active = np.zeros(ticks, dtype=bool)
    for ct in trace.channels.values():
        active |= (ct.arrived[:ticks] + ct.sent[:ticks] + ct.throttled[:ticks]) > 0
    last = int(np.flatnonzero(active)[-1]) + 1 if active.any() else 1
    return min(ticks, last + max(1, last // 20))


def _quantiles(histogram: LatencyHistogram) -> np.ndarray:
    return _frozen(np.array([histogram.percentile(float(q)) for q in PERCENTILES]))


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


def _channel_costs(
    lines: list[CostLine], priced: dict[str, tuple[str, int, int, int]]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, (service, _, _, _) in priced.items():
        entry = PRICES.get((service, name))
        if entry is None:
            out[name] = None
            continue
        out[name] = sum(
            line.usd or 0.0 for line in lines if line.service == service and line.item == entry[0]
        )
    return out


def _with_cost(result: ChannelResult, usd: float | None) -> ChannelResult:
    return replace(result, cost_usd=None if usd is None else round(usd, 6))


__all__ = [
    "OUTCOMES",
    "PERCENTILES",
    "ChannelResult",
    "Result",
    "Series",
    "build",
    "duration",
    "human",
]
