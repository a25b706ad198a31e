"""Endpoints read from a store together are the dicts each reads as alone, keys in order."""

from __future__ import annotations

from typing import Any

import pytest

from simlab.engage.endpoints import EndpointStore

NOW = 1_700_000_000.0


def store_of(requests: list[dict[str, Any]], *, later: float = 0.0) -> EndpointStore:
    """A store holding one endpoint per request, ``e0``, ``e1`` ...; the odd ones updated
    ``later`` seconds on (a second EffectiveDate) when ``later`` is set."""
    store = EndpointStore()
    for index, request in enumerate(requests):
        store.upsert(f"e{index}", request, NOW)
    if later:
        for index in range(1, len(requests), 2):
            store.upsert(f"e{index}", {}, NOW + later)
    return store


def sms(i: int, **more: Any) -> dict[str, Any]:
    return {"ChannelType": "SMS", "Address": f"+1206555{i:04d}", **more}


UNIFORM = {
    "flat": [sms(i) for i in range(40)],
    "objects": [
        sms(
            i,
            Demographic={"Timezone": "Asia/Ho_Chi_Minh", "Platform": f"p{i % 3}"},
            Location={"City": "Hà Nội", "Country": "VN"},
            User={"UserId": f"u{i}"},
        )
        for i in range(40)
    ],
    "awkward text": [
        sms(i, Demographic={"Locale": 'quote " back \\ slash', "Make": "zoë\n\t"})
        for i in range(12)
    ],
    "one endpoint": [sms(0)],
}


MIXED = {
    "a field some lack": [sms(0), sms(1, Demographic={"Timezone": "UTC"})],
    "attributes": [sms(0, Attributes={"plan": ["pro"]}), sms(1)],
    "metrics": [sms(0, Metrics={"visits": 2.0}), sms(1)],
    "coordinates": [sms(0, Location={"Latitude": 10.8, "Longitude": 106.7}), sms(1)],
}


@pytest.mark.parametrize(
    "requests", [*UNIFORM.values(), *MIXED.values()], ids=[*UNIFORM.keys(), *MIXED.keys()]
)
@pytest.mark.parametrize("later", [0.0, 60.0], ids=["one date", "two dates"])
def test_rows_read_together_are_the_dicts_read_one_by_one(
    requests: list[dict[str, Any]], later: float
) -> None:
    store = store_of(requests, later=later)
    rows = list(range(len(requests)))[::-1]
    together = store.to_json_many(rows)
    assert together == [store.to_json(row) for row in rows]
    assert [list(d) for d in together] == [list(store.to_json(row)) for row in rows]  # key order
