"""A run over a store's rows is planned column-wise; it must plan what the endpoint-by-endpoint
loop plans for the same endpoints as dicts: the same sends at the same moments, the same
metrics and time zones."""

from __future__ import annotations

from typing import Any

import pytest

from simlab.engage.endpoint_views import EndpointRows
from simlab.engage.endpoints import EndpointStore
from tests.engage.campaign_world import EMAIL, SMS, World

NOW = 1_767_603_600.0  # the world's epoch, 2026-01-05T09:00:00Z
ZONES = ["Asia/Tokyo", "Europe/Lisbon", "America/Los_Angeles", "Not/AZone", None]


def _store() -> EndpointStore:
    """Endpoints on every channel, some inactive, some without an address, many time zones."""
    store = EndpointStore()
    for i in range(240):
        kind = ["EMAIL", "SMS", "GCM", "IN_APP", "VOICE", "EMAIL"][i % 6]
        address = f"user{i}@example.com" if kind == "EMAIL" else f"+1206555{i:04d}"
        endpoint: dict[str, Any] = {"ChannelType": kind}
        if i % 11:
            endpoint["Address"] = address
        zone = ZONES[i % len(ZONES)]
        if zone is not None:
            endpoint["Demographic"] = {"Timezone": zone}
        if i % 13 == 0:
            endpoint["EndpointStatus"] = "INACTIVE"
        store.upsert(f"id{i}", endpoint, NOW)
    return store


def _run(rows: EndpointRows, as_rows: bool, request: dict[str, Any]) -> tuple[Any, ...]:
    audience: Any = rows if as_rows else list(rows)
    world = World([])
    world.resolve = lambda app_id, segment_id, version: audience  # type: ignore[method-assign]
    world.engine.segment_resolver = world.resolve
    world.engine.new_id = iter(f"id-{n}" for n in range(10_000)).__next__  # same salt in both
    campaign = world.create(**request)
    world.clock.advance(3 * 86_400)
    activities = [
        (a.treatment_id, dict(a.metrics), sorted(a.timezones), sorted(a.timezones_done))
        for a in campaign.activities
    ]
    return world.sends, activities, world.statuses()


@pytest.mark.parametrize(
    "request_",
    [
        {"Schedule": {"Frequency": "ONCE", "StartTime": "IMMEDIATE"}},
        {
            "MessageConfiguration": {**EMAIL, **SMS},
            "HoldoutPercent": 10,
            "AdditionalTreatments": [{"SizePercent": 30, "MessageConfiguration": SMS}],
            "Schedule": {
                "Frequency": "ONCE",
                "StartTime": "2026-01-06T09:00:00Z",
                "IsLocalTime": True,
            },
        },
    ],
    ids=["immediate", "holdout-ab-local-time"],
)
def test_a_store_audience_is_planned_as_the_endpoint_loop_plans_it(request_: dict) -> None:
    store = _store()
    rows = EndpointRows(store, store.rows())
    by_columns = _run(rows, True, request_)
    by_endpoint = _run(rows, False, request_)
    assert by_columns == by_endpoint
    sends, activities, _ = by_columns
    assert sends  # something was sent, and something was held back for each reason
    metrics = {k for _, m, _, _ in activities for k in m}
    assert {"ENDPOINT_INACTIVE", "ENDPOINT_MISSING_ADDRESS", "ENDPOINT_CHANNEL_MISMATCH"} <= metrics


def test_a_repeated_endpoint_falls_back_to_the_endpoint_loop() -> None:
    store = _store()
    rows = EndpointRows(store, list(store.rows()[:30]) * 2)
    request = {"Schedule": {"Frequency": "ONCE", "StartTime": "IMMEDIATE"}}
    by_columns = _run(rows, True, request)
    assert by_columns == _run(rows, False, request)
    assert by_columns[1][0][1]["DUPLICATE_ENDPOINT"] == 30
