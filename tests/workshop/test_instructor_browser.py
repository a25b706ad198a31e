"""The instructor's app in headless Chromium, reading a room served over HTTP.

A room of three is served in this process (``LocalAWS("server", room=...)``); Voilà serves
``workshop/`` with ``SIMLAB_ROOM_URL`` and ``SIMLAB_ROOM_DIR`` pointing at it, as the workshop
guide says; the test reads the table, moves the clock and texts every attendee from the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from simlab.aws import LocalAWS
from simlab.room import Room, RoomClient
from simlab.room.handout import write
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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH"),
]


@pytest.fixture(scope="module")
def room_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalAWS, Room, Path]]:
    room = Room.create(3, seed=5)
    folder = tmp_path_factory.mktemp("room")
    with LocalAWS("server", room=room) as local:
        write(room, folder, local.endpoint_url or "")
        yield local, room, folder


@pytest.fixture(scope="module")
def voila_room(
    room_served: tuple[LocalAWS, Room, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    local, _, folder = room_served
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    command = [sys.executable, "-m", "voila", str(WORKSHOP), "--no-browser", f"--port={port}"]
    command += ["--Voila.ip=127.0.0.1", "--show_tracebacks=True"]
    command += ["--Voila.config_file_paths=workshop"]
    env = {
        **os.environ,
        "SIMLAB_ROOM_URL": local.endpoint_url or "",
        "SIMLAB_ROOM_DIR": str(folder),
    }
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(name, None)  # the kernel needs no AWS credentials, only the room's key
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(url + "/", server, log)  # type: ignore[arg-type]
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1300, "height": 900},
        )
        context.set_default_timeout(RENDER * 1000)
        try:
            yield context.new_page()
        finally:
            context.close()


def test_the_instructor_sees_the_room_moves_its_clock_and_texts_everyone(
    page: Page, voila_room: str, room_served: tuple[LocalAWS, Room, Path], tmp_path: Path
):
    local, room, _ = room_served
    first = room.attendees[0]
    session = boto3.session.Session(
        aws_access_key_id=first.access_key_id,
        aws_secret_access_key=first.secret_access_key,
        region_name="us-east-1",
    )
    session.client("sns", endpoint_url=local.endpoint_url).publish(
        PhoneNumber="+12065550100", Message="hello"
    )
    session.client("pinpoint-sms-voice-v2", endpoint_url=local.endpoint_url).request_phone_number(
        IsoCountryCode="US", MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )  # fmt: skip
    # the live clock delivers the text a moment later: open the app once the room shows it
    instructor = RoomClient(local.endpoint_url or "", room.instructor.access_key_id)
    deadline = time.monotonic() + RENDER
    while not _done(instructor, first.name, "00-sms", "04-number"):
        assert time.monotonic() < deadline, "the room never showed the text and the number"
        time.sleep(0.2)

    open_app(page, voila_room, "instructor", "Advance clock")
    table = page.locator("table.simlab-room")
    expect(table.locator("tr")).to_have_count(1 + len(room))
    row = table.locator("tr", has_text="attendee-01")
    expect(row).to_contain_text(first.account_id)
    expect(row.locator("span.done")).to_have_count(2)  # 00-sms and 04-number
    expect(table.locator("tr", has_text="attendee-02").locator("span.done")).to_have_count(0)

    before = local.clock.seconds
    page.get_by_label("Advance").select_option("1 day")
    page.get_by_role("button", name="Advance clock").click()
    expect(page.get_by_text("Room clock now")).to_be_visible()
    assert local.clock.seconds - before >= 86400

    page.get_by_role("button", name="Text every attendee").click()
    expect(page.get_by_text("Texted 1 of 3 attendees.", exact=False)).to_be_visible()
    expect(row.locator("span.done")).to_have_count(3)  # and 04-reply
    save_screenshot(page, tmp_path, "instructor")


def _done(instructor: RoomClient, attendee: str, *checkpoints: str) -> bool:
    """Whether the room reports every one of ``checkpoints`` done for ``attendee``."""
    _, statuses = instructor.status()
    status = next(s for s in statuses if s.name == attendee)
    return all(status.checkpoints[name] for name in checkpoints)
