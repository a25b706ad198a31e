"""The segment panel, driven headlessly: choose dimensions, read the live count."""

from __future__ import annotations

import numpy as np
import pytest

from simlab.aws import segment_count, segment_counter
from simlab.engage import population
from simlab.engage.faults import BadRequest
from simlab.widgets.segments import (
    build_segment_panel,
    count_text,
    generated_audience,
    segment_request,
)


@pytest.fixture
def shop(aws):
    """A project holding 400 generated endpoints, some of whose apps reported sessions."""
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "shop"})["ApplicationResponse"][
        "Id"
    ]
    people = population.generate(400, aws.state.rng("population"), now=aws.clock.now())
    for batch in population.batches(people):
        pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})
    for batch in population.sessions(people, aws.state.rng("sessions"), now=aws.clock.now()):
        pinpoint.put_events(ApplicationId=app_id, EventsRequest={"BatchItem": batch})
    return {"pinpoint": pinpoint, "app": app_id, "people": people}


def test_the_panel_starts_with_everyone(shop):
    panel = build_segment_panel(segment_counter(shop["app"]))
    assert panel.request() == {"Dimensions": {}}
    assert panel.result.value == "<p><b>400 of 400 endpoints (100.0%)</b></p>"


def test_each_choice_narrows_the_count_to_the_matching_people(shop):
    people = shop["people"]
    panel = build_segment_panel(segment_counter(shop["app"]))
    panel.platform.value = "ios"
    ios = [e for e in people if e["Demographic"]["Platform"] == "ios"]
    assert panel.matched() == len(ios)
    assert panel.result.value.startswith(f"<p><b>{len(ios)} of 400 endpoints")

    panel.country.value = "VN"
    panel.purchases.value = 2
    expected = [
        e for e in ios if e["Location"]["Country"] == "VN" and e["Metrics"]["purchases"] >= 2
    ]
    assert panel.matched() == len(expected)
    assert f"{len(expected)} of 400 endpoints" in panel.result.value
    assert "&quot;ComparisonOperator&quot;: &quot;GREATER_THAN_OR_EQUAL&quot;" in (
        panel.request_view.value
    )

    panel.platform.value = "any"
    panel.country.value = "any"
    panel.purchases.value = 0
    panel.interest.value = "travel"
    travellers = [e for e in people if "travel" in e["Attributes"]["interests"]]
    assert panel.matched() == len(travellers)


def test_the_recency_choice_counts_what_a_saved_segment_holds(shop):
    panel = build_segment_panel(segment_counter(shop["app"]))
    panel.recency.value = "DAY_7"
    saved = shop["pinpoint"].create_segment(
        ApplicationId=shop["app"],
        WriteSegmentRequest=segment_request(active_within="DAY_7", name="active this week"),
    )["SegmentResponse"]
    assert saved["Dimensions"]["Behavior"]["Recency"] == {
        "Duration": "DAY_7",
        "RecencyType": "ACTIVE",
    }
    active = segment_count(shop["app"], saved["Id"])
    assert 0 < panel.matched() == active < 400
    panel.recency.value = "DAY_30"
    assert panel.matched() > active


def test_a_refused_request_shows_the_engine_error():
    def refuse(request):
        raise BadRequest("Dimensions.Metrics.purchases.ComparisonOperator must be one of ...")

    panel = build_segment_panel(refuse)
    assert panel.result.value.startswith("<p>⚠ Dimensions.Metrics.purchases.ComparisonOperator")


def test_segment_request_names_allowed_recency_values():
    with pytest.raises(ValueError, match="active_within must be any or one of HR_24, DAY_7"):
        segment_request(active_within="DAY_2")


def test_count_text_handles_an_empty_project():
    assert count_text(0, 0) == "0 of 0 endpoints"
    assert count_text(1234, 2000) == "1,234 of 2,000 endpoints (61.7%)"


def test_a_generated_audience_counts_as_the_local_pinpoint_does(aws):
    generated = generated_audience(600, seed=3)
    assert generated.count({"Dimensions": {}}) == 600
    # the same people and sessions through boto3, at the same instant
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "same"})["ApplicationResponse"][
        "Id"
    ]
    assert aws.clock.now() == generated.now
    for batch in population.batches(generated.people):
        pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})
    sessions = population.sessions(
        generated.people, np.random.default_rng([3, 1]), now=aws.clock.now()
    )
    for batch in sessions:
        pinpoint.put_events(ApplicationId=app_id, EventsRequest={"BatchItem": batch})
    requests = [
        segment_request(platform="ios", country="VN"),
        segment_request(interest="sports", min_purchases=2),
        segment_request(active_within="DAY_7"),
        segment_request(active_within="DAY_30", platform="android"),
    ]
    for request in requests:
        assert generated.count(request) == segment_count(app_id, request), request
    assert 0 < generated.count(requests[2]) < 600  # recency keeps some, not all


def test_a_generated_audience_is_seeded():
    first, again = generated_audience(300, seed=5), generated_audience(300, seed=5)
    assert first.people == again.people
    request = segment_request(active_within="DAY_14")
    assert first.count(request) == again.count(request)
    assert generated_audience(300, seed=6).people != first.people
