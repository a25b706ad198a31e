"""An app's audience: its endpoints, its segments (with versions) and the events its apps report.

``Audience`` is the engine behind one Pinpoint project. It knows nothing of HTTP or boto3: time
comes in as Unix seconds, ids from the ``new_id`` it is given, and app events reach whoever
subscribed with ``on_event`` (event streams now, event-triggered campaigns later).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from simlab.engage import segments as seg
from simlab.engage.endpoint_columns import iso, parse_instant
from simlab.engage.endpoints import EndpointStore
from simlab.engage.faults import BadRequest, EngageError, NotFound
from simlab.facts import pinpoint as facts

#: Receives (endpoint id, the Event as sent, the endpoint as stored or None) for each event.
EventListener = Callable[[str, Mapping[str, Any], Mapping[str, Any] | None], None]


class Audience:
    """Endpoints, segments and app events of one project."""

    def __init__(self, new_id: Callable[[], str]) -> None:
        self.endpoints = EndpointStore()
        self.segments: dict[str, seg.Segment] = {}
        self.listeners: list[EventListener] = []
        self._new_id = new_id

    # -- segments --------------------------------------------------------------------------

    def create_segment(self, request: Mapping[str, Any], now: float) -> seg.Segment:
        """Creates a dimensional segment from a ``WriteSegmentRequest``."""
        seg.validate(request)
        self._check_sources(request)
        segment = seg.Segment(self._new_id(), [self._version(1, request, now, now)])
        self.segments[segment.id] = segment
        return segment

    def update_segment(
        self, segment_id: str, request: Mapping[str, Any], now: float
    ) -> seg.Segment:
        """Adds a new version: the request's fields replace the latest version's."""
        segment = self.segment(segment_id)
        seg.validate(request)
        self._check_sources(request, segment_id)
        latest = segment.latest
        if latest.kind == "IMPORT" and (request.get("Dimensions") or request.get("SegmentGroups")):
            raise BadRequest("an imported segment cannot take Dimensions or SegmentGroups")
        merged = {
            "Name": request.get("Name", latest.name),
            "tags": request.get("tags", latest.tags),
        }
        if request.get("Dimensions") or request.get("SegmentGroups"):
            merged["Dimensions"] = request.get("Dimensions")
            merged["SegmentGroups"] = request.get("SegmentGroups")
        else:
            merged["Dimensions"], merged["SegmentGroups"] = latest.dimensions, latest.groups
        version = self._version(latest.version + 1, merged, latest.created, now)
        version.kind, version.endpoint_ids = latest.kind, latest.endpoint_ids
        version.import_definition = latest.import_definition
        segment.versions.append(version)
        return segment

    def import_segment(
        self,
        endpoint_ids: list[str],
        name: str,
        definition: Mapping[str, Any],
        now: float,
        segment_id: str | None = None,
    ) -> seg.Segment:
        """Creates an IMPORT segment (or a new version of ``segment_id``) from endpoint ids."""
        if segment_id is not None:
            segment = self.segment(segment_id)
            number, created = segment.latest.version + 1, segment.latest.created
        else:
            segment = seg.Segment(self._new_id(), [])
            number, created = 1, now
        version = seg.SegmentVersion(
            version=number,
            name=name,
            kind="IMPORT",
            endpoint_ids=frozenset(endpoint_ids),
            import_definition=dict(definition),
            created=created,
            modified=now,
        )
        segment.versions.append(version)
        self.segments[segment.id] = segment
        return segment

    def delete_segment(self, segment_id: str) -> seg.Segment:
        """Deletes a segment and returns it."""
        segment = self.segment(segment_id)
        return self.segments.pop(segment.id)

    def segment(self, segment_id: str) -> seg.Segment:
        """Returns a segment; NotFound naming it otherwise."""
        if segment_id not in self.segments:
            raise NotFound(f"Segment {segment_id!r} not found")
        return self.segments[segment_id]

    def members(
        self, segment_id: str | Mapping[str, Any], now: float, version: int | None = None
    ) -> np.ndarray:
        """Boolean mask of a segment (by id, or a ``WriteSegmentRequest``) over the endpoints."""
        if isinstance(segment_id, str):
            target: Any = self.segment(segment_id).version(version)
        else:
            target = segment_id
            self._check_sources(target)
        return seg.evaluate(self.endpoints, target, now, self._resolver(now))

    def count(self, segment: str | Mapping[str, Any], now: float) -> int:
        """How many endpoints a segment holds now."""
        return int(self.members(segment, now).sum())

    def segment_json(
        self, version: seg.SegmentVersion, segment_id: str, now: float
    ) -> dict[str, Any]:
        """A ``SegmentResponse`` without ApplicationId and Arn."""
        data: dict[str, Any] = {
            "Id": segment_id,
            "Name": version.name,
            "SegmentType": version.kind,
            "Version": version.version,
            "CreationDate": iso(version.created),
            "LastModifiedDate": iso(version.modified),
        }
        if version.dimensions:
            data["Dimensions"] = version.dimensions
        if version.groups:
            data["SegmentGroups"] = version.groups
        if version.import_definition is not None:
            counts = seg.channel_counts(
                self.endpoints, self.members(segment_id, now, version.version)
            )
            data["ImportDefinition"] = {**version.import_definition, "ChannelCounts": counts}
        if version.tags:
            data["tags"] = dict(version.tags)
        return data

    def _version(
        self, number: int, request: Mapping[str, Any], created: float, now: float
    ) -> seg.SegmentVersion:
        return seg.SegmentVersion(
            version=number,
            name=request.get("Name") or "",
            kind="DIMENSIONAL",
            dimensions=request.get("Dimensions") or None,
            groups=request.get("SegmentGroups") or None,
            created=created,
            modified=now,
            tags=dict(request.get("tags") or {}),
        )

    def _check_sources(self, request: Mapping[str, Any], own: str | None = None) -> None:
        for group in (request.get("SegmentGroups") or {}).get("Groups") or []:
            for reference in group.get("SourceSegments") or []:
                if reference.get("Id") == own:
                    raise BadRequest(f"segment {own!r} cannot be its own SourceSegment")
                self.segment(reference["Id"]).version(reference.get("Version"))

    def _resolver(self, now: float) -> seg.Resolver:
        def resolve(segment_id: str, version: int | None) -> np.ndarray:
            target = self.segment(segment_id).version(version)
            return seg.evaluate(self.endpoints, target, now, resolve)

        return resolve

    # -- events ----------------------------------------------------------------------------

    def put_events(self, batch: Mapping[str, Any], now: float) -> dict[str, Any]:
        """Records a ``MapOfEventsBatch``; returns ``Results`` (202 or 400 per item)."""
        total = sum(len((item or {}).get("Events") or {}) for item in batch.values())
        if total > facts.PUT_EVENTS_MAX_EVENTS.value:
            raise BadRequest(
                f"EventsRequest.BatchItem holds {total} events; at most "
                f"{facts.PUT_EVENTS_MAX_EVENTS.value} are allowed per request"
            )
        results: dict[str, Any] = {}
        for endpoint_id, item in batch.items():
            item = item or {}
            endpoint_answer = self._register(endpoint_id, item.get("Endpoint") or {}, now)
            answers = {}
            for event_id, event in (item.get("Events") or {}).items():
                answers[event_id] = self._record(endpoint_id, event or {})
            results[endpoint_id] = {
                "EndpointItemResponse": endpoint_answer,
                "EventsItemResponse": answers,
            }
        return results

    def _register(
        self, endpoint_id: str, endpoint: Mapping[str, Any], now: float
    ) -> dict[str, Any]:
        if not endpoint and endpoint_id in self.endpoints:
            return {"Message": "Accepted", "StatusCode": 202}
        try:
            self.endpoints.upsert(endpoint_id, endpoint, now)
        except EngageError as error:
            return {"Message": error.message, "StatusCode": 400}
        return {"Message": "Accepted", "StatusCode": 202}

    def _record(self, endpoint_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
        try:
            when = self._check_event(event)
        except BadRequest as error:
            return {"Message": error.message, "StatusCode": 400}
        if event["EventType"].startswith("_session.") or event.get("Session"):
            self.endpoints.touch(endpoint_id, when)
        stored = self.endpoints.get(endpoint_id) if endpoint_id in self.endpoints else None
        for listener in list(self.listeners):
            listener(endpoint_id, event, stored)
        return {"Message": "Accepted", "StatusCode": 202}

    @staticmethod
    def _check_event(event: Mapping[str, Any]) -> float:
        if not event.get("EventType"):
            raise BadRequest("Event.EventType is required")
        if not event.get("Timestamp"):
            raise BadRequest("Event.Timestamp is required (ISO 8601)")
        when = parse_instant(event["Timestamp"], "Event.Timestamp")
        attributes = event.get("Attributes") or {}
        keys = len(attributes) + len(event.get("Metrics") or {})
        if keys > facts.PUT_EVENTS_MAX_KEYS_PER_EVENT.value:
            raise BadRequest(
                f"the event has {keys} Attributes and Metrics keys; at most "
                f"{facts.PUT_EVENTS_MAX_KEYS_PER_EVENT.value} are allowed"
            )
        limit = facts.PUT_EVENTS_MAX_ATTRIBUTE_VALUE_CHARS.value
        for name, value in attributes.items():
            if len(str(value)) > limit:
                raise BadRequest(f"Event.Attributes.{name} is longer than {limit} characters")
        session = event.get("Session")
        if session is not None and not (session.get("Id") and session.get("StartTimestamp")):
            raise BadRequest("Event.Session needs Id and StartTimestamp")
        return when

    def on_event(self, listener: EventListener) -> None:
        """Calls ``listener`` for every accepted app event (streams, event-triggered sends)."""
        self.listeners.append(listener)
