"""``simlab serve --room N`` set-up and the ``simlab room ...`` commands for the instructor."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simlab.room.accounts import MAX_ATTENDEES, Room
from simlab.room.client import RoomClient, RoomError
from simlab.room.handout import ROOM_FILE
from simlab.room.status import table

#: Where ``simlab serve --room`` keeps the room's keys and handouts unless told otherwise.
DEFAULT_DIR = "simlab-room"


def prepare(size: int, directory: str | Path) -> Room:
    """The room for ``simlab serve --room size``: the one saved in ``directory``, or a new one.

    Raises ValueError if ``directory`` holds a room of another size, or size is out of range.
    """
    path = Path(directory) / ROOM_FILE
    if path.exists():
        room = Room.load(path)
        if len(room) != size:
            raise ValueError(
                f"{directory} holds a room of {len(room)} attendees; use --room {len(room)} "
                "to reopen it, or another --room-dir for a new one"
            )
        return room
    return Room.create(size)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds ``status``, ``advance``, ``broadcast-sms`` and ``broadcast-email`` under
    ``simlab room``."""
    commands = parser.add_subparsers(dest="room_command", required=True)
    for name, help_text in (
        ("status", "show every attendee's messages, last errors and checkpoints"),
        ("advance", "move the room's clock forward"),
        ("broadcast-sms", "text every attendee's numbers from one customer number"),
        ("broadcast-email", "mail every attendee's receiving addresses from one customer"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--endpoint-url", default="http://127.0.0.1:5000", help="the room's URL")
        sub.add_argument(
            "--room-dir", default=DEFAULT_DIR, help="where serve --room wrote room.json"
        )
        if name == "status":
            sub.add_argument(
                "--watch", type=float, metavar="SECONDS", help="refresh every SECONDS until Ctrl-C"
            )
        elif name == "advance":
            sub.add_argument("seconds", type=float, help="simulated seconds to move forward")
        elif name == "broadcast-sms":
            sub.add_argument("--from", dest="sender", required=True, help="customer number, E.164")
            sub.add_argument("--body", required=True, help="the text")
        else:
            sub.add_argument("--from", dest="sender", required=True, help="customer's address")
            sub.add_argument("--subject", default="", help="the subject")
            sub.add_argument("--body", required=True, help="the text")
            sub.add_argument(
                "--local-part", default="support", help="mailbox at each domain (default support)"
            )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Runs a ``simlab room`` command; prints one line to stderr and returns 2 if it fails."""
    try:
        room = Room.load(Path(args.room_dir) / ROOM_FILE)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(
            f"simlab room: error: cannot read the room in {args.room_dir}: {error}", file=sys.stderr
        )
        return 2
    client = RoomClient(args.endpoint_url, room.instructor.access_key_id)
    try:
        if args.room_command == "advance":
            print(f"room clock: {client.advance(args.seconds)['now']}")
        elif args.room_command.startswith("broadcast"):
            results = (
                client.broadcast_sms(args.sender, args.body)
                if args.room_command == "broadcast-sms"
                else client.broadcast_email(args.sender, args.subject, args.body, args.local_part)
            )
            for result in results:
                nothing = "no number yet" if args.room_command == "broadcast-sms" else "no mailbox"
                to = ", ".join(result["delivered_to"]) or nothing
                problems = "; ".join(result["errors"])
                print(f"{result['attendee']}: {to}" + (f" ({problems})" if problems else ""))
        else:
            while True:
                clock, statuses = client.status()
                print(table(statuses, clock=str(clock["now"])), flush=True)
                if not args.watch:
                    break
                time.sleep(args.watch)
                print()
    except RoomError as error:
        print(f"simlab room: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"simlab room: error: no room at {args.endpoint_url} ({error})", file=sys.stderr)
        return 2
    return 0


__all__ = ["DEFAULT_DIR", "MAX_ATTENDEES", "add_arguments", "prepare", "run"]
