"""A run of Pinpoint emails sends exactly what sending them one at a time would.

Each test sends the same messages from the same seed twice, as a run through SES's send run and
one message at a time through ``_email``, and compares everything a learner can see: results,
outbox entries, moto's sent emails, SES's quota, statistics and suppression list, and every
streamed record after a day of outcomes. A refusal in the middle of a run (the daily quota, the
sending rate, a sandbox recipient, a malformed address) goes the one-message way for that
message alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simlab.aws import LocalAWS
from simlab.aws.services.pinpoint.channel_email import _SesWatcher
from simlab.aws.services.pinpoint.channel_events import ses_entry
from tests.aws.email_runs import observe, send_messages
from tests.aws.sqs_delivery import raw_queue_for

Setup = Callable[[LocalAWS], None]
READERS = [f"reader{i}@example.com" for i in range(6)]


#: What an observation holds that two ways of sending the same messages must agree on.
PARTS = ("responses", "sent", "after_a_day", "outbox", "stream", "queued")


def assert_same(one: dict[str, Any], other: dict[str, Any]) -> None:
    """Asserts two observations agree on every one of ``PARTS``, naming the first that does not."""
    for part in PARTS:
        assert one[part] == other[part], part


def same_either_way(setup: Setup, send: Any) -> dict[str, Any]:
    """Observes ``send`` both ways; asserts they agree; returns the run's observation."""
    run = observe(setup, send)
    alone = observe(setup, send, one_by_one=True)
    assert_same(run, alone)
    return run


def results(observed: dict[str, Any]) -> dict[str, str]:
    """Each address's DeliveryStatus in the first SendMessages response."""
    found = observed["responses"][0]["Result"]
    return {address: result["DeliveryStatus"] for address, result in found.items()}


def endpoint_results(observed: dict[str, Any]) -> dict[str, str]:
    """Each endpoint's DeliveryStatus in the first SendMessages response."""
    found = observed["responses"][0]["EndpointResult"]
    return {endpoint: result["DeliveryStatus"] for endpoint, result in found.items()}


def test_a_run_of_good_messages_sends_each_as_one_message_would(production):
    addresses = [
        *READERS,
        "success@simulator.amazonses.com",
        "bounce@simulator.amazonses.com",
        "complaint@simulator.amazonses.com",
        "suppressionlist@simulator.amazonses.com",
        "listed@example.com",
    ]
    observed = same_either_way(production, send_messages(addresses))
    assert set(results(observed).values()) == {"SUCCESSFUL"}
    assert observed["sent_alone"] == []
    assert len(observed["outbox"]) == len(addresses)
    statuses = {entry["destination"]: entry["status"] for entry in observed["outbox"]}
    assert statuses["listed@example.com"] == "FAILED"
    assert statuses["success@simulator.amazonses.com"] == "DELIVERED"
    assert observed["after_a_day"]["statistics"][0]["DeliveryAttempts"] == len(addresses)
    kinds = {
        line.split('"event_type":"')[1].split('"')[0]
        for _, body in observed["stream"]
        for line in body.splitlines()
    }
    assert {"_email.send", "_email.delivered", "_email.hardbounce", "_email.open"} <= kinds


def test_a_run_to_endpoints_keeps_each_endpoint_and_the_context(production):
    addresses = [*READERS, "listed@example.com", "complaint@simulator.amazonses.com"]
    observed = same_either_way(production, send_messages(addresses, endpoints=True))
    assert set(endpoint_results(observed).values()) == {"SUCCESSFUL"}
    assert observed["sent_alone"] == []
    entries = observed["outbox"]
    assert [e["detail"]["endpoint_id"] for e in entries] == [f"e{i}" for i in range(8)]
    assert {str(e["detail"]["context"]) for e in entries} == {str({"purpose": "receipts"})}


def test_an_address_ses_cannot_parse_mid_run_is_refused_as_alone(production):
    # Pinpoint takes it; SES reads "x,y@example.com" as the list "x", "y@example.com"
    odd = "x,y@example.com"
    observed = same_either_way(production, send_messages([*READERS[:2], odd, READERS[2]]))
    assert results(observed)[odd] == "PERMANENT_FAILURE"
    assert results(observed)[READERS[2]] == "SUCCESSFUL"
    assert observed["sent_alone"] == [odd]


def test_the_daily_quota_reached_mid_run_refuses_the_rest_as_alone(production):
    def quota_of_four(aws: LocalAWS) -> None:
        production(aws)
        aws.ses.set_production_quota(max_24_hour_send=4, max_send_rate=1_000)

    # the simulator's addresses do not count against the daily quota
    addresses = [*READERS, "success@simulator.amazonses.com", "last@example.com"]
    observed = same_either_way(quota_of_four, send_messages(addresses))
    assert [results(observed)[a] for a in addresses] == [
        *["SUCCESSFUL"] * 4,
        *["THROTTLED"] * 2,
        "SUCCESSFUL",
        "THROTTLED",
    ]
    assert observed["sent_alone"] == [READERS[4], READERS[5], "last@example.com"]
    assert observed["sent"]["quota"]["SentLast24Hours"] == 4


def test_the_sending_rate_reached_mid_run_throttles_the_rest_as_alone(production):
    def three_a_second(aws: LocalAWS) -> None:
        production(aws)
        aws.ses.set_production_quota(max_24_hour_send=-1, max_send_rate=3)

    observed = same_either_way(three_a_second, send_messages(READERS))
    assert [results(observed)[a] for a in READERS] == ["SUCCESSFUL"] * 3 + ["THROTTLED"] * 3
    assert observed["sent_alone"] == READERS[3:]
    throttled = [e for e in observed["outbox"] if e["status"] == "THROTTLED"]
    assert [e["destination"] for e in throttled] == READERS[3:]


def test_sandbox_recipients_not_verified_are_refused_as_alone():
    def sandbox(aws: LocalAWS) -> None:
        aws.client("ses").verify_email_identity(EmailAddress="friend@elsewhere.org")

    addresses = [
        "friend@elsewhere.org",
        "stranger@elsewhere.org",
        "success@simulator.amazonses.com",
        "reader0@example.com",
    ]
    observed = same_either_way(sandbox, send_messages(addresses))
    # the sandbox refuses the stranger; its rate (one a second) the two after the first
    assert [results(observed)[a] for a in addresses] == [
        "SUCCESSFUL",
        "PERMANENT_FAILURE",
        "THROTTLED",
        "THROTTLED",
    ]
    assert observed["sent_alone"] == addresses[1:]
    assert observed["sent"]["rejected_messages_count"] == 1


def test_an_unverified_sender_sends_every_message_as_alone(production):
    observed = same_either_way(
        production, send_messages(READERS[:3], sender="someone@unverified.org")
    )
    assert set(results(observed).values()) == {"PERMANENT_FAILURE"}
    assert observed["sent_alone"] == READERS[:3]
    assert observed["sent"]["rejected_messages_count"] == 3


def test_raw_email_goes_as_alone(production):
    raw = (
        "From: news@example.com\r\nSubject: Raw news\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain\r\n\r\nHello in raw\r\n"
    )
    send = send_messages(READERS[:3], RawEmail={"Data": raw.encode()})
    observed = same_either_way(production, send)
    assert set(results(observed).values()) == {"SUCCESSFUL"}
    assert observed["sent_alone"] == READERS[:3]


def test_a_delivery_told_through_the_watcher_streams_what_ses_s_full_record_would(
    production, monkeypatch
):
    # SES tells a Pinpoint email's watcher of a Delivery through its ``delivered`` method when
    # nobody else hears of it; without that method the watcher reads SES's full record
    send = send_messages([*READERS, "success@simulator.amazonses.com", "listed@example.com"])
    quick = observe(production, send)
    monkeypatch.delattr(_SesWatcher, "delivered")
    full = observe(production, send)
    assert_same(quick, full)
    delivered = [e for e in quick["outbox"] if e["status"] == "DELIVERED"]
    assert delivered and all(e["detail"]["carrier_status"] in CARRIED for e in delivered)
    assert len(stream_lines(quick, "_email.delivered")) == len(delivered)


def test_an_identity_delivery_topic_hears_every_delivery_of_a_run(production):
    # SES builds its full record for the topic; the stream gets the same records as alone
    def listening(aws: LocalAWS) -> None:
        production(aws)
        topic = aws.client("sns").create_topic(Name="deliveries")["TopicArn"]
        raw_queue_for(aws, topic, "deliveries")  # every queue's messages are observed
        aws.client("ses").set_identity_notification_topic(
            Identity="example.com", NotificationType="Delivery", SnsTopic=topic
        )

    observed = same_either_way(listening, send_messages(READERS))
    assert observed["sent_alone"] == []
    (notifications,) = observed["queued"].values()
    delivered = stream_lines(observed, "_email.delivered")
    assert delivered and len(notifications) == len(delivered)
    assert {n["notificationType"] for n in notifications} == {"Delivery"}
    assert {n["delivery"]["smtpResponse"] for n in notifications} == {"250 2.6.0 Message received"}


#: The SES events after which a Pinpoint email's status is DELIVERED.
CARRIED = {"DELIVERY", "COMPLAINT"}


def stream_lines(observed: dict[str, Any], event_type: str) -> list[str]:
    """The streamed records of ``event_type``, as written."""
    return [
        line
        for _, body in observed["stream"]
        for line in body.splitlines()
        if f'"event_type":"{event_type}"' in line
    ]


TEXT_ONLY = {"SimpleEmail": {"Subject": {"Data": "Receipt"}, "TextPart": {"Data": "Thank you"}}}


def test_a_run_of_text_only_messages_sends_each_as_one_message_would(production):
    # a text-only message's Delivery is its only event: the run keeps its watcher with it
    addresses = [*READERS, "success@simulator.amazonses.com", "bounce@simulator.amazonses.com"]
    observed = same_either_way(production, send_messages(addresses, **TEXT_ONLY))
    assert observed["sent_alone"] == []
    delivered = [e for e in observed["outbox"] if e["status"] == "DELIVERED"]
    assert len(stream_lines(observed, "_email.delivered")) == len(delivered) > 1


def test_a_text_only_run_heard_by_an_identity_topic_sends_as_one_message_would(production):
    def listening(aws: LocalAWS) -> None:
        production(aws)
        topic = aws.client("sns").create_topic(Name="deliveries")["TopicArn"]
        raw_queue_for(aws, topic, "deliveries")
        aws.client("ses").set_identity_notification_topic(
            Identity="example.com", NotificationType="Delivery", SnsTopic=topic
        )

    observed = same_either_way(listening, send_messages(READERS, **TEXT_ONLY))
    (notifications,) = observed["queued"].values()
    assert len(notifications) == len(stream_lines(observed, "_email.delivered")) > 0


def test_a_text_only_delivery_without_the_watcher_s_method_streams_the_full_record(
    production, monkeypatch
):
    send = send_messages(READERS, **TEXT_ONLY)
    quick = observe(production, send)
    monkeypatch.delattr(_SesWatcher, "delivered")
    full = observe(production, send)
    assert_same(quick, full)
    assert stream_lines(quick, "_email.delivered")


def test_the_watcher_s_outbox_status_after_each_ses_event_is_pinpoint_s():
    events = ["Delivery", "Bounce", "Complaint", "DeliveryDelay", "Reject", "Open", "Click"]
    for kind in events * 2:  # the second time from what the first kept
        assert _SesWatcher.entry(kind, "SENT", {}) == ses_entry(kind, "SENT", {})
        detail = {"bounce_sub_type": "General"}
        assert _SesWatcher.entry(kind, "SENT", detail) == ses_entry(kind, "SENT", detail)
    # what a run's Delivery reads in place of asking ``entry``
    assert _SesWatcher.delivery_entry == _SesWatcher.entry("Delivery", "DELIVERED", {})


def test_a_delivery_read_from_the_watcher_s_kept_entry_writes_what_asking_it_would(
    production, monkeypatch
):
    send = send_messages(READERS, **TEXT_ONLY)
    kept = observe(production, send)
    monkeypatch.delattr(_SesWatcher, "delivery_entry")
    asked = observe(production, send)
    assert_same(kept, asked)
    assert any(entry["status"] == "DELIVERED" for entry in kept["outbox"])
