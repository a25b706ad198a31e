from datetime import UTC, datetime

import pytest

from simlab.engage.outbox import Outbox, OutboxMessage

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def message(channel="EMAIL", to="a@example.com", status="DELIVERED", message_id="m-1"):
    return OutboxMessage(
        channel=channel,
        service="ses",
        origin="sender@example.com",
        destination=to,
        body="Hello",
        message_id=message_id,
        sent_at=T0,
        status=status,
        subject="Hi",
    )


def test_filter_matches_every_criterion_given():
    outbox = Outbox()
    outbox.add(message())
    outbox.add(message(channel="SMS", to="+12065550100", message_id="m-2"))
    outbox.add(message(to="b@example.com", status="BOUNCED", message_id="m-3"))
    assert [m.message_id for m in outbox.filter(channel="EMAIL")] == ["m-1", "m-3"]
    assert [m.message_id for m in outbox.filter(channel="EMAIL", status="BOUNCED")] == ["m-3"]
    assert outbox.filter(to="nobody@example.com") == []
    assert outbox.last(channel="EMAIL").message_id == "m-3"
    assert outbox.counts() == {
        ("EMAIL", "DELIVERED"): 1,
        ("SMS", "DELIVERED"): 1,
        ("EMAIL", "BOUNCED"): 1,
    }


def test_unknown_channels_are_refused():
    with pytest.raises(ValueError, match="channel must be one of"):
        Outbox().add(message(channel="FAX"))


def test_update_status_replaces_the_message_and_keeps_detail():
    outbox = Outbox()
    outbox.add(message())
    updated = outbox.update_status("m-1", "BOUNCED", bounce_type="Permanent")
    assert outbox[0] == updated
    assert updated.status == "BOUNCED" and updated.detail == {"bounce_type": "Permanent"}
    with pytest.raises(KeyError, match="m-9"):
        outbox.update_status("m-9", "DELIVERED")


def test_json_and_summary_are_stable_text():
    outbox = Outbox()
    outbox.add(message())
    assert outbox[0].to_json()["sent_at"] == "2026-01-05T09:00:00Z"
    lines = outbox.summary().splitlines()
    assert len(lines) == 2
    assert lines[1].split() == ["EMAIL", "DELIVERED", "sender@example.com", "a@example.com", "Hi"]


def test_last_raises_when_nothing_matches():
    with pytest.raises(LookupError, match="no message"):
        Outbox().last(channel="SMS")
