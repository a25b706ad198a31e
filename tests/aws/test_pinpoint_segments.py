"""Pinpoint segments, versions, and import/export jobs through S3, via boto3."""

from __future__ import annotations

import json
from typing import Any

from simlab.aws import LocalAWS
from tests.aws.errors import error_of

ROLE = "arn:aws:iam::123456789012:role/pinpoint-import"
CSV = (
    "ChannelType,Address,Location.Country,Demographic.Timezone,User.UserId,"
    "User.UserAttributes.FirstName,Attributes.Plan,Metrics.Visits\n"
    "EMAIL,ana@example.com,US,America/Los_Angeles,ana,Ana,gold,3\n"
    "SMS,+84901234567,VN,Asia/Ho_Chi_Minh,bao,Bao,silver,1\n"
    "EMAIL,cam@example.com,US,America/New_York,cam,Cam,gold,8\n"
    "EMAIL,,US,,,,,\n"
)


def test_segments_are_versioned(aws: LocalAWS, pinpoint: Any, app_id: str) -> None:
    created = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "gold",
            "Dimensions": {"Attributes": {"Plan": {"Values": ["gold"]}}},
        },
    )["SegmentResponse"]
    assert created["SegmentType"] == "DIMENSIONAL" and created["Version"] == 1
    assert created["Arn"].endswith(f"apps/{app_id}/segments/{created['Id']}")
    aws.clock.advance(60)
    updated = pinpoint.update_segment(
        ApplicationId=app_id, SegmentId=created["Id"], WriteSegmentRequest={"Name": "gold members"}
    )["SegmentResponse"]
    assert updated["Version"] == 2 and updated["LastModifiedDate"] == "2026-01-05T09:01:00.000Z"
    assert updated["CreationDate"] == created["CreationDate"]
    first = pinpoint.get_segment_version(ApplicationId=app_id, SegmentId=created["Id"], Version="1")
    assert first["SegmentResponse"]["Name"] == "gold"
    versions = pinpoint.get_segment_versions(ApplicationId=app_id, SegmentId=created["Id"])
    assert [v["Version"] for v in versions["SegmentsResponse"]["Item"]] == [2, 1]
    listed = pinpoint.get_segments(ApplicationId=app_id)["SegmentsResponse"]["Item"]
    assert [s["Name"] for s in listed] == ["gold members"]
    pinpoint.delete_segment(ApplicationId=app_id, SegmentId=created["Id"])
    code, message = error_of(pinpoint.get_segment, ApplicationId=app_id, SegmentId=created["Id"])
    assert code == "NotFoundException" and created["Id"] in message


def test_dimensions_and_groups_together_are_a_bad_request(pinpoint: Any, app_id: str) -> None:
    code, message = error_of(
        pinpoint.create_segment,
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "both",
            "Dimensions": {"Demographic": {"Platform": {"Values": ["ios"]}}},
            "SegmentGroups": {"Include": "ALL", "Groups": [{"Type": "ALL"}]},
        },
    )
    assert code == "BadRequestException"
    assert "Dimensions" in message and "SegmentGroups" in message


def test_a_group_refers_to_existing_base_segments(pinpoint: Any, app_id: str) -> None:
    code, message = error_of(
        pinpoint.create_segment,
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "g",
            "SegmentGroups": {
                "Include": "ALL",
                "Groups": [{"SourceSegments": [{"Id": "missing"}]}],
            },
        },
    )
    assert code == "NotFoundException" and "'missing'" in message


def import_csv(aws: LocalAWS, pinpoint: Any, app_id: str, **extra: Any) -> dict:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="audience")
    s3.put_object(Bucket="audience", Key="imports/people.csv", Body=CSV.encode())
    return pinpoint.create_import_job(
        ApplicationId=app_id,
        ImportJobRequest={
            "Format": "CSV",
            "S3Url": "s3://audience/imports/",
            "RoleArn": ROLE,
            "DefineSegment": True,
            "SegmentName": "imported",
            "RegisterEndpoints": True,
            **extra,
        },
    )["ImportJobResponse"]


def test_an_import_job_progresses_on_the_clock_and_defines_a_segment(
    aws: LocalAWS, pinpoint: Any, app_id: str
) -> None:
    job = import_csv(aws, pinpoint, app_id)
    assert job["JobStatus"] == "CREATED" and job["Type"] == "IMPORT"
    statuses = []
    for _ in range(4):
        aws.clock.advance(1)
        statuses.append(
            pinpoint.get_import_job(ApplicationId=app_id, JobId=job["Id"])["ImportJobResponse"][
                "JobStatus"
            ]
        )
    assert statuses == ["INITIALIZING", "INITIALIZING", "PROCESSING", "COMPLETED"]
    done = pinpoint.get_import_job(ApplicationId=app_id, JobId=job["Id"])["ImportJobResponse"]
    assert (done["TotalProcessed"], done["TotalFailures"]) == (4, 1)
    assert "ChannelType and Address are required" in done["Failures"][0]
    segment = pinpoint.get_segment(ApplicationId=app_id, SegmentId=done["Definition"]["SegmentId"])
    segment = segment["SegmentResponse"]
    assert segment["SegmentType"] == "IMPORT"
    assert segment["ImportDefinition"]["ChannelCounts"] == {"EMAIL": 2, "SMS": 1}
    jobs = pinpoint.get_segment_import_jobs(ApplicationId=app_id, SegmentId=segment["Id"])
    assert [j["Id"] for j in jobs["ImportJobsResponse"]["Item"]] == [job["Id"]]
    ana = pinpoint.get_user_endpoints(ApplicationId=app_id, UserId="ana")["EndpointsResponse"][
        "Item"
    ][0]
    assert ana["User"]["UserAttributes"] == {"FirstName": ["Ana"]}
    assert ana["Metrics"] == {"Visits": 3.0}


def test_an_export_job_writes_the_segment_to_s3(aws: LocalAWS, pinpoint: Any, app_id: str) -> None:
    import_csv(aws, pinpoint, app_id)
    aws.clock.advance(10)
    gold = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={
            "Name": "gold",
            "Dimensions": {"Attributes": {"Plan": {"Values": ["gold"]}}},
        },
    )["SegmentResponse"]
    job = pinpoint.create_export_job(
        ApplicationId=app_id,
        ExportJobRequest={
            "S3UrlPrefix": "s3://audience/exports/",
            "RoleArn": ROLE,
            "SegmentId": gold["Id"],
        },
    )["ExportJobResponse"]
    aws.clock.advance(10)
    done = pinpoint.get_export_job(ApplicationId=app_id, JobId=job["Id"])["ExportJobResponse"]
    assert done["JobStatus"] == "COMPLETED" and done["TotalProcessed"] == 2
    s3 = aws.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="audience", Prefix="exports/")["Contents"]]
    body = s3.get_object(Bucket="audience", Key=keys[0])["Body"].read().decode()
    exported = [json.loads(line) for line in body.splitlines()]
    assert sorted(e["Address"] for e in exported) == ["ana@example.com", "cam@example.com"]
    listed = pinpoint.get_export_jobs(ApplicationId=app_id)["ExportJobsResponse"]["Item"]
    assert [j["Id"] for j in listed] == [job["Id"]]


def test_import_jobs_name_what_is_wrong(aws: LocalAWS, pinpoint: Any, app_id: str) -> None:
    request = {"Format": "XML", "S3Url": "s3://audience/x.csv", "RoleArn": ROLE}
    code, message = error_of(
        pinpoint.create_import_job, ApplicationId=app_id, ImportJobRequest=request
    )
    assert "ImportJobRequest.Format" in message
    request = {"Format": "CSV", "S3Url": "s3://no-such-bucket/x.csv", "RoleArn": ROLE}
    code, message = error_of(
        pinpoint.create_import_job, ApplicationId=app_id, ImportJobRequest=request
    )
    assert code == "BadRequestException" and "no-such-bucket" in message
    code, message = error_of(pinpoint.get_import_job, ApplicationId=app_id, JobId="j-none")
    assert code == "NotFoundException" and "'j-none'" in message


def test_import_works_in_server_mode(server_aws: LocalAWS) -> None:
    pinpoint = server_aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "a"})["ApplicationResponse"][
        "Id"
    ]
    job = import_csv(server_aws, pinpoint, app_id)
    server_aws.clock.advance(10)
    done = pinpoint.get_import_jobs(ApplicationId=app_id)["ImportJobsResponse"]["Item"][0]
    assert done["Id"] == job["Id"] and done["JobStatus"] == "COMPLETED"
