"""Import files parse into endpoints; jobs move through their statuses on the clock."""

from __future__ import annotations

import pytest

from simlab.engage import jobs
from simlab.engage.clock import Clock
from simlab.engage.faults import BadRequest

CSV = (
    "ChannelType,Address,Location.Country,Demographic.Timezone,User.UserId,"
    "User.UserAttributes.FirstName,Attributes.Plan,Metrics.Visits\n"
    "EMAIL,ana@example.com,US,America/Los_Angeles,ana,Ana,gold,3\n"
    "SMS,+84901234567,VN,Asia/Ho_Chi_Minh,bao,Bao,,\n"
    "EMAIL,,US,,,,,\n"
)


def ids() -> object:
    counter = iter(range(1000))
    return lambda: f"gen-{next(counter)}"


def test_csv_columns_name_endpoint_fields() -> None:
    parsed, failures = jobs.parse(CSV, "CSV", ids())
    assert [endpoint_id for endpoint_id, _ in parsed] == ["gen-0", "gen-1"]
    assert parsed[0][1] == {
        "ChannelType": "EMAIL",
        "Address": "ana@example.com",
        "Location": {"Country": "US"},
        "Demographic": {"Timezone": "America/Los_Angeles"},
        "User": {"UserId": "ana", "UserAttributes": {"FirstName": ["Ana"]}},
        "Attributes": {"Plan": ["gold"]},
        "Metrics": {"Visits": 3.0},
    }
    assert failures == ["line 4: ChannelType and Address are required"]


def test_json_lines_are_endpoint_batch_items() -> None:
    text = '{"Id": "e1", "ChannelType": "SMS", "Address": "+12065550100"}\nnot json\n'
    parsed, failures = jobs.parse(text, "JSON", ids())
    assert parsed == [("e1", {"ChannelType": "SMS", "Address": "+12065550100"})]
    assert failures[0].startswith("line 2: not JSON")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(BadRequest, match="Format must be one of CSV, JSON"):
        jobs.parse("", "XML", ids())


def test_a_job_progresses_on_the_clock_and_works_at_the_end() -> None:
    clock = Clock()
    job = jobs.Job("j1", "IMPORT", {}, created=clock.timestamp())
    seen: list[str] = []

    def work(j: jobs.Job) -> None:
        seen.append(j.status)
        j.total_processed = 10

    jobs.run(job, clock, rows=10, work=work)
    trace = [job.status]
    for _ in range(4):
        clock.advance(1)
        trace.append(job.status)
    assert trace == ["CREATED", "INITIALIZING", "INITIALIZING", "PROCESSING", "COMPLETED"]
    assert seen == ["PROCESSING"]
    assert job.to_json("app")["CompletionDate"] == "2026-01-05T09:00:04.000Z"
