"""Schedules: run times, each endpoint's send time and quiet time, to the second."""

from datetime import UTC, datetime, timedelta

import pytest

from simlab.engage.engine.schedule import (
    QuietTime,
    Schedule,
    ScheduleError,
    offset_name,
    parse_duration,
    parse_offset,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def schedule(**fields) -> Schedule:
    return Schedule.from_api(fields, NOW)


def test_offsets_read_as_pinpoint_writes_them():
    assert parse_offset("UTC").utcoffset(None) == timedelta(0)
    assert parse_offset("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert parse_offset("UTC-11").utcoffset(None) == timedelta(hours=-11)
    assert offset_name(parse_offset("UTC+05:45")) == "UTC+05:45"
    with pytest.raises(ScheduleError, match="Schedule.Timezone: 'GMT\\+1' is not a UTC offset"):
        parse_offset("GMT+1")


def test_durations_are_iso_8601():
    assert parse_duration("PT1H") == timedelta(hours=1)
    assert parse_duration("P1DT2H30M") == timedelta(days=1, hours=2, minutes=30)
    assert parse_duration("P2W") == timedelta(weeks=2)
    with pytest.raises(ScheduleError, match="WaitFor: '1H' is not an ISO 8601 duration"):
        parse_duration("1H")


def test_a_daily_campaign_runs_each_day_until_its_end():
    daily = schedule(
        Frequency="DAILY", StartTime="2026-01-06T09:00:00Z", EndTime="2026-01-09T00:00:00Z"
    )
    assert list(daily.run_times()) == [
        at("2026-01-06T09:00"),
        at("2026-01-07T09:00"),
        at("2026-01-08T09:00"),
    ]


def test_hourly_weekly_and_monthly_steps():
    hourly = schedule(
        Frequency="HOURLY", StartTime="2026-01-05T10:00:00Z", EndTime="2026-01-05T12:30:00Z"
    )
    assert list(hourly.run_times()) == [
        at("2026-01-05T10:00"),
        at("2026-01-05T11:00"),
        at("2026-01-05T12:00"),
    ]
    weekly = schedule(
        Frequency="WEEKLY", StartTime="2026-01-06T08:00:00Z", EndTime="2026-01-21T00:00:00Z"
    )
    assert list(weekly.run_times()) == [
        at("2026-01-06T08:00"),
        at("2026-01-13T08:00"),
        at("2026-01-20T08:00"),
    ]
    monthly = schedule(
        Frequency="MONTHLY", StartTime="2026-01-31T12:00:00Z", EndTime="2026-04-01T00:00:00Z"
    )
    assert list(monthly.run_times()) == [
        at("2026-01-31T12:00"),
        at("2026-02-28T12:00"),
        at("2026-03-31T12:00"),
    ]


def test_a_start_without_offset_is_read_in_the_schedule_time_zone():
    once = schedule(Frequency="ONCE", StartTime="2026-01-06T09:00:00", Timezone="UTC+05:30")
    assert list(once.run_times()) == [at("2026-01-06T03:30")]


def test_immediate_starts_now_and_event_schedules_have_no_runs():
    assert list(schedule(StartTime="IMMEDIATE").run_times()) == [NOW]
    event = schedule(
        Frequency="EVENT",
        StartTime="IMMEDIATE",
        EventFilter={"FilterType": "ENDPOINT", "Dimensions": {}},
    )
    assert list(event.run_times()) == []


def test_local_time_keeps_the_wall_clock_in_each_endpoint_zone():
    local = schedule(Frequency="ONCE", StartTime="2026-01-06T09:00:00Z", IsLocalTime=True)
    run = at("2026-01-06T09:00")

    def zone(name):
        return {"Demographic": {"Timezone": name}}

    assert local.send_time(run, zone("Asia/Tokyo")) == at("2026-01-06T00:00")
    assert local.send_time(run, zone("America/New_York")) == at("2026-01-06T14:00")
    assert local.send_time(run, zone("Mars/Olympus_Mons")) == run  # invalid zone: schedule time
    assert local.send_time(run, {}) == run
    utc = schedule(Frequency="ONCE", StartTime="2026-01-06T09:00:00Z")
    assert utc.send_time(run, zone("Asia/Tokyo")) == run


def test_quiet_time_suppresses_only_endpoints_with_a_valid_time_zone():
    quiet = QuietTime.from_api({"Start": "22:00", "End": "07:00"})
    tokyo = {"Demographic": {"Timezone": "Asia/Tokyo"}}
    assert quiet.suppresses(tokyo, at("2026-01-05T13:00"))  # 22:00 in Tokyo, start included
    assert quiet.suppresses(tokyo, at("2026-01-05T22:00"))  # 07:00 in Tokyo, end included
    assert not quiet.suppresses(tokyo, at("2026-01-05T22:01"))  # 07:01
    assert not quiet.suppresses(tokyo, at("2026-01-05T12:59"))  # 21:59
    assert not quiet.suppresses({}, at("2026-01-05T13:00"))  # no time zone: sent anyway
    assert not quiet.suppresses({"Demographic": {"Timezone": "Nowhere"}}, at("2026-01-05T13:00"))


def test_quiet_time_ends_the_next_local_morning():
    quiet = QuietTime.from_api({"Start": "22:00", "End": "07:00"})
    tokyo = {"Demographic": {"Timezone": "Asia/Tokyo"}}
    # 23:00 Tokyo on the 5th -> quiet until 07:00 on the 6th; sends resume at 07:01.
    assert quiet.ends_after(tokyo, at("2026-01-05T14:00")) == at("2026-01-05T22:01")
    # 03:00 Tokyo on the 6th -> same morning.
    assert quiet.ends_after(tokyo, at("2026-01-05T18:00")) == at("2026-01-05T22:01")
    assert quiet.ends_after({}, at("2026-01-05T14:00")) == at("2026-01-05T14:00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"Frequency": "DAILY", "StartTime": "2026-01-06T09:00:00Z"},
            "Schedule.EndTime: is required",
        ),
        ({"Frequency": "YEARLY", "StartTime": "IMMEDIATE"}, "Schedule.Frequency: 'YEARLY'"),
        ({"Frequency": "ONCE"}, "Schedule.StartTime: is required"),
        ({"Frequency": "EVENT", "StartTime": "IMMEDIATE"}, "Schedule.EventFilter: is required"),
        (
            {"StartTime": "2026-01-06T09:00:00Z", "EndTime": "2026-01-06T08:00:00Z"},
            "Schedule.EndTime: must be later than StartTime",
        ),
        (
            {"StartTime": "IMMEDIATE", "QuietTime": {"Start": "25:00", "End": "07:00"}},
            "Schedule.QuietTime.Start: '25:00'",
        ),
    ],
)
def test_bad_schedules_name_the_field(fields, message):
    with pytest.raises(ScheduleError) as error:
        schedule(**fields)
    assert str(error.value).startswith(message)
