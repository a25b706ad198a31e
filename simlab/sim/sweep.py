"""Sweeps: a grid of scenario changes x seeds, run on Dask distributed, gathered as a table.

Each run is independent, so the grid maps onto a Dask cluster as it is: a `LocalCluster` by
default (two in-process workers, fine on a laptop or CI), or an existing scheduler by address.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simlab.sim.presets import PRESETS, preset
from simlab.sim.results import duration
from simlab.sim.run import MODELS, simulate
from simlab.sim.scenario import Scenario, ScenarioError

#: The columns a sweep reports for each run, after the grid's own keys.
COLUMNS: tuple[str, ...] = (
    "sent", "throttled", "pending", "completion_s", "t99_s", "backlog_peak",
    "latency_p99_s", "firehose_objects", "cost_usd", "wall_s",
)  # fmt: skip


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, in order."""
    keys = list(grid)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*grid.values())]


def run_point(scenario: Scenario, changes: dict[str, Any], seed: int, model: str) -> dict[str, Any]:
    """Runs one grid point with one seed; returns a flat row."""
    result = simulate(scenario.with_(**changes), model=model, seed=seed)
    row: dict[str, Any] = {"scenario": result.scenario, **changes, "seed": seed, "model": model}
    for column in COLUMNS:
        row[column] = getattr(result, column)
    return row


def sweep(
    scenario: Scenario | str,
    grid: Mapping[str, Sequence[Any]],
    seeds: Iterable[int] = (0,),
    *,
    model: str = "aggregate",
    client: Any = None,
    scheduler: str | None = None,
    workers: int = 2,
) -> list[dict[str, Any]]:
    """Runs every grid point for every seed on Dask; returns one row per run, in grid order.

    ``grid`` maps `Scenario.with_` keys to values, e.g. ``{"channels.sms.rate": [3, 100]}``.
    Pass a Dask ``client``, or a ``scheduler`` address, or neither for a local cluster.
    """
    import dask.distributed

    dask_api: Any = dask.distributed  # its Client and LocalCluster carry no annotations
    Client, LocalCluster = dask_api.Client, dask_api.LocalCluster

    if isinstance(scenario, str):
        scenario = preset(scenario)
    if model not in MODELS:
        raise ScenarioError(f"model must be one of {', '.join(MODELS)}; got {model!r}")
    points = grid_points(grid)
    for point in points:  # fail here, not on a worker
        scenario.with_(**point)
    tasks = [(point, seed) for point in points for seed in seeds]
    own_cluster = None
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            # Loopback only: Dask's default in-process transport names itself by asking the
            # route to a public address, and its dashboard would listen on every interface.
            own_cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=False,
                protocol="tcp",
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
            )
            client = Client(own_cluster)
    try:
        futures = [
            client.submit(run_point, scenario, point, seed, model, pure=False)
            for point, seed in tasks
        ]
        rows: list[dict[str, Any]] = client.gather(futures)
        return rows
    except KeyboardInterrupt:
        # Stopping mid-run: Dask would log every cancelled task, with tracebacks, on the way out.
        logging.getLogger("distributed").setLevel(logging.CRITICAL + 1)
        raise
    finally:
        if own_cluster is not None or scheduler:
            client.close()
        if own_cluster is not None:
            own_cluster.close()


def sweep_table(rows: list[dict[str, Any]]) -> str:
    """The rows as an aligned text table (times as durations, counts with separators)."""
    if not rows:
        return "(no runs)"
    keys = list(rows[0])
    cells = [[_cell(k, row.get(k)) for k in keys] for row in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k.rjust(w) for k, w in zip(keys, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _cell(key: str, value: Any) -> str:
    if key in ("completion_s", "t99_s", "latency_p99_s"):
        return duration(value)
    if key == "wall_s":
        return f"{value:.2f}"
    if key == "cost_usd":
        return f"{value:,.2f}"
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text.replace("_", ""))
        except ValueError:
            pass
    return text


def _parse_set(item: str) -> tuple[str, list[Any]]:
    key, sep, values = item.partition("=")
    if not sep or not key or not values:
        raise argparse.ArgumentTypeError(f"--set takes KEY=V1,V2,...; got {item!r}")
    return key, [_value(v) for v in values.split(",")]


def _run(args: argparse.Namespace) -> int:
    if args.scenario not in PRESETS:
        print(
            f"simlab sweep: error: SCENARIO must be one of {', '.join(PRESETS)}; "
            f"got {args.scenario!r}",
            file=sys.stderr,
        )
        return 2
    grid = dict(args.set or [])
    if args.messages:
        grid["messages"] = [int(float(m)) for m in args.messages.split(",")]
    try:
        rows = sweep(
            preset(args.scenario), grid or {"messages": [preset(args.scenario).messages]},
            range(args.seeds), model=args.model, scheduler=args.scheduler, workers=args.workers,
        )  # fmt: skip
    except ScenarioError as error:
        print(f"simlab sweep: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(rows, indent=2, default=lambda v: None))
    else:
        print(sweep_table(rows))
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the ``sweep`` arguments."""
    parser.add_argument("scenario", help="a ready scenario (see simlab simulate --list)")
    parser.add_argument(
        "--set",
        type=_parse_set,
        action="append",
        metavar="KEY=V1,V2",
        help="a grid axis, e.g. channels.sms.rate=3,100 or arrival.pattern=burst,steady",
    )
    parser.add_argument("--messages", help="audience sizes, e.g. 1e6,1e7")
    parser.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1 per grid point")
    parser.add_argument("--model", choices=MODELS, default="aggregate")
    parser.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://HOST:8786")
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=_run)
