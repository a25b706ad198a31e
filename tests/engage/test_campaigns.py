"""Campaigns on the simulated clock, driven with fake segments and a fake sender."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simlab import facts
from simlab.engage.campaigns import CampaignError, CampaignNotFound, bucket
from tests.engage.campaign_world import EMAIL, EPOCH, SMS, World, email, phone


def test_a_scheduled_campaign_sends_at_its_start_and_not_before():
    world = World([email(i) for i in range(3)])
    campaign = world.create(Schedule={"Frequency": "ONCE", "StartTime": "2026-01-05T10:00:00Z"})
    world.clock.advance(3599)
    assert world.sends == [] and campaign.status == "SCHEDULED"
    world.clock.advance(1)
    assert world.sends == [
        (3600.0, "EMAIL", "e0"),
        (3600.0, "EMAIL", "e1"),
        (3600.0, "EMAIL", "e2"),
    ]
    assert campaign.status == "COMPLETED"


def test_status_moves_through_the_documented_lifecycle():
    world = World([email(i) for i in range(4)])
    campaign = world.create(
        Schedule={
            "Frequency": "HOURLY",
            "StartTime": "2026-01-05T10:00:00Z",
            "EndTime": "2026-01-05T11:30:00Z",
        },
        Limits={"MessagesPerSecond": 2},
    )
    trace = [campaign.status]
    for step in (3600, 0.5, 1, 3599, 1, 3600):
        world.clock.advance(step)
        trace.append(campaign.status)
    assert trace == [
        "SCHEDULED",
        "EXECUTING",  # 10:00, the first two messages left, two wait a second
        "EXECUTING",
        "PENDING_NEXT_RUN",
        "EXECUTING",  # 11:00:00.5
        "COMPLETED",
        "COMPLETED",
    ]
    assert [a.state for a in campaign.activities] == ["COMPLETED", "COMPLETED"]


def test_messages_per_second_paces_the_run_on_the_clock():
    world = World([email(i) for i in range(7)])
    world.create(Schedule={"StartTime": "IMMEDIATE"}, Limits={"MessagesPerSecond": 3})
    world.clock.advance(10)
    assert Counter(seconds for seconds, _, _ in world.sends) == {0.0: 3, 1.0: 3, 2.0: 1}


def test_treatments_share_the_campaign_s_messages_per_second():
    world = World([email(i) for i in range(40)])
    world.create(
        Schedule={"StartTime": "IMMEDIATE"},
        Limits={"MessagesPerSecond": 5},
        AdditionalTreatments=[{"SizePercent": 50, "MessageConfiguration": EMAIL}],
    )
    world.clock.advance(60)
    per_second = Counter(seconds for seconds, _, _ in world.sends)
    assert sum(per_second.values()) == 40
    assert max(per_second.values()) == 5  # both treatments together, not 5 each
    assert sorted(per_second) == [float(s) for s in range(8)]


def test_local_time_reaches_each_zone_at_nine_and_counts_zones():
    endpoints = [email(0, "Asia/Tokyo"), email(1, "Europe/Lisbon"), email(2, "America/New_York")]
    world = World(endpoints)
    campaign = world.create(
        Schedule={"Frequency": "ONCE", "StartTime": "2026-01-06T09:00:00Z", "IsLocalTime": True}
    )
    world.clock.advance(timedelta(days=2))
    sent = {endpoint: EPOCH + timedelta(seconds=s) for s, _, endpoint in world.sends}
    assert sent == {
        "e0": datetime(2026, 1, 6, 0, 0, tzinfo=UTC),
        "e1": datetime(2026, 1, 6, 9, 0, tzinfo=UTC),
        "e2": datetime(2026, 1, 6, 14, 0, tzinfo=UTC),
    }
    activity = campaign.activities[0].to_api()
    assert activity["TimezonesTotalCount"] == activity["TimezonesCompletedCount"] == 3


def test_quiet_time_drops_the_message_and_never_sends_it_later():
    endpoints = [email(0, "Asia/Tokyo"), email(1, "Europe/Lisbon"), email(2)]
    world = World(endpoints)
    # 13:00 UTC is 22:00 in Tokyo (quiet), 13:00 in Lisbon; e2 has no zone, so it is sent.
    campaign = world.create(
        Schedule={
            "Frequency": "ONCE",
            "StartTime": "2026-01-05T13:00:00Z",
            "QuietTime": {"Start": "22:00", "End": "07:00"},
        }
    )
    world.clock.advance(timedelta(days=3))
    assert sorted(e for _, _, e in world.sends) == ["e1", "e2"]
    metrics = campaign.activities[0].to_api()["ExecutionMetrics"]
    assert metrics["QUIET_TIME"] == "1" and metrics["SUCCESS"] == "2"
    assert world.statuses() == {"SUCCESS": 2, "QUIET_TIME": 1}


def test_daily_and_total_caps_hold_across_runs():
    world = World([email(0), email(1)])
    campaign = world.create(
        Schedule={
            "Frequency": "HOURLY",
            "StartTime": "2026-01-05T10:00:00Z",
            "EndTime": "2026-01-08T10:00:00Z",
        },
        Limits={"Daily": 2, "Total": 3},
    )
    world.clock.advance(timedelta(days=4))
    per_endpoint = Counter(endpoint for _, _, endpoint in world.sends)
    assert per_endpoint == {"e0": 3, "e1": 3}
    days = Counter((endpoint, int(s // 86_400)) for s, _, endpoint in world.sends)
    assert max(days.values()) <= 2
    assert campaign.tally.sent == 6 and campaign.tally.balanced()


def test_holdout_and_treatments_split_the_segment_deterministically():
    endpoints = [email(i) for i in range(2000)]
    shares = []
    for _ in range(2):
        world = World(endpoints, seed=3)
        campaign = world.create(
            Schedule={"StartTime": "IMMEDIATE"},
            HoldoutPercent=10,
            AdditionalTreatments=[
                {"SizePercent": 30, "MessageConfiguration": EMAIL, "TreatmentName": "B"}
            ],
        )
        world.clock.advance(60)
        shares.append(Counter(r["attributes"]["treatment_id"] for r in world.records))
        held = sum(1 for e in endpoints if bucket(campaign.salt, e["Id"]) < 1000)
        assert sum(shares[-1].values()) == 2000 - held
        assert [a.metrics["HOLDOUT"] for a in campaign.activities] == [held, 0]
    assert shares[0] == shares[1]  # same seed, same allocation
    assert shares[0]["1"] / 2000 == pytest.approx(0.30, abs=0.03)
    assert shares[0]["0"] / 2000 == pytest.approx(0.60, abs=0.03)
    assert [t.size_percent for t in campaign.treatments] == [60, 30]


@pytest.mark.parametrize(
    ("request_fields", "field", "words"),
    [
        ({"SegmentId": "nobody"}, "SegmentId", "segment nobody not found"),
        (
            {
                "HoldoutPercent": 30,
                "AdditionalTreatments": [{"SizePercent": 80, "MessageConfiguration": EMAIL}],
            },
            "AdditionalTreatments",
            "110%, over 100%",
        ),
        (
            {"TemplateConfiguration": {"EmailTemplate": {"Name": "Missing"}}},
            "TemplateConfiguration.EmailTemplate.Name",
            "no EMAIL template 'Missing'",
        ),
        ({"Limits": {"Daily": 101}}, "Limits.Daily", "0 to 100"),
        ({"Limits": {"MessagesPerSecond": 0}}, "Limits.MessagesPerSecond", "1 to 20000"),
        ({"Limits": {"MaximumDuration": 30}}, "Limits.MaximumDuration", "at least 60"),
        ({"Priority": 9}, "Priority", "between 1"),
        (
            {"Schedule": {"Frequency": "ONCE", "StartTime": "2026-01-01T00:00:00Z"}},
            "Schedule.StartTime",
            "in the past",
        ),
        (
            {"Hook": {"Mode": "FILTER", "LambdaFunctionName": "nope"}},
            "Hook.LambdaFunctionName",
            "no function registered",
        ),
        (
            {"CustomDeliveryConfiguration": {"DeliveryUri": "https://example.com/hook"}},
            "CustomDeliveryConfiguration.DeliveryUri",
            "HTTPS delivery is not emulated",
        ),
    ],
)
def test_invalid_campaigns_are_refused_naming_the_field(request_fields, field, words):
    world = World([email(0)])
    with pytest.raises(CampaignError) as error:
        world.create(**request_fields)
    assert error.value.field == field
    assert words in str(error.value)
    assert world.engine.list("app") == []  # nothing half-created


def test_a_filter_hook_gets_the_documented_event_and_keeps_what_it_returns():
    world = World([email(i, Attributes={"plan": ["gold" if i % 2 else "free"]}) for i in range(6)])
    seen = []

    def keep_gold(event):
        seen.append(sorted(event))
        return {k: v for k, v in event["Endpoints"].items() if v["Attributes"]["plan"] == ["gold"]}

    world.functions["keep-gold"] = keep_gold
    campaign = world.create(
        Schedule={"StartTime": "IMMEDIATE"},
        Hook={
            "Mode": "FILTER",
            "LambdaFunctionName": "arn:aws:lambda:us-east-1:1:function:keep-gold",
        },
    )
    world.clock.advance(1)
    assert sorted(e for _, _, e in world.sends) == ["e1", "e3", "e5"]
    assert seen == [
        [
            "ActivityId",
            "ApplicationId",
            "CampaignId",
            "Endpoints",
            "MessageConfiguration",
            "ScheduledTime",
            "TreatmentId",
        ]
    ]
    assert campaign.activities[0].metrics["FILTERED_OUT_BY_HOOK"] == 3


def test_custom_delivery_calls_the_function_with_the_endpoints():
    world = World([email(0), phone(1)])
    calls = []
    world.functions["deliver"] = lambda event: calls.append(sorted(event["Endpoints"]))
    world.create(
        Schedule={"StartTime": "IMMEDIATE"},
        MessageConfiguration={**SMS, "CustomMessage": {"Data": "payload"}},
        CustomDeliveryConfiguration={"DeliveryUri": "deliver", "EndpointTypes": ["EMAIL"]},
    )
    world.clock.advance(1)
    assert calls == [["e0"]]  # EMAIL endpoints go to the function ...
    assert [e for _, _, e in world.sends] == ["p1"]  # ... SMS through the channel


def test_an_event_campaign_answers_matching_events_of_segment_members():
    world = World([email(0), email(1)])
    world.segments["everyone"] = [email(0)]
    world.create(
        Schedule={
            "Frequency": "EVENT",
            "StartTime": "IMMEDIATE",
            "EventFilter": {
                "FilterType": "ENDPOINT",
                "Dimensions": {
                    "EventType": {"DimensionType": "INCLUSIVE", "Values": ["cart.abandoned"]},
                    "Metrics": {"value": {"ComparisonOperator": "GREATER_THAN", "Value": 50}},
                },
            },
        }
    )
    world.clock.advance(1)
    fire = world.engine.on_event
    assert fire("app", email(0), {"EventType": "cart.abandoned", "Metrics": {"value": 80}}) == 1
    assert fire("app", email(0), {"EventType": "cart.abandoned", "Metrics": {"value": 20}}) == 0
    assert fire("app", email(0), {"EventType": "app.opened"}) == 0
    assert fire("app", email(1), {"EventType": "cart.abandoned", "Metrics": {"value": 80}}) == 0
    assert [e for _, _, e in world.sends] == ["e0"]


def test_pausing_skips_runs_and_resuming_continues():
    world = World([email(0)])
    campaign = world.create(
        Schedule={
            "Frequency": "DAILY",
            "StartTime": "2026-01-05T10:00:00Z",
            "EndTime": "2026-01-09T00:00:00Z",
        }
    )
    world.clock.advance(timedelta(hours=2))  # first run on the 5th
    campaign = world.engine.update("app", campaign.id, {"IsPaused": True})
    assert campaign.status == "PAUSED" and campaign.version == 2
    world.clock.advance(timedelta(days=1))  # the 6th is skipped
    campaign = world.engine.update("app", campaign.id, {"IsPaused": False})
    world.clock.advance(timedelta(days=3))
    days = [int((s + 9 * 3600) // 86_400) for s, _, _ in world.sends]
    assert days == [0, 2, 3]  # the 5th, 7th and 8th
    assert world.engine.version("app", campaign.id, 2)["IsPaused"] is True


def test_deleting_withdraws_pending_messages_and_forgets_the_campaign():
    world = World([email(i) for i in range(10)])
    campaign = world.create(Schedule={"StartTime": "IMMEDIATE"}, Limits={"MessagesPerSecond": 4})
    world.clock.advance(0.5)
    world.engine.delete("app", campaign.id)
    world.clock.advance(10)
    assert len(world.sends) == 4
    assert campaign.tally.as_dict() == {
        "sent": 4,
        "delivered": 4,
        "failed": 0,
        "opted_out": 0,
        "throttled": 0,
        "pending": 0,
    }
    assert campaign.status == "DELETED"
    with pytest.raises(CampaignNotFound):
        world.engine.get("app", campaign.id)


def test_every_outcome_is_accounted_for_and_matches_the_records():
    endpoints = [email(i) for i in range(8)] + [email(8, OptOut="ALL")]
    world = World(endpoints)
    world.failing.update({"e1": "PERMANENT_FAILURE", "e2": "THROTTLED", "e3": "TEMPORARY_FAILURE"})
    campaign = world.create(Schedule={"StartTime": "IMMEDIATE"})
    world.clock.advance(1)
    assert campaign.tally.as_dict() == {
        "sent": 9,
        "delivered": 5,
        "failed": 2,
        "opted_out": 1,
        "throttled": 1,
        "pending": 0,
    }
    assert world.statuses() == {
        "SUCCESS": 5,
        "PERMANENT_FAILURE": 1,
        "TEMPORARY_FAILURE": 1,
        "THROTTLED": 1,
        "OPT_OUT": 1,
    }
    activity = campaign.activities[0].to_api()
    assert activity["TotalEndpointCount"] == 9 and activity["SuccessfulEndpointCount"] == 5
    for record in world.records:
        assert set(record["attributes"]) == {
            "treatment_id",
            "campaign_activity_id",
            "delivery_type",
            "campaign_id",
            "campaign_send_status",
        }
        assert record["event_type"] == "_campaign.send"


def test_kpis_are_computed_from_the_records():
    world = World([email(i) for i in range(40)], engagement=True)
    world.failing.update({"e0": "PERMANENT_FAILURE", "e1": "THROTTLED"})
    campaign = world.create(Schedule={"StartTime": "IMMEDIATE"})
    world.clock.advance(timedelta(days=2))
    sends = [r for r in world.records if r["event_type"] == "_campaign.send"]
    opens = [r for r in world.records if r["event_type"] == "_email.open"]
    delivered = sum(r["attributes"]["campaign_send_status"] == "SUCCESS" for r in sends)
    assert opens, "the engagement model should make someone open"
    scope = f"campaign:{campaign.id}"
    window = (EPOCH, EPOCH + timedelta(days=2))
    kpi = world.engine.analytics.kpi
    assert kpi("unique-deliveries", scope, *window)[0]["Values"][0]["Value"] == str(
        float(delivered)
    )
    rate = float(kpi("successful-delivery-rate", scope, *window)[0]["Values"][0]["Value"])
    assert rate == pytest.approx(delivered / len(sends), abs=1e-6)
    open_rate = float(kpi("email-open-rate", scope, *window)[0]["Values"][0]["Value"])
    assert open_rate == pytest.approx(len(opens) / delivered, abs=1e-6)
    by_day = kpi("email-open-rate-grouped-by-date", scope, *window)
    assert [row["GroupedBys"][0]["Value"] for row in by_day] == [
        "2026-01-05",
        "2026-01-06",
        "2026-01-07",
    ]


def test_summary_is_stable_text():
    world = World([email(0), email(1), email(2, OptOut="ALL")])
    campaign = world.create(Name="january", Schedule={"StartTime": "IMMEDIATE"})
    world.clock.advance(1)
    assert world.engine.summary("app", campaign.id) == "\n".join(
        [
            "campaign january: COMPLETED, version 1",
            "  run treatment state         sent delivered failed opt-out throttled pending"
            "  suppressed",
            "    1 0         COMPLETED        3         2      0       1         0       0  -",
            "  total: sent 3 = delivered 2 + failed 0 + opted out 1 + throttled 0 + pending 0",
        ]
    )


ZONES = ["Asia/Tokyo", "Europe/Lisbon", "America/Los_Angeles", "Asia/Kolkata", None]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frequency=st.sampled_from(["ONCE", "HOURLY", "DAILY"]),
    start_hour=st.integers(1, 30),
    quiet=st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 23))),
    daily=st.integers(0, 3),
    total=st.integers(0, 4),
    local=st.booleans(),
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=12),
    fates=st.lists(
        st.sampled_from(["SUCCESSFUL", "THROTTLED", "PERMANENT_FAILURE", "OPT_OUT"]),
        min_size=12,
        max_size=12,
    ),
)
def test_property_quiet_time_caps_and_accounting(
    frequency, start_hour, quiet, daily, total, local, zones, fates
):
    endpoints = [email(i, zone) for i, zone in enumerate(zones)]
    world = World(endpoints)
    world.failing.update({e["Id"]: fates[i] for i, e in enumerate(endpoints)})
    schedule = {
        "Frequency": frequency,
        "StartTime": (EPOCH + timedelta(hours=start_hour)).isoformat(),
        "EndTime": (EPOCH + timedelta(hours=start_hour, days=3)).isoformat(),
        "IsLocalTime": local,
    }
    if quiet:
        schedule["QuietTime"] = {"Start": f"{quiet[0]:02d}:00", "End": f"{quiet[1]:02d}:00"}
    limits = {k: v for k, v in (("Daily", daily), ("Total", total)) if v}
    campaign = world.create(Schedule=schedule, Limits=limits)
    world.clock.advance(timedelta(days=5))

    from simlab.engage.engine.schedule import QuietTime

    window = QuietTime.from_api(schedule.get("QuietTime"))
    by_id = {e["Id"]: e for e in endpoints}
    for seconds, _, endpoint_id in world.sends:  # nothing leaves during quiet time
        moment = EPOCH + timedelta(seconds=seconds)
        assert window is None or not window.suppresses(by_id[endpoint_id], moment)
    per_endpoint = Counter(endpoint for _, _, endpoint in world.sends)
    if total:
        assert max(per_endpoint.values(), default=0) <= total
    if daily:
        for endpoint_id in per_endpoint:
            times = sorted(s for s, _, e in world.sends if e == endpoint_id)
            for i, t in enumerate(times):
                assert sum(1 for u in times[i:] if u - t < 86_400) <= daily
    tally = campaign.tally
    assert tally.balanced() and tally.pending == 0
    statuses = world.statuses()
    assert tally.delivered == statuses["SUCCESS"]
    assert tally.throttled == statuses["THROTTLED"]
    assert tally.opted_out == statuses["OPT_OUT"]
    assert tally.failed == statuses["PERMANENT_FAILURE"]
    assert tally.sent == len(world.sends)  # no endpoint opted out up front here


def test_the_event_campaign_quota_is_enforced_per_project():
    world = World([email(0)])
    schedule = {
        "Frequency": "EVENT",
        "StartTime": "IMMEDIATE",
        "EventFilter": {"FilterType": "ENDPOINT", "Dimensions": {}},
    }
    for _ in range(25):
        world.create(Schedule=schedule)
    with pytest.raises(CampaignError) as error:
        world.create(Schedule=schedule)
    assert error.value.field == "Schedule.Frequency"
    assert "the quota is 25" in str(error.value)


def test_campaign_records_have_the_documented_envelope_and_the_endpoint_without_its_id():
    world = World([email(0)])
    campaign = world.create(Schedule={"StartTime": "IMMEDIATE"})
    world.clock.advance(1)
    [record] = world.records
    assert list(record) == [*facts.events.ENVELOPE_FIELDS.value, "client_context"]
    assert record["event_type"] == "_campaign.send" and record["client"]["client_id"] == "e0"
    assert record["attributes"] == {
        "treatment_id": "0",
        "campaign_activity_id": campaign.activities[0].id,
        "delivery_type": "EMAIL",
        "campaign_id": campaign.id,
        "campaign_send_status": "SUCCESS",
    }
    endpoint = json.loads(record["client_context"]["custom"]["endpoint"])
    assert "Id" not in endpoint and endpoint["ChannelType"] == "EMAIL"
    assert record["event_timestamp"] == record["arrival_timestamp"] == 1_767_603_600_000
