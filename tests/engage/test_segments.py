"""Segments select endpoints by every documented dimension, over whole columns at once."""

from __future__ import annotations

import pytest

from simlab.engage import segments
from simlab.engage.audience import Audience
from simlab.engage.endpoints import EndpointStore
from simlab.engage.faults import BadRequest, NotFound

NOW = 1_767_603_600.0  # 2026-01-05T09:00:00Z
DAY = 86_400.0


@pytest.fixture
def store() -> EndpointStore:
    store = EndpointStore()
    people = [
        (
            "ana",
            "EMAIL",
            "ios",
            "US",
            47.61,
            -122.33,
            {"plan": ["gold"], "signup": ["2025-12-01T00:00:00Z"]},
            5,
        ),
        (
            "bao",
            "SMS",
            "android",
            "VN",
            10.82,
            106.63,
            {"plan": ["silver"], "signup": ["2026-01-02T10:00:00Z"]},
            1,
        ),
        (
            "cam",
            "APNS",
            "ios",
            "CA",
            49.28,
            -123.12,
            {"plan": ["gold", "beta"], "signup": ["2026-01-02T23:00:00Z"]},
            12,
        ),
        ("dan", "EMAIL", "web", "US", 40.71, -74.01, {}, None),
    ]
    for name, channel, platform, country, lat, lon, attributes, visits in people:
        request = {
            "ChannelType": channel,
            "Address": f"{name}-address",
            "Demographic": {"Platform": platform, "Make": "acme"},
            "Location": {"Country": country, "Latitude": lat, "Longitude": lon},
            "Attributes": attributes,
            "User": {
                "UserId": name,
                "UserAttributes": {"Tier": ["vip" if visits and visits > 4 else "std"]},
            },
        }
        if visits is not None:
            request["Metrics"] = {"visits": visits}
        store.upsert(name, request, NOW)
    return store


def members(store: EndpointStore, dimensions: dict, now: float = NOW) -> list[str]:
    mask = segments.evaluate(store, {"Dimensions": dimensions}, now)
    return sorted(store.ids[r] for r in store.rows(mask))


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ({"AttributeType": "INCLUSIVE", "Values": ["gold"]}, ["ana", "cam"]),
        ({"AttributeType": "EXCLUSIVE", "Values": ["gold"]}, ["bao", "dan"]),
        ({"AttributeType": "CONTAINS", "Values": ["ilv"]}, ["bao"]),
    ],
)
def test_attribute_dimensions(store: EndpointStore, dimension: dict, expected: list[str]) -> None:
    assert members(store, {"Attributes": {"plan": dimension}}) == expected


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("BEFORE", ["2026-01-01T00:00:00Z"], ["ana"]),
        ("AFTER", ["2026-01-02T12:00:00Z"], ["cam"]),
        ("ON", ["2026-01-02T08:00:00Z"], ["bao", "cam"]),
        ("BETWEEN", ["2025-11-30T00:00:00Z", "2026-01-02T11:00:00Z"], ["ana", "bao"]),
    ],
)
def test_date_attribute_dimensions(
    store: EndpointStore, kind: str, values: list[str], expected: list[str]
) -> None:
    dims = {"Attributes": {"signup": {"AttributeType": kind, "Values": values}}}
    assert members(store, dims) == expected


def test_user_attribute_metric_demographic_and_country(store: EndpointStore) -> None:
    assert members(store, {"UserAttributes": {"Tier": {"Values": ["vip"]}}}) == ["ana", "cam"]
    metric = {"visits": {"ComparisonOperator": "GREATER_THAN_OR_EQUAL", "Value": 5}}
    assert members(store, {"Metrics": metric}) == ["ana", "cam"]
    platform = {"Platform": {"DimensionType": "INCLUSIVE", "Values": ["ios"]}}
    assert members(store, {"Demographic": platform}) == ["ana", "cam"]
    channel = {"Channel": {"DimensionType": "EXCLUSIVE", "Values": ["EMAIL"]}}
    assert members(store, {"Demographic": channel}) == ["bao", "cam"]
    country = {"Country": {"Values": ["US"]}}
    assert members(store, {"Location": country}) == ["ana", "dan"]


def test_gps_point_range_uses_great_circle_distance(store: EndpointStore) -> None:
    seattle = {"Coordinates": {"Latitude": 47.6, "Longitude": -122.3}}
    # Vancouver is about 195 km from Seattle.
    near = {"GPSPoint": {**seattle, "RangeInKilometers": 150}}
    wider = {"GPSPoint": {**seattle, "RangeInKilometers": 250}}
    assert members(store, {"Location": near}) == ["ana"]
    assert members(store, {"Location": wider}) == ["ana", "cam"]


def test_recency_follows_session_activity(store: EndpointStore) -> None:
    store.touch("ana", NOW - 2 * DAY)
    store.touch("bao", NOW - 10 * DAY)
    active_week = {"Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "ACTIVE"}}}
    inactive_week = {"Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "INACTIVE"}}}
    active_day = {"Behavior": {"Recency": {"Duration": "HR_24", "RecencyType": "ACTIVE"}}}
    assert members(store, active_week) == ["ana"]
    assert members(store, inactive_week) == ["bao", "cam", "dan"]
    assert members(store, active_day) == []


def test_three_dimensions_must_all_hold(store: EndpointStore) -> None:
    dims = {
        "Demographic": {"Platform": {"Values": ["ios"]}},
        "Attributes": {"plan": {"Values": ["gold"]}},
        "Location": {"Country": {"Values": ["CA"]}},
    }
    assert members(store, dims) == ["cam"]
    assert segments.count(store, {"Dimensions": dims}, NOW) == 1


def test_segment_groups_combine_base_segments_and_dimensions() -> None:
    audience = Audience(iter(f"seg-{i}" for i in range(10)).__next__)
    for name, plan, country in [("a", "gold", "US"), ("b", "gold", "VN"), ("c", "free", "US")]:
        audience.endpoints.upsert(
            name,
            {
                "ChannelType": "EMAIL",
                "Address": f"{name}@x.co",
                "Attributes": {"plan": [plan]},
                "Location": {"Country": country},
            },
            NOW,
        )
    gold = audience.create_segment(
        {"Name": "gold", "Dimensions": {"Attributes": {"plan": {"Values": ["gold"]}}}}, NOW
    )
    us = {"Location": {"Country": {"Values": ["US"]}}}

    def group(include: str, kind: str) -> dict:
        return {
            "SegmentGroups": {
                "Include": include,
                "Groups": [
                    {
                        "SourceSegments": [{"Id": gold.id}],
                        "SourceType": "ANY",
                        "Dimensions": [us],
                        "Type": kind,
                    }
                ],
            }
        }

    mask = audience.members(group("ALL", "ALL"), NOW)
    assert [audience.endpoints.ids[r] for r in audience.endpoints.rows(mask)] == ["a"]
    mask = audience.members(group("ALL", "NONE"), NOW)
    assert [audience.endpoints.ids[r] for r in audience.endpoints.rows(mask)] == ["b"]
    mask = audience.members(group("NONE", "ALL"), NOW)
    assert [audience.endpoints.ids[r] for r in audience.endpoints.rows(mask)] == ["b", "c"]


def test_dimensions_and_segment_groups_together_are_refused() -> None:
    with pytest.raises(BadRequest, match="Dimensions or SegmentGroups, not both"):
        segments.validate({"Dimensions": {"Attributes": {}}, "SegmentGroups": {"Include": "ALL"}})


@pytest.mark.parametrize(
    ("dims", "field"),
    [
        ({"Attributes": {"x": {"AttributeType": "ABOUT", "Values": ["1"]}}}, "AttributeType"),
        (
            {"Attributes": {"x": {"AttributeType": "BETWEEN", "Values": ["2026-01-01"]}}},
            "exactly 2",
        ),
        ({"Metrics": {"m": {"ComparisonOperator": "ABOVE", "Value": 1}}}, "ComparisonOperator"),
        ({"Behavior": {"Recency": {"Duration": "DAY_3", "RecencyType": "ACTIVE"}}}, "Duration"),
        ({"Demographic": {"Shoe": {"Values": ["x"]}}}, "Demographic.Shoe"),
        ({"Location": {"GPSPoint": {"Coordinates": {"Latitude": 95, "Longitude": 0}}}}, "Latitude"),
        ({"Mood": {}}, "unknown dimensions"),
    ],
)
def test_bad_dimensions_name_the_field(dims: dict, field: str) -> None:
    with pytest.raises(BadRequest, match=field):
        segments.validate({"Dimensions": dims})


def test_segment_versions_keep_every_definition() -> None:
    audience = Audience(lambda: "seg-1")
    segment = audience.create_segment(
        {"Name": "v1", "Dimensions": {"Attributes": {"a": {"Values": ["1"]}}}}, NOW
    )
    audience.update_segment(segment.id, {"Name": "v2"}, NOW + 60)
    assert [v.name for v in segment.versions] == ["v1", "v2"]
    assert segment.version(2).dimensions == segment.version(1).dimensions
    with pytest.raises(NotFound, match="no version 3"):
        segment.version(3)
