"""Each approach meets the need: welcomes arrive, codes verify, offers reach exactly the segment
at each customer's 09:00 (later only by the documented pacing), and a STOP is honoured."""

from __future__ import annotations

import math
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from simlab import facts
from simlab.aws import LocalAWS
from simlab.compare import APPROACHES, Customer, measure_run, need, run
from simlab.compare import pinpoint as pinpoint_approach
from simlab.compare.running import CLIENTS, CallCounter, _injected, prepare_account
from simlab.compare.tallies import messages_of, status_class

ALL = list(APPROACHES)


def reached(result):
    """Messages that left for the customer (not refused as opted out or throttled)."""
    return [
        m
        for m in messages_of(result.messages)
        if status_class(m.status) not in ("opted_out", "throttled")
    ]


def offers(result):
    return [m for m in reached(result) if need.kind_of(m.channel, m.subject, m.body) == "offer"]


@pytest.mark.parametrize("approach", ALL)
def test_every_customer_gets_one_welcome_email_with_their_name(runs, people, approach):
    welcomes = [
        m
        for m in reached(runs[approach])
        if need.kind_of(m.channel, m.subject, m.body) == "welcome"
    ]
    assert sorted(m.destination for m in welcomes) == sorted(c.email for c in people)
    by_email = {c.email: c for c in people}
    for message in welcomes:
        assert message.channel == "EMAIL"
        assert message.subject == f"Welcome to ExampleShop, {by_email[message.destination].name}"
        assert message.origin == need.SENDER


@pytest.mark.parametrize("approach", ALL)
def test_each_sign_in_code_reaches_the_phone_and_verifies(runs, people, approach):
    result = runs[approach]
    signing_in = need.sign_ins(people)
    assert result.codes_checked == tuple((c.id, True) for c in signing_in)
    codes = [m for m in reached(result) if need.kind_of(m.channel, m.subject, m.body) == "code"]
    assert [m.destination for m in codes] == [c.phone for c in signing_in]
    assert all(m.origin == result.number for m in codes)


@pytest.mark.parametrize("approach", ALL)
def test_the_offer_reaches_exactly_the_segment_each_week(runs, people, approach):
    stopper = need.stopper(people)
    expected = Counter()
    for week, _ in enumerate(need.offer_days()):
        for c in people:
            if c.offers and not (week and c.id == stopper.id):
                expected[c.email if c.offer_channel == "EMAIL" else c.phone] += 1
    got = Counter(m.destination for m in offers(runs[approach]))
    assert got == expected
    for message in offers(runs[approach]):
        wanted = "EMAIL" if "@" in message.destination else "SMS"
        assert message.channel == wanted


@pytest.mark.parametrize("approach", ALL)
def test_each_offer_leaves_at_09_00_local_time(runs, people, approach):
    by_address = {c.email: c for c in people} | {c.phone: c for c in people}
    for message in offers(runs[approach]):
        customer = by_address[message.destination]
        local = message.sent_at.astimezone(ZoneInfo(customer.timezone))
        assert (local.hour, local.minute) == (9, 0)
        assert local.weekday() == 1  # Tuesday


@pytest.mark.parametrize("approach", ALL)
def test_stop_is_answered_and_no_offer_follows_it(runs, people, approach):
    result = runs[approach]
    stopper = need.stopper(people)
    after = [m for m in offers(result) if m.destination == stopper.phone]
    assert [m.sent_at.date() for m in after] == [need.FIRST_OFFER_DAY]
    answer = [m for m in messages_of(result.messages) if m.sent_at == need.STOP_AT]
    assert [(m.destination, m.origin) for m in answer] == [(stopper.phone, result.number)]
    assert "unsubscribed" in answer[0].body


def crowd(n: int, channel: str) -> tuple[Customer, ...]:
    """``n`` subscribers in one time zone, all wanting the offer on ``channel``."""
    return tuple(
        Customer(
            id=f"c{i:04d}",
            name="Ana",
            email=f"ana.{i:04d}@example.org",
            phone=f"+1212555{100 + i:04d}",
            timezone="America/New_York",
            offers=True,
            offer_channel=channel,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("approach", ALL)
def test_a_crowd_at_one_09_00_is_paced_not_throttled(approach):
    rate = facts.sms.TOLL_FREE_MPS.value
    people = crowd(10, "SMS")
    result = run(approach, people, seed=5)
    statuses = Counter(status_class(m.status) for m in messages_of(result.messages))
    assert statuses["throttled"] == 0
    first_week = sorted(
        m.sent_at for m in offers(result) if m.sent_at.date() == need.FIRST_OFFER_DAY
    )
    nine = need.offer_time(need.FIRST_OFFER_DAY, "America/New_York")
    lateness = [(t - nine).total_seconds() for t in first_week]
    assert len(lateness) == 10
    assert min(lateness) == 0
    assert max(lateness) == math.ceil(10 / rate) - 1  # 10 texts at 3 per second: 4 seconds
    per_second = Counter(int(s) for s in lateness)
    assert max(per_second.values()) <= rate


def test_pinpoint_marks_the_stopper_opted_out_and_skips_them():
    people = crowd(3, "SMS")
    with LocalAWS(seed=2) as aws:
        prepare_account(aws)
        clients = {name: aws.client(CLIENTS[name]) for name in ("pinpoint", "sesv2", "sms")}
        shop = pinpoint_approach.open_shop(**clients)
        for customer in people:
            pinpoint_approach.sign_up(shop, customer)
        pinpoint_approach.promote(shop, need.offer_days(), aws.clock.advance_to)
        aws.clock.advance_to(need.STOP_AT)
        aws.sms.reply(people[0].phone, shop.number, "STOP")
        endpoint = clients["pinpoint"].get_endpoint(
            ApplicationId=shop.app_id, EndpointId=f"{people[0].id}-sms"
        )["EndpointResponse"]
        assert endpoint["OptOut"] == "ALL"
        aws.clock.advance_to(need.END)
        second_week = [m for m in aws.outbox.filter(service="pinpoint") if m.sent_at > need.STOP_AT]
        assert sorted(m.destination for m in second_week) == [c.phone for c in people[1:]]


@pytest.mark.parametrize("approach", ["diy", "successors"])
def test_a_code_works_once_and_not_when_wrong(approach):
    module = APPROACHES[approach]
    customer = crowd(1, "SMS")[0]
    with LocalAWS(seed=1) as aws:
        prepare_account(aws)
        # each approach asks for its clients by name, as the runner injects them
        shop = module.open_shop(**_injected(module.open_shop, aws, CallCounter()))
        module.sign_up(shop, customer)
        module.send_code(shop, customer)
        code = re.search(r"\d{6}", aws.outbox.last(to=customer.phone).body).group()
        wrong = str((int(code) + 1) % 10**6).zfill(6)
        assert module.check_code(shop, customer, wrong) is False
        assert module.check_code(shop, customer, code) is True
        assert module.check_code(shop, customer, code) is False  # used up
        module.send_code(shop, customer)
        late = re.search(r"\d{6}", aws.outbox.last(to=customer.phone).body).group()
        validity = facts.pinpoint.OTP_DEFAULTS.value["ValidityPeriod"]
        aws.clock.advance(validity * 60 + 1)
        assert module.check_code(shop, customer, late) is False  # expired


@pytest.mark.server
def test_the_same_need_runs_against_the_server(runs, people):
    over_http = run("successors", people, seed=3, mode="server")
    in_process = runs["successors"]
    assert over_http.calls == in_process.calls
    assert over_http.codes_checked == in_process.codes_checked
    pairs = [(m.channel, m.destination, m.sent_at, m.body) for m in over_http.messages]
    assert pairs == [(m.channel, m.destination, m.sent_at, m.body) for m in in_process.messages]
    assert measure_run(over_http).offers_to_segment
