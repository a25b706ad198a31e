"""The same workload through each service: what the quotas mean in time and money."""

import pytest

from simlab.facts import sms
from simlab.sim import compare, simulate, table
from simlab.sim.presets import SMS_PARTS


def test_fifty_million_sms_on_one_toll_free_number_take_months():
    toll_free = simulate("sms-toll-free")
    short_code = simulate("sms-short-code")
    sent = toll_free.channel("sms").sent
    assert toll_free.completion_s == pytest.approx(
        sent * SMS_PARTS / sms.TOLL_FREE_MPS.value, rel=0.001
    )
    assert toll_free.completion_s > 180 * 86_400  # about six months
    assert short_code.completion_s < 7 * 86_400
    assert toll_free.cost_usd == pytest.approx(
        short_code.cost_usd, rel=0.01
    )  # same parts, same price


def test_sns_sends_sms_at_the_numbers_rate_and_adds_its_request_charge():
    direct, via_sns = simulate("sms-toll-free"), simulate("sms-sns-toll-free")
    assert via_sns.completion_s == pytest.approx(direct.completion_s, rel=0.001)
    requests = next(line for line in via_sns.cost_lines if line.item == "SNS publish requests")
    assert requests.quantity == via_sns.sent
    assert via_sns.cost_usd == pytest.approx(direct.cost_usd + requests.usd, rel=0.001)


def test_a_pinpoint_holdout_keeps_part_of_the_segment_back():
    run = simulate("email-pinpoint-campaign", messages=100_000)
    assert run.messages == 95_000  # HoldoutPercent 5
    assert run.arrivals == run.opted_out + run.sent + run.throttled + run.pending


def test_the_email_services_side_by_side():
    results = compare("email", messages=20_000)
    by_name = {r.scenario: r for r in results}
    assert list(by_name) == ["email-ses-sandbox", "email-ses-production", "email-sns-topic",
                             "email-pinpoint-campaign"]  # fmt: skip
    # sandbox: 200 a day; production 50,000 a day at 14/s; SNS 10/s; Pinpoint 20,000/s
    assert by_name["email-ses-sandbox"].completion_s > 90 * 86_400
    assert by_name["email-sns-topic"].completion_s == pytest.approx(19_800 / 10, rel=0.02)
    assert by_name["email-pinpoint-campaign"].completion_s < 2
    text = table(results)
    assert text.splitlines()[0].split()[:3] == ["scenario", "services", "messages"]
    assert len(text.splitlines()) == 5
