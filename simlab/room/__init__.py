"""A workshop room: one local AWS, an account per attendee, and the instructor's view.

``simlab serve --room 30`` opens one; ``LocalAWS(room=Room.create(3))`` does the same in
process (tests). Requests act for the account of their access key; unknown keys are refused
with AWS's own error; the clock is shared.
"""

from simlab.room.accounts import Attendee, Instructor, Room
from simlab.room.checkpoints import CHECKPOINTS, Checkpoint
from simlab.room.client import RoomClient, RoomError, mark
from simlab.room.status import MemberStatus

__all__ = [
    "CHECKPOINTS",
    "Attendee",
    "Checkpoint",
    "Instructor",
    "MemberStatus",
    "Room",
    "RoomClient",
    "RoomError",
    "mark",
]
