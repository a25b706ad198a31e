"""``simlab coverage [SERVICE | --all]``: which operations of the messaging services simlab serves.

For each service the operations come from botocore's model; an operation is *served* when the
response class the local AWS routes it to (simlab's or moto's) has a handler for it, and
*contract-tested* when a test of the service calls it through boto3 (``<client>.<snake_name>(``,
or hands ``<client>.<snake_name>`` to a helper that calls it, ``error_of(client.op, ...)``)
in a test file that names the service's client or matches its file pattern. Tests are read from
the repository this package lives in, whatever the working directory; an installed copy without
its tests reports none tested. A name shared by two services (``send_email`` in ``ses`` and
``sesv2``) counts for both when one file tests both.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from moto.core.utils import camelcase_to_underscores, get_service_model

#: The services reported, each with the test files that are its contract tests.
SERVICES: dict[str, tuple[str, ...]] = {
    "pinpoint": ("tests/aws/test_pinpoint*.py",),
    "pinpoint-sms-voice-v2": ("tests/aws/test_sms_voice_*.py", "tests/toolkit/test_sms.py"),
    "pinpoint-sms-voice": ("tests/aws/test_sms_voice_v1.py",),
    "endusermessaging": ("tests/aws/test_endusermessaging*.py",),
    "sesv2": ("tests/aws/test_sesv2*.py",),
    "ses": ("tests/aws/test_ses_*.py",),
    "sns": ("tests/aws/test_sns*.py",),
}
#: The repository root: simlab/aws/coverage.py -> simlab/aws -> simlab -> root.
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Coverage:
    """Operations of one service's model, those served, and those a contract test calls."""

    service: str
    operations: tuple[str, ...]
    served: frozenset[str]
    tested: frozenset[str]

    @property
    def served_and_tested(self) -> frozenset[str]:
        return self.served & self.tested

    def headline(self) -> str:
        return (
            f"{self.service}: {len(self.served)} of {len(self.operations)} operations served, "
            f"{len(self.served_and_tested)} contract-tested"
        )

    def report(self) -> str:
        lines = [self.headline(), "", f"{'operation':<48} {'served':<7} tested"]
        for name in self.operations:
            served = "yes" if name in self.served else "-"
            tested = "yes" if name in self.tested else "-"
            lines.append(f"{name:<48} {served:<7} {tested}")
        return "\n".join(lines)


def response_classes(service: str) -> list[type]:
    """The response classes the local AWS routes ``service`` requests to."""
    from moto.backends import get_backend

    from simlab.aws import registry

    registry.install()
    backend = get_backend(service)["123456789012"]["us-east-1"]  # type: ignore[call-overload]
    classes = []
    for handler in backend.url_paths.values():
        owner = getattr(handler, "__self__", None)  # ``ResponseClass.dispatch``
        if isinstance(owner, type):
            classes.append(owner)
    return classes


def measure(service: str, root: Path | None = None) -> Coverage:
    """Measures one service; raises KeyError for a service not in ``SERVICES``."""
    globs = SERVICES[service]
    operations = tuple(sorted(get_service_model(service).operation_names))
    classes = response_classes(service)
    served = frozenset(
        op
        for op in operations
        if any(callable(getattr(c, camelcase_to_underscores(op), None)) for c in classes)
    )
    return Coverage(
        service, operations, served, tested_operations(service, operations, globs, root)
    )


@cache
def _read(path: Path) -> str:
    return path.read_text()


def test_files(service: str, globs: tuple[str, ...], root: Path | None = None) -> list[Path]:
    """The contract-test files of ``service``: its patterns, and files creating its client."""
    base = root or REPO_ROOT
    files = {p for pattern in globs for p in base.glob(pattern)}
    client = re.compile(rf"""client\(\s*["']{re.escape(service)}["']""")
    for path in base.glob("tests/**/*.py"):
        if client.search(_read(path)):
            files.add(path)
    return sorted(files)


def tested_operations(
    service: str, operations: tuple[str, ...], globs: tuple[str, ...], root: Path | None = None
) -> frozenset[str]:
    """Operations called (or handed on) as ``<client>.<snake_case>`` in the contract tests."""
    text = "".join(_read(p) for p in test_files(service, globs, root))
    called = set(re.findall(r"\.([a-z][a-z0-9_]*)\s*[(,)]", text))
    return frozenset(op for op in operations if camelcase_to_underscores(op) in called)


def totals(reports: list[Coverage]) -> str:
    """One line per service and a total, as stable text."""
    lines = [f"{'service':<24} {'operations':>10} {'served':>7} {'tested':>7}"]
    for c in reports:
        lines.append(
            f"{c.service:<24} {len(c.operations):>10} {len(c.served):>7} "
            f"{len(c.served_and_tested):>7}"
        )
    ops = sum(len(c.operations) for c in reports)
    served = sum(len(c.served) for c in reports)
    tested = sum(len(c.served_and_tested) for c in reports)
    lines.append(f"{'total':<24} {ops:>10} {served:>7} {tested:>7}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds ``simlab coverage`` arguments."""
    parser.add_argument(
        "service", nargs="?", choices=sorted(SERVICES), help="the service to report on"
    )
    parser.add_argument("--all", action="store_true", help="every service, then the totals")
    parser.add_argument("--root", type=Path, default=None, help="repository root (for tests)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.service and args.all:
        print("give a SERVICE or --all, not both")
        return 2
    if not args.service and not args.all:
        print(f"give a SERVICE ({', '.join(sorted(SERVICES))}) or --all")
        return 2
    names = sorted(SERVICES) if args.all else [args.service]
    reports = [measure(name, args.root) for name in names]
    for report in reports:
        print(report.report())
        print()
    if args.all:
        print(totals(reports))
    return 0
