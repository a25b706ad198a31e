"""Counting segments with the engine, checked against what an export job writes."""

from __future__ import annotations

import pytest

from simlab.aws import segment_count, segment_counter
from simlab.engage import population
from simlab.engage.faults import BadRequest, NotFound
from simlab.toolkit import s3_json_records

ROLE = "arn:aws:iam::123456789012:role/pinpoint-s3"
IOS = {
    "Dimensions": {"Demographic": {"Platform": {"DimensionType": "INCLUSIVE", "Values": ["ios"]}}}
}


def loaded(aws, n: int = 300) -> tuple:
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "count"})["ApplicationResponse"][
        "Id"
    ]
    items = population.generate(n, aws.state.rng("population"), now=aws.clock.now())
    for batch in population.batches(items):
        pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": batch})
    return pinpoint, app_id, items


def test_the_count_of_a_saved_segment_matches_its_export(aws):
    pinpoint, app_id, items = loaded(aws)
    segment = pinpoint.create_segment(
        ApplicationId=app_id, WriteSegmentRequest={"Name": "ios", **IOS}
    )["SegmentResponse"]
    expected = sum(e["Demographic"]["Platform"] == "ios" for e in items)
    assert segment_count(app_id, segment["Id"]) == expected
    assert segment_count(app_id, IOS) == expected  # an unsaved request counts the same

    aws.client("s3").create_bucket(Bucket="exports")
    pinpoint.create_export_job(
        ApplicationId=app_id,
        ExportJobRequest={
            "S3UrlPrefix": "s3://exports/ios/",
            "RoleArn": ROLE,
            "SegmentId": segment["Id"],
        },
    )
    aws.clock.advance(60)
    exported = s3_json_records(aws.client("s3"), "exports", "ios/")
    assert len(exported) == expected
    assert {e["Demographic"]["Platform"] for e in exported} == {"ios"}


def test_a_counter_is_bound_to_its_project(aws):
    _, app_id, items = loaded(aws, 120)
    count = segment_counter(app_id)
    assert count({"Dimensions": {}}) == 120
    with pytest.raises(BadRequest, match="DimensionType must be one of INCLUSIVE, EXCLUSIVE"):
        count(
            {"Dimensions": {"Demographic": {"Platform": {"DimensionType": "SOME", "Values": []}}}}
        )


def test_an_unknown_project_is_named(aws):
    with pytest.raises(NotFound, match="Application 'nope' not found"):
        segment_count("nope", IOS)


@pytest.mark.server
def test_endpoints_loaded_over_http_are_counted(server_aws):
    _, app_id, items = loaded(server_aws, 150)
    sms = sum(e["ChannelType"] == "SMS" for e in items)
    channel = {"Dimensions": {"Demographic": {"Channel": {"Values": ["SMS"]}}}}
    assert segment_count(app_id, channel) == sms
