"""Both models against theory, against each other, and for exact accounting of every message."""

import json

import numpy as np
import pytest

from simlab.sim import (
    Arrival,
    Channel,
    Latency,
    Outcomes,
    RateChange,
    Scenario,
    preset,
    simulate,
)

MODELS = ["exact", "aggregate"]


def sms_blast(n: int = 30_000, rate: float = 100.0, **scenario) -> Scenario:
    odds = Outcomes(delivered=0.9, bounced=0.02, complained=0.01, failed=0.02, opted_out=0.05)
    return Scenario("blast", n, {"sms": Channel(1.0, rate, "eum", outcomes=odds)}, **scenario)


def assert_every_message_accounted_for(result, poisson: bool = False):
    for c in result.channels:
        assert c.arrivals == c.opted_out + c.sent + c.throttled + c.pending
        assert c.sent == c.delivered + c.complained + c.bounced + c.failed
    if not poisson:  # event arrivals are a Poisson count around the audience size
        assert result.arrivals == result.messages
    assert result.arrivals == result.opted_out + result.sent + result.throttled + result.pending
    assert result.sent == result.delivered + result.complained + result.bounced + result.failed
    totals = result.series
    for name in result.channel_names():
        assert int(totals.sent[name].sum()) == result.channel(name).sent


@pytest.mark.parametrize("model", MODELS)
def test_a_burst_completes_in_n_over_rate(model):
    # everyone arrives at once; a full bucket sends `rate` at t=0, then `rate` per second
    scenario = Scenario("burst", 10_000, {"email": Channel(1.0, 50.0, "ses")})
    result = simulate(scenario, model=model)
    assert result.completion_s == pytest.approx((10_000 - 50) / 50, abs=0.02)
    assert result.backlog_peak == 10_000 - 50
    assert result.channel("email").latency_p99_s > 0.99 * (10_000 - 50) / 50
    assert_every_message_accounted_for(result)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("pattern", ["burst", "steady", "diurnal", "event"])
def test_every_message_is_accounted_for(model, pattern):
    scenario = preset("fidelity", messages=20_000).with_(**{"arrival.pattern": pattern})
    result = simulate(scenario, model=model, seed=3)
    assert_every_message_accounted_for(result, poisson=pattern == "event")


@pytest.mark.parametrize("model", MODELS)
def test_the_ses_sandbox_quota_spreads_400_emails_over_two_days(model):
    result = simulate("email-ses-sandbox", model=model, messages=400)
    # 200 per rolling 24 h: the 201st email waits until the first leaves the window
    assert 86_400 <= result.completion_s < 86_400 + 200
    assert result.channel("email").sent + result.channel("email").opted_out == 400
    assert_every_message_accounted_for(result)


@pytest.mark.parametrize("model", MODELS)
def test_nothing_leaves_during_quiet_hours(model):
    scenario = sms_blast(400_000, 3.0, arrival=Arrival("burst", 8 * 3600.0), quiet_hours=(21, 8))
    result = simulate(scenario, model=model, seed=1)
    sent = result.series.sent["sms"]
    hours = (result.series.t % 86_400) / 3_600
    quiet = (hours > 21.001) | (hours < 8)
    assert sent[quiet].sum() == 0
    assert sent.sum() == result.channel("sms").sent
    # 13 open hours a day at 3 messages/s
    days = result.channel("sms").sent / (13 * 3_600 * 3)
    assert result.completion_s == pytest.approx(
        (np.floor(days) * 86_400) + (days % 1) * 13 * 3_600, rel=0.01
    )


@pytest.mark.parametrize("model", MODELS)
def test_the_spend_limit_throttles_the_rest(model):
    # 0.00645 USD a part: USD 10 buys 1,550 messages; the rest are throttled, none pending
    result = simulate(
        sms_blast(5_000, 10.0).with_(**{"channels.sms.spend_limit_usd": 10.0}), model=model
    )
    sms = result.channel("sms")
    assert sms.sent == 1_550
    assert sms.throttled == 5_000 - 1_550 - sms.opted_out
    assert any("spend limit reached" in label for _, label in result.controls)
    assert_every_message_accounted_for(result)


@pytest.mark.parametrize("model", MODELS)
def test_the_campaign_end_throttles_what_is_still_queued(model):
    result = simulate(sms_blast(10_000, 10.0, max_duration_s=300.0), model=model)
    sms = result.channel("sms")
    assert sms.sent == pytest.approx(10 + 300 * 10, abs=2)  # burst + 300 s at 10/s
    assert sms.throttled + sms.sent + sms.opted_out == 10_000
    assert result.completion_s <= 300


@pytest.mark.parametrize("model", MODELS)
def test_a_quota_raise_mid_campaign_speeds_it_up(model):
    slow = sms_blast(20_000, 10.0)
    raised = slow.with_(rate_changes=(RateChange(600.0, "sms", 100.0),))
    before, after = simulate(slow, model=model), simulate(raised, model=model)
    sent_by_600 = 10 + 600 * 10
    left = before.channel("sms").sent - sent_by_600
    assert after.completion_s == pytest.approx(600 + left / 100, abs=2)
    assert before.completion_s > 2.5 * after.completion_s


@pytest.mark.parametrize("model", MODELS)
def test_the_same_seed_gives_the_same_result(model):
    first = simulate("fidelity", model=model, seed=7, messages=5_000)
    again = simulate("fidelity", model=model, seed=7, messages=5_000)
    other = simulate("fidelity", model=model, seed=8, messages=5_000)
    assert first.summary() == again.summary()
    assert first.summary() != other.summary()


def test_a_horizon_leaves_the_rest_pending():
    scenario = sms_blast(100_000, 3.0, horizon_s=3_600.0)
    for model in MODELS:
        result = simulate(scenario, model=model)
        sms = result.channel("sms")
        assert sms.sent == pytest.approx(3 + 3 * 3_600, abs=3)
        assert sms.pending > 80_000
        assert_every_message_accounted_for(result)


def test_exact_records_are_columns_of_22_bytes_a_message():
    from simlab.sim.exact import OPTED_OUT, run_exact

    trace = run_exact(sms_blast(20_000), seed=2, records=True)
    records = trace.records
    assert len(records["arrived_s"]) == 20_000
    assert sum(col.itemsize for col in records.values()) <= 40
    opted = records["outcome"] == OPTED_OUT
    assert opted.sum() == trace.channels["sms"].opted_out.sum()
    sent = records["outcome"] < 4
    assert np.all(records["left_s"][sent] >= records["arrived_s"][sent])


def test_the_lean_and_the_idiomatic_simpy_models_agree():
    from simlab.sim.exact import run_idiomatic

    scenario = sms_blast(5_000, 100.0)
    lean = simulate(scenario, model="exact", seed=4)
    textbook = run_idiomatic(scenario, seed=4)
    assert textbook["sent"] == lean.sent
    assert textbook["completion_s"] == pytest.approx(lean.completion_s, abs=0.05)


def test_latency_is_wait_plus_delivery():
    quick = Scenario("q", 2_000, {"push": Channel(1.0, 1e6, "pinpoint", latency=Latency(2.0, 0.0))})
    result = simulate(quick, model="exact")
    assert result.latency_p50_s == pytest.approx(2.0, rel=0.002)


def test_a_result_is_json_ready_and_has_no_wall_time_in_its_summary():
    result = simulate("billion-day", messages=10**6)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["channels"][0]["channel"] == "email"
    assert set(data) >= {"completion_s", "backlog_peak", "latency_p99_s", "firehose_objects",
                         "cost_usd", "cost_lines", "wall_s", "events"}  # fmt: skip
    assert "wall" not in result.summary()
    assert [row["channel"] for row in result.rows()] == ["email", "push", "sms", "in_app", "voice"]


@pytest.mark.parametrize("model", MODELS)
def test_an_event_campaign_drops_what_waits_past_five_minutes(model):
    # 4 events/s (2% opted out) on a 3 MPS number: the queue grows by 0.92/s until the head
    # has waited 300 s (900 queued, after ~978 s); from then on 0.92 messages/s expire and the
    # queue holds the last 300 s of arrivals (~1,176)
    result = simulate("event-sms-toll-free", model=model, seed=5)
    sms = result.channel("sms")
    assert sms.throttled == pytest.approx(0.92 * (3_600 - 900 / 0.92), rel=0.1)
    assert sms.backlog_peak == pytest.approx(4 * 0.98 * 300, rel=0.1)
    assert sms.latency_p99_s < 300 + 60  # nobody sent waited past the limit (plus delivery)
    assert_every_message_accounted_for(result, poisson=True)


def test_the_models_agree_on_drops():
    drops = {
        m: np.array([simulate("event-sms-toll-free", model=m, seed=s).throttled for s in range(6)])
        for m in MODELS
    }
    exact, aggregate = drops["exact"], drops["aggregate"]
    se = np.sqrt(exact.var(ddof=1) / len(exact) + aggregate.var(ddof=1) / len(aggregate))
    assert abs(aggregate.mean() - exact.mean()) <= 0.02 * exact.mean() + 4 * se
