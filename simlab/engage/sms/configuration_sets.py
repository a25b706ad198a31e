"""Configuration sets and their event destinations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from simlab.engage.sms.common import matches_filters
from simlab.engage.sms.core import EngineCore
from simlab.engage.sms.errors import ConflictError, NotFoundError, QuotaError, ValidationError
from simlab.engage.sms.records import ConfigurationSet, EventDestination
from simlab.facts import sms


class ConfigurationSets(EngineCore):
    """Named send settings and where their events go."""

    def create_configuration_set(
        self, name: str, tags: list[dict[str, str]] | None = None
    ) -> ConfigurationSet:
        if name in self.configuration_sets:
            raise ConflictError(
                f"configuration set {name} already exists",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="configuration-set",
                resource_id=name,
            )
        if len(self.configuration_sets) >= sms.MAX_CONFIGURATION_SETS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_CONFIGURATION_SETS.value} configuration sets",
                reason="CONFIGURATION_SETS_PER_ACCOUNT",
            )
        record = ConfigurationSet(
            name, self._arn("configuration-set", name), self.clock.now(), tags=list(tags or [])
        )
        self.configuration_sets[name] = record
        return record

    def describe_configuration_sets(
        self, names: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[ConfigurationSet]:
        records = (
            [self.configuration_set(n) for n in names]
            if names
            else list(self.configuration_sets.values())
        )
        return [r for r in records if matches_filters(r, filters)]

    def delete_configuration_set(self, ref: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        del self.configuration_sets[record.name]
        return record

    def set_default_sender_id(self, ref: str, sender_id: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        record.default_sender_id = sender_id
        return record

    def set_default_message_type(self, ref: str, message_type: str) -> ConfigurationSet:
        record = self.configuration_set(ref)
        record.default_message_type = message_type
        return record

    def _destination(
        self,
        name: str,
        matching: Iterable[str],
        cloudwatch_logs: dict[str, str] | None,
        firehose: dict[str, str] | None,
        sns_topic: dict[str, str] | None,
    ) -> EventDestination:
        matching = tuple(dict.fromkeys(matching))
        if "TEXT_SENT" in matching:
            raise ValidationError(
                "TEXT_SENT cannot be used as an event destination filter; use TEXT_ALL or the "
                "TEXT_* statuses",
                reason="INVALID_PARAMETER",
                field="MatchingEventTypes",
            )
        given = [d for d in (cloudwatch_logs, firehose, sns_topic) if d]
        if len(given) != 1:
            raise ValidationError(
                "give exactly one of CloudWatchLogsDestination, KinesisFirehoseDestination or "
                f"SnsDestination (got {len(given)})",
                reason="INVALID_PARAMETER" if given else "MISSING_PARAMETER",
                field="EventDestination",
            )
        return EventDestination(name, matching, True, cloudwatch_logs, firehose, sns_topic)

    def create_event_destination(
        self,
        configuration_set: str,
        name: str,
        matching: Iterable[str],
        *,
        cloudwatch_logs: dict[str, str] | None = None,
        firehose: dict[str, str] | None = None,
        sns_topic: dict[str, str] | None = None,
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        if name in record.destinations:
            raise ConflictError(
                f"event destination {name} already exists in {record.name}",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="event-destination",
                resource_id=name,
            )
        limit = sms.MAX_EVENT_DESTINATIONS_PER_CONFIGURATION_SET.value
        if len(record.destinations) >= limit:
            raise QuotaError(
                f"configuration set {record.name} already has {limit} event destinations",
                reason="EVENT_DESTINATIONS_PER_CONFIGURATION_SET",
            )
        destination = self._destination(name, matching, cloudwatch_logs, firehose, sns_topic)
        record.destinations[name] = destination
        return record, destination

    def update_event_destination(
        self,
        configuration_set: str,
        name: str,
        *,
        enabled: bool | None = None,
        matching: Iterable[str] | None = None,
        cloudwatch_logs: dict[str, str] | None = None,
        firehose: dict[str, str] | None = None,
        sns_topic: dict[str, str] | None = None,
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        old = record.destinations.get(name)
        if old is None:
            raise NotFoundError("event-destination", name)
        targets = (cloudwatch_logs, firehose, sns_topic)
        if not any(targets):
            targets = (old.cloudwatch_logs, old.firehose, old.sns)
        new = self._destination(name, matching or old.matching, *targets)
        record.destinations[name] = replace(
            new, enabled=old.enabled if enabled is None else enabled
        )
        return record, record.destinations[name]

    def delete_event_destination(
        self, configuration_set: str, name: str
    ) -> tuple[ConfigurationSet, EventDestination]:
        record = self.configuration_set(configuration_set)
        if name not in record.destinations:
            raise NotFoundError("event-destination", name)
        return record, record.destinations.pop(name)
