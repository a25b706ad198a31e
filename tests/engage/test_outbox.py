from datetime import UTC, datetime

import pytest

from simlab.engage.outbox import Outbox
from simlab.engage.outbox_messages import OutboxMessage

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


def test_a_hand_off_is_one_entry_for_the_caller_naming_the_carrier():
    outbox = Outbox()
    with outbox.acting_for("pinpoint", app_id="a1") as acting:
        outbox.add(message(message_id="ses-1"))
    [entry] = outbox
    assert (entry.service, entry.detail) == ("pinpoint", {"app_id": "a1", "carrier": "ses"})
    assert acting.messages == [entry]
    outbox.update_status("ses-1", "DELIVERED")
    assert [m.status for m in outbox] == ["DELIVERED"]
    outbox.add(message(message_id="ses-2"))
    assert outbox[1].service == "ses" and "carrier" not in outbox[1].detail


def test_a_refused_hand_off_can_be_renamed_and_restatused():
    outbox = Outbox()
    with outbox.acting_for("pinpoint") as acting:
        outbox.add(message(status="OPTED_OUT", message_id=""))
    acting.update(status="OPT_OUT", message_id="rejected-1")
    assert [(m.status, m.message_id) for m in outbox] == [("OPT_OUT", "rejected-1")]
    assert outbox.update_status("rejected-1", "OPT_OUT").service == "pinpoint"
    with pytest.raises(KeyError):
        outbox.update_status("", "FAILED")


def test_add_row_is_add_of_the_message_without_making_it():
    fields = dict(vars(message(message_id="m-2")), detail={"parts": 1})
    by_message, by_row = Outbox(), Outbox()
    by_message.add(OutboxMessage(**fields))
    assert by_row.add_row(*fields.values()) is None
    assert by_row[0] == by_message[0] == OutboxMessage(**fields)
    with pytest.raises(ValueError, match="channel must be one of"):
        by_row.add_row(*dict(fields, channel="FAX").values())
    assert len(by_row) == 1


def test_add_row_inside_a_hand_off_is_written_for_the_caller():
    outbox = Outbox()
    with outbox.acting_for("pinpoint", app_id="a1") as acting:
        outbox.add_row(*vars(message(message_id="ses-1")).values())
    assert [(m.service, m.detail) for m in acting.messages] == [
        ("pinpoint", {"app_id": "a1", "carrier": "ses"})
    ]


def test_set_status_is_update_status_returning_nothing():
    updated, set_ = Outbox(), Outbox()
    for outbox in (updated, set_):
        outbox.add(message(message_id="m-1"))
        outbox.add(message(message_id="m-2"))
    assert updated.update_status("m-1", "BOUNCED", bounce_type="Permanent").status == "BOUNCED"
    assert set_.set_status("m-1", "BOUNCED", bounce_type="Permanent") is None
    assert list(set_) == list(updated)
    set_.flush()  # written: changed in the table
    set_.set_status("m-2", "DELAYED")
    assert [(m.status, m.detail) for m in set_] == [
        ("BOUNCED", {"bounce_type": "Permanent"}),
        ("DELAYED", {}),
    ]
    with pytest.raises(KeyError, match="m-9"):
        set_.set_status("m-9", "DELIVERED")


def test_set_status_to_takes_the_detail_set_status_takes_as_keywords_and_keeps_no_hold_on_it():
    by_keywords, by_mapping = Outbox(), Outbox()
    shared = {"carrier_status": "DELIVERED"}  # one detail a caller hands every message
    for outbox in (by_keywords, by_mapping):
        outbox.add(message(message_id="m-1"))
        outbox.add(message(message_id="m-2"))
        outbox.flush()  # m-1 and m-2 written: changed in the table
        outbox.add(message(message_id="m-3"))  # waits in memory
    for message_id in ("m-1", "m-3"):
        by_keywords.set_status(message_id, "DELIVERED", **shared)
        by_mapping.set_status_to(message_id, "DELIVERED", shared)
    by_mapping.set_status_to("m-2", "DELAYED", {})
    by_keywords.set_status("m-2", "DELAYED")
    assert list(by_mapping) == list(by_keywords)
    by_mapping.set_status_to("m-3", "BOUNCED", {"bounce_type": "Permanent"})
    assert shared == {"carrier_status": "DELIVERED"}  # the caller's detail is not changed
    assert by_mapping[2].detail == {"carrier_status": "DELIVERED", "bounce_type": "Permanent"}
    with pytest.raises(KeyError, match="m-9"):
        by_mapping.set_status_to("m-9", "DELIVERED", shared)


def test_a_message_read_back_does_not_change_when_its_status_does():
    outbox = Outbox()
    added = outbox.add(message())
    before = outbox[0]
    outbox.set_status("m-1", "BOUNCED", bounce_type="Permanent")
    assert (added.status, added.detail) == (before.status, before.detail) == ("DELIVERED", {})
    assert outbox[0].status == "BOUNCED"


def test_set_status_reaches_a_message_a_buffer_of_messages_old():
    outbox = Outbox()
    for n in range(5_000):  # the first 4,096 wait in the older generation
        outbox.add(message(message_id=f"m-{n}"))
    outbox.set_status("m-0", "BOUNCED")
    outbox.set_status("m-4999", "DELAYED")
    assert [outbox[0].status, outbox[1].status, outbox[-1].status] == [
        "BOUNCED",
        "DELIVERED",
        "DELAYED",
    ]
