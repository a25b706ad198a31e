"""Pinpoint journeys through boto3: definitions, states, runs and metrics that match the stream."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from examples import campaign_and_journey as example
from simlab.toolkit import s3_json_records

OPENED = {
    "EventCondition": {
        "Dimensions": {"EventType": {"DimensionType": "INCLUSIVE", "Values": ["_email.open"]}},
        "MessageActivity": "welcome",
    }
}
ACTIVITIES = {
    "welcome": {"EMAIL": {"TemplateName": "Weekly", "NextActivity": "pause"}},
    "pause": {"Wait": {"WaitTime": {"WaitFor": "PT12H"}, "NextActivity": "opened"}},
    "opened": {
        "ConditionalSplit": {
            "Condition": {"Conditions": [OPENED]},
            "TrueActivity": "text",
            "FalseActivity": "call",
        }
    },
    "call": {"ContactCenter": {}},
    "text": {"SMS": {"TemplateName": "Flash"}},
}


def create(shop: dict[str, Any], **request: Any) -> dict[str, Any]:
    request.setdefault("Name", "welcome-series")
    request.setdefault("Activities", ACTIVITIES)
    request.setdefault("StartActivity", "welcome")
    request.setdefault("StartCondition", {"SegmentStartCondition": {"SegmentId": shop["segment"]}})
    request.setdefault("Limits", {"MessagesPerSecond": example.SMS_RATE})
    return shop["pinpoint"].create_journey(ApplicationId=shop["app"], WriteJourneyRequest=request)[
        "JourneyResponse"
    ]


def test_activity_metrics_match_the_journey_records_one_for_one(shop):
    pinpoint, app = shop["pinpoint"], shop["app"]
    journey = create(shop, State="ACTIVE")
    shop["aws"].clock.advance(2 * 86_400)
    records = [
        r for r in s3_json_records(shop["s3"], example.BUCKET) if r["event_type"] == "_journey.send"
    ]
    by_activity = Counter(
        (r["attributes"]["journey_activity_id"], r["attributes"]["journey_send_status"])
        for r in records
    )
    for activity in ("welcome", "call", "text"):
        metrics = pinpoint.get_journey_execution_activity_metrics(
            ApplicationId=app, JourneyId=journey["Id"], JourneyActivityId=activity
        )["JourneyExecutionActivityMetricsResponse"]
        assert metrics["ActivityType"] in ("MESSAGE", "CONTACT_CENTER")
        for status, count in metrics["Metrics"].items():
            if status != "ENDPOINT_CHANNEL_MISMATCH":
                assert by_activity[(activity, status)] == int(count)
    assert {r["attributes"]["journey_activity_type"] for r in records} <= {
        "EMAIL",
        "SMS",
        "CONTACT_CENTER",
    }
    split = pinpoint.get_journey_execution_activity_metrics(
        ApplicationId=app, JourneyId=journey["Id"], JourneyActivityId="opened"
    )["JourneyExecutionActivityMetricsResponse"]["Metrics"]
    assert int(split.get("TRUE", 0)) + int(split.get("FALSE", 0)) == 30
    voice = shop["aws"].outbox.filter(channel="VOICE")
    assert len(voice) == by_activity[("call", "SUCCESS")] == 10  # calls reach the phones


def test_runs_and_run_metrics(shop):
    pinpoint, app = shop["pinpoint"], shop["app"]
    journey = create(shop, State="ACTIVE")
    shop["aws"].clock.advance(2 * 86_400)
    runs = pinpoint.get_journey_runs(ApplicationId=app, JourneyId=journey["Id"])[
        "JourneyRunsResponse"
    ]["Item"]
    assert [r["Status"] for r in runs] == ["COMPLETED"]
    run_metrics = pinpoint.get_journey_run_execution_metrics(
        ApplicationId=app, JourneyId=journey["Id"], RunId=runs[0]["RunId"]
    )["JourneyRunExecutionMetricsResponse"]["Metrics"]
    assert run_metrics["ENDPOINT_ENTERED"] == run_metrics["ENDPOINT_LEFT"] == "30"
    activity = pinpoint.get_journey_run_execution_activity_metrics(
        ApplicationId=app,
        JourneyId=journey["Id"],
        RunId=runs[0]["RunId"],
        JourneyActivityId="pause",
    )["JourneyRunExecutionActivityMetricsResponse"]
    assert activity["ActivityType"] == "WAIT"
    assert activity["Metrics"] == {"WAIT_COMPLETED": "30", "WAIT_STARTED": "30"}
    assert (
        pinpoint.get_journey(ApplicationId=app, JourneyId=journey["Id"])["JourneyResponse"]["State"]
        == "COMPLETED"
    )


def test_states_through_update_journey_state(shop):
    pinpoint, app = shop["pinpoint"], shop["app"]
    journey = create(shop, State="DRAFT", RefreshFrequency="P1D")
    assert journey["State"] == "DRAFT"
    listed = pinpoint.list_journeys(ApplicationId=app)["JourneysResponse"]["Item"]
    assert [j["Id"] for j in listed] == [journey["Id"]]

    def move(state: str) -> str:
        return pinpoint.update_journey_state(
            ApplicationId=app, JourneyId=journey["Id"], JourneyStateRequest={"State": state}
        )["JourneyResponse"]["State"]

    assert move("ACTIVE") == "ACTIVE"
    shop["aws"].clock.advance(60)
    assert move("PAUSED") == "PAUSED"
    assert move("CANCELLED") == "CANCELLED"
    with pytest.raises(ClientError) as error:
        move("ACTIVE")
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "a CANCELLED journey cannot become ACTIVE" in error.value.response["Error"]["Message"]
    deleted = pinpoint.delete_journey(ApplicationId=app, JourneyId=journey["Id"])
    assert deleted["JourneyResponse"]["Id"] == journey["Id"]
    with pytest.raises(ClientError) as error:
        pinpoint.get_journey(ApplicationId=app, JourneyId=journey["Id"])
    assert error.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"StartActivity": "nowhere"}, "StartActivity: 'nowhere' is not an activity"),
        (
            {
                "Activities": {
                    **ACTIVITIES,
                    "text": {"SMS": {"TemplateName": "Flash", "NextActivity": "gone"}},
                }
            },
            "Activities.text.SMS: NEXT points to 'gone'",
        ),
        (
            {
                "Activities": {
                    "welcome": {"EMAIL": {"TemplateName": "Weekly", "NextActivity": "again"}},
                    "again": {"SMS": {"TemplateName": "Flash", "NextActivity": "welcome"}},
                }
            },
            "loops without a Wait activity",
        ),
        (
            {"Activities": {"welcome": {"EMAIL": {"TemplateName": "Ghost"}}}},
            "Activities.welcome.EMAIL.TemplateName: no EMAIL template 'Ghost'",
        ),
        (
            {"StartCondition": {"SegmentStartCondition": {"SegmentId": "ghost"}}},
            "StartCondition.SegmentStartCondition.SegmentId: segment ghost not found",
        ),
    ],
)
def test_invalid_journeys_answer_bad_request_naming_the_field(shop, changes, words):
    with pytest.raises(ClientError) as error:
        create(shop, **changes)
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert words in error.value.response["Error"]["Message"]
    assert (
        shop["pinpoint"].list_journeys(ApplicationId=shop["app"])["JourneysResponse"]["Item"] == []
    )


def test_unknown_activity_metrics_are_not_found(shop):
    journey = create(shop)
    with pytest.raises(ClientError) as error:
        shop["pinpoint"].get_journey_execution_activity_metrics(
            ApplicationId=shop["app"], JourneyId=journey["Id"], JourneyActivityId="nope"
        )
    assert error.value.response["Error"]["Code"] == "NotFoundException"


def test_journey_kpis_count_its_records(shop):
    journey = create(shop, State="ACTIVE")
    shop["aws"].clock.advance(2 * 86_400)
    sends = [
        r
        for r in s3_json_records(shop["s3"], example.BUCKET)
        if r["event_type"] == "_journey.send" and r["attributes"]["journey_id"] == journey["Id"]
    ]
    rows = shop["pinpoint"].get_journey_date_range_kpi(
        ApplicationId=shop["app"],
        JourneyId=journey["Id"],
        KpiName="messages-sent-grouped-by-date",
        StartTime="2026-01-05T00:00:00Z",
        EndTime="2026-01-07T00:00:00Z",
    )["JourneyDateRangeKpiResponse"]["KpiResult"]["Rows"]
    assert sum(float(r["Values"][0]["Value"]) for r in rows) == len(sends)
    assert [r["GroupedBys"][0]["Value"] for r in rows] == ["2026-01-05", "2026-01-06", "2026-01-07"]


@pytest.mark.server
def test_a_journey_over_http(server_aws):
    clients = example.clients(server_aws.endpoint_url)
    app_id, segment_id = example.setup(clients, server_aws.endpoint_url)
    shop = {"app": app_id, "segment": segment_id, **clients}
    journey = create(shop, State="ACTIVE")
    example.clock_mover(server_aws.endpoint_url)(2 * 86_400)
    metrics = clients["pinpoint"].get_journey_execution_metrics(
        ApplicationId=app_id, JourneyId=journey["Id"]
    )["JourneyExecutionMetricsResponse"]["Metrics"]
    assert metrics["ENDPOINT_ENTERED"] == metrics["ENDPOINT_LEFT"] == "30"


def test_a_multi_condition_on_segment_dimensions_routes_by_attribute(shop):
    pinpoint, app = shop["pinpoint"], shop["app"]
    for i, plan in enumerate(["gold", "gold", "silver"]):
        pinpoint.update_endpoint(
            ApplicationId=app,
            EndpointId=f"member-{i}",
            EndpointRequest={
                "ChannelType": "EMAIL",
                "Address": f"member{i}@example.com",
                "Attributes": {"plan": [plan], "club": ["yes"]},
            },
        )
    club = pinpoint.create_segment(
        ApplicationId=app,
        WriteSegmentRequest={
            "Name": "club",
            "Dimensions": {
                "Attributes": {"club": {"AttributeType": "INCLUSIVE", "Values": ["yes"]}}
            },
        },
    )["SegmentResponse"]["Id"]
    silver = {"Attributes": {"plan": {"AttributeType": "INCLUSIVE", "Values": ["silver"]}}}
    journey = create(
        shop,
        State="ACTIVE",
        StartActivity="route",
        StartCondition={"SegmentStartCondition": {"SegmentId": club}},
        Activities={
            "route": {
                "MultiCondition": {
                    "Branches": [
                        {"Condition": {"SegmentDimensions": silver}, "NextActivity": "upsell"}
                    ],
                    "DefaultActivity": "thanks",
                }
            },
            "upsell": {"EMAIL": {"TemplateName": "Weekly"}},
            "thanks": {"EMAIL": {"TemplateName": "Nudge"}},
        },
    )
    shop["aws"].clock.advance(60)
    route = pinpoint.get_journey_execution_activity_metrics(
        ApplicationId=app, JourneyId=journey["Id"], JourneyActivityId="route"
    )["JourneyExecutionActivityMetricsResponse"]["Metrics"]
    assert route == {"Branch_0": "1", "DEFAULT": "2"}
