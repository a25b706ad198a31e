"""What SES tells of a message's events: event destinations, identity topics, watchers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simlab.aws.delivery import DeliveryError, deliver
from simlab.aws.services.ses import publishing, records
from simlab.aws.services.ses.policy import parseaddr
from simlab.aws.state import state

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend


class MailEvents:
    """Publishes a sent message's event records for a ``Mailer``."""

    backend: SimlabSESBackend
    #: message id -> ``watcher(kind, address, detail)``, told of each event of that message
    watchers: dict[str, Callable[[str, str, dict[str, Any]], None]]

    def _heard(self, sent: records.SentEmail, kind: str) -> bool:
        """True if a ``kind`` event of ``sent`` reaches anyone: the message's watcher, a matching
        destination of its configuration set, or (for feedback) some identity's topic.

        An event without random draws of its own need not be written when it reaches no one.
        """
        if sent.message_id in self.watchers:
            return True
        destinations = self.backend.event_destinations.get(sent.configuration_set or "")
        if destinations and any(d.matches(kind) for d in destinations.values()):
            return True
        return kind in _FEEDBACK and bool(self.backend.sns_topics)

    def _event(
        self, sent: records.SentEmail, address: str, kind: str, detail: dict[str, Any]
    ) -> None:
        self._publish(sent, kind, detail)
        if kind in _FEEDBACK:
            self._notify_identity(sent, kind, detail)
        watcher = self.watchers.get(sent.message_id)
        if watcher is not None:
            watcher(kind, address, detail)

    def _publish(self, sent: records.SentEmail, kind: str, detail: dict[str, Any]) -> None:
        """Sends the ``kind`` record to every enabled destination of the message's configuration
        set that matches its type; a destination that is gone is noted in ``publish_failures``.

        The record is built only when some destination takes it.
        """
        destinations = self.backend.event_destinations.get(sent.configuration_set or "")
        if not destinations:
            return
        record: dict[str, Any] | None = None
        for destination in destinations.values():
            if destination.matches(kind):
                if record is None:
                    record = records.record(kind, sent, detail)
                self._safely(
                    functools.partial(
                        publishing.publish,
                        destination,
                        record,
                        sent,
                        self.backend.account_id,
                        self.backend.region_name,
                        state().clock.now(),
                    ),
                    destination.name,
                )

    def _notify_identity(self, sent: records.SentEmail, kind: str, detail: dict[str, Any]) -> None:
        """Feedback notifications set with SetIdentityNotificationTopic (``notificationType``)."""
        topics = self.backend.sns_topics
        if not topics:  # no identity has a topic: nothing to look up
            return
        address = parseaddr(sent.source)[1]
        for identity in (address, address.rpartition("@")[2].lower()):
            topic = topics.get(identity, _NO_TOPICS).get(kind)
            if topic:
                record = records.notification(kind, sent, detail)
                self._safely(functools.partial(deliver, topic, record), f"identity {identity}")
                return

    def _safely(self, publish: Callable[[], None], where: str) -> None:
        try:
            publish()
        except DeliveryError as error:
            self.backend.publish_failures.append(f"{where}: {error}")


#: The events an identity's notification topics hear of (SetIdentityNotificationTopic).
_FEEDBACK = frozenset({"Bounce", "Complaint", "Delivery"})
#: The notification topics of an identity that has none (shared, never changed).
_NO_TOPICS: dict[str, Any] = {}
