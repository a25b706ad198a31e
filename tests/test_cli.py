import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from simlab.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simlab.cli", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.server
def test_serve_prints_its_url_serves_and_stops_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "simlab.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("simlab local AWS listening on http://127.0.0.1:")
        url = line.split()[-1]
        with urllib.request.urlopen(f"{url}/simlab/health", timeout=10) as reply:
            assert json.load(reply) == {"status": "ok"}
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "simlab local AWS stopped" in out
    assert "Traceback" not in err


@pytest.mark.server
def test_a_busy_port_gets_one_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"simlab serve: error: port {port} on 127.0.0.1 is busy; "
        "choose another with --port, or --port 0 for a free one"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["serve", "--port", "abc"], "argument --port: invalid int value: 'abc'"),
        (["serve", "--port", "70000"], "--port must be 0..65535, got 70000"),
        (["serve", "--colour"], "unrecognized arguments: --colour"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_bad_options_get_one_line_not_a_traceback(args, expected, capsys):
    with pytest.raises(SystemExit) as exit_info:
        code = main(args)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]


def test_check_env_reports_each_part_and_passes_here(capsys):
    assert main(["check-env"]) == 0
    report = capsys.readouterr().out
    for name in ("moto", "boto3", "widgets", "local AWS (in-process)", "local AWS (server)"):
        assert any(line.startswith("ok") and name in line for line in report.splitlines()), name


def test_help_lists_every_command_without_importing_them():
    code = (
        "import sys, simlab.cli as c; p = c.build_parser(load=set()); "
        "print(sorted(p._subparsers._group_actions[0].choices)); "
        "print(any(m.startswith(('simlab.aws.services', 'simlab.sim.cli', 'simlab.exam')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    names, imported = out.stdout.strip().splitlines()
    assert names == str(
        sorted(["serve", "check-env", "coverage", "quiz", "room", "simulate", "sweep"])
    )
    assert imported == "False"


@pytest.mark.server
def test_serve_runs_a_live_clock_by_default_at_the_speed_asked_for():
    process = subprocess.Popen(
        [sys.executable, "-m", "simlab.cli", "serve", "--port", "0", "--speed", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().split()[-1]
        assert "clock: live (600x wall time)" in process.stdout.readline()
        readings = []
        for _ in range(2):
            with urllib.request.urlopen(f"{url}/simlab/clock", timeout=10) as reply:
                readings.append(json.load(reply))
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    assert [(r["mode"], r["speed"]) for r in readings] == [("live", 600.0)] * 2
    assert readings[1]["seconds"] - readings[0]["seconds"] >= 60  # 0.2 s of wall time, 600x


@pytest.mark.server
def test_a_boto3_script_in_another_process_sends_and_reads_back_through_simlab_serve():
    server = subprocess.Popen(
        [sys.executable, "-m", "simlab.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().split()[-1]
        script = subprocess.run(
            [sys.executable, str(ROOT / "examples/serve_roundtrip.py"), "--endpoint-url", url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=20)
    assert script.returncode == 0, script.stderr
    lines = script.stdout.strip().splitlines()
    assert lines == ["EMAIL ses ana@example.com SENT", "SMS sns +12065550100 DELIVERED"]


def interrupt_once_started(args: list[str], started: str, stream: str) -> tuple[int, str]:
    """Start `simlab ARGS`, wait for `started` on `stream`, press Ctrl-C; return status, stderr."""
    # a shell starts a command with Ctrl-C at its default, whatever this process ignores (a
    # test before may have left SIGINT ignored, and an ignored signal stays ignored in a child)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "simlab.cli", *args],
            stdin=subprocess.PIPE,  # held open: a prompt waits for an answer that never comes
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        seen = ""
        while started not in seen:
            char = getattr(process, stream).read(1)
            assert char, f"simlab {args[0]} ended before printing {started!r}"
            seen += char
        process.send_signal(signal.SIGINT)
        # stdin stays open until the command has ended: only Ctrl-C may end it, not end of input
        process.wait(timeout=30)
        err = process.stderr.read()  # the command has ended: its pipes hold what it wrote
    finally:
        process.kill()
    return process.returncode, err if stream == "stdout" else seen + err


@pytest.mark.parametrize(
    ("args", "started", "stream"),
    [
        (["quiz", "--seed", "1", "--count", "3"], "replay with --seed 1", "stdout"),
        # long enough (minutes) that it is still running when Ctrl-C comes, however loaded the
        # machine: Ctrl-C must stop it
        (["simulate", "billion-day", "--model", "exact", "--messages", "1e8"], "[", "stderr"),
    ],
    ids=["quiz", "simulate"],
)
def test_ctrl_c_stops_a_command_with_one_line_and_status_130(args, started, stream):
    status, err = interrupt_once_started(args, started, stream)
    assert status == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1] == f"simlab {args[0]}: interrupted (Ctrl-C)"
    if stream == "stdout":  # nothing else on stderr
        assert err.strip().splitlines() == [f"simlab {args[0]}: interrupted (Ctrl-C)"]
