"""An outbox finds a written message by its id whether its hash is in the newest block (in
memory) or an older one (in the table), after a new id, after reopening, and in a database
written before that table existed."""

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
def blocks(monkeypatch):
    """Blocks of 6,000 rows: a buffer written (4,096 messages) may end one and start the next."""
    monkeypatch.setattr(outbox_keys, "BLOCK", 6_000)


def test_old_and_new_messages_are_found_by_id_wherever_their_ids_wait():
    box = Outbox()
    for n in range(13_000):  # 8,192 written: a full block and 2,192 rows of the next; the
        box.add(text(n))  # rest unwritten, in two generations
    keys = box._unwritten.keys
    assert (keys.first, keys.filled) == (6_001, 2_192)
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
    box._replace(8_999, message_id="renamed")  # the second "twice", in an older block
    assert box.update_status("renamed", "DELIVERED").destination == "+12065559001"
    box.flush()
    box._replace(12_500, message_id="renamed-newest")  # written, in the newest block
    assert box.update_status("renamed-newest", "FAILED").body == "code 12502"
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


def test_a_reopened_outbox_goes_on_filling_its_newest_block(tmp_path):
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    for n in range(7_000):  # one full block and 1,000 rows of the next
        box.add(text(n))
    box.close()
    again = Outbox(path)
    assert (again._unwritten.keys.first, again._unwritten.keys.filled) == (6_001, 1_000)
    for n in range(7_000, 20_000):
        again.add(text(n))
    again.flush()
    for n in (0, 6_500, 6_999, 7_000, 19_999):
        assert again.update_status(f"m-{n}", "DELIVERED").destination == f"+1206555{n:04d}"
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
    db.execute("CREATE TABLE message_keys (hash INTEGER, id INTEGER)")  # an older outbox's
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
    tables = box.sql("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert [t["name"] for t in tables] == ["message_key_blocks", "messages"]
    box.close()
