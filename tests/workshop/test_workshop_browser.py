"""The workshop apps in a real browser: Voilà serves `workshop/`, headless Chromium uses them.

Each test opens one app as an instructor's attendee would, checks the panel rendered (controls,
no traceback, no raw widget text), changes a control and reads the answer change on the page.
Voilà runs with the workshop's own settings (`workshop/voila.json`), its idle-kernel culling
shortened so a test can watch it. Each app's first paint (seconds from opening the page to its
controls showing) is recorded as a test property and printed; `benchmarks/workshop.py` reports
the medians. Screenshots go to a temporary folder; with SIMLAB_SAVE_SCREENSHOTS=1 they are also
copied to `workshop/screenshots/` for the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from simlab.widgets.segments import WORKSHOP_AUDIENCE, generated_audience
from tests.workshop.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    RENDER,
    ROOT,
    WORKSHOP,
    free_port,
    open_app,
    save_screenshot,
    wait_until_serving,
)

#: Idle seconds after which this test's Voilà culls a kernel no page is connected to (longer
#: than a preheated kernel takes to start on a busy machine: Voilà spares only ready ones).
CULL_AFTER = 30

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium on PATH; install one with `apt-get install chromium`",
    ),
]


class Voila(str):
    """The base URL of a running Voilà, with its process (to find its kernels)."""

    process: subprocess.Popen[bytes]

    def kernels(self) -> set[int]:
        """The process ids of the kernels Voilà runs now."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        return {p.pid for p in children if "ipykernel" in " ".join(_cmdline(p))}


def _cmdline(process: psutil.Process) -> list[str]:
    """A process's command line; empty for one that has just ended (a culled kernel)."""
    try:
        return process.cmdline()
    except psutil.Error:
        return []


@pytest.fixture(scope="module")
def voila(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Voila]:
    """Serve `workshop/` as `make workshop` does, on a free port; yield its base URL."""
    port = free_port()
    url = Voila(f"http://127.0.0.1:{port}")
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [sys.executable, "-m", "voila", str(WORKSHOP), "--no-browser"]
    command += [f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=True"]
    command += ["--Voila.config_file_paths=workshop", "--MappingKernelManager.cull_interval=2",
                f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER}"]  # fmt: skip
    env = {**os.environ, "SIMLAB_SCALE": os.environ.get("SIMLAB_SCALE", "ci")}
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url.process = server
    try:
        wait_until_serving(url + "/", server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless system Chromium with a fresh profile."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1100, "height": 1400},  # Voilà scrolls inside; show it all
        )
        context.set_default_timeout(RENDER * 1000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A new tab, closed after the test."""
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder this run's screenshots go to."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def paint(record_property: Callable[[str, object], None]) -> Callable[[str, float], None]:
    """Records an app's first paint as a test property and prints it (pytest -s shows it)."""

    def note(app: str, seconds: float) -> None:
        record_property(f"{app}_first_paint_s", round(seconds, 2))
        print(f"{app}: first paint {seconds:.1f} s")

    return note


def wait_until_still(page: Page, selector: str, quiet: float = 3.0, limit: float = 60.0) -> None:
    """Return once the images matching `selector` have not changed for `quiet` seconds."""

    def sources() -> list[str]:
        return page.locator(selector).evaluate_all("images => images.map(i => i.src)")

    last, since, deadline = sources(), time.monotonic(), time.monotonic() + limit
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, f"{selector} still changing after {limit} s"
        page.wait_for_timeout(250)
        if (now := sources()) != last:
            last, since = now, time.monotonic()


def test_the_tree_lists_every_app(page: Page, voila: str):
    page.goto(voila + "/")
    for notebook in sorted(WORKSHOP.glob("*.ipynb")):
        expect(page.get_by_text(notebook.name, exact=True)).to_be_visible()


def test_the_advisor_adds_sns_when_sms_replies_are_needed(page, voila, screenshots, paint):
    paint("advisor", open_app(page, voila, "advisor", "Advise"))
    expect(page.get_by_role("heading", name="The service advisor")).to_be_visible()
    advice = page.locator(".widget-html-content")
    expect(advice).to_contain_text("Amazon SES — email")  # the defaults: transactional email

    page.get_by_label("Channels").select_option("sms")
    page.get_by_role("button", name="Advise").click()
    expect(advice).to_contain_text("AWS End User Messaging SMS — SMS")
    expect(advice).not_to_contain_text("Amazon SNS")

    page.get_by_label("two-way (replies)").check()
    page.get_by_role("button", name="Advise").click()
    expect(advice).to_contain_text("Amazon SNS — receives inbound SMS")
    expect(advice).to_contain_text("two-way SMS publishes each reply to an SNS topic")
    save_screenshot(page, screenshots, "advisor")


def seconds(text: str) -> float:
    """Read a duration as `simlab.sim.duration` prints it: '3 d 04:05:06', '04:05:06', '12.3 s'."""
    if text.endswith(" s"):
        return float(text[:-2])
    days, _, clock = text.rpartition(" d ")
    hours, minutes, secs = (int(part) for part in clock.split(":"))
    return int(days or 0) * 86_400 + hours * 3_600 + minutes * 60 + secs


def done_after(summary: str) -> str:
    """The campaign's completion time as the scale simulator's summary prints it."""
    return re.search(r"^done after (.+?) ·", summary, re.M).group(1)


def test_the_scale_simulator_takes_longer_when_sms_mps_drops(page, voila, screenshots, paint):
    paint("scale", open_app(page, voila, "scale", "SMS MPS"))
    expect(page.get_by_role("heading", name="The scale simulator")).to_be_visible()
    expect(page.locator("img.widget-image")).to_have_count(2)  # backlog and cost figures
    summary = page.locator(".widget-html-content", has_text="done after")
    before = done_after(summary.inner_text())

    mps = page.locator(".widget-slider", has=page.get_by_text("SMS MPS", exact=True))
    expect(mps.locator(".widget-readout")).to_have_text("3 msg/s")  # toll-free, exactly
    mps.locator(".noUi-handle").press("Home")  # the slowest rate: 1 message part per second
    expect(mps.locator(".widget-readout")).to_have_text("1 msg/s")
    # A third of the rate stretches the SMS tail from hours to days.
    expect(summary).to_contain_text(re.compile(r"^done after \d+ d ", re.M))
    after = done_after(summary.inner_text())
    assert seconds(after) > 2 * seconds(before), (before, after)
    expect(page.locator("img.widget-image")).to_have_count(2)  # redrawn, not added
    wait_until_still(page, "img.widget-image")  # the figures follow the summary by a moment
    save_screenshot(page, screenshots, "scale")


def test_the_segment_builder_counts_the_people_each_choice_keeps(page, voila, screenshots, paint):
    people = generated_audience(WORKSHOP_AUDIENCE, seed=7).people  # the audience the app builds
    total = len(people)
    ios = [e for e in people if e["Demographic"]["Platform"] == "ios"]
    ios_vn = [e for e in ios if e["Location"]["Country"] == "VN"]

    paint("segments", open_app(page, voila, "segments", "Platform"))
    expect(page.get_by_role("heading", name="The segment builder")).to_be_visible()
    count = page.locator(".widget-html-content").first
    expect(count).to_have_text(f"{total:,} of {total:,} endpoints (100.0%)")

    page.get_by_label("Platform").select_option("ios")
    expect(count).to_contain_text(f"{len(ios):,} of {total:,} endpoints")
    page.get_by_label("Country").select_option("VN")
    expect(count).to_contain_text(f"{len(ios_vn):,} of {total:,} endpoints")
    expect(page.locator("pre")).to_contain_text('"Values": [\n        "VN"')
    save_screenshot(page, screenshots, "segments")


def test_three_visitors_at_once_each_get_a_working_segment_builder(browser, voila, paint):
    tabs = [browser.new_page() for _ in range(3)]
    try:
        started = time.perf_counter()
        for tab in tabs:  # all three ask before any is served
            tab.goto(f"{voila}/voila/render/segments.ipynb", wait_until="commit")
        for number, tab in enumerate(tabs, 1):
            tab.get_by_text("Platform", exact=True).first.wait_for()
            paint(f"segments_visitor_{number}_of_3", time.perf_counter() - started)
            count = tab.locator(".widget-html-content").first
            expect(count).to_have_text(
                f"{WORKSHOP_AUDIENCE:,} of {WORKSHOP_AUDIENCE:,} endpoints (100.0%)"
            )
        tabs[0].get_by_label("Platform").select_option("ios")  # each kernel answers its own tab
        expect(tabs[0].locator(".widget-html-content").first).not_to_contain_text("(100.0%)")
        expect(tabs[1].locator(".widget-html-content").first).to_contain_text("(100.0%)")
    finally:
        for tab in tabs:
            tab.close()


def settled(voila: Voila, quiet: float = 3.0, limit: float = 120.0) -> set[int]:
    """Voilà's kernels once their number has held still for `quiet` seconds (pools filled)."""
    last, since, deadline = voila.kernels(), time.monotonic(), time.monotonic() + limit
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.5)
        if (now := voila.kernels()) != last:
            last, since = now, time.monotonic()
    return last


def test_the_kernel_of_a_closed_tab_is_culled(browser, voila):
    settled(voila)
    tab = browser.new_page()
    open_app(tab, voila, "advisor", "Advise")
    while_open = voila.kernels()  # the tab's kernel (preheated or new) is among these
    tab.close()
    deadline = time.monotonic() + CULL_AFTER + 60
    while while_open <= voila.kernels():  # the culler has taken none of them yet
        assert time.monotonic() < deadline, "the closed tab's kernel is still running"
        time.sleep(0.5)
