"""An outbox finds a written message by its id whether the id still waits in memory or has
joined the table of hashed ids, after a new id, after reopening, and in a database written
before that table existed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from simlab.engage import outbox_keys
from simlab.engage.outbox import Outbox
from simlab.engage.outbox_messages import COLUMNS, OutboxMessage

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def text(n: int, message_id: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        channel="SMS",
        service="sms-voice",
        origin="+12065550199",
        destination=f"+1206555{n:04d}",
        body=f"code {n}",
        message_id=message_id or f"m-{n}",
        sent_at=T0,
        status="PENDING",
    )


@pytest.fixture(autouse=True)
def merges(monkeypatch):
    """Ids join the table 6,000 at a time: every second buffer written (4,096 messages) merges."""
    monkeypatch.setattr(outbox_keys, "MERGE", 6_000)


def test_old_and_new_messages_are_found_by_id_wherever_their_ids_wait():
    box = Outbox()
    for n in range(13_000):  # 8,192 written and filed, 4,096 written and waiting, the rest
        box.add(text(n))  # buffered
    waiting = box._unwritten.keys.fresh
    assert "m-9000" in waiting and "m-5" not in waiting and "m-12500" not in waiting
    for n in (0, 5, 777, 4_500, 8_191, 8_192, 9_000, 12_287, 12_500):
        assert box.update_status(f"m-{n}", "DELIVERED").status == "DELIVERED"
        assert box[n].status == "DELIVERED"
    assert [m.status for m in box.filter(status="DELIVERED")] == ["DELIVERED"] * 9
    with pytest.raises(KeyError, match="m-none"):
        box.update_status("m-none", "FAILED")


def test_the_newest_of_two_messages_with_one_id_changes_and_a_new_id_is_found():
    box = Outbox()
    box.add(text(1, "twice"))
    for n in range(2, 9_000):
        box.add(text(n))
    box.add(text(9_001, "twice"))
    for n in range(9_002, 18_000):
        box.add(text(n))
    assert box.update_status("twice", "FAILED").destination == "+12065559001"
    box._replace(8_999, message_id="renamed")  # the second "twice", long written
    assert box.update_status("renamed", "DELIVERED").destination == "+12065559001"
    assert box.update_status("twice", "OPT_OUT").destination == "+12065550001"  # the first
    assert [(m.message_id, m.status) for m in box.filter(status="OPT_OUT")] == [
        ("twice", "OPT_OUT")
    ]


def test_a_kept_outbox_finds_messages_written_before_it_was_reopened(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    for n in range(9_050):  # the last ids still wait in memory when it closes
        box.add(text(n))
    box.close()
    again = Outbox(path)
    for n in (3, 9_049):
        assert again.update_status(f"m-{n}", "DELIVERED").status == "DELIVERED"
    again.close()


def test_a_database_written_before_the_table_of_ids_existed_is_filed_when_opened(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE messages (id INTEGER PRIMARY KEY, "
        + ", ".join(f"{c} TEXT NOT NULL" for c in COLUMNS)
        + ")"
    )
    db.execute("CREATE INDEX messages_by_message_id ON messages (message_id)")
    db.executemany(
        f"INSERT INTO messages VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
        [
            (
                n,
                "SMS",
                "sms-voice",
                "+1",
                f"+2{n}",
                "hi",
                f"old-{n}",
                T0.isoformat(),
                "PENDING",
                "",
                "{}",
            )
            for n in range(1, 301)
        ],
    )
    db.commit()
    db.close()
    box = Outbox(path)
    assert box.update_status("old-150", "DELIVERED").destination == "+2150"
    box.add(text(1, "new"))
    assert box.update_status("new", "FAILED").status == "FAILED"
    box.close()
