"""Event filters (``EventDimensions``) and stream time: what triggers a campaign or journey."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any


def _set_matches(dimension: Mapping[str, Any] | None, value: str) -> bool:
    if not dimension:
        return True
    values = list(dimension.get("Values", ()))
    inside = value in values
    return not inside if dimension.get("DimensionType") == "EXCLUSIVE" else inside


def _attribute_matches(dimension: Mapping[str, Any], value: str | None) -> bool:
    values = [str(v) for v in dimension.get("Values", ())]
    kind = dimension.get("AttributeType", "INCLUSIVE")
    if kind == "EXCLUSIVE":
        return value is None or value not in values
    if value is None:
        return False
    if kind == "CONTAINS":
        return any(v in value for v in values)
    if kind in ("BEFORE", "AFTER", "ON", "BETWEEN"):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            bounds = [datetime.fromisoformat(v.replace("Z", "+00:00")) for v in values]
        except ValueError:
            return False
        if kind == "BEFORE":
            return moment < bounds[0]
        if kind == "AFTER":
            return moment > bounds[0]
        if kind == "ON":
            return moment.date() == bounds[0].date()
        return len(bounds) >= 2 and bounds[0] <= moment <= bounds[1]
    return value in values


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GREATER_THAN": lambda a, b: a > b,
    "LESS_THAN": lambda a, b: a < b,
    "GREATER_THAN_OR_EQUAL": lambda a, b: a >= b,
    "LESS_THAN_OR_EQUAL": lambda a, b: a <= b,
    "EQUAL": lambda a, b: a == b,
}


def event_matches(dimensions: Mapping[str, Any] | None, event: Mapping[str, Any]) -> bool:
    """True when a PutEvents ``Event`` meets ``EventDimensions`` (type, attributes, metrics)."""
    dimensions = dimensions or {}
    if not _set_matches(dimensions.get("EventType"), str(event.get("EventType", ""))):
        return False
    attributes = event.get("Attributes") or {}
    for name, dimension in (dimensions.get("Attributes") or {}).items():
        if not _attribute_matches(dimension, attributes.get(name)):
            return False
    metrics = event.get("Metrics") or {}
    for name, dimension in (dimensions.get("Metrics") or {}).items():
        if name not in metrics:
            return False
        compare = _COMPARE.get(dimension.get("ComparisonOperator", "EQUAL"), _COMPARE["EQUAL"])
        if not compare(float(metrics[name]), float(dimension.get("Value", 0))):
            return False
    return True


def millis(at: datetime) -> int:
    """Unix milliseconds of ``at``, as stream records carry time."""
    return round(at.timestamp() * 1000)
