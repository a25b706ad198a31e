"""The quickstart example runs unchanged in-process and against server mode."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from simlab.aws import LocalAWS

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pinpoint_quickstart.py"


def quickstart() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pinpoint_quickstart", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(observed: dict) -> None:
    assert observed["segment"] == "sports-fans"
    assert set(observed["statuses"].values()) == {"SUCCESSFUL"}
    streamed = {message_id for _, message_id in observed["events"]}
    assert streamed == set(observed["message_ids"])
    assert sorted(t for t, _ in observed["events"]) == [
        "_SMS.BUFFERED",
        "_SMS.BUFFERED",
        "_email.send",
    ]


def test_quickstart_in_process(aws: LocalAWS) -> None:
    check(quickstart().run())


def test_quickstart_against_server_mode(server_aws: LocalAWS) -> None:
    check(quickstart().run(server_aws.endpoint_url))


def test_quickstart_as_a_script_prints_the_same_story() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True, check=True, timeout=120
    )
    assert "segment: sports-fans" in done.stdout
    assert done.stdout.count("SUCCESSFUL") == 3
