import pytest

from simlab.facts import prices
from simlab.sim import simulate
from simlab.sim.costs import cost_lines, unit_price


def test_unit_prices_come_from_the_facts():
    assert unit_price("ses", "email") == prices.SES_PER_1000_RECIPIENTS.value / 1_000
    assert unit_price("eum", "sms", parts=3) == 3 * prices.SMS_EXAMPLE_PRICE_US_2019.value
    assert unit_price("sns", "email") == prices.SNS_EMAIL_PER_100K.value / 100_000
    assert unit_price("eum", "voice") is None  # AWS voice prices are not confirmed


def test_free_tiers_come_off_and_each_line_carries_its_date_and_flag():
    lines = cost_lines({"push": ("sns", 1, 3_000_000, 3_000_000)}, events=0, event_bytes=[])
    push, requests = lines
    assert push.item == "SNS mobile push deliveries"
    assert push.usd == pytest.approx(2_000_000 * prices.SNS_MOBILE_PUSH_PER_MILLION.value / 1e6)
    assert requests.usd == pytest.approx(2_000_000 * prices.SNS_PER_MILLION_REQUESTS.value / 1e6)
    assert (push.as_of, push.confirmed) == (
        prices.SNS_MOBILE_PUSH_PER_MILLION.as_of,
        prices.SNS_MOBILE_PUSH_PER_MILLION.confirmed,
    )


def test_an_unpriced_channel_gets_a_line_without_an_amount():
    (line,) = cost_lines({"voice": ("eum", 1, 10, 10)}, events=0, event_bytes=[])
    assert (line.usd, line.confirmed) == (None, False)
    assert "no confirmed AWS price" in line.item


def test_a_run_adds_its_lines_up():
    result = simulate("email-pinpoint-campaign", messages=100_000)
    assert result.cost_usd == pytest.approx(sum(line.usd or 0 for line in result.cost_lines))
    items = {line.item for line in result.cost_lines}
    assert {"Pinpoint email", "Pinpoint monthly targeted endpoints", "Pinpoint events"} <= items
    email = result.channel("email")
    assert email.cost_usd == pytest.approx(email.sent * prices.PINPOINT_EMAIL_PER_MESSAGE.value)
    firehose = next(line for line in result.cost_lines if line.service == "firehose")
    assert firehose.confirmed is False  # the per-GB Firehose rate is UNCONFIRMED
