"""The generated audience: seeded, sized by the scale, in Pinpoint's own shapes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import numpy as np
import pytest

from simlab.engage import jobs, population
from simlab.engage.endpoints import EndpointStore
from simlab.engage.sends import E164, EMAIL
from simlab.facts import pinpoint as facts

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)


def people(n: int = 500, seed: int = 7) -> list[dict]:
    return population.generate(n, np.random.default_rng(seed), now=NOW)


def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    assert people(seed=1) == people(seed=1)
    assert people(seed=1) != people(seed=2)


def test_every_endpoint_is_a_valid_endpoint_request_with_a_unique_address():
    items = people(3000)
    store = EndpointStore()
    for item in items:
        store.upsert(item["Id"], {k: v for k, v in item.items() if k != "Id"}, NOW.timestamp())
    assert len(store) == 3000
    assert len({e["Address"] for e in items}) == 3000  # no endpoint made INACTIVE by another
    for item in items:
        if item["ChannelType"] == "SMS":
            assert E164.match(item["Address"])
        if item["ChannelType"] == "EMAIL":
            assert EMAIL.match(item["Address"])
        if item["ChannelType"] in ("GCM", "APNS"):
            assert (
                item["Demographic"]["Platform"]
                == {"GCM": "android", "APNS": "ios"}[item["ChannelType"]]
            )


def test_shares_follow_the_configured_mix():
    items = people(20_000)
    email = sum(e["ChannelType"] == "EMAIL" for e in items) / len(items)
    vietnam = sum(e["Location"]["Country"] == "VN" for e in items) / len(items)
    opted = sum(e.get("OptOut") == "ALL" for e in items) / len(items)
    assert email == pytest.approx(population.CHANNEL_SHARES["EMAIL"], abs=0.02)
    assert vietnam == pytest.approx(0.25, abs=0.02)
    assert opted == pytest.approx(population.OPT_OUT_SHARE, abs=0.005)


def test_audience_size_follows_the_scale(monkeypatch):
    assert population.audience_size("ci") == 2_000
    assert population.audience_size("workshop") == 100_000
    assert population.audience_size("full") == 1_000_000
    monkeypatch.setenv("SIMLAB_SCALE", "workshop")
    assert population.audience_size() == 100_000
    monkeypatch.setenv("SIMLAB_SCALE", "huge")
    with pytest.raises(ValueError, match="SIMLAB_SCALE must be one of ci, workshop, full"):
        population.audience_size()


def test_batches_respect_update_endpoints_batch_limit():
    items = people(250)
    sizes = [len(b) for b in population.batches(items)]
    assert sizes == [100, 100, 50]
    assert [e for b in population.batches(items) for e in b] == items
    with pytest.raises(ValueError, match="size must be 1..100"):
        list(population.batches(items, 101))


def test_sessions_are_put_events_batches_within_the_limit():
    items = people(1000)
    batches = population.sessions(items, np.random.default_rng(3), now=NOW, share=0.5)
    events = [(endpoint_id, e) for b in batches for endpoint_id, e in b.items()]
    assert all(len(b) <= facts.PUT_EVENTS_MAX_EVENTS.value for b in batches)
    assert len(events) == pytest.approx(500, abs=60)
    session = events[0][1]["Events"]["session"]
    assert session["EventType"] == "_session.start"
    assert session["Session"]["StartTimestamp"] == session["Timestamp"] <= "2026-01-05T09:00:00Z"


def test_csv_is_an_import_file_pinpoint_reads_back_to_the_same_endpoints():
    items = people(50)
    text = population.to_csv(items)
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(population.CSV_COLUMNS)
    parsed, failures = jobs.parse(text, "CSV", lambda: "unused")
    assert failures == []
    first_id, first = parsed[0]
    assert first_id == items[0]["Id"]
    assert first["Address"] == items[0]["Address"]
    assert (
        first["User"]["UserAttributes"]["FirstName"]
        == items[0]["User"]["UserAttributes"]["FirstName"]
    )
    assert first["Metrics"]["purchases"] == items[0]["Metrics"]["purchases"]


def test_summary_is_stable_text():
    text = population.summary(people(1000))
    assert text.splitlines()[0] == "1,000 endpoints"
    assert text.splitlines()[1].startswith("  by channel  APNS ")
    assert text == population.summary(people(1000))


def test_people_numbered_from_start_never_collide_with_earlier_ones():
    first = people(300)
    more = population.generate(200, np.random.default_rng(9), now=NOW, start=300)
    assert more[0]["Id"] == "ep-0000300" and more[0]["User"]["UserId"] == "user-0000300"
    assert not {e["Id"] for e in first} & {e["Id"] for e in more}
    assert not {e["Address"] for e in first} & {e["Address"] for e in more}
    with pytest.raises(ValueError, match="n and start must be 0 or more"):
        population.generate(1, np.random.default_rng(0), start=-1)
