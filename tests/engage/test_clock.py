from datetime import UTC, datetime, timedelta

import pytest

from simlab.engage.clock import DEFAULT_EPOCH, Clock


def test_a_new_clock_stands_at_its_epoch():
    clock = Clock()
    assert clock.now() == DEFAULT_EPOCH
    assert clock.seconds == 0


def test_advance_moves_by_seconds_or_timedelta():
    clock = Clock()
    clock.advance(90)
    clock.advance(timedelta(minutes=1))
    assert clock.now() == DEFAULT_EPOCH + timedelta(seconds=150)
    assert clock.timestamp_ms() == round((DEFAULT_EPOCH.timestamp() + 150) * 1000)


def test_advance_to_accepts_iso_strings_and_refuses_the_past():
    clock = Clock()
    clock.advance_to("2026-01-06T09:00:00Z")
    assert clock.now() == datetime(2026, 1, 6, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="cannot move the clock back"):
        clock.advance_to("2026-01-05T00:00:00+00:00")


def test_negative_durations_are_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        Clock().advance(-1)


def test_callbacks_run_in_time_order_as_the_clock_passes_them():
    clock = Clock()
    log = []
    clock.call_later(30, lambda: log.append(("b", clock.seconds)))
    clock.call_later(10, lambda: log.append(("a", clock.seconds)))
    clock.call_at(DEFAULT_EPOCH + timedelta(seconds=60), lambda: log.append(("c", clock.seconds)))
    clock.advance(20)
    assert log == [("a", 10)]
    clock.advance(100)
    assert log == [("a", 10), ("b", 30), ("c", 60)]
    assert clock.seconds == 120


def test_a_callback_may_schedule_another():
    clock = Clock()
    log = []

    def tick():
        log.append(clock.seconds)
        if len(log) < 3:
            clock.call_later(5, tick)

    clock.call_later(5, tick)
    clock.advance(60)
    assert log == [5, 10, 15]


def test_what_falls_due_exactly_at_the_target_runs():
    clock = Clock()
    log = []
    clock.call_later(60, lambda: log.append(clock.seconds))
    clock.advance(60)
    assert log == [60]
