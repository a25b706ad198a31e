"""What a journey did: execution metrics per journey, run and activity, and a text tree of counts.

The KPIs (``GetJourneyDateRangeKpi``) are computed from the event stream by
``simlab.engage.engine.Analytics``, shared with campaigns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from simlab.engage.journeys.model import (
    METRIC_TYPES,
    Journey,
    JourneyNotFound,
    JourneyRun,
    activity_type,
    paths,
)


def execution_metrics(journey: Journey, run: JourneyRun | None = None) -> dict[str, str]:
    """Returns the journey (or run) execution metrics as strings, ``ENDPOINT_ACTIVE`` too."""
    metrics = Counter(run.metrics if run else journey.metrics)
    metrics["ENDPOINT_ACTIVE"] = run.active if run else journey.active
    return {k: str(v) for k, v in sorted(metrics.items())}


def activity_metrics(
    journey: Journey, activity_id: str, run: JourneyRun | None = None
) -> tuple[str, dict[str, str]]:
    """Returns (ActivityType, metrics) for one activity of the journey or of one run."""
    if activity_id not in journey.activities:
        raise JourneyNotFound(f"Activity {activity_id} not found in journey {journey.id}")
    kind = METRIC_TYPES[activity_type(journey.activities[activity_id])]
    source: Mapping[str, int] = (run.activity_metrics if run else journey.activity_metrics).get(
        activity_id, {}
    )
    return kind, {k: str(v) for k, v in sorted(source.items())}


def find_run(journey: Journey, run_id: str) -> JourneyRun:
    for run in journey.runs:
        if run.id == run_id:
            return run
    raise JourneyNotFound(f"Run {run_id} not found in journey {journey.id}")


def summary(journey: Journey) -> str:
    """Draws the journey as a text tree with counts per activity; no ids of runs or dates."""
    m = journey.metrics
    lines = [
        f"journey {journey.name}: {journey.state}; entered {m['ENDPOINT_ENTERED']}, "
        f"active {journey.active}, left {m['ENDPOINT_LEFT']}",
    ]
    seen: set[str] = set()

    def draw(activity_id: str, prefix: str, label: str) -> None:
        activity = journey.activities[activity_id]
        kind = activity_type(activity)
        counts: Mapping[str, int] = journey.activity_metrics.get(activity_id, {})
        shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"
        if activity_id in seen:
            lines.append(f"{prefix}{label}[{activity_id}] (back to it)")
            return
        seen.add(activity_id)
        lines.append(f"{prefix}{label}[{activity_id}] {kind}: {shown}")
        outs = paths(activity)
        inner = prefix + ("|  " if label.startswith("|-") else "   " if label else "")
        for index, (path, target) in enumerate(outs):
            tag = "" if path == "NEXT" else f"{path}: "
            last = index == len(outs) - 1
            draw(target, inner, ("`- " if last else "|- ") + tag)

    if journey.start_activity:
        draw(journey.start_activity, "  ", "")
    t = journey.tally
    lines.append(
        f"  messages: sent {t.sent} = delivered {t.delivered} + failed {t.failed} + "
        f"opted out {t.opted_out} + throttled {t.throttled} + pending {t.pending}"
    )
    return "\n".join(lines)
