"""SES's send run sends each message exactly as ``Mailer.send_recorded`` would.

The same messages go out from the same seed twice, through ``send_run`` (falling back to
``send_recorded`` for a message it leaves) and through ``send_recorded`` alone; moto's sent
emails, the outbox, the quota and statistics, and the outcomes a day later must agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.backends import get_backend
from moto.ses.models import Message

from simlab.aws import LocalAWS
from simlab.aws.services.ses.account import DAY, Quota, SendingAccount
from simlab.aws.services.ses.control import SesControl
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.policy import Email

SENDER = "news@example.com"
ADDRESSES = [
    "a@example.com",
    "success@simulator.amazonses.com",
    "listed@example.com",
    "b@example.com",
    "x,y@example.com",
    "c@example.com",
    "d@example.com",
]


def _world(aws: LocalAWS, rate: float) -> Any:
    aws.client("ses").verify_domain_identity(Domain="example.com")
    aws.ses.grant_production_access()
    aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=rate)
    aws.ses.set_deliverability(bounce=0.2, complaint=0.2, delivery_delay=0.2, reject=0.1, open=0.5)
    aws.client("sesv2").put_suppressed_destination(
        EmailAddress="listed@example.com", Reason="COMPLAINT"
    )
    return get_backend("ses")["123456789012"]["us-east-1"]


def _alone(mailer: Any, address: str) -> str:
    email = Email(SENDER, [address], subject="Hi", text="News", html="<p>News</p>")
    try:
        return str(mailer.send_recorded(email).id)
    except Refusal as refusal:
        return refusal.reason


def _as_run(mailer: Any, addresses: list[str]) -> list[str]:
    answers = []
    with mailer.send_run(SENDER) as run:
        for address in addresses:
            message_id = run.send(address, "Hi", "News", "<p>News</p>")
            answers.append(_alone(mailer, address) if message_id is None else message_id)
    return answers


def _observe(rate: float, send: Callable[[Any], list[str]], setup: Any = None) -> dict:
    with LocalAWS() as aws:
        backend = _world(aws, rate)
        if setup is not None:
            setup(aws)
        answers = send(backend.mailer)
        ses = aws.client("ses")
        quota = ses.get_send_quota()
        aws.clock.advance(86_400)
        return {
            "answers": answers,
            "quota": {k: v for k, v in quota.items() if k != "ResponseMetadata"},
            "statistics": ses.get_send_statistics()["SendDataPoints"],
            "sent": [sorted(vars(m).items()) for m in backend.sent_messages],
            # moto's registry of its records, which its data API lists
            "registered": [sorted(vars(m).items()) for m in Message.instances_tracked],
            "outbox": [m.to_json() for m in aws.outbox],
            "suppressed": sorted(e.email_address for e in backend.suppression.entries()),
        }


def test_a_run_with_a_refusal_mid_way_sends_as_send_recorded_does():
    run = _observe(5, lambda mailer: _as_run(mailer, ADDRESSES))
    alone = _observe(5, lambda mailer: [_alone(mailer, a) for a in ADDRESSES])
    assert run == alone
    refused = [a for a, answer in zip(ADDRESSES, run["answers"], strict=True) if "-" not in answer]
    assert refused == ["x,y@example.com", "d@example.com"]  # unparsable, then the rate
    statuses = {e["destination"]: e["status"] for e in run["outbox"]}
    assert statuses["listed@example.com"] == "SUPPRESSED"
    assert run["statistics"][0]["DeliveryAttempts"] == 5


def test_a_run_drawing_its_floats_for_more_or_fewer_messages_sends_as_send_recorded_does():
    def expecting(messages: int) -> Callable[[Any], list[str]]:
        def send(mailer: Any) -> list[str]:
            answers = []
            with mailer.send_run(SENDER) as run:
                run.expect(messages)  # floats for this many drawn at once, the rest given back
                for address in ADDRESSES:
                    message_id = run.send(address, "Hi", "News", "<p>News</p>")
                    answers.append(_alone(mailer, address) if message_id is None else message_id)
            return [*answers, _alone(mailer, "after@example.com")]

        return send

    after = [*ADDRESSES, "after@example.com"]
    alone = _observe(100, lambda mailer: [_alone(mailer, a) for a in after])
    for messages in (0, 2, 500):
        assert _observe(100, expecting(messages)) == alone, messages


#: Addresses a run tells apart by their form: bare or named, the simulator's in any case, a
#: domain that only ends like the simulator's, one without a domain.
SHAPES = [
    "plain@example.com",
    "Named Reader <named@example.com>",
    "SUCCESS@Simulator.AmazonSES.com",
    "bounce@simulator.amazonses.com",
    "near@notsimulator.amazonses.com",
    "a.b+c@mail.example.com",
    "nodomain@",
    "e@example.com",
]


def test_each_form_of_address_goes_as_send_recorded_sends_it():
    run = _observe(100, lambda mailer: _as_run(mailer, SHAPES))
    alone = _observe(100, lambda mailer: [_alone(mailer, a) for a in SHAPES])
    assert run == alone
    refused = [a for a, answer in zip(SHAPES, run["answers"], strict=True) if "-" not in answer]
    assert refused == ["nodomain@"]


def test_a_configuration_set_with_an_event_destination_leaves_every_message_to_send_recorded():
    def destination(aws: LocalAWS) -> None:
        sesv2 = aws.client("sesv2")
        sesv2.create_configuration_set(ConfigurationSetName="tracked")
        topic = aws.client("sns").create_topic(Name="ses-events")["TopicArn"]
        sesv2.create_configuration_set_event_destination(
            ConfigurationSetName="tracked",
            EventDestinationName="to-sns",
            EventDestination={
                "Enabled": True,
                "MatchingEventTypes": ["SEND", "DELIVERY"],
                "SnsDestination": {"TopicArn": topic},
            },
        )
        sesv2.put_email_identity_configuration_set_attributes(
            EmailIdentity="example.com", ConfigurationSetName="tracked"
        )

    def readiness(mailer: Any) -> list[str]:
        with mailer.send_run(SENDER) as run:
            return [str(run.ready), *_as_run(mailer, ADDRESSES[:3])]

    run = _observe(100, readiness, destination)
    alone = _observe(100, lambda m: ["False", *[_alone(m, a) for a in ADDRESSES[:3]]], destination)
    assert run == alone
    assert run["answers"][0] == "False"


#: (seconds, recipients, counted against the daily quota) of a day's admissions: whole and
#: fractional tokens, a message to three that leaves a debt, the simulator, the daily limit.
ADMISSIONS = [
    *[(0.0, 1, 1)] * 4,
    (0.3, 1, 1),
    (0.3, 1, 0),
    (0.7, 3, 1),
    (0.9, 1, 1),
    (2.0, 1, 1),
    (2.1, 1, 1),
    (2.1, 1, 0),
    (3.33, 1, 1),
    *[(5.0, 1, 1)] * 3,
    (9.0, 1, 0),
    *[(12.0 + 0.4 * i, 1, 1) for i in range(4)],
    *[(13.7 + 0.13 * i, 1, i % 2) for i in range(12)],  # the quota spent: the simulator's alone
    *[(86_401.0 + i, 1, 1) for i in range(5)],
    # runs at one instant: the simulator's first (the day's earlier counts have left by then),
    # the bucket emptied, a debt left mid-run
    *[(86_500.0, 1, i % 3 == 0 and i > 0) for i in range(5)],
    (86_600.0, 1, 1),
    (86_600.0, 3, 1),  # a token and a half taken, a debt of one and a half left
    (86_600.0, 1, 1),
    (86_600.3, 1, 1),
    *[(86_600.7, 1, 1)] * 2,
    *[(86_610.0, 1, 1)] * 3,
]


def _admissions(one_at_a_time: bool, counts_read: bool = True) -> list[tuple[Any, ...]]:
    """Each admission's answer, the daily count (unless not ``counts_read`` between them) and
    the sending rate's state after it."""
    account = SendingAccount()
    account.set_production_access(True, 0.0)
    account.set_production_quota(Quota(max_24_hour_send=10, max_send_rate=2.5), 0.0)
    seen = []
    for now, recipients, counted in ADMISSIONS:
        if one_at_a_time and recipients == 1:
            answer = account.admit_one(now, bool(counted))
        else:
            answer = account.admit(now, recipients, int(counted))
        rate = account._rate
        state = (sorted(vars(rate.bucket).items()), rate._debt, rate._paid_at)
        seen.append((answer, account.sent_last_24_hours(now) if counts_read else None, state))
    seen.append(("at last", account.sent_last_24_hours(ADMISSIONS[-1][0]), None))
    return seen


def test_admitting_one_recipient_answers_counts_and_takes_as_the_general_admission():
    quick, general = _admissions(True), _admissions(False)
    assert quick == general
    assert {"rate", "daily", None} <= {answer for answer, *_ in quick}


def test_admissions_at_one_instant_agree_with_no_count_read_between_them():
    # a run's later messages read the counts as the first left them
    assert _admissions(True, counts_read=False) == _admissions(False, counts_read=False)


def test_a_run_s_first_message_lets_the_day_s_old_counts_go_even_if_it_is_not_counted():
    account = SendingAccount()
    account.set_production_access(True, 0.0)
    account.set_production_quota(Quota(max_24_hour_send=3, max_send_rate=100), 0.0)
    assert [account.admit_one(0.0, True) for _ in range(4)] == [None, None, None, "daily"]
    later = DAY + 0.5  # the morning's three have left the window
    assert [account.admit_one(later, counted) for counted in (False, True)] == [None, None]
    assert account.sent_last_24_hours(later) == 1


def test_a_quota_changed_between_two_messages_of_one_instant_is_in_force_for_the_second():
    account = SendingAccount()
    account.set_production_access(True, 0.0)
    account.set_production_quota(Quota(max_24_hour_send=-1, max_send_rate=5), 0.0)
    assert [account.admit_one(1.0, True) for _ in range(2)] == [None, None]
    account.set_production_quota(Quota(max_24_hour_send=2, max_send_rate=1), 1.0)
    assert account.admit_one(1.0, True) == "daily"
    assert account.admit_one(1.0, False) is None
    assert account.admit_one(1.0, False) == "rate"


def test_simulator_addresses_in_any_case_are_the_simulator_s_in_a_run():
    addresses = [
        "Bounce@SIMULATOR.amazonses.com",
        "complaint+tag@Simulator.AmazonSES.com",
        "a@example.com",
        "b@notsimulator.amazonses.com",
    ]
    run = _observe(100, lambda mailer: _as_run(mailer, addresses))
    alone = _observe(100, lambda mailer: [_alone(mailer, a) for a in addresses])
    assert run == alone
    statuses = {e["destination"]: e["status"] for e in run["outbox"]}
    assert statuses["Bounce@SIMULATOR.amazonses.com"] == "BOUNCED"


def _two_regions(send: Callable[[Any, Any], list[str]]) -> dict[str, Any]:
    """What moto lists after ``send(mailer, other)`` with a mailer in us-east-1 and one in
    eu-west-1: its registry of records and each backend's sent messages, by id."""
    with LocalAWS() as aws:
        here = _world(aws, 100)
        aws.client("ses", region_name="eu-west-1").verify_domain_identity(Domain="example.com")
        SesControl("eu-west-1").grant_production_access()
        there = get_backend("ses")["123456789012"]["eu-west-1"]
        answers = send(here.mailer, there.mailer)
        return {
            "answers": answers,
            "registered": [m.id for m in Message.instances_tracked],
            "sent here": [m.id for m in here.sent_messages],
            "sent there": [m.id for m in there.sent_messages],
        }


def test_runs_in_two_regions_at_once_register_their_records_in_the_order_they_were_sent():
    def as_runs(here: Any, there: Any) -> list[str]:
        answers = []
        with here.send_run(SENDER) as first, there.send_run(SENDER) as second:
            for n in range(3):
                answers.append(first.send(f"a{n}@example.com", "Hi", "News", ""))
                answers.append(second.send(f"b{n}@example.com", "Hi", "News", ""))
                answers.append(_alone(here, f"c{n}@example.com"))
        return answers

    def alone(here: Any, there: Any) -> list[str]:
        return [
            _alone(mailer, f"{who}{n}@example.com")
            for n in range(3)
            for mailer, who in ((here, "a"), (there, "b"), (here, "c"))
        ]

    run = _two_regions(as_runs)
    assert run == _two_regions(alone)
    assert run["registered"] == run["answers"]
    assert run["sent there"] == run["answers"][1::3]
