"""The measurements add up: calls counted are the calls made, message counts are the outbox's,
costs are counts times `simlab.facts` prices, and the text is stable."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from simlab import facts
from simlab.aws import LocalAWS
from simlab.compare import APPROACHES, Gap, compare, lines_of_code, measure_run, need, source, table
from simlab.compare import gaps as gap_checks
from simlab.compare.running import CallCounter
from simlab.compare.tallies import (
    SMALL,
    large_scenario,
    messages_of,
    small_costs,
    status_class,
    tally,
)
from simlab.engage.outbox_messages import OutboxMessage
from simlab.sim import simulate

ALL = list(APPROACHES)


def kinds(result) -> Counter:
    return Counter(
        (need.kind_of(m.channel, m.subject, m.body), m.channel)
        for m in messages_of(result.messages)
    )


def test_a_call_counter_counts_each_call_by_operation(aws):
    counter = CallCounter()
    sns = counter.watch(aws.client("sns"))
    sns.create_topic(Name="a")
    sns.create_topic(Name="b")
    sns.list_topics()
    assert counter.calls == {("sns", "CreateTopic"): 2, ("sns", "ListTopics"): 1}


def test_diy_calls_are_one_send_per_message(runs):
    calls = {(s, o): n for s, o, n in runs["diy"].calls}
    made = kinds(runs["diy"])
    assert calls[("sesv2", "SendEmail")] == made[("welcome", "EMAIL")] + made[("offer", "EMAIL")]
    assert calls[("sns", "Publish")] == made[("code", "SMS")] + made[("offer", "SMS")]
    # the queue is read before every text offer (and once more whenever it held replies)
    text_offers_due = calls[("sns", "Publish")] - made[("code", "SMS")] + 1  # + the STOP skipped
    assert (
        calls[("sqs", "ReceiveMessage")] == text_offers_due + calls[("sqs", "DeleteMessageBatch")]
    )


def test_pinpoint_calls_are_per_customer_not_per_offer(runs, people):
    calls = {(s, o): n for s, o, n in runs["pinpoint"].calls}
    assert calls[("pinpoint", "UpdateEndpointsBatch")] == len(people)
    assert calls[("pinpoint", "SendMessages")] == len(people)
    assert calls[("pinpoint", "SendOTPMessage")] == len(need.sign_ins(people))
    assert calls[("pinpoint", "VerifyOTPMessage")] == len(need.sign_ins(people))
    assert calls[("pinpoint", "CreateCampaign")] == 1  # every offer, both weeks


@pytest.mark.parametrize("approach", ALL)
def test_the_measured_calls_are_the_run_calls(runs, measurements, approach):
    m = measurements[approach]
    assert m.calls == runs[approach].calls
    assert m.api_calls == sum(n for _, _, n in runs[approach].calls)


@pytest.mark.parametrize("approach", ALL)
def test_message_counts_are_the_outbox_counts(runs, measurements, approach):
    m = measurements[approach]
    messages = messages_of(runs[approach].messages)
    assert m.sent == len(messages)
    by_key = Counter((x.channel, x.service, status_class(x.status)) for x in messages)
    for t in m.channels:
        for cls in ("delivered", "failed", "opted_out", "throttled", "pending"):
            assert getattr(t, cls) == by_key[(t.channel, t.service, cls)]
        assert t.sent == t.delivered + t.failed + t.opted_out + t.throttled + t.pending


def outbox_message(service: str, message_id: str, status: str) -> OutboxMessage:
    return OutboxMessage(
        "EMAIL", service, need.SENDER, "ana@example.org", "hi", message_id, need.END, status
    )


def test_a_message_relayed_through_another_service_counts_once():
    relay = outbox_message("ses", "m-1", "SENT")  # SES carrying Pinpoint's email
    own = outbox_message("pinpoint", "m-1", "DELIVERED")
    refused = [outbox_message("pinpoint", "", "THROTTLED") for _ in range(2)]
    other = outbox_message("ses", "m-2", "DELIVERED")
    assert messages_of([relay, own, *refused, other]) == [own, *refused, other]


def test_an_unknown_status_is_refused_by_name():
    with pytest.raises(ValueError, match="'LOST'"):
        status_class("LOST")


@pytest.mark.parametrize("approach", ALL)
def test_small_costs_are_counts_times_fact_prices(measurements, approach):
    m = measurements[approach]
    lines = {(line.service, line.item): line for line in m.cost_small_lines}
    quantities = Counter()
    for line in m.cost_small_lines:
        if line.item.startswith(("SES outbound", "SMS message parts", "Pinpoint email")):
            quantities["messages"] += line.quantity
    parts = sum(t.parts for t in m.channels if t.channel == "SMS")
    assert parts == sum(t.billable for t in m.channels if t.channel == "SMS")  # one part each
    assert quantities["messages"] == SMALL
    email = facts.prices.SES_PER_1000_RECIPIENTS.value / 1000
    if approach == "pinpoint":
        email = facts.prices.PINPOINT_EMAIL_PER_MESSAGE.value
        mta = lines[("pinpoint", "Pinpoint monthly targeted endpoints")]
        assert mta.usd == 0  # under the free endpoints a month
        assert mta.quantity < facts.prices.PINPOINT_MTA_FREE_ENDPOINTS.value
    part = facts.prices.SMS_EXAMPLE_PRICE_US_2019.value
    expected = sum(
        line.quantity * (email if "email" in line.item.lower() else part)
        for line in m.cost_small_lines
        if line.item.startswith(("SES outbound", "SMS message parts", "Pinpoint email"))
    )
    assert m.cost_small_usd == pytest.approx(expected)


def test_small_costs_scale_the_mix_to_a_thousand(runs):
    tallies = tally(messages_of(runs["successors"].messages))
    lines = small_costs(tallies)
    email = next(t for t in tallies if t.channel == "EMAIL")
    total = sum(t.billable for t in tallies)
    ses = next(line for line in lines if line.item == "SES outbound email")
    assert abs(ses.quantity - SMALL * email.billable / total) < 1


@pytest.mark.parametrize("approach", ALL)
def test_large_costs_come_from_the_simulation_in_the_same_mix(measurements, approach):
    m = measurements[approach]
    scenario = large_scenario(approach, m.channels)
    assert scenario.messages == 10**9
    sms = sum(t.billable for t in m.channels if t.channel == "SMS")
    share = sms / sum(t.billable for t in m.channels)
    assert scenario.channels["sms"].share == pytest.approx(share)
    assert m.cost_large_usd == simulate(scenario, seed=3).cost_usd


def test_pinpoint_costs_more_at_a_billion_for_its_targeted_endpoints(measurements):
    assert measurements["pinpoint"].cost_large_usd > measurements["diy"].cost_large_usd


def count_me(x: int) -> int:
    """A docstring is not code."""
    # nor is a comment

    y = x + 1  # but this line is
    return y


class Counted:
    """Neither is a class docstring."""

    value: int = 1


def test_lines_of_code_skip_blanks_comments_and_docstrings():
    assert lines_of_code([count_me]) == 3
    assert lines_of_code([Counted]) == 2
    assert lines_of_code([count_me, count_me, Counted]) == 5  # each object once


def test_the_shown_source_is_every_counted_object():
    listing = source("diy")
    for name in ("def open_shop", "def promote", "class Codes", "def read_stops"):
        assert name in listing


@pytest.mark.parametrize(
    ("gap", "confirmed"),
    [
        (Gap("codes", "", ("no-operation", "sns", "OTP")), True),
        (Gap("codes", "", ("no-operation", "pinpoint", "OTP")), False),
        (Gap("codes", "", ("no-operation", "pinpoint-sms-voice-v2", "OTP")), True),
        (Gap("time", "", ("no-member", "pinpoint:CreateCampaign", "IsLocalTime")), False),
        (Gap("time", "", ("no-member", "sns:Publish", "IsLocalTime")), True),
        (Gap("connect", "", ("not-emulated", "connectcampaignsv2", "")), True),
        (Gap("sns", "", ("not-emulated", "sns", "")), False),
        (Gap("sms", "", ("not-emulated", "pinpoint-sms-voice-v2", "")), False),
        (Gap("lifecycle", "stated"), None),
    ],
)
def test_gap_checks_read_botocore_and_the_local_aws(gap, confirmed):
    assert gap_checks.verify(gap) is confirmed


def test_a_gap_check_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind one of"):
        Gap("x", "y", ("no-such-check", "sns", "OTP"))


@pytest.mark.parametrize("approach", ALL)
def test_every_declared_gap_of_an_approach_holds(measurements, approach):
    assert all(g.confirmed is not False for g in measurements[approach].gaps)


def test_summaries_and_the_table_are_stable_text(runs, measurements):
    again = {name: measure_run(result, sim_seed=3) for name, result in runs.items()}
    for name in ALL:
        assert again[name].summary() == measurements[name].summary()
    text = table(measurements.values())
    assert text == table(again.values())
    assert "lines of learner code" in text and "USD per 10^9 messages" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)  # no timestamps, only durations


def test_compare_runs_the_three_approaches_on_the_same_customers(monkeypatch):
    monkeypatch.setenv("SIMLAB_SCALE", "ci")
    people = need.customers(4, seed=9)
    results = compare(people, seed=9)
    assert [m.approach for m in results] == ALL
    assert {m.customers for m in results} == {4}
    assert all(m.offers_to_segment and m.stop_honoured for m in results)


def test_the_local_aws_is_closed_after_a_run(runs):
    with LocalAWS() as aws:  # a run leaves nothing behind in the next local AWS
        assert len(aws.outbox) == 0
