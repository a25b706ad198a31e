import re
import stat

import pytest

from simlab.aws.state import ACCOUNT_ID
from simlab.room import Room


def test_a_room_gives_each_attendee_an_account_and_a_key_pair():
    room = Room.create(30)
    accounts = {a.account_id for a in room}
    keys = {a.access_key_id for a in room} | {room.instructor.access_key_id}
    assert len(accounts) == 30 and ACCOUNT_ID not in accounts
    assert all(re.fullmatch(r"[1-9]\d{11}", a) for a in accounts)
    assert len(keys) == 31
    assert all(re.fullmatch(r"AKIA[A-Z0-9]{16}", k) for k in keys)
    assert all(len(a.secret_access_key) == 40 for a in room)
    assert [a.name for a in room][:2] == ["attendee-01", "attendee-02"]


def test_a_seed_makes_the_same_room_and_no_seed_a_new_one():
    assert Room.create(3, seed=1).to_json() == Room.create(3, seed=1).to_json()
    assert Room.create(3).to_json() != Room.create(3).to_json()


@pytest.mark.parametrize("size", [0, -1, 501, 2.5, True])
def test_a_room_size_out_of_range_is_refused(size):
    with pytest.raises(ValueError, match="1 to 500 attendees"):
        Room.create(size)


def test_a_saved_room_loads_with_the_same_keys_and_only_its_owner_can_read_it(tmp_path):
    room = Room.create(3, seed=2)
    path = room.save(tmp_path / "room.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Room.load(path)
    assert again.to_json() == room.to_json()
    assert again.who(room.attendees[1].access_key_id) == room.attendees[1]
    assert again.who("AKIANOTINTHEROOM0000") is None


def test_an_attendee_is_found_by_name_or_account_and_a_stranger_is_named():
    room = Room.create(2, seed=3)
    first = room.attendees[0]
    assert room.attendee("attendee-01") == room.attendee(first.account_id) == first
    with pytest.raises(KeyError, match="attendee-09"):
        room.attendee("attendee-09")
