"""Configuration-set event destinations, in both APIs' shapes, and publishing records to them.

Records reach SNS topics and Firehose streams through ``simlab.aws.delivery``, the EventBridge
default bus as ``aws.ses`` events (whose rules route them on, e.g. to CloudWatch Logs), and
CloudWatch as metrics in the ``AWS/SES`` namespace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.backends import get_backend

from simlab.aws.delivery import DeliveryError, deliver
from simlab.aws.services.ses import records
from simlab.facts import ses as facts

#: SES v1 EventType values and the v2 EventType each is.
V1_EVENT_TYPES = {
    "send": "SEND",
    "reject": "REJECT",
    "bounce": "BOUNCE",
    "complaint": "COMPLAINT",
    "delivery": "DELIVERY",
    "open": "OPEN",
    "click": "CLICK",
    "renderingFailure": "RENDERING_FAILURE",
}
V2_EVENT_TYPES: tuple[str, ...] = facts.EVENT_TYPES.value
V1_DIMENSION_SOURCES = {
    "messageTag": "MESSAGE_TAG",
    "emailHeader": "EMAIL_HEADER",
    "linkTag": "LINK_TAG",
}
V2_DIMENSION_SOURCES = tuple(V1_DIMENSION_SOURCES.values())


class InvalidDestination(ValueError):
    """An event destination SES would not accept; ``kind`` names the destination type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class EventDestination:
    """One event destination of a configuration set (v2 names internally)."""

    name: str
    matching: list[str]
    enabled: bool = False
    sns_topic_arn: str | None = None
    firehose_stream_arn: str | None = None
    firehose_role_arn: str | None = None
    event_bus_arn: str | None = None
    cloudwatch_dimensions: list[dict[str, str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # -- SES v1 shape ---------------------------------------------------------------------

    @classmethod
    def from_v1(cls, data: dict[str, Any]) -> EventDestination:
        """Reads a v1 ``EventDestination``; raises InvalidDestination or ValueError."""
        name = data.get("Name") or ""
        if not name:
            raise ValueError("EventDestination.Name is required")
        types = data.get("MatchingEventTypes") or []
        if not types:
            raise ValueError("EventDestination.MatchingEventTypes must name at least one type")
        unknown = [t for t in types if t not in V1_EVENT_TYPES]
        if unknown:
            raise ValueError(
                f"EventDestination.MatchingEventTypes has {unknown}; allowed: "
                f"{', '.join(V1_EVENT_TYPES)}"
            )
        sns = data.get("SNSDestination")
        firehose = data.get("KinesisFirehoseDestination")
        cloudwatch = data.get("CloudWatchDestination")
        destination = cls(
            name=name,
            matching=[V1_EVENT_TYPES[t] for t in types],
            enabled=_as_bool(data.get("Enabled", False)),
            sns_topic_arn=(sns or {}).get("TopicARN"),
            firehose_stream_arn=(firehose or {}).get("DeliveryStreamARN"),
            firehose_role_arn=(firehose or {}).get("IAMRoleARN"),
            cloudwatch_dimensions=_dimensions(cloudwatch, V1_DIMENSION_SOURCES)
            if cloudwatch is not None
            else None,
        )
        destination._check_one(
            ("SNSDestination", "KinesisFirehoseDestination", "CloudWatchDestination")
        )
        return destination

    def to_v1(self) -> dict[str, Any]:
        """The v1 ``EventDestination`` shape."""
        reverse = {v2: v1 for v1, v2 in V1_EVENT_TYPES.items()}
        shape: dict[str, Any] = {
            "Name": self.name,
            "Enabled": self.enabled,
            "MatchingEventTypes": [reverse[t] for t in self.matching if t in reverse],
        }
        if self.sns_topic_arn:
            shape["SNSDestination"] = {"TopicARN": self.sns_topic_arn}
        if self.firehose_stream_arn:
            shape["KinesisFirehoseDestination"] = {
                "IAMRoleARN": self.firehose_role_arn,
                "DeliveryStreamARN": self.firehose_stream_arn,
            }
        if self.cloudwatch_dimensions is not None:
            sources = {v2: v1 for v1, v2 in V1_DIMENSION_SOURCES.items()}
            shape["CloudWatchDestination"] = {
                "DimensionConfigurations": [
                    {**d, "DimensionValueSource": sources[d["DimensionValueSource"]]}
                    for d in self.cloudwatch_dimensions
                ]
            }
        return shape

    # -- SES v2 shape ---------------------------------------------------------------------

    @classmethod
    def from_v2(cls, name: str, data: dict[str, Any]) -> EventDestination:
        """Reads a v2 ``EventDestinationDefinition``; raises InvalidDestination or ValueError."""
        types = data.get("MatchingEventTypes") or []
        if not types:
            raise ValueError("EventDestination.MatchingEventTypes must name at least one type")
        unknown = [t for t in types if t not in V2_EVENT_TYPES]
        if unknown:
            raise ValueError(
                f"EventDestination.MatchingEventTypes has {unknown}; allowed: "
                f"{', '.join(V2_EVENT_TYPES)}"
            )
        if data.get("PinpointDestination"):
            raise ValueError(
                "PinpointDestination is not emulated by simlab yet; use SnsDestination, "
                "KinesisFirehoseDestination, EventBridgeDestination or CloudWatchDestination"
            )
        firehose = data.get("KinesisFirehoseDestination")
        cloudwatch = data.get("CloudWatchDestination")
        destination = cls(
            name=name,
            matching=list(types),
            enabled=_as_bool(data.get("Enabled", False)),
            sns_topic_arn=(data.get("SnsDestination") or {}).get("TopicArn"),
            firehose_stream_arn=(firehose or {}).get("DeliveryStreamArn"),
            firehose_role_arn=(firehose or {}).get("IamRoleArn"),
            event_bus_arn=(data.get("EventBridgeDestination") or {}).get("EventBusArn"),
            cloudwatch_dimensions=_dimensions(cloudwatch, {s: s for s in V2_DIMENSION_SOURCES})
            if cloudwatch is not None
            else None,
        )
        destination._check_one(
            (
                "SnsDestination",
                "KinesisFirehoseDestination",
                "EventBridgeDestination",
                "CloudWatchDestination",
            )
        )
        return destination

    def to_v2(self) -> dict[str, Any]:
        """The v2 ``EventDestination`` shape."""
        shape: dict[str, Any] = {
            "Name": self.name,
            "Enabled": self.enabled,
            "MatchingEventTypes": list(self.matching),
        }
        if self.sns_topic_arn:
            shape["SnsDestination"] = {"TopicArn": self.sns_topic_arn}
        if self.firehose_stream_arn:
            shape["KinesisFirehoseDestination"] = {
                "IamRoleArn": self.firehose_role_arn,
                "DeliveryStreamArn": self.firehose_stream_arn,
            }
        if self.event_bus_arn:
            shape["EventBridgeDestination"] = {"EventBusArn": self.event_bus_arn}
        if self.cloudwatch_dimensions is not None:
            shape["CloudWatchDestination"] = {"DimensionConfigurations": self.cloudwatch_dimensions}
        return shape

    # -- checks ---------------------------------------------------------------------------

    def _check_one(self, names: tuple[str, ...]) -> None:
        given = [
            self.sns_topic_arn,
            self.firehose_stream_arn,
            self.event_bus_arn,
            self.cloudwatch_dimensions,
        ]
        if sum(value is not None for value in given) != 1:
            raise ValueError(f"an event destination needs exactly one of {', '.join(names)}")

    def check_targets(self, account_id: str, region: str) -> None:
        """Raises InvalidDestination if the topic, stream or bus does not exist."""
        if self.sns_topic_arn:
            topics = get_backend("sns")[account_id][region].topics
            if self.sns_topic_arn not in topics:
                raise InvalidDestination("SNS", f"SNS topic <{self.sns_topic_arn}> not found.")
        if self.firehose_stream_arn:
            name = self.firehose_stream_arn.rpartition("/")[2]
            streams = get_backend("firehose")[account_id][region].delivery_streams
            if ":firehose:" not in self.firehose_stream_arn or name not in streams:
                raise InvalidDestination(
                    "Firehose", f"Firehose delivery stream <{self.firehose_stream_arn}> not found."
                )
        if self.event_bus_arn and not self.event_bus_arn.endswith(":event-bus/default"):
            raise InvalidDestination(
                "EventBridge",
                f"EventBusArn <{self.event_bus_arn}> is not the default event bus; "
                "SES publishes only to the default bus",
            )

    def matches(self, event_type: str) -> bool:
        """True if this destination is enabled and receives records of ``event_type``."""
        return self.enabled and records.EVENT_TYPES.get(event_type, "") in self.matching


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


def _dimensions(cloudwatch: dict[str, Any], sources: dict[str, str]) -> list[dict[str, str]]:
    configurations = cloudwatch.get("DimensionConfigurations") or []
    if not configurations:
        raise ValueError("CloudWatchDestination.DimensionConfigurations must not be empty")
    result = []
    for item in configurations:
        source = item.get("DimensionValueSource")
        if source not in sources:
            raise InvalidDestination(
                "CloudWatch",
                f"DimensionValueSource {source!r} is not one of {', '.join(sources)}",
            )
        if not item.get("DimensionName") or not item.get("DefaultDimensionValue"):
            raise InvalidDestination(
                "CloudWatch", "DimensionName and DefaultDimensionValue are required"
            )
        result.append(
            {
                "DimensionName": item["DimensionName"],
                "DimensionValueSource": sources[source],
                "DefaultDimensionValue": item["DefaultDimensionValue"],
            }
        )
    return result


# -- publishing ---------------------------------------------------------------------------------


def publish(
    destination: EventDestination,
    record: dict[str, Any],
    email: records.SentEmail,
    account_id: str,
    region: str,
    now: datetime,
) -> None:
    """Sends ``record`` to ``destination``; raises DeliveryError if the target is gone."""
    event_type = record["eventType"]
    if destination.sns_topic_arn:
        deliver(destination.sns_topic_arn, record)
    elif destination.firehose_stream_arn:
        deliver(destination.firehose_stream_arn, record)
    elif destination.event_bus_arn:
        _to_eventbridge(destination.event_bus_arn, record, account_id, region)
    elif destination.cloudwatch_dimensions is not None:
        _to_cloudwatch(
            destination.cloudwatch_dimensions, event_type, email, account_id, region, now
        )


def _to_eventbridge(bus_arn: str, record: dict[str, Any], account_id: str, region: str) -> None:
    backend = get_backend("events")[account_id][region]
    entries = backend.put_events(
        [
            {
                "Source": "aws.ses",
                "DetailType": records.DETAIL_TYPES[record["eventType"]],
                "Detail": json.dumps(record),
                "EventBusName": bus_arn,
                "Resources": [],
            }
        ]
    )
    if entries and "ErrorCode" in entries[0]:
        raise DeliveryError(f"EventBridge refused the event: {entries[0]['ErrorMessage']}")


def _to_cloudwatch(
    dimensions: list[dict[str, str]],
    event_type: str,
    email: records.SentEmail,
    account_id: str,
    region: str,
    now: datetime,
) -> None:
    headers = {h["name"]: h["value"] for h in email.headers()}
    values = []
    for item in dimensions:
        name, source = item["DimensionName"], item["DimensionValueSource"]
        value = {"MESSAGE_TAG": email.tags, "EMAIL_HEADER": headers}.get(source, {}).get(name)
        values.append({"Name": name, "Value": value or item["DefaultDimensionValue"]})
    backend = get_backend("cloudwatch")[account_id][region]
    backend.put_metric_data(
        "AWS/SES",
        [
            {
                "MetricName": event_type.replace(" ", ""),
                "Value": 1.0,
                "Unit": "Count",
                "Timestamp": now,
                "Dimensions": values,
            }
        ],
    )
