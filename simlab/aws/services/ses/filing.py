"""moto's records of a send run's messages, filed in moto's lists together rather than one by one.

moto lists each sent message twice: in its backend's ``sent_messages`` (and its count,
``sent_message_count``) and in the registry of its ``Message`` class (``instances_tracked``,
which moto's data API lists). A ``SendRun`` makes a record per message and leaves it in
``UNFILED``; ``file`` puts the records waiting there into both lists at once, in the order they
were made: into ``sent_messages``, and into the registry as records it reads from there
(``moto_records``), so each is stored once. Nothing reads those lists while a run sends, so a
reader sees the same lists as if each record had gone in as it was made, provided the records
are filed before anything else joins the lists (``Mailer._remember``, the one other way in,
files them first) and when the run closes.
"""

from __future__ import annotations

from typing import Any

from moto.ses.models import Message

from simlab.aws.services.ses.moto_records import Registry, SentMessages


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
        listed = backend.sent_messages
        first = len(listed)
        listed.extend(waiting)
        backend.sent_message_count += len(waiting)
        registry = Message.instances_tracked  # type: ignore[attr-defined]
        if type(registry) is Registry and type(listed) is SentMessages:
            registry.borrow(listed, first, len(waiting))
        else:
            registry.extend(waiting)


#: The records of every run, waiting to be filed.
UNFILED = Unfiled()
#: Files the records waiting (``Unfiled.file``).
file = UNFILED.file
