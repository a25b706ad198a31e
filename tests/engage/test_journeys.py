"""Journeys: participants walk activities on the simulated clock; counts match the records."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simlab import facts
from simlab.engage.clock import Clock
from simlab.engage.engine.engagement import EngagementModel
from simlab.engage.journeys import JourneyEngine, JourneyError
from tests.engage.campaign_world import EPOCH, email, phone

OPENED = {
    "EventCondition": {
        "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["_email.open"]}},
        "MessageActivity": "welcome",
    }
}


class Trip:
    """A journey engine with fake segments, sender and contact center."""

    def __init__(self, endpoints: list[dict[str, Any]], *, engagement: bool = False, seed=5):
        self.clock = Clock(EPOCH)
        self.segments = {"everyone": endpoints, "vip": [e for e in endpoints if "vip" in e]}
        self.sends: list[tuple[float, str, str]] = []
        self.calls: list[str] = []
        self.records: list[dict[str, Any]] = []
        self.engine = JourneyEngine(
            self.clock,
            segment_resolver=lambda app, segment, version: list(self.segments[segment]),
            sender=self.send,
            record_event=self.records.append,
            rng=np.random.default_rng(seed),
            template_exists=lambda kind, name, version: name != "Missing",
            contact_center=self.call,
            engagement=EngagementModel(np.random.default_rng(seed + 1)) if engagement else None,
        )

    def send(self, channel, endpoints, messages, templates, context):
        assert set(context) == {
            "journey_id",
            "journey_activity_id",
            "journey_run_id",
            "application_id",
        }
        for endpoint in endpoints:
            self.sends.append((self.clock.seconds, channel, endpoint["Id"]))
        return {e["Id"]: {"DeliveryStatus": "SUCCESSFUL"} for e in endpoints}

    def call(self, app_id, endpoint, context):
        self.calls.append(endpoint["Id"])
        return "SUCCESSFUL"

    def create(self, activities: dict[str, Any], start: str, **request: Any):
        request.setdefault("Name", "trip")
        request.setdefault("State", "ACTIVE")
        request.setdefault("StartCondition", {"SegmentStartCondition": {"SegmentId": "everyone"}})
        return self.engine.create(
            "app", {"Activities": activities, "StartActivity": start, **request}
        )

    def statuses(self) -> Counter[tuple[str, str]]:
        return Counter(
            (r["attributes"]["journey_activity_id"], r["attributes"]["journey_send_status"])
            for r in self.records
            if r["event_type"] == "_journey.send"
        )


WELCOME_THEN_WAIT = {
    "welcome": {"EMAIL": {"TemplateName": "Welcome", "NextActivity": "pause"}},
    "pause": {"Wait": {"WaitTime": {"WaitFor": "P1D"}, "NextActivity": "nudge"}},
    "nudge": {"EMAIL": {"TemplateName": "Nudge"}},
}


def test_a_wait_holds_participants_exactly_its_duration():
    trip = Trip([email(0), email(1)])
    journey = trip.create(WELCOME_THEN_WAIT, "welcome")
    trip.clock.advance(timedelta(days=2))
    assert trip.sends == [
        (0.0, "EMAIL", "e0"),
        (0.0, "EMAIL", "e1"),
        (86_400.0, "EMAIL", "e0"),
        (86_400.0, "EMAIL", "e1"),
    ]
    assert journey.state == "COMPLETED"
    assert trip.engine.execution_metrics(journey) == {
        "ENDPOINT_ACTIVE": "0",
        "ENDPOINT_ENTERED": "2",
        "ENDPOINT_LEFT": "2",
        "ENDPOINT_PRODUCED": "2",
    }


def test_wait_until_releases_at_the_timestamp():
    trip = Trip([email(0)])
    trip.create(
        {
            "hold": {
                "Wait": {"WaitTime": {"WaitUntil": "2026-01-07T08:30:00Z"}, "NextActivity": "go"}
            },
            "go": {"EMAIL": {"TemplateName": "Welcome"}},
        },
        "hold",
    )
    trip.clock.advance(timedelta(days=3))
    assert [EPOCH + timedelta(seconds=s) for s, _, _ in trip.sends] == [
        datetime(2026, 1, 7, 8, 30, tzinfo=UTC)
    ]


def test_a_yes_no_split_follows_what_recipients_did():
    trip = Trip([email(i) for i in range(300)], engagement=True)
    journey = trip.create(
        {
            "welcome": {"EMAIL": {"TemplateName": "Welcome", "NextActivity": "opened"}},
            "opened": {
                "ConditionalSplit": {
                    "Condition": {"Conditions": [OPENED], "Operator": "ALL"},
                    "EvaluationWaitTime": {"WaitFor": "P1D"},
                    "TrueActivity": "thanks",
                    "FalseActivity": "remind",
                }
            },
            "thanks": {"EMAIL": {"TemplateName": "Thanks"}},
            "remind": {"SMS": {"TemplateName": "Remind"}},
        },
        "welcome",
    )
    trip.clock.advance(timedelta(days=3))
    opened_in_time = {
        r["client"]["client_id"]
        for r in trip.records
        if r["event_type"] == "_email.open"
        and r["event_timestamp"] <= (EPOCH.timestamp() + 86_400) * 1000
    }
    _, split = trip.engine.activity_metrics(journey, "opened")
    assert split == {"FALSE": str(300 - len(opened_in_time)), "TRUE": str(len(opened_in_time))}
    assert 0 < len(opened_in_time) < 300
    thanked = {e for _, _, e in trip.sends[300:]}
    assert thanked == opened_in_time
    # Email endpoints cannot take the SMS reminder: counted, not sent.
    _, remind = trip.engine.activity_metrics(journey, "remind")
    assert remind == {"ENDPOINT_CHANNEL_MISMATCH": str(300 - len(opened_in_time))}


def test_multi_condition_takes_the_first_branch_that_holds():
    endpoints = [email(0, vip=True), email(1)]
    trip = Trip(endpoints)
    journey = trip.create(
        {
            "route": {
                "MultiCondition": {
                    "Branches": [
                        {
                            "Condition": {"SegmentCondition": {"SegmentId": "vip"}},
                            "NextActivity": "vipmail",
                        }
                    ],
                    "DefaultActivity": "plain",
                }
            },
            "vipmail": {"EMAIL": {"TemplateName": "Vip"}},
            "plain": {"EMAIL": {"TemplateName": "Plain"}},
        },
        "route",
    )
    trip.clock.advance(60)
    assert trip.engine.activity_metrics(journey, "route") == (
        "MULTI_CONDITIONAL_SPLIT",
        {"Branch_0": "1", "DEFAULT": "1"},
    )
    assert trip.statuses() == {("vipmail", "SUCCESS"): 1, ("plain", "SUCCESS"): 1}


def test_random_split_and_holdout_are_seeded():
    def run(seed):
        trip = Trip([email(i) for i in range(1000)], seed=seed)
        journey = trip.create(
            {
                "coin": {
                    "RandomSplit": {
                        "Branches": [
                            {"Percentage": 70, "NextActivity": "a"},
                            {"Percentage": 30, "NextActivity": "hold"},
                        ]
                    }
                },
                "a": {"EMAIL": {"TemplateName": "A"}},
                "hold": {"Holdout": {"Percentage": 50, "NextActivity": "b"}},
                "b": {"EMAIL": {"TemplateName": "B"}},
            },
            "coin",
        )
        trip.clock.advance(60)
        return trip.engine.activity_metrics(journey, "coin")[1], trip.engine.activity_metrics(
            journey, "hold"
        )[1]

    coin, hold = run(11)
    assert (coin, hold) == run(11)
    assert int(coin["Branch_0"]) / 1000 == pytest.approx(0.7, abs=0.04)
    assert int(hold["HOLDOUT"]) + int(hold["PASSED"]) == int(coin["Branch_1"])


def test_journey_limits_daily_cap_and_messages_per_second():
    trip = Trip([email(i) for i in range(5)])
    journey = trip.create(
        {
            "first": {"EMAIL": {"TemplateName": "One", "NextActivity": "second"}},
            "second": {"EMAIL": {"TemplateName": "Two"}},
        },
        "first",
        Limits={"DailyCap": 1, "MessagesPerSecond": 2},
    )
    trip.clock.advance(60)
    assert [s for s, _, _ in trip.sends] == [0.0, 0.5, 1.0, 1.5, 2.0]  # two a second
    assert trip.statuses() == {("first", "SUCCESS"): 5, ("second", "DAILY_CAP"): 5}
    assert journey.tally.sent == 5 and journey.tally.balanced()


def test_quiet_time_skips_or_waits_for_the_morning():
    tokyo = email(0, "Asia/Tokyo")
    # The clock starts at 09:00 UTC = 18:00 in Tokyo; quiet from 17:00 to 08:00.
    for wait, expected in ((False, []), (True, [datetime(2026, 1, 5, 23, 1, tzinfo=UTC)])):
        trip = Trip([tokyo])
        trip.create(
            {"hello": {"SMS": {"TemplateName": "Hello"}}}
            if False
            else {"hello": {"EMAIL": {"TemplateName": "Hello"}}},
            "hello",
            QuietTime={"Start": "17:00", "End": "08:00"},
            WaitForQuietTime=wait,
        )
        trip.clock.advance(timedelta(days=1))
        assert [EPOCH + timedelta(seconds=s) for s, _, _ in trip.sends] == expected
        assert trip.statuses() == (
            {("hello", "SUCCESS"): 1} if wait else {("hello", "QUIET_TIME"): 1}
        )


def test_open_hours_hold_a_message_until_the_channel_opens():
    trip = Trip([phone(0, Demographic={"Timezone": "UTC"})])
    trip.create(
        {"text": {"SMS": {"TemplateName": "Hi"}}},
        "text",
        SendingSchedule=True,
        OpenHours={"SMS": {"TUESDAY": [{"StartTime": "10:00", "EndTime": "12:00"}]}},
        ClosedDays={
            "SMS": [
                {
                    "Name": "x",
                    "StartDateTime": "2026-01-06T00:00:00Z",
                    "EndDateTime": "2026-01-06T11:00:00Z",
                }
            ]
        },
    )
    trip.clock.advance(timedelta(days=2))
    # Monday 09:00 -> Tuesday opens at 10:00 but is closed until 11:00.
    assert [EPOCH + timedelta(seconds=s) for s, _, _ in trip.sends] == [
        datetime(2026, 1, 6, 11, 0, tzinfo=UTC)
    ]


def test_contact_center_calls_and_is_recorded():
    trip = Trip([phone(0)])
    trip.create({"call": {"ContactCenter": {}}}, "call")
    trip.clock.advance(1)
    assert trip.calls == ["p0"]
    [record] = trip.records
    assert record["attributes"]["journey_activity_type"] == "CONTACT_CENTER"


def test_refresh_lets_new_members_in_and_rejects_those_inside():
    trip = Trip([email(0)])
    journey = trip.create(
        {
            "hello": {"EMAIL": {"TemplateName": "Hi", "NextActivity": "rest"}},
            "rest": {"Wait": {"WaitTime": {"WaitFor": "PT90M"}}},
        },
        "hello",
        RefreshFrequency="PT1H",
        Schedule={"EndTime": "2026-01-05T12:30:00Z"},
    )
    trip.clock.advance(timedelta(minutes=30))
    trip.segments["everyone"] = [email(0), email(1)]
    trip.clock.advance(timedelta(hours=5))
    assert [e for _, _, e in trip.sends] == ["e0", "e1"]
    metrics = trip.engine.execution_metrics(journey)
    assert metrics["ENDPOINT_ENTERED"] == "2"
    assert metrics["ACTIVE_ENDPOINT_REJECTED"] == "2"  # e0 waiting at 10:00, e1 at 11:00
    assert metrics["REENTRY_CAP_EXCEEDED"] == "3"  # no re-entry: e0 at 11:00 and 12:00, e1 at 12:00
    assert len(journey.runs) == 4 and journey.state == "COMPLETED"


def test_an_event_starts_the_journey_for_that_endpoint():
    trip = Trip([email(0), email(1)])
    journey = trip.create(
        {"thanks": {"EMAIL": {"TemplateName": "Thanks"}}},
        "thanks",
        StartCondition={
            "EventStartCondition": {
                "EventFilter": {
                    "FilterType": "ENDPOINT",
                    "Dimensions": {
                        "EventType": {"DimensionType": "INCLUSIVE", "Values": ["signup"]}
                    },
                },
                "SegmentId": "everyone",
            }
        },
        Limits={"EndpointReentryCap": 1},
    )
    engine = trip.engine
    assert engine.on_event("app", email(1), {"EventType": "signup"}) == 1
    assert engine.on_event("app", email(1), {"EventType": "browse"}) == 0
    trip.clock.advance(1)
    assert engine.on_event("app", email(1), {"EventType": "signup"}) == 1  # one re-entry
    trip.clock.advance(1)
    assert engine.on_event("app", email(1), {"EventType": "signup"}) == 0
    trip.clock.advance(1)
    assert [e for _, _, e in trip.sends] == ["e1", "e1"]
    assert journey.state == "ACTIVE"


def test_states_follow_the_documented_transitions():
    trip = Trip([email(0)])
    journey = trip.create(WELCOME_THEN_WAIT, "welcome", State="DRAFT", RefreshFrequency="P1D")
    assert journey.state == "DRAFT"
    trip.clock.advance(60)
    assert trip.sends == []
    journey = trip.engine.update("app", journey.id, {**journey.request, "Name": "trip2"})
    trip.engine.set_state("app", journey.id, "ACTIVE")
    trip.clock.advance(1)
    assert len(trip.sends) == 1
    with pytest.raises(JourneyError, match="only a DRAFT journey can be updated"):
        trip.engine.update("app", journey.id, journey.request)
    trip.engine.set_state("app", journey.id, "PAUSED")
    trip.clock.advance(timedelta(days=2))
    assert len(trip.sends) == 1  # the wait is frozen while paused
    trip.engine.set_state("app", journey.id, "CANCELLED")
    trip.clock.advance(timedelta(days=2))
    assert journey.state == "CANCELLED" and len(trip.sends) == 1
    assert trip.engine.execution_metrics(journey)["CANCELLED"] == "1"
    with pytest.raises(JourneyError, match="a CANCELLED journey cannot become ACTIVE"):
        trip.engine.set_state("app", journey.id, "ACTIVE")
    with pytest.raises(JourneyError, match="'COMPLETED' is not one of ACTIVE, PAUSED, CANCELLED"):
        trip.engine.set_state("app", journey.id, "COMPLETED")


def test_a_journey_without_refresh_cannot_pause():
    trip = Trip([email(0)])
    journey = trip.create(WELCOME_THEN_WAIT, "welcome")
    with pytest.raises(JourneyError, match="PAUSED only supports journeys with a segment refresh"):
        trip.engine.set_state("app", journey.id, "PAUSED")


def many(n: int) -> dict[str, Any]:
    return {f"a{i}": {"Wait": {"WaitTime": {"WaitFor": "PT1M"}}} for i in range(n)}


@pytest.mark.parametrize(
    ("activities", "start", "field", "words"),
    [
        (WELCOME_THEN_WAIT, "hello", "StartActivity", "'hello' is not an activity"),
        (
            {"a": {"EMAIL": {"TemplateName": "T", "NextActivity": "ghost"}}},
            "a",
            "Activities.a.EMAIL",
            "NEXT points to 'ghost'",
        ),
        (
            {
                "a": {"EMAIL": {"TemplateName": "T", "NextActivity": "b"}},
                "b": {"SMS": {"TemplateName": "T", "NextActivity": "a"}},
            },
            "a",
            "Activities.a",
            "a -> b -> a loops without a Wait",
        ),
        (many(41), "a0", "Activities", "41 activities; at most 40"),
        (
            {
                "r": {
                    "RandomSplit": {
                        "Branches": [
                            {"Percentage": 60, "NextActivity": "x"},
                            {"Percentage": 50, "NextActivity": "x"},
                        ]
                    }
                },
                "x": {"EMAIL": {"TemplateName": "T"}},
            },
            "r",
            "Activities.r.RandomSplit.Branches",
            "add up to 110, over 100",
        ),
        ({"h": {"Holdout": {"Percentage": 120}}}, "h", "Activities.h.Holdout.Percentage", "0-100"),
        (
            {"m": {"EMAIL": {"TemplateName": "Missing"}}},
            "m",
            "Activities.m.EMAIL.TemplateName",
            "no EMAIL template 'Missing'",
        ),
        (
            {"two": {"EMAIL": {"TemplateName": "T"}, "SMS": {"TemplateName": "T"}}},
            "two",
            "Activities.two",
            "exactly one of",
        ),
        (
            {"bad-id": {"EMAIL": {"TemplateName": "T"}}},
            "bad-id",
            "Activities.bad-id",
            "alphanumeric",
        ),
    ],
)
def test_invalid_journeys_are_refused_naming_the_field(activities, start, field, words):
    trip = Trip([email(0)])
    with pytest.raises(JourneyError) as error:
        trip.create(activities, start)
    assert error.value.field == field
    assert words in str(error.value)
    assert trip.engine.list("app") == []


def test_a_loop_through_a_wait_is_allowed():
    trip = Trip([email(0)])
    trip.create(
        {
            "a": {"EMAIL": {"TemplateName": "T", "NextActivity": "w"}},
            "w": {"Wait": {"WaitTime": {"WaitFor": "P1D"}, "NextActivity": "a"}},
        },
        "a",
        Limits={"TotalCap": 3},
        Schedule={"EndTime": "2026-01-10T00:00:00Z"},
        State="DRAFT",
    )


def test_other_bad_fields_are_named():
    trip = Trip([email(0)])
    cases = [
        ({"Name": "has space"}, "Name"),
        ({"State": "COMPLETED"}, "State"),
        (
            {"StartCondition": {"SegmentStartCondition": {"SegmentId": "ghost"}}},
            "StartCondition.SegmentStartCondition.SegmentId",
        ),
        ({"Limits": {"DailyCap": 101}}, "Limits.DailyCap"),
        ({"RefreshFrequency": "hourly"}, "RefreshFrequency"),
        ({"QuietTime": {"Start": "7am", "End": "08:00"}}, "QuietTime.Start"),
    ]
    for fields, field in cases:
        with pytest.raises(JourneyError) as error:
            trip.create(WELCOME_THEN_WAIT, "welcome", **fields)
        assert error.value.field == field


def test_summary_draws_the_journey_with_counts():
    trip = Trip([email(0), email(1), phone(2)])
    journey = trip.create(
        {
            "welcome": {"EMAIL": {"TemplateName": "Welcome", "NextActivity": "split"}},
            "split": {
                "ConditionalSplit": {
                    "Condition": {"Conditions": [OPENED]},
                    "EvaluationWaitTime": {"WaitFor": "PT1H"},
                    "TrueActivity": "done",
                    "FalseActivity": "text",
                }
            },
            "done": {"Holdout": {"Percentage": 0}},
            "text": {"SMS": {"TemplateName": "Text"}},
        },
        "welcome",
        Name="onboarding",
    )
    trip.clock.advance(timedelta(hours=2))
    assert trip.engine.summary("app", journey.id) == "\n".join(
        [
            "journey onboarding: COMPLETED; entered 3, active 0, left 3",
            "  [welcome] EMAIL: ENDPOINT_CHANNEL_MISMATCH 1, SUCCESS 2",
            "  `- [split] ConditionalSplit: FALSE 3",
            "     |- TRUE: [done] Holdout: -",
            "     `- FALSE: [text] SMS: ENDPOINT_CHANNEL_MISMATCH 2, SUCCESS 1",
            "  messages: sent 3 = delivered 3 + failed 0 + opted out 0 + throttled 0 + pending 0",
        ]
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    daily=st.integers(0, 3),
    total=st.integers(0, 4),
    quiet=st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 23))),
    wait_for_quiet=st.booleans(),
    hops=st.integers(1, 5),
    zones=st.lists(
        st.sampled_from(["Asia/Tokyo", "Europe/Paris", "UTC", None]), min_size=1, max_size=8
    ),
)
def test_property_journey_caps_quiet_time_and_records(
    daily, total, quiet, wait_for_quiet, hops, zones
):
    endpoints = [email(i, zone) for i, zone in enumerate(zones)]
    trip = Trip(endpoints)
    activities = {}
    for i in range(hops):
        activities[f"m{i}"] = {"EMAIL": {"TemplateName": "T", "NextActivity": f"w{i}"}}
        activities[f"w{i}"] = {"Wait": {"WaitTime": {"WaitFor": "PT7H"}}}
        if i + 1 < hops:
            activities[f"w{i}"]["Wait"]["NextActivity"] = f"m{i + 1}"
    request: dict[str, Any] = {
        "Limits": {k: v for k, v in (("DailyCap", daily), ("TotalCap", total)) if v}
    }
    if quiet:
        request["QuietTime"] = {"Start": f"{quiet[0]:02d}:00", "End": f"{quiet[1]:02d}:00"}
        request["WaitForQuietTime"] = wait_for_quiet
    journey = trip.create(activities, "m0", **request)
    trip.clock.advance(timedelta(days=6))

    from simlab.engage.engine.schedule import QuietTime

    window = QuietTime.from_api(request.get("QuietTime"))
    by_id = {e["Id"]: e for e in endpoints}
    for seconds, _, endpoint_id in trip.sends:
        assert window is None or not window.suppresses(
            by_id[endpoint_id], EPOCH + timedelta(seconds=seconds)
        )
    per = Counter(e for _, _, e in trip.sends)
    if total:
        assert max(per.values(), default=0) <= total
    if daily:
        for endpoint_id in per:
            times = sorted(s for s, _, e in trip.sends if e == endpoint_id)
            for i, t in enumerate(times):
                assert sum(1 for u in times[i:] if u - t < 86_400) <= daily
    statuses = Counter(status for (_, status) in trip.statuses().elements())
    assert journey.tally.balanced() and journey.tally.pending == 0
    assert journey.tally.delivered == statuses["SUCCESS"] == len(trip.sends)
    assert sum(statuses.values()) == hops * len(endpoints)  # every visit is recorded once
    assert journey.state == "COMPLETED"


def test_a_pause_stops_the_wait_clock():
    trip = Trip([email(0)])
    journey = trip.create(WELCOME_THEN_WAIT, "welcome", RefreshFrequency="P7D")
    trip.clock.advance(timedelta(hours=12))
    trip.engine.set_state("app", journey.id, "PAUSED")
    trip.clock.advance(timedelta(hours=6))
    trip.engine.set_state("app", journey.id, "ACTIVE")
    trip.clock.advance(timedelta(days=2))
    assert [s / 3600 for s, _, _ in trip.sends] == [0.0, 30.0]  # 24 h of waiting + 6 h paused


def test_the_active_journey_quota_is_enforced():
    trip = Trip([email(0)])
    for _ in range(50):
        trip.create(WELCOME_THEN_WAIT, "welcome")
    draft = trip.create(WELCOME_THEN_WAIT, "welcome", State="DRAFT")
    with pytest.raises(JourneyError, match="50 journeys are active; the quota is 50"):
        trip.create(WELCOME_THEN_WAIT, "welcome")
    with pytest.raises(JourneyError, match="the quota is 50"):
        trip.engine.set_state("app", draft.id, "ACTIVE")
    assert draft.state == "DRAFT"


def test_journey_records_have_the_documented_attributes_and_envelope():
    trip = Trip([email(0)])
    journey = trip.create(WELCOME_THEN_WAIT, "welcome")
    trip.clock.advance(timedelta(hours=1))
    [record] = [r for r in trip.records if r["event_type"] == "_journey.send"]
    assert list(record) == [*facts.events.ENVELOPE_FIELDS.value, "client_context"]
    attributes = record["attributes"]
    assert list(attributes) == [
        "journey_run_id",
        "journey_send_status",
        "journey_id",
        "journey_activity_id",
        "journey_activity_type",
    ]
    assert (attributes["journey_id"], attributes["journey_activity_id"]) == (journey.id, "welcome")
    assert attributes["journey_activity_type"] == "EMAIL" and record["client"]["client_id"] == "e0"
    assert "Id" not in json.loads(record["client_context"]["custom"]["endpoint"])
