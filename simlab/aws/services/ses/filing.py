"""moto's records of a send run's messages, filed in moto's lists together rather than one by one.

moto keeps each sent message twice: in its backend's ``sent_messages`` (and its count,
``sent_message_count``) and in the registry of its ``Message`` class (``instances_tracked``,
which moto's data API lists). A ``SendRun`` makes a record per message and leaves it in
``UNFILED``; ``file`` puts the records waiting there into both lists at once, in the order they
were made. Nothing reads those lists while a run sends, so a reader sees the same lists as if
each record had gone in as it was made, provided the records are filed before anything else
joins the lists (``Mailer._remember``, the one other way in, files them first) and when the
run closes.
"""

from __future__ import annotations

from typing import Any

from moto.ses.models import Message


class Unfiled:
    """The records made and not yet filed, and the backend whose they are."""

    __slots__ = ("records", "backend")

    def __init__(self) -> None:
        #: moto's records, oldest first
        self.records: list[Any] = []
        #: the backend they were sent from (every record waiting is of one backend), None
        #: once they are filed
        self.backend: Any = None

    def of(self, backend: Any) -> None:
        """Makes ``backend`` the one whose records wait, filing first those of another."""
        self.file()
        self.backend = backend

    def file(self) -> None:
        """Puts the records waiting into moto's lists, in order, as one append each would,
        and lets go of their backend."""
        records, backend = self.records, self.backend
        self.backend = None
        if not records:
            return
        waiting = records[:]
        del records[: len(waiting)]
        # moto registers a record when it is made, before its backend lists it
        Message.instances_tracked.extend(waiting)  # type: ignore[attr-defined]
        backend.sent_messages.extend(waiting)
        backend.sent_message_count += len(waiting)


#: The records of every run, waiting to be filed.
UNFILED = Unfiled()
#: Files the records waiting (``Unfiled.file``).
file = UNFILED.file
