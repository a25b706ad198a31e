"""Runs of a benchmark script in fresh processes, alternating with a baseline version's.

Each run starts a new interpreter with one version's simlab first on ``PYTHONPATH`` (and run
from that version's directory, so that it is the one imported): every run starts as cold as
every other, and a baseline run goes right before each run here, so both see the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

#: This directory: the benchmark scripts, put on ``PYTHONPATH`` after the version's simlab.
HERE = os.path.dirname(os.path.abspath(__file__))


def one_run(script: str, options: list[str], tree: str) -> dict[str, Any]:
    """``script --json options`` run once with ``tree``'s simlab; the JSON of its last line.

    Raises subprocess.CalledProcessError if the run fails.
    """
    command = [sys.executable, os.path.abspath(script), "--json", *options]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((tree, HERE))}
    out = subprocess.run(command, env=env, cwd=tree, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def alternate(
    script: str, options: list[str], runs: int, baseline: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``runs`` runs here and, given a ``baseline`` directory, one there before each; returns
    (runs here, baseline runs). Raises subprocess.CalledProcessError if a run fails."""
    here, before = [], []
    for _ in range(runs):
        if baseline:
            before.append(one_run(script, options, baseline))
        here.append(one_run(script, options, os.path.dirname(HERE)))
    return here, before


def runs_from_arguments(
    parser: argparse.ArgumentParser,
    script: str,
    measure: Callable[..., Any],
    size: str,
    *passed: str,
) -> tuple[argparse.Namespace, list[dict[str, Any]], list[dict[str, Any]]] | None:
    """Adds ``--runs``, ``--baseline`` and ``--json`` to ``parser`` and reads the arguments.

    With ``--json`` it prints ``measure(size, runs, *passed)``'s JSON (the option values
    named ``size`` and ``passed``) and returns None. Otherwise it makes ``--runs`` runs of
    ``script`` here, alternating with the baseline's (``alternate``), and returns the arguments
    and (runs here, baseline runs). Raises subprocess.CalledProcessError if a run fails.
    """
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="a copy of another version to compare with")
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")
    args = parser.parse_args()
    values = [getattr(args, name) for name in (size, *passed)]
    if args.json:
        print(json.dumps(measure(values[0], args.runs, *values[1:])))
        return None
    options = ["--runs", "1"]
    for name, value in zip((size, *passed), values, strict=True):
        options += [f"--{name.replace('_', '-')}", str(value)]
    runs, baselines = alternate(script, options, args.runs, args.baseline)
    return args, runs, baselines
