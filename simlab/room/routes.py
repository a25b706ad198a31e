"""The room's control routes (``/simlab/room/...``), for attendees and the instructor.

``GET  /simlab/room``             the instructor: every attendee's status and the clock
``GET  /simlab/room/me``          an attendee: their own account, status and checkpoints
``POST /simlab/room/checkpoint``  an attendee: ``{"checkpoint": name}`` marks a step done
``POST /simlab/room/broadcast``   the instructor: ``{"channel": "SMS", "from": customer,
                                  "body": text}`` texts every attendee's numbers;
                                  ``{"channel": "EMAIL", "from": address, "subject": ...,
                                  "body": text, "local_part": "support"}`` mails every
                                  attendee's receiving addresses
"""

from __future__ import annotations

import re
from typing import Any

from simlab.aws.server import Forbidden, RouteError, require_instructor, route
from simlab.aws.state import DEFAULT_REGION, acting_as, current_account, state
from simlab.room.accounts import Room
from simlab.room.entry import caller, current_room
from simlab.room.status import member_status, room_status

#: A checkpoint name: letters, digits, dots, dashes and underscores, up to 64 characters.
_MARK = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _room() -> Room:
    room = current_room()
    if room is None:
        raise RouteError("no workshop room is open: start the server with simlab serve --room N")
    return room


@route("GET", "room")
def _status(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    room = _room()
    require_instructor("the room's status")
    return 200, {
        "clock": state().clock.describe(),
        "attendees": [s.to_json() for s in room_status(room)],
    }


@route("GET", "room/me")
def _me(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    _room()
    who = caller()
    if who is None:
        raise Forbidden("sign the request with your access key")
    return 200, member_status(who).to_json()


@route("POST", "room/checkpoint")
def _checkpoint(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    _room()
    name = body.get("checkpoint")
    if not isinstance(name, str) or not _MARK.fullmatch(name):
        raise RouteError(
            "give 'checkpoint' as a name of 1-64 letters, digits, '.', '-' or '_' (e.g. 00-push)"
        )
    marks = state().activity.marks
    marks.setdefault(name, state().clock.now().isoformat().replace("+00:00", "Z"))
    return 200, {"account": current_account(), "checkpoint": name, "at": marks[name]}


@route("POST", "room/broadcast")
def _broadcast(body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
    room = _room()
    require_instructor("broadcasting to the room")
    channel = str(body.get("channel", "SMS")).upper()
    if channel not in ("SMS", "EMAIL"):
        raise RouteError(f"channel must be SMS or EMAIL, got {body.get('channel')!r}")
    sender, text = body.get("from"), body.get("body")
    region = body.get("region", DEFAULT_REGION)
    if not isinstance(region, str):
        raise RouteError("'region' must be a Region name such as us-east-1")
    if channel == "EMAIL":
        subject, local_part = body.get("subject", ""), body.get("local_part", "support")
        if not isinstance(sender, str) or "@" not in sender or not isinstance(text, str):
            raise RouteError("give 'from' (the customer's email address) and 'body' (the text)")
        if not isinstance(subject, str) or not isinstance(local_part, str) or not local_part:
            raise RouteError("'subject' and 'local_part' must be text (local_part not empty)")
        mailed = broadcast_email(room, sender, subject, text, local_part, region)
        return 200, {"channel": channel, "attendees": mailed}
    if not isinstance(sender, str) or not isinstance(text, str) or not text:
        raise RouteError("give 'from' (the customer's number, E.164) and 'body' (the text)")
    return 200, {"channel": channel, "attendees": broadcast_sms(room, sender, text, region)}


def broadcast_sms(room: Room, sender: str, text: str, region: str) -> list[dict[str, Any]]:
    """Texts ``text`` from ``sender`` to every number of every attendee; a result per attendee.

    An attendee with no number yet gets none; a number that refuses it (bad sender) says why.
    """
    from simlab.aws.services.smsvoicev2.models import engine
    from simlab.engage.sms import SmsError

    results = []
    for attendee in room:
        with acting_as(attendee.account_id):
            sms = engine(region)
            delivered, errors = [], []
            for number in list(sms.numbers.values()):
                try:
                    sms.receive(sender, number.number, text)
                    delivered.append(number.number)
                except SmsError as error:
                    errors.append(f"{number.number}: {error.message}")
        results.append({"attendee": attendee.name, "delivered_to": delivered, "errors": errors})
    return results


def receiving_addresses(ses: Any, local_part: str) -> list[str]:
    """The addresses an account receives mail at: those its active rule set names (a domain as
    ``local_part@domain``), or, when a rule names none, its verified identities."""
    rule_set = ses.describe_active_receipt_rule_set()
    rules = [r for r in (rule_set.rules if rule_set else []) if r.get("Enabled")]
    named = [n for r in rules for n in (r.get("Recipients") or [])]
    if not named and rules:
        named = list(ses.list_identities())
    return sorted({n if "@" in n else f"{local_part}@{n.lstrip('.')}" for n in named})


def broadcast_email(
    room: Room, sender: str, subject: str, text: str, local_part: str, region: str
) -> list[dict[str, Any]]:
    """Mails ``text`` from ``sender`` to every attendee's receiving addresses (see
    `receiving_addresses`); a result per attendee naming who took it and who refused it why.

    An attendee without an active receipt rule set gets nothing.
    """
    from moto.backends import get_backend

    from simlab.aws.services.ses.mail import MailControl

    results = []
    for attendee in room:
        with acting_as(attendee.account_id):
            ses = get_backend("ses")[attendee.account_id][region]
            addresses = receiving_addresses(ses, local_part)
            delivered: list[str] = []
            errors: list[str] = []
            if addresses:
                received = MailControl(region).receive(sender, addresses, subject, text)
                delivered = list(received.recipients)
                errors = [f"{a}: {why}" for a, why in received.rejected.items()]
        results.append({"attendee": attendee.name, "delivered_to": delivered, "errors": errors})
    return results
