"""The workshop apps as visitors meet them: Voilà serves `workshop/`, headless Chromium opens them.

For each app it prints the median, over ``--runs`` fresh visits, of the **first paint** (seconds
from opening the page to the panel's controls showing) and the **largest kernel** (resident set
size of the biggest of Voilà's kernels once the panel shows: with preheated kernels the one that
served the visit is among them); then ``--visitors`` open the app at the same moment and it
prints each one's first paint. Voilà runs as ``make workshop`` runs it (``workshop/voila.json``:
preheated kernels, idle-kernel culling), at ``SIMLAB_SCALE=workshop`` unless told otherwise.
Before each measurement it waits until Voilà's kernels are idle (the pools refilled), as an
instructor's Voilà is between arrivals.

Run: ``.venv/bin/python benchmarks/workshop.py [--runs 3] [--visitors 3] [--apps segments scale]``
(``--cold`` turns preheating off, so each visit pays for starting its own kernel).
Needs Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.async_api import BrowserContext, async_playwright

ROOT = Path(__file__).resolve().parents[1]
#: The app and the text on its panel that shows it has rendered.
APPS = {"segments": "Platform", "scale": "SMS MPS", "advisor": "Advise"}
MB = 1024 * 1024
VIEWPORT = {"width": 1100, "height": 1400}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_voila(port: int, scale: str, preheat: bool = True) -> subprocess.Popen[bytes]:
    """Voilà on `workshop/` with the workshop's configuration, as `make workshop` starts it."""
    command = [sys.executable, "-m", "voila", "workshop/", "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.config_file_paths=workshop"]  # fmt: skip
    if not preheat:  # every visit starts its own kernel: the cost preheating hides
        command.append("--VoilaConfiguration.preheat_kernel=False")
    env = {**os.environ, "SIMLAB_SCALE": scale}
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise SystemExit("Voilà did not start within 60 s")


def kernels(server: subprocess.Popen[bytes]) -> dict[int, psutil.Process]:
    """Voilà's kernel processes by pid."""
    children = psutil.Process(server.pid).children(recursive=True)
    return {p.pid: p for p in children if "ipykernel" in " ".join(p.cmdline())}


async def settle(server: subprocess.Popen[bytes], limit: float = 90.0) -> None:
    """Wait until Voilà's kernels have stopped working (pools filled), or `limit` seconds."""
    deadline, quiet = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quiet < 3:
        procs = list(kernels(server).values())
        for proc in procs:
            proc.cpu_percent(None)
        await asyncio.sleep(1.0)
        busy = sum(p.cpu_percent(None) for p in procs if p.is_running())
        quiet = quiet + 1 if procs and busy < 10 else 0


async def visit(context: BrowserContext, url: str, ready: str) -> float:
    """Seconds from opening `url` in a new tab of `context` to `ready` showing."""
    page = await context.new_page()
    started = time.perf_counter()
    await page.goto(url, wait_until="commit", timeout=180_000)
    await page.get_by_text(ready, exact=True).first.wait_for(timeout=180_000)
    return time.perf_counter() - started


async def measure(port: int, server: subprocess.Popen[bytes], args: argparse.Namespace) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Chromium on PATH: apt-get install chromium")
    base = f"http://127.0.0.1:{port}/voila/render"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        await settle(server)
        print(f"{'app':<10}{'first paint s (median)':>24}{'largest kernel MB':>20}  runs")
        for app in args.apps:
            paints, sizes = [], []
            for _ in range(args.runs):
                context = await browser.new_context(viewport=VIEWPORT)
                paints.append(await visit(context, f"{base}/{app}.ipynb", APPS[app]))
                sizes.append(max(p.memory_info().rss for p in kernels(server).values()) / MB)
                await context.close()
                await settle(server)
            print(
                f"{app:<10}{statistics.median(paints):>24.1f}{statistics.median(sizes):>20.0f}  "
                + ", ".join(f"{p:.1f} s/{s:.0f} MB" for p, s in zip(paints, sizes, strict=True))
            )
        for app in args.apps:
            await settle(server)
            contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(args.visitors)]
            url = f"{base}/{app}.ipynb"
            paints = await asyncio.gather(*(visit(c, url, APPS[app]) for c in contexts))
            print(
                f"{app}: {args.visitors} visitors at once, first paint "
                + ", ".join(f"{p:.1f}" for p in sorted(paints))
                + f" s (median {statistics.median(paints):.1f}, slowest {max(paints):.1f})"
            )
            for context in contexts:
                await context.close()
        await browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--apps", nargs="+", choices=list(APPS), default=list(APPS))
    parser.add_argument("--scale", default="workshop", choices=("ci", "workshop", "full"))
    parser.add_argument("--cold", action="store_true", help="no preheated kernels")
    args = parser.parse_args()
    port = free_port()
    server = start_voila(port, args.scale, preheat=not args.cold)
    try:
        print(
            f"Voilà on 127.0.0.1:{port}, SIMLAB_SCALE={args.scale}, {os.cpu_count()} cores, "
            f"{'cold kernels' if args.cold else 'preheated kernels'}"
        )
        asyncio.run(measure(port, server, args))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
