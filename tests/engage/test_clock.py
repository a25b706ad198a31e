import contextvars
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simlab.engage.clock import DEFAULT_EPOCH, Clock
from simlab.engage.instants import microseconds, offset_microseconds


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


def test_every_reading_of_an_instant_is_the_same_moment():
    # fractions of a second land between microseconds; every form rounds them alike
    draw = random.Random(7)
    for epoch in (DEFAULT_EPOCH, datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)):
        clock = Clock(epoch)
        for _ in range(2_000):
            clock.advance(draw.choice([draw.random(), draw.lognormvariate(3, 2), 86_399.9999995]))
            now = clock.now()
            assert clock.timestamp() == now.timestamp()
            assert clock.timestamp_ms() == round(now.timestamp() * 1000)
            assert clock.naive_utc() == now.replace(tzinfo=None)
            assert now == epoch + timedelta(seconds=clock.seconds)


@given(
    st.floats(min_value=-1e12, max_value=1e12)
    | st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 2_000_000)
)
def test_an_offset_in_microseconds_rounds_as_a_timedelta_does(seconds):
    # the second strategy draws half microseconds: most land on an exact tie, which goes to even
    assert offset_microseconds(seconds) == microseconds(timedelta(seconds=seconds))


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


def test_a_callback_gets_the_arguments_given_with_it():
    clock = Clock()
    log = []
    clock.call_later(5, log.append, "five")
    clock.call_later(1, log.extend, ["one", "more"])
    clock.advance(10)
    assert log == ["one", "more", "five"]


def test_what_falls_due_exactly_at_the_target_runs():
    clock = Clock()
    log = []
    clock.call_later(60, lambda: log.append(clock.seconds))
    clock.advance(60)
    assert log == [60]


def _process_call_later(clock, delay, callback):
    """``call_later`` as a SimPy process: the order ``Clock.call_later`` must keep."""

    def run():
        yield clock.env.timeout(delay)
        callback()

    clock.env.process(run())


def _interleaved_trace(call_later):
    """Callbacks and SimPy processes scheduling one another at the same instants."""
    clock = Clock()
    log = []

    def process(name, delays):
        log.append((name, "start", clock.env.now))
        for delay in delays:
            call_later(clock, 0, lambda n=name, d=delay: log.append((n, "later", d)))
            yield clock.env.timeout(delay)
            log.append((name, "woke", clock.env.now))

    call_later(clock, 0, lambda: log.append(("a", "later", 0)))
    clock.env.process(process("p", [0, 5, 0]))
    call_later(clock, 5, lambda: log.append(("b", "later", 5)))
    clock.env.process(process("q", [5, 0]))
    call_later(clock, 0, lambda: clock.env.process(process("r", [0, 5])))
    call_later(clock, 5, lambda: call_later(clock, 0, lambda: log.append(("c", "later", 5))))
    clock.advance(20)
    return log


def test_same_time_callbacks_keep_the_order_a_simpy_process_per_callback_gives():
    expected = _interleaved_trace(_process_call_later)
    observed = _interleaved_trace(lambda clock, delay, callback: clock.call_later(delay, callback))
    assert len(observed) == 20
    assert observed == expected


def _random_trace(call_later, seed):
    """Callbacks made in a row, processes, timeouts and events scheduling one another."""
    rng = random.Random(seed)
    clock = Clock()
    env, log = clock.env, []

    def callback(tag, depth):
        log.append((env.now, tag))
        for k in range(rng.randint(0, 3) if depth < 3 else 0):
            choice, name = rng.random(), f"{tag}.{k}"
            if choice < 0.5:
                call_later(clock, rng.choice([0, 0, 1, 2.5]), lambda n=name: callback(n, depth + 1))
            elif choice < 0.7:
                env.process(process(name, depth + 1))
            else:
                env.timeout(rng.choice([0, 1])).callbacks.append(lambda _, n=name: log.append(n))

    def process(name, depth):
        log.append((env.now, name, "start"))
        yield env.timeout(rng.choice([0, 1]))
        callback(name, depth)

    for i in range(30):
        call_later(clock, rng.choice([0, 1, 2]), lambda n=f"r{i}": callback(n, 0))
        if i % 7 == 0:
            env.process(process(f"p{i}", 0))
    clock.advance(50)
    return log


@pytest.mark.parametrize("seed", [3, 5, 11])
def test_callbacks_made_in_a_row_keep_their_place_among_same_time_work(seed):
    expected = _random_trace(_process_call_later, seed)
    observed = _random_trace(lambda clock, delay, cb: clock.call_later(delay, cb), seed)
    assert len(observed) > 100
    assert observed == expected


def test_a_callback_that_raises_stops_the_advance_with_its_error_after_same_time_work():
    clock = Clock()
    log = []

    def fail():
        raise RuntimeError("broken callback")

    clock.call_later(5, fail)
    clock.call_later(5, lambda: log.append("same time"))
    clock.call_later(6, lambda: log.append("later"))
    with pytest.raises(RuntimeError, match="broken callback"):
        clock.advance(10)
    assert log == ["same time"]
    assert clock.seconds == 5


def test_a_callback_runs_in_the_context_that_scheduled_it_unless_its_guard_fails():
    who = contextvars.ContextVar("who", default="nobody")
    stopped = set()
    clock = Clock()

    class Named:  # stands while its name is not stopped
        def __init__(self, name):
            self.name = name

        @property
        def standing(self):
            return self.name not in stopped

    def guard():
        return Named(who.get())

    clock.env.guard = guard
    log = []

    def schedule(name):
        who.set(name)
        clock.call_later(5, lambda: log.append((name, who.get())))

    for name in ("ann", "bob"):
        contextvars.copy_context().run(schedule, name)
    stopped.add("bob")
    clock.advance(10)
    assert log == [("ann", "ann")]


# Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1e308])
def test_nan_infinite_and_past_the_calendar_durations_are_refused_and_change_nothing(bad):
    clock = Clock()
    with pytest.raises(ValueError):
        clock.advance(bad)
    assert clock.seconds == 0


@pytest.mark.parametrize(
    ("options", "message"), [({"mode": "fast"}, "mode"), ({"speed": 0}, "speed")]
)
def test_a_clock_refuses_an_unknown_mode_or_a_speed_that_is_not_positive(options, message):
    with pytest.raises(ValueError, match=message):
        Clock(**options)


# Waiting on a manual clock -------------------------------------------------------------------


def test_a_manual_wait_lets_time_pass_until_its_timeout_when_nothing_happens():
    clock = Clock()
    assert clock.wait_until(lambda: [], 20) == []
    assert clock.seconds == 20


def test_a_manual_wait_ends_at_the_scheduled_event_that_makes_it_ready():
    clock = Clock()
    arrived = []
    clock.call_later(7, lambda: arrived.append("message"))
    assert clock.wait_until(lambda: list(arrived), 20) == ["message"]
    assert clock.seconds == 7


def test_a_manual_wait_wakes_when_its_own_hint_says_something_may_change():
    clock = Clock()
    ready_at = 4.5
    result = clock.wait_until(
        lambda: clock.seconds >= ready_at, 20, lambda: ready_at - clock.seconds
    )
    assert result is True
    assert clock.seconds == ready_at


def test_manual_sleep_is_simulated_time():
    clock = Clock()
    clock.sleep(1.1)
    assert clock.seconds == pytest.approx(1.1)


# A live clock --------------------------------------------------------------------------------


def test_a_live_clock_follows_the_wall_clock_times_its_speed():
    clock = Clock(mode="live", speed=100)
    time.sleep(0.2)
    assert 15 <= clock.seconds < 200


def test_a_live_clock_runs_what_falls_due_when_read():
    clock = Clock(mode="live", speed=100)
    ran = []
    clock.call_later(5, lambda: ran.append(clock.seconds))
    time.sleep(0.2)  # 20 simulated seconds
    clock.sync()
    assert len(ran) == 1 and ran[0] == pytest.approx(5)


def test_a_jump_on_a_live_clock_adds_to_the_wall_clock():
    clock = Clock(mode="live", speed=1)
    clock.advance(3600)
    assert 3600 <= clock.seconds < 3610
    assert clock.describe()["mode"] == "live"


def test_a_live_wait_returns_when_another_thread_makes_it_ready():
    clock = Clock(mode="live")
    box = []
    threading.Timer(0.1, lambda: box.append("x")).start()
    start = time.perf_counter()
    assert clock.wait_until(lambda: list(box), 20) == ["x"]
    assert time.perf_counter() - start < 5
