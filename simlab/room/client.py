"""Talking to a room's control routes from Python: the instructor's view, an attendee's marks.

Requests go to the room's endpoint (loopback unless the instructor chose another address) with
the caller's access key id in ``X-Simlab-Access-Key``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from simlab.room.status import MemberStatus

#: Seconds a control request may take.
TIMEOUT = 10.0


class RoomError(RuntimeError):
    """A control route refused a request; the message is the server's."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class RoomClient:
    """The control routes of a room at ``endpoint_url``, signed with ``access_key_id``."""

    def __init__(self, endpoint_url: str, access_key_id: str, *, timeout: float = TIMEOUT) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.access_key_id = access_key_id
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None, **query: Any) -> Any:
        """Calls ``/simlab/<path>``; returns the JSON answer or raises RoomError."""
        url = f"{self.endpoint_url}/simlab/{path.strip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("X-Simlab-Access-Key", self.access_key_id)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                message = json.loads(raw).get("message", "")
            except ValueError:
                message = raw.decode("utf-8", "replace")
            raise RoomError(error.code, message) from None

    # -- the instructor ---------------------------------------------------------------------

    def status(self) -> tuple[dict[str, Any], list[MemberStatus]]:
        """The room's clock and every attendee's status."""
        answer = self.call("GET", "room")
        return answer["clock"], [MemberStatus.from_json(a) for a in answer["attendees"]]

    def advance(self, seconds: float) -> dict[str, Any]:
        """Moves the room's clock forward ``seconds``; returns the clock."""
        return dict(self.call("POST", "clock", {"advance": seconds}))

    def broadcast_sms(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Texts ``text`` from ``sender`` to every attendee's numbers; a result per attendee."""
        answer = self.call(
            "POST", "room/broadcast", {"channel": "SMS", "from": sender, "body": text}
        )
        return list(answer["attendees"])

    def broadcast_email(
        self, sender: str, subject: str, text: str, local_part: str = "support"
    ) -> list[dict[str, Any]]:
        """Mails ``text`` to every attendee's receiving addresses; a result per attendee."""
        request = {
            "channel": "EMAIL",
            "from": sender,
            "subject": subject,
            "body": text,
            "local_part": local_part,
        }
        return list(self.call("POST", "room/broadcast", request)["attendees"])

    # -- an attendee ------------------------------------------------------------------------

    def me(self) -> MemberStatus:
        """The caller's own status."""
        return MemberStatus.from_json(self.call("GET", "room/me"))

    def mark(self, checkpoint: str) -> dict[str, Any]:
        """Reports a checkpoint done."""
        return dict(self.call("POST", "room/checkpoint", {"checkpoint": checkpoint}))

    def outbox(self, **filters: Any) -> list[dict[str, Any]]:
        """The caller's outbox (``channel="SMS"`` ... as ``GET /simlab/outbox`` filters)."""
        return list(self.call("GET", "outbox", **filters)["messages"])

    def reset(self) -> dict[str, Any]:
        """Starts the caller's account over; other accounts and the clock are untouched."""
        return dict(self.call("POST", "reset", {}))


def mark(checkpoint: str, *, endpoint_url: str, profile: str | None = None) -> dict[str, Any]:
    """Reports ``checkpoint`` done for the account of ``profile`` (boto3's default if None).

    Raises RoomError if the room refuses it.
    """
    import boto3

    credentials = boto3.Session(profile_name=profile).get_credentials()
    if credentials is None:
        raise RoomError(403, f"no credentials for profile {profile!r}")
    return RoomClient(endpoint_url, credentials.access_key).mark(checkpoint)
