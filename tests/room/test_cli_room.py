"""``simlab serve --room N`` writes the handout; ``simlab room ...`` steers the room."""

import configparser
import subprocess
import sys

import pytest

from tests.room.served import served_room

pytestmark = pytest.mark.server


def simlab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simlab.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_serve_room_writes_profiles_and_a_one_page_handout_per_attendee(tmp_path):
    folder = tmp_path / "room"
    with served_room(folder, 3) as (url, room):
        credentials = configparser.ConfigParser()
        credentials.read(folder / "credentials")
        config = configparser.ConfigParser()
        config.read(folder / "config")
        for attendee in room:
            section = credentials[attendee.profile]
            assert section["aws_access_key_id"] == attendee.access_key_id
            assert section["aws_secret_access_key"] == attendee.secret_access_key
            assert dict(config[f"profile {attendee.profile}"]) == {
                "region": "us-east-1",
                "endpoint_url": url,
            }
            sheet = (folder / "handouts" / f"{attendee.name}.txt").read_text()
            assert attendee.account_id in sheet and url in sheet
            assert len(sheet.splitlines()) <= 60  # one page
        assert room.instructor.access_key_id not in (folder / "credentials").read_text()


def test_room_status_advance_and_broadcast_from_the_terminal(tmp_path):
    folder = tmp_path / "room"
    with served_room(folder, 2) as (url, room):
        common = ("--endpoint-url", url, "--room-dir", str(folder))
        status = simlab("room", "status", *common)
        assert status.returncode == 0, status.stderr
        lines = status.stdout.splitlines()
        assert lines[0].startswith("room clock: 2026-")
        assert [line.split()[0] for line in lines[2:4]] == ["attendee-01", "attendee-02"]
        assert "notebook 00: 0/2 done" in status.stdout

        advance = simlab("room", "advance", "3600", *common)
        assert advance.returncode == 0 and advance.stdout.startswith("room clock: 2026-")

        broadcast = simlab(
            "room", "broadcast-sms", "--from", "+12065550199", "--body", "HI", *common
        )
        assert broadcast.stdout.splitlines() == [
            "attendee-01: no number yet",
            "attendee-02: no number yet",
        ]


def test_a_restarted_room_hands_out_the_same_keys(tmp_path):
    folder = tmp_path / "room"
    with served_room(folder, 2) as (_, first):
        pass
    with served_room(folder, 2) as (_, again):
        assert again.to_json() == first.to_json()


def test_a_room_folder_of_another_size_is_refused_in_one_line(tmp_path):
    folder = tmp_path / "room"
    with served_room(folder, 2):
        pass
    result = simlab("serve", "--port", "0", "--room", "3", "--room-dir", str(folder))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"simlab serve: error: {folder} holds a room of 2 attendees; use --room 2 to reopen it, "
        "or another --room-dir for a new one"
    ]


def test_room_status_without_a_room_folder_says_so(tmp_path):
    result = simlab("room", "status", "--room-dir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.startswith("simlab room: error: cannot read the room in ")
