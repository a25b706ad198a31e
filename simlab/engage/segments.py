"""Segments: which endpoints a message goes to, evaluated over whole columns at once.

A segment is Pinpoint's ``WriteSegmentRequest``: either ``Dimensions`` (Attributes,
UserAttributes, Behavior, Demographic, Location, Metrics, all of which must hold) or
``SegmentGroups`` (groups of dimensions and base segments combined with ALL, ANY or NONE), or an
imported list of endpoint ids. ``evaluate`` returns a boolean mask over an ``EndpointStore``;
``count`` is what a widget shows live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from simlab.engage.endpoint_columns import ListColumn, parse_instant
from simlab.engage.endpoints import EndpointStore
from simlab.engage.faults import BadRequest, NotFound
from simlab.facts import pinpoint as facts

EARTH_RADIUS_KM = 6371.0088
#: Where each SegmentDemographics key is read from on an endpoint.
DEMOGRAPHIC_FIELDS = {
    "AppVersion": "Demographic.AppVersion",
    "Channel": "ChannelType",
    "DeviceType": "Demographic.Model",
    "Make": "Demographic.Make",
    "Model": "Demographic.Model",
    "Platform": "Demographic.Platform",
}
_OPERATORS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "GREATER_THAN": np.greater,
    "LESS_THAN": np.less,
    "GREATER_THAN_OR_EQUAL": np.greater_equal,
    "LESS_THAN_OR_EQUAL": np.less_equal,
    "EQUAL": np.equal,
}

#: Finds the mask of a base segment by id and version (None = latest).
Resolver = Callable[[str, int | None], np.ndarray]


@dataclass
class SegmentVersion:
    """One version of a segment as Pinpoint keeps it."""

    version: int
    name: str
    kind: str  # DIMENSIONAL or IMPORT
    dimensions: dict[str, Any] | None = None
    groups: dict[str, Any] | None = None
    endpoint_ids: frozenset[str] | None = None  # IMPORT segments
    import_definition: dict[str, Any] | None = None
    created: float = 0.0
    modified: float = 0.0
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Segment:
    """A segment and all its versions, newest last."""

    id: str
    versions: list[SegmentVersion]

    @property
    def latest(self) -> SegmentVersion:
        return self.versions[-1]

    def version(self, number: int | None) -> SegmentVersion:
        """Returns version ``number`` (the latest if None); NotFound naming it otherwise."""
        if number is None:
            return self.latest
        for candidate in self.versions:
            if candidate.version == number:
                return candidate
        raise NotFound(
            f"Segment {self.id!r} has no version {number} (it has 1..{self.latest.version})"
        )


# -- validation ----------------------------------------------------------------------------------


def validate(request: Mapping[str, Any]) -> None:
    """Checks a ``WriteSegmentRequest``; BadRequest naming the field and what is allowed."""
    if request.get("Dimensions") and request.get("SegmentGroups"):
        raise BadRequest(
            "a segment takes Dimensions or SegmentGroups, not both: "
            "give Dimensions for a simple segment or SegmentGroups to combine segments"
        )
    if request.get("Dimensions"):
        _check_dimensions(request["Dimensions"], "Dimensions")
    groups = request.get("SegmentGroups")
    if groups:
        _one_of(groups.get("Include"), facts.SEGMENT_GROUP_OPERATORS.value, "SegmentGroups.Include")
        listed = groups.get("Groups") or []
        if len(listed) > facts.MAX_SEGMENT_GROUPS.value:
            raise BadRequest(
                f"SegmentGroups.Groups has {len(listed)} groups; at most "
                f"{facts.MAX_SEGMENT_GROUPS.value} is allowed"
            )
        for g, group in enumerate(listed):
            where = f"SegmentGroups.Groups[{g}]"
            _one_of(group.get("Type"), facts.SEGMENT_GROUP_OPERATORS.value, f"{where}.Type")
            _one_of(
                group.get("SourceType"), facts.SEGMENT_GROUP_OPERATORS.value, f"{where}.SourceType"
            )
            for d, dimensions in enumerate(group.get("Dimensions") or []):
                _check_dimensions(dimensions, f"{where}.Dimensions[{d}]")


def _check_dimensions(dimensions: Mapping[str, Any], where: str) -> None:
    unknown = set(dimensions) - set(facts.SEGMENT_DIMENSIONS.value)
    if unknown:
        raise BadRequest(
            f"{where} has unknown dimensions {sorted(unknown)}; allowed: "
            f"{', '.join(facts.SEGMENT_DIMENSIONS.value)}"
        )
    count = _count_dimensions(dimensions)
    if count > facts.MAX_DIMENSIONS_PER_SEGMENT.value:
        raise BadRequest(
            f"{where} has {count} dimensions; at most {facts.MAX_DIMENSIONS_PER_SEGMENT.value}"
        )
    for kind in ("Attributes", "UserAttributes"):
        for name, dimension in (dimensions.get(kind) or {}).items():
            here = f"{where}.{kind}.{name}"
            kind_of = dimension.get("AttributeType") or "INCLUSIVE"
            _one_of(kind_of, facts.ATTRIBUTE_TYPES.value, f"{here}.AttributeType")
            values = dimension.get("Values") or []
            if kind_of in ("BEFORE", "AFTER", "ON", "BETWEEN"):
                needed = 2 if kind_of == "BETWEEN" else 1
                if len(values) != needed:
                    raise BadRequest(
                        f"{here}: {kind_of} takes exactly {needed} ISO 8601 value(s), "
                        f"got {len(values)}"
                    )
                for value in values:
                    parse_instant(value, f"{here}.Values")
    for name, dimension in (dimensions.get("Metrics") or {}).items():
        _one_of(
            dimension.get("ComparisonOperator"),
            facts.METRIC_OPERATORS.value,
            f"{where}.Metrics.{name}.ComparisonOperator",
            required=True,
        )
    for key, dimension in (dimensions.get("Demographic") or {}).items():
        if key not in DEMOGRAPHIC_FIELDS:
            raise BadRequest(
                f"{where}.Demographic.{key} is unknown; allowed: {', '.join(DEMOGRAPHIC_FIELDS)}"
            )
        _check_set(dimension, f"{where}.Demographic.{key}")
    location = dimensions.get("Location") or {}
    if location.get("Country"):
        _check_set(location["Country"], f"{where}.Location.Country")
    point = location.get("GPSPoint")
    if point:
        coordinates = point.get("Coordinates") or {}
        for key, bound in (("Latitude", 90.0), ("Longitude", 180.0)):
            value = coordinates.get(key)
            if value is None or not -bound <= float(value) <= bound:
                raise BadRequest(
                    f"{where}.Location.GPSPoint.Coordinates.{key} must be within ±{bound:g}, "
                    f"got {value}"
                )
        if float(point.get("RangeInKilometers", 0) or 0) < 0:
            raise BadRequest(f"{where}.Location.GPSPoint.RangeInKilometers must not be negative")
    recency = (dimensions.get("Behavior") or {}).get("Recency")
    if recency:
        _one_of(
            recency.get("Duration"),
            facts.RECENCY_DURATIONS.value,
            f"{where}.Behavior.Recency.Duration",
            required=True,
        )
        _one_of(
            recency.get("RecencyType"),
            facts.RECENCY_TYPES.value,
            f"{where}.Behavior.Recency.RecencyType",
            required=True,
        )


def _check_set(dimension: Mapping[str, Any], where: str) -> None:
    _one_of(dimension.get("DimensionType"), facts.DIMENSION_TYPES.value, f"{where}.DimensionType")


def _one_of(value: Any, allowed: Sequence[str], where: str, *, required: bool = False) -> None:
    if (value is None and required) or (value is not None and value not in allowed):
        raise BadRequest(f"{where} must be one of {', '.join(allowed)}, got {value!r}")


def _count_dimensions(dimensions: Mapping[str, Any]) -> int:
    total = 0
    for kind in ("Attributes", "UserAttributes", "Metrics"):
        total += len(dimensions.get(kind) or {})
    total += len(dimensions.get("Demographic") or {})
    total += len(dimensions.get("Location") or {})
    total += 1 if (dimensions.get("Behavior") or {}).get("Recency") else 0
    return total


# -- evaluation ----------------------------------------------------------------------------------


def evaluate_dimensions(
    store: EndpointStore, dimensions: Mapping[str, Any], now: float
) -> np.ndarray:
    """True for every live endpoint that meets every dimension."""
    size = store.size
    mask = store.alive[:size].copy()
    for name, dimension in (dimensions.get("Attributes") or {}).items():
        mask &= _attribute(store.attributes.get(name), dimension, size)
    for name, dimension in (dimensions.get("UserAttributes") or {}).items():
        mask &= _attribute(store.user_attributes.get(name), dimension, size)
    for name, dimension in (dimensions.get("Metrics") or {}).items():
        column = store.metrics.get(name)
        if column is None:
            mask[:] = False
            continue
        operator = _OPERATORS[dimension["ComparisonOperator"]]
        with np.errstate(invalid="ignore"):
            mask &= operator(column[:size], float(dimension["Value"]))
    for key, dimension in (dimensions.get("Demographic") or {}).items():
        mask &= _set(store, DEMOGRAPHIC_FIELDS[key], dimension, size)
    location = dimensions.get("Location") or {}
    if location.get("Country"):
        mask &= _set(store, "Location.Country", location["Country"], size)
    if location.get("GPSPoint"):
        mask &= _within(store, location["GPSPoint"], size)
    recency = (dimensions.get("Behavior") or {}).get("Recency")
    if recency:
        hours = facts.RECENCY_DURATION_HOURS.value[recency["Duration"]]
        last = store.numbers["LastActive"][:size]
        with np.errstate(invalid="ignore"):
            active = last >= now - hours * 3600
        mask &= active if recency["RecencyType"] == "ACTIVE" else ~active
    return mask


def _set(
    store: EndpointStore, field_name: str, dimension: Mapping[str, Any], size: int
) -> np.ndarray:
    hit = store.text[field_name].matches(size, dimension.get("Values") or [])
    return ~hit if dimension.get("DimensionType") == "EXCLUSIVE" else hit


def _attribute(column: ListColumn | None, dimension: Mapping[str, Any], size: int) -> np.ndarray:
    kind = dimension.get("AttributeType") or "INCLUSIVE"
    values = [str(v) for v in dimension.get("Values") or []]
    if column is None:
        return np.full(size, kind == "EXCLUSIVE")
    labels = column.view()[2]
    if kind in ("INCLUSIVE", "EXCLUSIVE"):
        wanted = set(values)
        test = np.array([label in wanted for label in labels], dtype=bool)
    elif kind == "CONTAINS":
        test = np.array([any(v in label for v in values) for label in labels], dtype=bool)
    else:
        instants = np.array([_instant_or_nan(label) for label in labels], dtype=float)
        bounds = [parse_instant(v, "Values") for v in values]
        with np.errstate(invalid="ignore"):
            if kind == "BEFORE":
                test = instants < bounds[0]
            elif kind == "AFTER":
                test = instants > bounds[0]
            elif kind == "ON":
                day = datetime.fromtimestamp(bounds[0], UTC).date()
                start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
                test = (instants >= start) & (instants < start + 86400)
            else:
                low, high = sorted(bounds)
                test = (instants >= low) & (instants <= high)
    hit = column.rows_where(size, test)
    return ~hit if kind == "EXCLUSIVE" else hit


def _instant_or_nan(text: str) -> float:
    try:
        return parse_instant(text, "value")
    except BadRequest:
        return float("nan")


def _within(store: EndpointStore, point: Mapping[str, Any], size: int) -> np.ndarray:
    coordinates = point["Coordinates"]
    lat0, lon0 = (
        np.radians(float(coordinates["Latitude"])),
        np.radians(float(coordinates["Longitude"])),
    )
    lat = np.radians(store.numbers["Location.Latitude"][:size])
    lon = np.radians(store.numbers["Location.Longitude"][:size])
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    with np.errstate(invalid="ignore"):
        within: np.ndarray = distance <= float(point.get("RangeInKilometers") or 0)
    return within


def _combine(masks: list[np.ndarray], how: str, everyone: np.ndarray) -> np.ndarray:
    if not masks:
        return everyone.copy()
    # ufunc.reduce is typed Any; over boolean masks it is a boolean mask
    combined: np.ndarray
    if how == "ANY":
        combined = np.logical_or.reduce(masks) & everyone
    elif how == "NONE":
        combined = ~np.logical_or.reduce(masks) & everyone
    else:
        combined = np.logical_and.reduce(masks) & everyone
    return combined


def evaluate_groups(
    store: EndpointStore, groups: Mapping[str, Any], now: float, resolve: Resolver | None = None
) -> np.ndarray:
    """True for every live endpoint a ``SegmentGroupList`` selects."""
    everyone = store.alive[: store.size]
    results = []
    for group in groups.get("Groups") or []:
        bases = []
        for reference in group.get("SourceSegments") or []:
            if resolve is None:
                raise BadRequest("SourceSegments need segments to refer to")
            bases.append(resolve(reference["Id"], reference.get("Version")))
        base = _combine(bases, group.get("SourceType") or "ANY", everyone)
        dims = [evaluate_dimensions(store, d, now) for d in group.get("Dimensions") or []]
        results.append(base & _combine(dims, group.get("Type") or "ALL", everyone))
    return _combine(results, groups.get("Include") or "ALL", everyone)


def evaluate(
    store: EndpointStore,
    segment: SegmentVersion | Mapping[str, Any],
    now: float,
    resolve: Resolver | None = None,
) -> np.ndarray:
    """Boolean mask of the endpoints in a segment version or a ``WriteSegmentRequest``."""
    if isinstance(segment, SegmentVersion):
        if segment.endpoint_ids is not None:
            mask = np.zeros(store.size, dtype=bool)
            rows = [store.index[i] for i in segment.endpoint_ids if i in store.index]
            mask[rows] = True
            return mask
        request: Mapping[str, Any] = {
            "Dimensions": segment.dimensions,
            "SegmentGroups": segment.groups,
        }
    else:
        request = segment
        validate(request)
    if request.get("SegmentGroups"):
        return evaluate_groups(store, request["SegmentGroups"], now, resolve)
    return evaluate_dimensions(store, request.get("Dimensions") or {}, now)


def count(
    store: EndpointStore,
    segment: SegmentVersion | Mapping[str, Any],
    now: float,
    resolve: Resolver | None = None,
) -> int:
    """How many endpoints a segment holds right now."""
    return int(evaluate(store, segment, now, resolve).sum())


def channel_counts(store: EndpointStore, mask: np.ndarray) -> dict[str, int]:
    """Endpoints in ``mask`` by ChannelType."""
    column = store.text["ChannelType"]
    codes = column.upto(store.size)[mask[: store.size] & store.alive[: store.size]]
    found = np.bincount(codes[codes >= 0], minlength=len(column.labels))
    return {column.labels[i]: int(n) for i, n in enumerate(found) if n}
