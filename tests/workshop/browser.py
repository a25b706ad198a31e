"""Helpers for the browser tests: where the workshop lives, Chromium, a Voilà to wait for."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]


WORKSHOP = ROOT / "workshop"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Seconds Voilà may take to start, and a page to start its kernel and render the panel.
STARTUP = 60


RENDER = 120


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, voila: subprocess.Popen[bytes], log: Path) -> None:
    """Return once `url` answers 200; fail with Voilà's log if it exits or is too slow."""
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if voila.poll() is not None:
            pytest.fail(f"Voilà exited with {voila.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"Voilà did not answer {url} within {STARTUP} s:\n{log.read_text()}")


def open_app(page: Page, voila: str, app: str, ready: str) -> float:
    """Open `workshop/<app>.ipynb`, wait until the button or label `ready` shows; return seconds.

    The seconds are the app's first paint, from asking for the page to its controls showing.
    """
    started = time.perf_counter()
    page.goto(f"{voila}/voila/render/{app}.ipynb", wait_until="commit")
    failed = page.get_by_text("Traceback (most recent call last)")
    try:
        page.get_by_text(ready, exact=True).or_(failed).first.wait_for()
    except PlaywrightTimeout:
        shown = page.inner_text("body")[-3000:]
        pytest.fail(f"{app}: {ready!r} did not show; the page shows:\n{shown}")
    first_paint = time.perf_counter() - started
    text = page.inner_text("body")
    assert "Traceback" not in text, text
    assert "Panel(children=" not in text, "the widget did not render, its repr shows instead"
    return first_paint


def save_screenshot(page: Page, folder: Path, app: str) -> Path:
    """Screenshot the whole page; with SIMLAB_SAVE_SCREENSHOTS=1 copy it for the README."""
    path = folder / f"{app}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000
    if os.environ.get("SIMLAB_SAVE_SCREENSHOTS") == "1":
        (WORKSHOP / "screenshots").mkdir(exist_ok=True)
        shutil.copy(path, WORKSHOP / "screenshots" / path.name)
    return path
