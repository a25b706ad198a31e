"""Runs of a benchmark script in fresh processes, alternating with a baseline version's.

Each run starts a new interpreter with one version's simlab first on ``PYTHONPATH`` (and run
from that version's directory, so that it is the one imported): every run starts as cold as
every other, and a baseline run goes right before each run here, so both see the same load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
