import pytest

from simlab.facts import ses, sms
from simlab.sim import Arrival, Channel, Outcomes, Pipeline, Scenario, ScenarioError, preset
from simlab.sim.presets import PRESETS, SMS_PARTS, audience
from simlab.sim.scenario import ScaleError, default_scale


def one_channel(**channel) -> Scenario:
    return Scenario(
        "t", 1_000, {"sms": Channel(**{"share": 1.0, "rate": 3.0, "service": "eum", **channel})}
    )


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: one_channel(rate=-1.0), "channels.sms.rate"),
        (lambda: one_channel(outcomes=Outcomes(0.5, 0.1)), "channels.sms.outcomes (probabilities)"),
        (lambda: one_channel(outcomes=Outcomes(1.2, -0.2)), "channels.sms.outcomes.delivered"),
        (lambda: one_channel(service="ses"), "channels.sms.service"),
        (lambda: one_channel(daily_quota=0.0), "channels.sms.daily_quota"),
        (lambda: Scenario("t", 10, {"fax": Channel(1.0, 1.0, "eum")}), "channels"),
        (lambda: Scenario("t", -5, {"sms": Channel(1.0, 1.0, "eum")}), "messages"),
        (lambda: Scenario("t", 5, {"sms": Channel(0.5, 1.0, "eum")}), "channels (shares)"),
        (lambda: one_channel().with_(**{"arrival.pattern": "tsunami"}), "arrival.pattern"),
        (lambda: one_channel().with_(**{"pipeline.buffer_mb": 500}), "pipeline.buffer_mb"),
        (lambda: one_channel().with_(quiet_hours=(21, 21)), "quiet_hours"),
    ],
)
def test_an_invalid_scenario_is_rejected_naming_the_field(make, field):
    with pytest.raises(ScenarioError) as error:
        make()
    assert str(error.value).startswith(f"{field} must be")


def test_the_error_lists_what_is_allowed():
    with pytest.raises(ScenarioError, match="one of burst, steady, diurnal, event; got 'tsunami'"):
        Arrival("tsunami").validate()
    with pytest.raises(ScenarioError, match=r"an integer 1\.\.128 \(Firehose SizeInMBs\)"):
        Pipeline(buffer_mb=0).validate()


def test_scenarios_are_frozen_and_changed_by_copy():
    scenario = one_channel()
    faster = scenario.with_(**{"channels.sms.rate": 100.0, "messages": 50})
    assert (scenario.channels["sms"].rate, scenario.messages) == (3.0, 1_000)
    assert (faster.channels["sms"].rate, faster.messages) == (100.0, 50)
    with pytest.raises(AttributeError):
        scenario.messages = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        scenario.channels["sms"] = None  # type: ignore[index]


def test_the_audience_splits_by_share_and_adds_up():
    scenario = preset("billion-day", messages=1_000_003)
    counts = scenario.counts()
    assert sum(counts.values()) == 1_000_003
    assert counts["email"] == pytest.approx(0.55 * 1_000_003, abs=1)
    assert counts["voice"] == 20


def test_presets_read_their_limits_from_facts():
    assert preset("sms-toll-free").channels["sms"].rate == sms.TOLL_FREE_MPS.value / SMS_PARTS
    assert preset("sms-short-code").channels["sms"].rate == sms.SHORT_CODE_MPS.value / SMS_PARTS
    sandbox = preset("email-ses-sandbox").channels["email"]
    assert (sandbox.rate, sandbox.daily_quota) == (
        ses.SANDBOX_MAX_SEND_RATE.value,
        ses.SANDBOX_MAX_24_HOUR_SEND.value,
    )


def test_the_scale_picks_audience_sizes(monkeypatch):
    assert default_scale() == "ci"  # under pytest
    assert audience("billion-day", "full") == 10**9
    assert audience("billion-day", "ci") == audience("billion-day", "workshop") == 10**9
    assert audience("fidelity", "ci") < audience("fidelity", "workshop")
    monkeypatch.setenv("SIMLAB_SCALE", "huge")
    with pytest.raises(ScaleError, match="SIMLAB_SCALE must be one of ci, workshop, full"):
        default_scale()
    with pytest.raises(ScenarioError, match="scenario must be one of"):
        preset("nope", "ci")
    assert "billion-day" in PRESETS


def test_quiet_hours_wrap_midnight():
    scenario = one_channel().with_(quiet_hours=(21, 8))
    assert scenario.quiet_until(20 * 3600.0) == 20 * 3600.0
    assert scenario.quiet_until(22 * 3600.0) == 32 * 3600.0  # 08:00 next day
    assert scenario.quiet_until(3 * 3600.0) == 8 * 3600.0
    assert scenario.quiet_edges(86_400.0)[:3] == [
        (0.0, True),
        (8 * 3600.0, False),
        (21 * 3600.0, True),
    ]
