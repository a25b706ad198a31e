"""Fixtures for workshop rooms: a small room, open in process or over HTTP."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from simlab.aws import LocalAWS
from simlab.room import Room


@pytest.fixture
def room() -> Room:
    """Two attendees with seeded keys."""
    return Room.create(2, seed=7)


@pytest.fixture
def room_aws(room: Room) -> Iterator[LocalAWS]:
    """A local AWS in process with ``room`` open."""
    with LocalAWS(room=room) as local:
        yield local


@pytest.fixture
def room_server(room: Room) -> Iterator[LocalAWS]:
    """A local AWS over HTTP on 127.0.0.1 with ``room`` open."""
    with LocalAWS("server", room=room) as local:
        yield local


@contextmanager
def served_room(directory: Path, size: int, *extra: str) -> Iterator[tuple[str, Room]]:
    """Runs ``simlab serve --room size`` on a free loopback port; yields its URL and room."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simlab.cli",
            "serve",
            "--port",
            "0",
            "--room",
            str(size),
            "--room-dir",
            str(directory),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(6)]  # type: ignore[union-attr]
        assert lines[0].startswith("simlab local AWS listening on http://127.0.0.1:"), lines
        assert any("workshop room" in line for line in lines), lines
        yield lines[0].split()[-1], Room.load(directory / "room.json")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
