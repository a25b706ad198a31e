"""The room at a glance: per attendee, messages by channel and status, last errors, checkpoints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from simlab.aws.locking import LOCK
from simlab.aws.state import acting_as, state
from simlab.room.accounts import Attendee, Instructor, Room
from simlab.room.checkpoints import CHECKPOINTS, notebooks_done, progress


@dataclass(frozen=True)
class MemberStatus:
    """One account as the instructor sees it."""

    name: str
    account_id: str
    requests: int
    last_seen: str
    messages: dict[str, dict[str, int]]
    errors: list[dict[str, str]]
    checkpoints: dict[str, bool]
    notebooks_done: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        """Messages of every channel and status."""
        return sum(n for statuses in self.messages.values() for n in statuses.values())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberStatus:
        return cls(**data)


def member_status(member: Attendee | Instructor) -> MemberStatus:
    """The status of one room member's account (reads its state under the state lock)."""
    with LOCK, acting_as(member.account_id):
        local = state()
        messages: dict[str, dict[str, int]] = {}
        for (channel, status), count in local.outbox.counts().items():
            messages.setdefault(channel, {})[status] = count
        done = progress(member.account_id)
        return MemberStatus(
            name=member.name,
            account_id=member.account_id,
            requests=local.activity.requests,
            last_seen=local.activity.last_seen,
            messages=messages,
            errors=list(local.activity.errors),
            checkpoints=done,
            notebooks_done=notebooks_done(done),
        )


def room_status(room: Room) -> list[MemberStatus]:
    """Every attendee's status, in handout order."""
    return [member_status(attendee) for attendee in room]


def table(statuses: list[MemberStatus], *, clock: str = "") -> str:
    """The room as a fixed-width text table, one attendee a line, for a terminal."""
    channels = sorted({c for s in statuses for c in s.messages})
    marks = [c.name for c in CHECKPOINTS]
    head = ["attendee", "account", "reqs", *channels, "checkpoints", "last error"]
    rows = []
    for s in statuses:
        counts = [_channel_cell(s.messages.get(c, {})) for c in channels]
        ticks = "".join("x" if s.checkpoints.get(m) else "." for m in marks)
        last = s.errors[-1] if s.errors else None
        error = f"{last['operation']}: {last['code']}" if last else ""
        rows.append([s.name, s.account_id, str(s.requests), *counts, ticks, error])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [head, *rows]
    ]
    legend = "checkpoints: " + " ".join(f"{i + 1}={m}" for i, m in enumerate(marks))
    finished = {
        n: sum(n in s.notebooks_done for s in statuses)
        for n in sorted({c.notebook for c in CHECKPOINTS})
    }
    summary = ", ".join(f"notebook {n}: {k}/{len(statuses)} done" for n, k in finished.items())
    top = [f"room clock: {clock}"] if clock else []
    return "\n".join([*top, *lines, "", legend, summary])


def _channel_cell(statuses: dict[str, int]) -> str:
    """``12 (DELIVERED 10, FAILED 2)`` for one channel of one attendee."""
    total = sum(statuses.values())
    if not total:
        return "0"
    parts = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    return f"{total} ({parts})"
