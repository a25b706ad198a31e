"""What attendees are handed: ``~/.aws`` profiles and a one-page sheet each."""

from __future__ import annotations

from pathlib import Path

from simlab.aws.state import DEFAULT_REGION
from simlab.room.accounts import Attendee, Room

ROOM_FILE = "room.json"


def credentials_profile(attendee: Attendee) -> str:
    """The attendee's section of ``~/.aws/credentials``."""
    return (
        f"[{attendee.profile}]\n"
        f"aws_access_key_id = {attendee.access_key_id}\n"
        f"aws_secret_access_key = {attendee.secret_access_key}\n"
    )


def config_profile(attendee: Attendee, endpoint_url: str, region: str = DEFAULT_REGION) -> str:
    """The attendee's section of ``~/.aws/config``: the Region and the room's endpoint."""
    return f"[profile {attendee.profile}]\nregion = {region}\nendpoint_url = {endpoint_url}\n"


def sheet(attendee: Attendee, endpoint_url: str, region: str = DEFAULT_REGION) -> str:
    """One attendee's one-page handout, as plain text."""
    rule = "=" * 72
    return "\n".join(
        [
            rule,
            f"simlab workshop room -- {attendee.name}",
            rule,
            "",
            f"Your account id:   {attendee.account_id}",
            f"Your access key:   {attendee.access_key_id}",
            f"Your secret key:   {attendee.secret_access_key}",
            f"The room's AWS:    {endpoint_url}   (Region {region})",
            "",
            "1. Add to ~/.aws/credentials:",
            "",
            _indent(credentials_profile(attendee)),
            "2. Add to ~/.aws/config:",
            "",
            _indent(config_profile(attendee, endpoint_url, region)),
            "3. Check who you are (expect your account id above):",
            "",
            f"     aws sts get-caller-identity --profile {attendee.profile}",
            "",
            "   or in Python:",
            "",
            "     import boto3",
            f'     session = boto3.Session(profile_name="{attendee.profile}")',
            '     print(session.client("sts").get_caller_identity()["Account"])',
            "",
            "4. Everything you send lands in your own outbox:",
            "",
            f"     curl -H 'X-Simlab-Access-Key: {attendee.access_key_id}' \\",
            f"          {endpoint_url}/simlab/outbox",
            "",
            "Your account is yours alone: nobody else sees your messages, topics or",
            "numbers. S3 bucket names are shared by the room, as on AWS: put your",
            "account id in yours. POST /simlab/reset with your key starts you over.",
            "",
        ]
    )


def _indent(text: str) -> str:
    return "".join(f"     {line}\n" for line in text.splitlines())


def write(
    room: Room, directory: str | Path, endpoint_url: str, region: str = DEFAULT_REGION
) -> Path:
    """Writes the room's files to ``directory`` and returns it.

    ``room.json`` (every key, the instructor's too: keep it), ``credentials`` and ``config``
    (every attendee's profile), and ``handouts/<attendee>.txt`` (one page each).
    """
    target = Path(directory)
    (target / "handouts").mkdir(parents=True, exist_ok=True)
    room.save(target / ROOM_FILE)
    (target / "credentials").write_text("\n".join(credentials_profile(a) for a in room))
    (target / "config").write_text("\n".join(config_profile(a, endpoint_url, region) for a in room))
    for attendee in room:
        (target / "handouts" / f"{attendee.name}.txt").write_text(
            sheet(attendee, endpoint_url, region)
        )
    return target
