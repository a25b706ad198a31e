"""``simlab simulate`` and ``simlab sweep``: run ready scenarios from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import TextIO

from simlab.sim.presets import PRESETS
from simlab.sim.run import MODELS, simulate
from simlab.sim.scenario import ScenarioError


def _count(text: str) -> int:
    """Parses '1e9', '50_000_000' or '1000' as a whole number of messages."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--messages must be a number like 1e9; got {text!r}"
        ) from None
    if value < 0 or value != int(value):
        raise argparse.ArgumentTypeError(f"--messages must be a whole number >= 0; got {text!r}")
    return int(value)


def progress_bar(label: str, stream: TextIO | None = None) -> Callable[[float], None]:
    """A one-line progress bar on ``stream`` (stderr) that redraws at most every 0.2 s."""
    state = {"shown": -1.0, "at": 0.0}

    def show(fraction: float) -> None:
        now = time.monotonic()
        if fraction < 1.0 and (now - state["at"] < 0.2 or fraction - state["shown"] < 0.01):
            return
        state["shown"], state["at"] = fraction, now
        filled = int(fraction * 30)
        end = "\n" if fraction >= 1.0 else ""
        print(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}", end=end,
              file=stream or sys.stderr, flush=True)  # fmt: skip

    return show


def _run_simulate(args: argparse.Namespace) -> int:
    if args.list:
        for name, (build, _) in PRESETS.items():
            print(f"{name:<26}{build(1).description}")
        return 0
    if not args.scenario:
        print(
            "simlab simulate: error: name a SCENARIO (see simlab simulate --list)", file=sys.stderr
        )
        return 2
    if args.scenario not in PRESETS:
        print(
            f"simlab simulate: error: SCENARIO must be one of {', '.join(PRESETS)}; "
            f"got {args.scenario!r}",
            file=sys.stderr,
        )
        return 2
    bar = None if args.quiet else progress_bar(f"{args.scenario} ({args.model})")
    try:
        result = simulate(
            args.scenario, model=args.model, seed=args.seed, messages=args.messages,
            scale=args.scale, progress=bar,
        )  # fmt: skip
    except ScenarioError as error:
        print(f"simlab simulate: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, sort_keys=False))
    else:
        print(result.summary())
        print(f"({result.wall_s:.2f} s wall)")
    return 0


def add_simulate(parser: argparse.ArgumentParser) -> None:
    """Adds the ``simulate`` arguments."""
    parser.add_argument("scenario", nargs="?", help="a ready scenario (see --list)")
    parser.add_argument("--list", action="store_true", help="name the ready scenarios")
    parser.add_argument("--messages", type=_count, help="audience size, e.g. 1e9")
    parser.add_argument("--model", choices=MODELS, default="aggregate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--scale",
        choices=("ci", "workshop", "full"),
        help="preset size when --messages is absent (default: SIMLAB_SCALE)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run_simulate)


def add_sweep(parser: argparse.ArgumentParser) -> None:
    """Adds the ``sweep`` arguments."""
    from simlab.sim.sweep import add_arguments

    add_arguments(parser)
