"""The open room, and how a request is admitted into it: the key's owner, or AWS's refusal.

``admit`` is called where requests enter the local AWS (the HTTP server, the in-process stubber):
with no room open everyone is admitted as the default account, as before; with a room open the
request acts for the account of its access key, and a key the room does not know is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from simlab.aws.state import acting_as, state
from simlab.room import gate
from simlab.room.accounts import Attendee, Instructor, Room

#: The header a ``/simlab`` control request may use instead of a signature: the access key id.
KEY_HEADER = "X-Simlab-Access-Key"

_room: Room | None = None
_WHO: ContextVar[Attendee | Instructor | None] = ContextVar("simlab_room_caller", default=None)


def open_room(room: Room | None) -> None:
    """Makes ``room`` the one requests are admitted to (None: no room, everyone is admitted)."""
    global _room
    _room = room


def current_room() -> Room | None:
    """The open room, if any."""
    return _room


def caller() -> Attendee | Instructor | None:
    """Who the request being served comes from (None outside a room)."""
    return _WHO.get()


def is_instructor() -> bool:
    """True when there is no room (one person is everyone) or the instructor's key signed."""
    return _room is None or isinstance(_WHO.get(), Instructor)


@dataclass(frozen=True)
class Admission:
    """A request's admission: who sent it, or the refusal to send back."""

    who: Attendee | Instructor | None
    refusal: tuple[int, dict[str, str], bytes] | None = None


def admit(
    headers: Mapping[str, str], body: bytes, query: str, path: str = "", *, control: bool = False
) -> Admission:
    """Admits a request by its access key; ``control`` also reads ``X-Simlab-Access-Key``.

    What AWS answers without credentials (SNS's signing certificate, ``ConfirmSubscription``
    from the link in a confirmation message) is admitted without a key.
    """
    room = _room
    if room is None:
        return Admission(None)
    key = gate.caller(headers, query).access_key_id
    if control and key is None:
        key = next((str(v) for k, v in headers.items() if k.lower() == KEY_HEADER.lower()), None)
    who = room.who(key)
    if who is None:
        if key is None and gate.is_certificate(path):
            return Admission(None)  # kept in the default account, as before a room
        owner = gate.confirming_account(body, query) if key is None else None
        member = next((m for m in room.members() if m.account_id == owner), None)
        if member is not None:
            return Admission(member)
        return Admission(None, gate.refusal(headers, body, query))
    return Admission(who)


@contextmanager
def acting_for(who: Attendee | Instructor | None) -> Iterator[None]:
    """Runs the block for ``who``'s account (the default account when None)."""
    if who is None:
        yield
        return
    token = _WHO.set(who)
    try:
        with acting_as(who.account_id):
            yield
    finally:
        _WHO.reset(token)


def record(operation: str, status: int, headers: Mapping[str, str], body: bytes) -> None:
    """Counts a request for the current account and keeps its error, if it got one."""
    if _room is None:
        return
    activity = state().activity
    moment = state().clock.now().isoformat().replace("+00:00", "Z")
    activity.requests += 1
    activity.last_seen = moment
    found = gate.error_code(status, headers, body)
    if found is not None:
        code, message = found
        activity.errors.append(
            {"at": moment, "operation": operation, "code": code, "message": message}
        )
