import io
import json
from contextlib import redirect_stdout

import pytest

from simlab.cli import main


def test_simulate_lists_the_ready_scenarios(capsys):
    assert main(["simulate", "--list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert {"billion-day", "sms-toll-free", "email-ses-sandbox", "push-pinpoint"} <= set(names)


def test_simulate_prints_a_summary_and_a_progress_bar(capsys):
    assert main(["simulate", "sms-short-code", "--messages", "1e5"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("sms-short-code · aggregate model · seed 0 · 100,000 messages")
    assert "s wall)" in captured.out
    assert "100%" in captured.err


COUNTS = ("arrivals", "opted_out", "sent", "delivered", "complained", "bounced", "failed",
          "throttled", "pending")  # fmt: skip


@pytest.fixture(scope="module")
def billion_day_json() -> dict:
    """`simlab simulate billion-day --json` with no size given."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["simulate", "billion-day", "--json", "--quiet"]) == 0
    return json.loads(out.getvalue())


def test_billion_day_simulates_a_billion_by_default(billion_day_json):
    assert billion_day_json["messages"] == billion_day_json["arrivals"] == 10**9
    names = [c["channel"] for c in billion_day_json["channels"]]
    assert names == ["email", "push", "sms", "in_app", "voice"]
    sms = billion_day_json["channels"][names.index("sms")]
    # the evening peak outruns 12 short codes: the backlog notebook 06 teaches
    assert sms["backlog_peak"] > 1_000_000
    assert sms["completion_s"] > 86_400


def test_json_totals_are_the_sums_of_the_channels(billion_day_json):
    channels = billion_day_json["channels"]
    for key in COUNTS:
        assert billion_day_json[key] == sum(c[key] for c in channels), key


def test_json_accounts_for_every_message_per_channel_and_overall(billion_day_json):
    for books in (*billion_day_json["channels"], billion_day_json):
        assert books["arrivals"] == (
            books["delivered"] + books["complained"] + books["bounced"] + books["failed"]
            + books["opted_out"] + books["throttled"] + books["pending"]
        )  # fmt: skip
        assert books["sent"] == (
            books["delivered"] + books["complained"] + books["bounced"] + books["failed"]
        )
    keys = {"completion_s", "backlog_peak", "latency_p50_s", "latency_p99_s", "firehose_objects",
            "cost_usd", "wall_s"}  # fmt: skip
    assert keys <= set(billion_day_json)


def test_simulate_exact_model_runs_too(capsys):
    assert main(["simulate", "fidelity", "--model", "exact", "--messages", "2000", "--quiet"]) == 0
    assert "exact model" in capsys.readouterr().out


def test_bad_input_is_a_one_line_error(capsys):
    assert main(["simulate", "nope", "--quiet"]) == 2
    assert "SCENARIO must be one of billion-day" in capsys.readouterr().err
    try:
        main(["simulate", "billion-day", "--messages", "lots"])
    except SystemExit as stop:
        assert stop.code == 2
    assert "--messages must be a number like 1e9; got 'lots'" in capsys.readouterr().err
