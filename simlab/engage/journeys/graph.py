"""A journey drawn as a graph: activities in columns by depth, paths as arrows, counts on each.

``journey_graph`` turns a ``JourneyResponse`` and each activity's execution metrics (the
``Metrics`` of ``GetJourneyExecutionActivityMetrics``) into plain data a test can read;
``simlab.plotting.journey_figure`` draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simlab.engage.journeys.model import activity_type, paths

#: Metrics left off the drawing: they repeat what the arrows already show.
QUIET_METRICS = ("ENDPOINT_ACTIVE",)


@dataclass(frozen=True)
class Node:
    """One activity: where it sits (column = steps from the start) and what it counted."""

    id: str
    kind: str
    column: int
    row: int
    counts: dict[str, int]

    @property
    def label(self) -> str:
        shown = [f"{name} {value:,}" for name, value in self.counts.items() if value]
        return "\n".join([f"{self.id} ({self.kind})", *shown])


@dataclass(frozen=True)
class Edge:
    """A path from one activity to the next; ``label`` is TRUE, FALSE, Branch_0 ... or empty."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class JourneyGraph:
    """A journey's activities and paths, laid out left to right."""

    name: str
    nodes: list[Node]
    edges: list[Edge]

    def node(self, activity_id: str) -> Node:
        return next(n for n in self.nodes if n.id == activity_id)


def journey_graph(
    journey: Mapping[str, Any], metrics: Mapping[str, Mapping[str, Any]]
) -> JourneyGraph:
    """Lays out ``journey`` (a JourneyResponse) with ``metrics[activity_id]`` on each activity.

    Activities are placed breadth-first from ``StartActivity``; one no path reaches goes last.
    """
    activities: Mapping[str, Any] = journey.get("Activities") or {}
    start = journey.get("StartActivity")
    columns: dict[str, int] = {}
    queue: list[str] = [start] if isinstance(start, str) and start in activities else []
    if queue:
        columns[queue[0]] = 0
    edges: list[Edge] = []
    while queue:
        current = queue.pop(0)
        for label, target in paths(activities[current]):
            edges.append(Edge(current, target, "" if label == "NEXT" else label))
            if target in activities and target not in columns:
                columns[target] = columns[current] + 1
                queue.append(target)
    deepest = max(columns.values(), default=-1)
    for activity_id in activities:
        columns.setdefault(activity_id, deepest + 1)
    rows: dict[int, int] = {}
    nodes = []
    for activity_id in sorted(columns, key=lambda a: (columns[a], list(activities).index(a))):
        column = columns[activity_id]
        rows[column] = rows.get(column, -1) + 1
        counts = {
            name: int(value)
            for name, value in sorted((metrics.get(activity_id) or {}).items())
            if name not in QUIET_METRICS
        }
        nodes.append(
            Node(
                activity_id,
                activity_type(activities[activity_id]),
                column,
                rows[column],
                counts,
            )
        )
    return JourneyGraph(str(journey.get("Name", "")), nodes, edges)
