"""Event records as End User Messaging writes them, and their delivery to destinations."""

from __future__ import annotations

from typing import Any

from simlab.engage.sms.core import EngineCore
from simlab.engage.sms.event_record import build_record
from simlab.engage.sms.records import Message
from simlab.engage.sms.text_runs import status_of


class Events(EngineCore):
    """Builds each event record and hands it to the configuration set's destinations."""

    def event_record(self, message: Message, event_type: str, final: bool) -> dict[str, Any]:
        """The v2 event record of ``event_type`` for ``message``, stamped now."""
        return build_record(message, event_type, self.clock.timestamp_ms(), final)

    def _emit(self, message: Message, event_type: str, final: bool = False) -> None:
        timestamp = self.clock.timestamp_ms()
        message.trail.append((event_type, timestamp, final))
        message.status, message.final = status_of(event_type), final
        name = message.configuration_set
        if not name or self.deliver is None:  # no set (names are never empty): no records
            return
        config = self.configuration_sets.get(name)
        if config is None:
            return
        record = build_record(message, event_type, timestamp, final)
        for destination in config.destinations.values():
            if destination.matches(event_type):
                try:
                    self.deliver(destination.target_arn, record)
                except Exception as error:  # a missing destination loses the record, as at AWS
                    self.delivery_errors.append(f"{destination.name}: {error}")

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event record emitted, oldest first."""
        records = [r for m in self.messages.values() for r in m.events]
        return sorted(records, key=lambda r: r["eventTimestamp"])
