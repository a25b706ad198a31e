"""A workshop room: attendee accounts with access keys, an instructor key, and the handout.

Each attendee gets a 12-digit account id and an access key pair, as an AWS account's IAM user
would; the instructor's key reaches room-wide views. A room is saved as JSON so a restarted
server hands out the same keys.
"""

from __future__ import annotations

import json
import random
import secrets
import string
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from simlab.aws.state import ACCOUNT_ID

#: The largest room ``Room.create`` makes (a workshop, not a load test).
MAX_ATTENDEES = 500
_KEY_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "/+"


@dataclass(frozen=True)
class Attendee:
    """One attendee's account: a name for the handout, the account id, an access key pair."""

    name: str
    account_id: str
    access_key_id: str
    secret_access_key: str

    @property
    def profile(self) -> str:
        """The ``~/.aws/credentials`` profile name the handout gives this attendee."""
        return self.name


@dataclass(frozen=True)
class Instructor:
    """The instructor's key: AWS calls act for the default account; control routes see all."""

    access_key_id: str
    secret_access_key: str
    account_id: str = ACCOUNT_ID
    name: str = "instructor"


@dataclass
class Room:
    """The attendees of one workshop and the instructor, looked up by access key id."""

    attendees: list[Attendee]
    instructor: Instructor
    _by_key: dict[str, Attendee | Instructor] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        ids = [a.account_id for a in self.attendees]
        if len(set(ids)) != len(ids) or ACCOUNT_ID in ids:
            raise ValueError("attendee account ids must be distinct and not the default account")
        self._by_key = {a.access_key_id: a for a in self.attendees}
        self._by_key[self.instructor.access_key_id] = self.instructor
        if len(self._by_key) != len(self.attendees) + 1:
            raise ValueError("every access key id in a room must be distinct")

    @classmethod
    def create(cls, size: int, *, seed: int | None = None) -> Room:
        """Makes a room of ``size`` attendees with fresh keys (reproducible when ``seed`` is given).

        Raises ValueError unless 1 <= size <= MAX_ATTENDEES.
        """
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_ATTENDEES:
            raise ValueError(f"a room has 1 to {MAX_ATTENDEES} attendees, got {size!r}")
        draw = _drawer(seed)
        accounts: set[str] = {ACCOUNT_ID}
        attendees = []
        width = max(2, len(str(size)))
        for number in range(1, size + 1):
            account = draw(string.digits, 12)
            while account in accounts or account.startswith("0"):
                account = draw(string.digits, 12)
            accounts.add(account)
            attendees.append(
                Attendee(
                    name=f"attendee-{number:0{width}d}",
                    account_id=account,
                    access_key_id="AKIA" + draw(_KEY_ALPHABET, 16),
                    secret_access_key=draw(_SECRET_ALPHABET, 40),
                )
            )
        instructor = Instructor("AKIA" + draw(_KEY_ALPHABET, 16), draw(_SECRET_ALPHABET, 40))
        return cls(attendees, instructor)

    def __iter__(self) -> Iterator[Attendee]:
        return iter(self.attendees)

    def __len__(self) -> int:
        return len(self.attendees)

    def members(self) -> list[Attendee | Instructor]:
        """The attendees, then the instructor."""
        return [*self.attendees, self.instructor]

    def who(self, access_key_id: str | None) -> Attendee | Instructor | None:
        """The attendee or instructor an access key id belongs to; None if it is not the room's."""
        return self._by_key.get(access_key_id or "")

    def attendee(self, name_or_account: str) -> Attendee:
        """The attendee with this name or account id; raises KeyError naming it if none."""
        for attendee in self.attendees:
            if name_or_account in (attendee.name, attendee.account_id):
                return attendee
        raise KeyError(f"no attendee {name_or_account!r} in this room")

    # -- saving ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, object]:
        return {
            "attendees": [asdict(a) for a in self.attendees],
            "instructor": asdict(self.instructor),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Room:
        """Rebuilds a saved room; raises ValueError (or KeyError) for a malformed one."""
        listed = data["attendees"]
        described = data["instructor"]
        if not isinstance(listed, list) or not isinstance(described, dict):
            raise ValueError("a room file has an 'attendees' list and an 'instructor' object")
        attendees = [Attendee(**a) for a in listed]
        instructor = Instructor(**described)
        return cls(attendees, instructor)

    def save(self, path: str | Path) -> Path:
        """Writes the room (keys included) to ``path`` as JSON, readable by its owner only."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        target.chmod(0o600)
        return target

    @classmethod
    def load(cls, path: str | Path) -> Room:
        """Reads a room saved by ``save``; raises OSError or ValueError if it cannot."""
        return cls.from_json(json.loads(Path(path).read_text()))


def _drawer(seed: int | None) -> Callable[[str, int], str]:
    """A function drawing ``n`` characters of an alphabet: secrets, or seeded for tests."""
    if seed is None:
        return lambda alphabet, n: "".join(secrets.choice(alphabet) for _ in range(n))
    rng = random.Random(seed)
    return lambda alphabet, n: "".join(rng.choice(alphabet) for _ in range(n))
