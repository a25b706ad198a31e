"""The instructor's panel, driven headlessly against a room served over HTTP."""

import boto3
import pytest

from simlab.aws import LocalAWS
from simlab.room import Room
from simlab.room.handout import write
from simlab.widgets.instructor import InstructorPanel, build_instructor_panel

pytestmark = pytest.mark.server


@pytest.fixture
def room_folder(tmp_path):
    room = Room.create(3, seed=11)
    with LocalAWS("server", room=room) as local:
        write(room, tmp_path, local.endpoint_url)
        yield local, room, tmp_path


def sms_client(local, attendee):
    return boto3.session.Session(
        aws_access_key_id=attendee.access_key_id,
        aws_secret_access_key=attendee.secret_access_key,
        region_name="us-east-1",
    ).client("pinpoint-sms-voice-v2", endpoint_url=local.endpoint_url)


def test_the_table_shows_each_attendees_messages_and_checkpoints(room_folder):
    local, room, folder = room_folder
    first = room.attendees[0]
    sns = boto3.session.Session(
        aws_access_key_id=first.access_key_id,
        aws_secret_access_key=first.secret_access_key,
        region_name="us-east-1",
    ).client("sns", endpoint_url=local.endpoint_url)
    sns.publish(PhoneNumber="+12065550100", Message="hello")
    panel = build_instructor_panel(local.endpoint_url, folder)
    assert isinstance(panel, InstructorPanel)
    table = panel.table.value
    assert table.count("<tr>") == 1 + len(room)
    assert "attendee-01" in table and "attendee-03" in table
    assert "notebook 00: <b>0</b>/3 done" in table
    row = table.split("<tr>")[2]  # attendee-01's row
    assert '<span title="' in row and ">1</span>" in row  # one SMS
    assert row.count('class="done"') == 1  # 00-sms only


def test_advance_moves_the_room_clock_and_says_so(room_folder):
    local, _, folder = room_folder
    panel = build_instructor_panel(local.endpoint_url, folder)
    before = local.clock.seconds
    panel.step.value = "1 day"
    panel.advance_button.click()
    assert local.clock.seconds - before >= 86400
    assert "Room clock now" in panel.message.value


def test_a_broadcast_texts_every_attendee_with_a_number_and_names_the_rest(room_folder):
    local, room, folder = room_folder
    for attendee in room.attendees[:2]:
        sms_client(local, attendee).request_phone_number(
            IsoCountryCode="US",
            MessageType="TRANSACTIONAL",
            NumberCapabilities=["SMS"],
            NumberType="TOLL_FREE",
        )
    panel = build_instructor_panel(local.endpoint_url, folder)
    panel.body.value = "HELP"
    panel.broadcast_button.click()
    assert panel.message.value == "<p>Texted 2 of 3 attendees. No number yet: attendee-03.</p>"
    assert "notebook 04: <b>2</b>/3 done" in panel.table.value


def test_no_room_folder_gives_a_panel_that_says_how_to_start_one(tmp_path):
    panel = build_instructor_panel("http://127.0.0.1:9", tmp_path)
    assert "simlab serve --room 30" in panel.children[0].value


def test_a_room_that_does_not_answer_is_named_not_raised(tmp_path):
    room = Room.create(1, seed=1)
    write(room, tmp_path, "http://127.0.0.1:9")
    panel = build_instructor_panel("http://127.0.0.1:9", tmp_path)
    assert "No room answers at http://127.0.0.1:9" in panel.table.value
