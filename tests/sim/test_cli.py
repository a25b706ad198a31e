import json

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


def test_simulate_json_has_totals_per_channel_and_the_run(capsys):
    assert main(["simulate", "billion-day", "--messages", "1e9", "--json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["messages"] == 10**9
    assert [c["channel"] for c in data["channels"]] == ["email", "push", "sms", "in_app", "voice"]
    for c in data["channels"]:
        assert c["arrivals"] == c["opted_out"] + c["sent"] + c["throttled"] + c["pending"]
    keys = {"completion_s", "backlog_peak", "latency_p50_s", "latency_p99_s", "firehose_objects",
            "cost_usd", "wall_s"}  # fmt: skip
    assert keys <= set(data)


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
