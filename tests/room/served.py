"""A workshop room served over HTTP by a real ``simlab serve --room`` process."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from simlab.room import Room


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
