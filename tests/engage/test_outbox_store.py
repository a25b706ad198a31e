"""The outbox in SQLite: pages, read-only SQL, a kept database, exports, many writers."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

import pytest

from simlab.engage import outbox as store
from simlab.engage.outbox import Outbox
from simlab.engage.outbox_messages import OutboxMessage

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def text(n: int, status: str = "DELIVERED", channel: str = "SMS") -> OutboxMessage:
    return OutboxMessage(
        channel=channel,
        service="pinpoint",
        origin="+12065550199",
        destination=f"+1206555{n:04d}",
        body=f"code {n}",
        message_id=f"m-{n}",
        sent_at=T0,
        status=status,
        detail={"carrier": "sms-voice", "parts": 1},
    )


@pytest.fixture
def outbox() -> Outbox:
    """Ten texts, every third one FAILED, then one email."""
    box = Outbox()
    for n in range(10):
        box.add(text(n, "FAILED" if n % 3 == 0 else "DELIVERED"))
    box.add(text(10, channel="EMAIL"))
    return box


def test_a_message_reads_back_exactly_as_written(outbox):
    assert outbox[1] == text(1)
    assert outbox[-1] == text(10, channel="EMAIL")
    assert outbox[1].detail == {"carrier": "sms-voice", "parts": 1}
    with pytest.raises(IndexError):
        outbox[11]


def test_pages_follow_each_other_until_the_last(outbox):
    first = outbox.page(limit=2, channel="SMS", status="FAILED")
    assert [m.message_id for m in first.messages] == ["m-0", "m-3"]
    assert first.next_after == 4
    second = outbox.page(limit=2, after=first.next_after, channel="SMS", status="FAILED")
    assert [m.message_id for m in second.messages] == ["m-6", "m-9"]
    assert second.next_after is None
    assert second.to_json() == {"messages": [m.to_json() for m in second.messages]}
    assert first.to_json()["next"] == 4


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": 0}, "limit must be between 1 and 10000"),
        ({"after": -1}, "after must be a position"),
        ({"colour": "red"}, "unknown filter 'colour'"),
    ],
)
def test_a_bad_page_request_names_the_field(outbox, arguments, message):
    with pytest.raises(ValueError, match=message):
        outbox.page(**arguments)


def test_sql_answers_read_only_queries(outbox):
    rows = outbox.sql(
        "SELECT status, count(*) AS n FROM messages WHERE channel = ? GROUP BY status "
        "ORDER BY status",
        ("SMS",),
    )
    assert rows == [{"status": "DELIVERED", "n": 6}, {"status": "FAILED", "n": 4}]
    carriers = outbox.sql("SELECT DISTINCT json_extract(detail, '$.carrier') AS c FROM messages")
    assert carriers == [{"c": "sms-voice"}]


@pytest.mark.parametrize(
    "query", ["DELETE FROM messages", "UPDATE messages SET status = 'X'", "DROP TABLE messages"]
)
def test_sql_refuses_to_write(outbox, query):
    with pytest.raises(sqlite3.DatabaseError):
        outbox.sql(query)
    assert len(outbox) == 11 and outbox.filter(status="X") == []


def test_records_are_json_ready_and_dataframes_need_pandas(outbox, monkeypatch):
    records = outbox.to_records()
    assert len(records) == 11 and records[0]["sent_at"] == "2026-01-05T09:00:00Z"
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        outbox.to_dataframe()


def test_a_kept_outbox_survives_reopening_and_clear_empties_it(tmp_path):
    first = Outbox(tmp_path / "outbox.sqlite3")
    first.add(text(1))
    first.update_status("m-1", "FAILED", reason="UNREACHABLE")
    first.close()
    again = Outbox(tmp_path / "outbox.sqlite3")
    assert len(again) == 1
    assert (again[0].status, again[0].detail["reason"]) == ("FAILED", "UNREACHABLE")
    again.add(text(2))
    assert [m.message_id for m in again] == ["m-1", "m-2"]
    again.clear()
    assert len(Outbox(tmp_path / "outbox.sqlite3")) == 0


def test_use_directory_keeps_the_outboxes_made_after_it(tmp_path):
    try:
        store.use_directory(tmp_path / "state")
        Outbox().add(text(1))
        assert [m.message_id for m in Outbox()] == ["m-1"]
    finally:
        store.use_directory(None)
    assert len(Outbox()) == 0
    assert (tmp_path / "state" / store.FILE_NAME).exists()


def test_many_threads_write_without_losing_a_message():
    box = Outbox()

    def write(base: int) -> None:
        for n in range(200):
            box.add(text(base + n))
            box.update_status(f"m-{base + n}", "FAILED")

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(box) == 800
    assert box.counts() == {("SMS", "FAILED"): 800}
    assert len({m.message_id for m in box}) == 800


def test_status_changes_reach_written_and_buffered_messages_alike():
    box = Outbox()
    for n in range(9000):  # more than two buffers hold: the oldest are in the database
        box.add(text(n))
    assert box.update_status("m-0", "FAILED", reason="BLOCKED").detail["reason"] == "BLOCKED"
    assert box.update_status("m-8999", "FAILED").status == "FAILED"
    with box.acting_for("pinpoint") as acting:
        box.add(text(9000, status="SENT"))
    acting.update(status="PENDING", message_id="rejected-1")
    assert [m.message_id for m in box.filter(status="FAILED")] == ["m-0", "m-8999"]
    assert box.last().message_id == "rejected-1" and len(box) == 9001
    assert box.sql("SELECT count(*) AS n FROM messages")[0]["n"] == 9001


def test_status_changes_of_written_and_unwritten_messages_are_in_the_table_at_the_next_read():
    box = Outbox()
    for n in range(20_000):  # several buffers' worth: 12,288 written, two generations not
        box.add(text(n))
    box.update_status("m-0", "FAILED", reason="old")  # long written: changed in the table
    box.update_status("m-10000", "FAILED", reason="recent")  # written lately
    box.update_status("m-10000", "BOUNCED", carrier_status="BOUNCE")  # changed twice
    box.update_status("m-14000", "FAILED", reason="older")  # the older generation
    box.update_status("m-19999", "FAILED")  # the newest
    rows = box.sql("SELECT message_id, status, detail FROM messages WHERE status != 'DELIVERED'")
    assert rows == [
        {
            "message_id": "m-0",
            "status": "FAILED",
            "detail": '{"carrier":"sms-voice","parts":1,"reason":"old"}',
        },
        {
            "message_id": "m-10000",
            "status": "BOUNCED",
            "detail": (
                '{"carrier":"sms-voice","parts":1,"reason":"recent","carrier_status":"BOUNCE"}'
            ),
        },
        {
            "message_id": "m-14000",
            "status": "FAILED",
            "detail": '{"carrier":"sms-voice","parts":1,"reason":"older"}',
        },
        {
            "message_id": "m-19999",
            "status": "FAILED",
            "detail": '{"carrier":"sms-voice","parts":1}',
        },
    ]
    assert box[10000].status == "BOUNCED" and box[10000].detail["reason"] == "recent"


def test_a_message_whose_status_changes_within_a_buffer_of_sending_is_written_once():
    box = Outbox()
    statements: list[str] = []
    box._db.set_trace_callback(statements.append)
    for n in range(12_000):
        box.add(text(n))
        if n >= 4_000:  # its carrier answers 4,000 messages later
            box.update_status(f"m-{n - 4_000}", "FAILED", reason="UNREACHABLE")
    assert box.counts() == {("SMS", "FAILED"): 8_000, ("SMS", "DELIVERED"): 4_000}
    assert [s for s in statements if s.startswith("UPDATE")] == []


def test_a_recently_written_message_given_a_new_id_keeps_its_latest_status():
    box = Outbox()
    for n in range(10_000):
        box.add(text(n))
    box.update_status("m-9000", "FAILED", reason="refused")
    with box.acting_for("pinpoint") as acting:
        box.add(text(9000, status="SENT"))  # a second entry with the same id, newer
    acting.update(status="THROTTLED", message_id="rejected-9")
    assert box.update_status("m-9000", "OPT_OUT").status == "OPT_OUT"  # the older one again
    assert [(m.message_id, m.status) for m in box.filter(to="+12065559000")] == [
        ("m-9000", "OPT_OUT"),
        ("rejected-9", "THROTTLED"),
    ]


@pytest.mark.parametrize("count", [1, 63, 64, 65, 200])
def test_rows_written_many_to_a_statement_keep_their_places(count):
    box = Outbox()
    for n in range(count):
        box.add(text(n))
    rows = box.sql("SELECT id, message_id, destination FROM messages ORDER BY id")
    assert rows == [
        {"id": n + 1, "message_id": f"m-{n}", "destination": f"+1206555{n:04d}"}
        for n in range(count)
    ]
