"""moto's registry of sent ``Message`` records reads a run's records from ``sent_messages``
rather than keeping its own copies, and lists exactly what a registry of its own would."""

from __future__ import annotations

from typing import Any

import pytest
from moto.ses.models import Message, RawMessage, ses_backends

from simlab.aws.services.ses.moto_records import Registry, SentMessages, record_state

ACCOUNT, REGION = "123456789012", "us-east-1"
SENDER = "news@example.com"


def _record(n: int) -> Message:
    return Message(f"id-{n}", SENDER, f"Note {n}", "body", {"ToAddresses": [f"r{n}@example.com"]})


@pytest.fixture
def mailer(aws: Any) -> Any:
    aws.client("ses").verify_domain_identity(Domain="example.com")
    aws.ses.grant_production_access()
    return ses_backends[ACCOUNT][REGION].mailer


def _run(mailer: Any, first: int, count: int) -> list[str | None]:
    with mailer.send_run(SENDER) as run:
        return [
            run.send(f"r{n}@example.com", f"Note {n}", "body", "")
            for n in range(first, first + count)
        ]


def _state(records: Any) -> list[tuple[str, list[tuple[str, Any]]]]:
    return [(type(m).__name__, sorted(vars(m).items())) for m in records]


def test_a_run_s_records_are_listed_by_both_and_kept_once(mailer):
    listed = ses_backends[ACCOUNT][REGION].sent_messages
    listed.keep = listed.batch = 2
    _run(mailer, 0, 5)
    _run(mailer, 5, 5)
    tracked = Message.instances_tracked
    assert isinstance(tracked, Registry) and isinstance(listed, SentMessages)
    assert [m.subject for m in tracked] == [f"Note {n}" for n in range(10)]
    assert _state(tracked) == _state(listed)
    assert tracked.in_memory == 0  # none of its own: it reads them in sent_messages
    assert tracked[-1] is listed[-1] and tracked[0].id == listed[0].id


def test_records_registered_one_by_one_keep_their_place_between_runs(mailer):
    _run(mailer, 0, 2)
    made = _record(99)  # moto registers a record as it is made
    _run(mailer, 2, 2)
    tracked = Message.instances_tracked
    assert [m.subject for m in tracked] == ["Note 0", "Note 1", "Note 99", "Note 2", "Note 3"]
    assert tracked[2] is made and tracked[-3] is made and len(tracked) == 5
    assert [m.subject for m in tracked[1:4]] == ["Note 1", "Note 99", "Note 2"]
    assert [m.subject for m in tracked[::-2]] == ["Note 3", "Note 99", "Note 0"]
    with pytest.raises(IndexError):
        tracked[5]


def test_a_change_to_sent_messages_leaves_the_registry_as_it_was(mailer):
    listed = ses_backends[ACCOUNT][REGION].sent_messages
    _run(mailer, 0, 4)
    tracked = Message.instances_tracked
    before = _state(tracked)
    listed[1] = _record(50)  # registered (after the run's records) as it is made
    assert listed[1].subject == "Note 50"
    assert [m.subject for m in tracked] == ["Note 0", "Note 1", "Note 2", "Note 3", "Note 50"]
    del listed[0]
    listed.clear()
    assert _state(tracked)[:4] == before and len(tracked) == 5
    _run(mailer, 4, 1)
    assert [m.subject for m in tracked][-2:] == ["Note 50", "Note 4"]


def test_an_assignment_after_the_lent_records_leaves_them_lent(mailer):
    listed = ses_backends[ACCOUNT][REGION].sent_messages
    _run(mailer, 0, 2)
    listed.append(_record(7))
    listed[-1] = _record(8)
    tracked = Message.instances_tracked
    assert tracked.in_memory == 2  # the two made one by one, not the run's
    assert [m.subject for m in tracked] == ["Note 0", "Note 1", "Note 7", "Note 8"]


def test_a_registry_changes_as_a_list_does(aws):
    tracked = Registry([_record(0), _record(1)])
    sent = SentMessages()
    sent.extend([_record(2), _record(3)])
    tracked.borrow(sent, 0, 2)
    expected = list(tracked)
    tracked.insert(1, made := _record(4))
    expected.insert(1, made)
    del tracked[0]
    del expected[0]
    tracked[-1] = expected[-1] = _record(5)
    assert list(tracked) == expected and len(tracked) == len(expected) == 4
    assert not sent.borrowers  # it has its own copies now
    assert tracked == expected and tracked != expected[:3]
    tracked.clear()
    assert list(tracked) == [] and len(tracked) == 0


def test_spilled_records_read_back_as_they_were_kept():
    """A ``Message`` spills as its five attributes, any other record as its class and
    attributes; read back, each has the class, attributes and attribute order it had."""
    raw = RawMessage("id-raw", SENDER, ["r@example.com"], "Subject: hi\n\nbody")
    kept = [_record(0), raw, _record(1)]
    assert record_state(kept[0]) == (
        "id-0",
        SENDER,
        "Note 0",
        "body",
        {"ToAddresses": ["r0@example.com"]},
    )
    listed = SentMessages()
    listed.keep = listed.batch = 1
    for record in kept:
        listed.append(record)
    read = listed[:]
    assert [type(m) for m in read] == [Message, RawMessage, Message]
    assert [list(vars(m).items()) for m in read] == [list(vars(m).items()) for m in kept]
    assert read[0] is not kept[0]  # spilled, and read back as a copy
    listed.close()
