"""Pinpoint's coverage for its importers; every service's report is in ``simlab.aws.coverage``."""

from __future__ import annotations

from pathlib import Path

from simlab.aws.coverage import Coverage
from simlab.aws.coverage import measure as _measure


def measure(root: Path | None = None) -> Coverage:
    """Pinpoint's operations, those served and those contract-tested."""
    return _measure("pinpoint", root)
