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
