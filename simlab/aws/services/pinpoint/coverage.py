"""``simlab coverage pinpoint``: which of Pinpoint's operations simlab serves and tests."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from moto.core.utils import camelcase_to_underscores

#: Where the contract tests live, relative to the repository root.
TESTS_GLOB = "tests/aws/test_pinpoint*.py"


@dataclass(frozen=True)
class Coverage:
    """Operations of the model, those with a handler, and those a test calls through boto3."""

    operations: tuple[str, ...]
    served: frozenset[str]
    tested: frozenset[str]

    def report(self) -> str:
        lines = [
            f"pinpoint: {len(self.served)} of {len(self.operations)} operations served, "
            f"{len(self.tested & self.served)} contract-tested",
            "",
            f"{'operation':<44} {'served':<7} tested",
        ]
        for name in self.operations:
            served = "yes" if name in self.served else "-"
            tested = "yes" if name in self.tested else "-"
            lines.append(f"{name:<44} {served:<7} {tested}")
        return "\n".join(lines)


def measure(root: Path | None = None) -> Coverage:
    """Reads the operations from botocore's model, handlers from the response class."""
    from simlab.aws.services.pinpoint.responses import PinpointResponse, service_model

    operations = tuple(sorted(service_model().operation_names))
    served = frozenset(
        op
        for op in operations
        if callable(getattr(PinpointResponse, camelcase_to_underscores(op), None))
    )
    return Coverage(operations, served, tested_operations(operations, root))


def tested_operations(operations: tuple[str, ...], root: Path | None = None) -> frozenset[str]:
    """Operations a test calls as ``<client>.<snake_case>(`` in the Pinpoint contract tests."""
    base = root or Path.cwd()
    text = "".join(p.read_text() for p in sorted(base.glob(TESTS_GLOB)))
    called = set(re.findall(r"\.([a-z][a-z0-9_]*)\(", text))
    return frozenset(op for op in operations if camelcase_to_underscores(op) in called)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds ``simlab coverage`` arguments."""
    parser.add_argument("service", choices=["pinpoint"], help="the service to report on")
    parser.add_argument("--root", type=Path, default=None, help="repository root (for tests)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    print(measure(args.root).report())
    return 0
