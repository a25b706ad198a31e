"""What ``simlab check-env`` checks: versions, widgets, and that the local AWS starts."""

from __future__ import annotations

import json
import platform
import urllib.request
from dataclasses import dataclass
from importlib import metadata

PACKAGES = (
    "simlab", "moto", "boto3", "botocore", "simpy", "numpy", "phonenumbers",
    "matplotlib", "ipywidgets", "jupyterlab", "nbval",
)  # fmt: skip

__all__ = ["PACKAGES", "Check", "local_aws", "report", "run", "versions", "widgets"]


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str


def versions() -> list[Check]:
    """Reports the Python version and each package's installed version."""
    checks = [Check("python", True, platform.python_version())]
    for package in PACKAGES:
        try:
            checks.append(Check(package, True, metadata.version(package)))
        except metadata.PackageNotFoundError:
            optional = package in {"jupyterlab", "nbval"}
            checks.append(Check(package, optional, "not installed" + (" (optional)" * optional)))
    return checks


def widgets() -> Check:
    """Checks that ipywidgets builds a widget and JupyterLab has its front-end extension."""
    try:
        import ipywidgets

        ipywidgets.IntSlider(value=1)
    except Exception as error:  # noqa: BLE001 - reported, not raised
        return Check("widgets", False, f"ipywidgets failed: {error}")
    try:
        metadata.version("jupyterlab_widgets")
    except metadata.PackageNotFoundError:
        return Check("widgets", False, "jupyterlab_widgets (the JupyterLab extension) is missing")
    return Check("widgets", True, "ipywidgets builds widgets; JupyterLab extension installed")


def local_aws() -> list[Check]:
    """Starts the local AWS in-process and as a server and makes one call to each."""
    from simlab.aws import LocalAWS

    checks = []
    try:
        with LocalAWS() as aws:
            identity = aws.client("sts").get_caller_identity()
            checks.append(Check("local AWS (in-process)", True, f"account {identity['Account']}"))
    except Exception as error:  # noqa: BLE001
        checks.append(Check("local AWS (in-process)", False, str(error)))
    try:
        with LocalAWS("server") as aws:
            with urllib.request.urlopen(f"{aws.endpoint_url}/simlab/health", timeout=5) as reply:
                status = json.load(reply)["status"]
            checks.append(
                Check("local AWS (server)", status == "ok", f"answered at {aws.endpoint_url}")
            )
    except Exception as error:  # noqa: BLE001
        checks.append(Check("local AWS (server)", False, str(error)))
    return checks


def run() -> list[Check]:
    """Runs every check."""
    return [*versions(), widgets(), *local_aws()]


def report(checks: list[Check]) -> str:
    """Formats checks as an aligned table."""
    width = max(len(c.name) for c in checks)
    return "\n".join(f"{'ok ' if c.ok else 'FAIL'} {c.name:<{width}}  {c.detail}" for c in checks)
