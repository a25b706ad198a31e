"""A simulated clock for the emulator, driven by a SimPy environment, in one of two modes.

``manual`` (the default) is deterministic: time moves only when told, and a wait lets simulated
time pass at once instead of blocking. ``live`` follows the wall clock: simulated time is where
it started plus the wall time elapsed times ``speed``, plus any jump asked for; whoever reads or
syncs the clock runs what has fallen due.
"""

from __future__ import annotations

import contextvars
import heapq
import math
import threading
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, TypeVar

import simpy

from simlab.engage.batch_gc import fewer_young_passes
from simlab.engage.instants import UNIX_EPOCH, Instant, microseconds
from simlab.primitives.times import parse_instant

#: Where every simulated clock starts unless told otherwise: a Monday morning, UTC.
DEFAULT_EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)

ClockMode = Literal["manual", "live"]
CLOCK_MODES: tuple[ClockMode, ...] = ("manual", "live")
#: The furthest a clock may go: the end of the year 9999 (``datetime``'s own limit).
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
#: How long a live wait sleeps at most before it looks again (real seconds).
_LIVE_POLL = 0.05

T = TypeVar("T")


def _as_seconds(duration: float | timedelta) -> float:
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
    if 0.0 <= seconds < math.inf:
        return seconds
    if math.isnan(seconds) or math.isinf(seconds):
        raise ValueError(f"duration must be a finite number of seconds, got {seconds}")
    if seconds < 0:
        raise ValueError(f"duration must not be negative, got {seconds} s")
    return seconds


def parse_time(value: str | datetime) -> datetime:
    """Returns an aware UTC datetime from an ISO 8601 string or a datetime.

    Raises ValueError if ``value`` is not an ISO 8601 time.
    """
    if not isinstance(value, datetime):
        return parse_instant(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Standing(Protocol):
    """What ``ContextEnvironment.guard`` gives the work scheduled under it: the work runs while
    ``standing`` is true (read as an attribute, without a call, before each step)."""

    standing: bool


class ContextEnvironment(simpy.Environment):
    """A SimPy environment whose processes run in the ``contextvars`` context that started them.

    One clock serves every account of the local AWS; work an account scheduled (a campaign run,
    a buffer flush) goes on acting for that account, whoever moves the clock. ``guard``, when
    set, is called as a process starts and returns a ``Standing`` read before each of its
    steps: once it no longer stands (its account was reset) the process ends quietly.
    """

    guard: Callable[[], Standing] | None = None

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        #: Events scheduled so far; each one's number orders it among same-time events.
        self.scheduled = 0
        #: The ``_Starts`` event that the next ``call_later`` may join, if any.
        self.starts: _Starts | None = None

    def schedule(
        self,
        event: simpy.events.Event,
        priority: simpy.events.EventPriority = simpy.events.NORMAL,
        delay: float = 0,
    ) -> None:
        """Queues ``event`` as SimPy does, numbering events with a counter ``_Later`` reads."""
        self.scheduled = number = self.scheduled + 1
        heapq.heappush(self._queue, (self._now + delay, priority, number, event))

    def process(self, generator: Generator[simpy.events.Event, object, object]) -> simpy.Process:
        context = contextvars.copy_context()
        current = context.run(self.guard) if self.guard is not None else None
        return super().process(_in_context(context, generator, current))


def _in_context(
    context: contextvars.Context,
    generator: Generator[simpy.events.Event, object, object],
    current: Standing | None = None,
) -> Generator[simpy.events.Event, object, object]:
    """Steps ``generator`` inside ``context``, passing values and exceptions through, while
    ``current`` stands."""
    send: Callable[..., simpy.events.Event] = generator.send
    value: object = None
    while True:
        if current is not None and not current.standing:
            generator.close()
            return None
        try:
            event = context.run(send, value)
        except StopIteration as stop:
            return stop.value
        try:
            value, send = (yield event), generator.send
        except BaseException as error:  # an interrupt or a failed event goes to the process
            value, send = error, generator.throw


class _Later:
    """One ``call_later``: a bare event the environment steps once, with no process behind it.

    A SimPy process that waits ``seconds`` and then calls back takes three steps: it starts (an
    urgent event now), its timeout falls due (a normal event ``seconds`` later, queued as the
    process starts) and it ends (a normal event once the callback is done). ``_Later`` keeps
    the first two moments, so same-time work keeps its order: it joins a ``_Starts`` event,
    which stands for the urgent start events of every ``call_later`` made in a row with nothing
    else queued between them (they would run one after the other), and queues its own event
    ``seconds`` later when that runs. It skips the third step, which carries nothing unless the
    callback raises: then a failed event is queued in its place and the environment raises the
    error when it reaches it, as it would for the process.
    """

    __slots__ = (
        "_ok",
        "callbacks",
        "env",
        "_seconds",
        "_callback",
        "_args",
        "_context",
        "_current",
    )

    env: ContextEnvironment
    _ok: bool
    _seconds: float
    _callback: Callable[..., object]
    _args: tuple[object, ...]
    _context: contextvars.Context
    #: the guard's ``Standing``, got in the caller's context (None: no guard)
    _current: Standing | None
    #: The environment only iterates an event's callbacks, and nothing else sees this event,
    #: so every _Later shares one constant tuple (``_FIRING``) until it fires.
    callbacks: tuple[Callable[[_Later], None], ...] | None

    def _fire(self) -> None:
        if self._current is not None and not self._current.standing:
            return
        try:
            self._context.run(self._callback, *self._args)
        except Exception as error:  # the environment raises it a step later, as for a process
            self.env.event().fail(error)


class _Starts:
    """The urgent start events of ``call_later`` calls made in a row, as one event.

    Urgent events queued one after the other with nothing between them run one after the other
    too, so one event that starts each ``_Later`` in turn queues their timeouts in the same
    order, at the same moments, as theirs would have been.
    """

    __slots__ = ("_ok", "callbacks", "env", "laters", "number")

    def __init__(self, env: ContextEnvironment) -> None:
        self.env = env
        self._ok = True
        self.laters: list[_Later] = []
        self.callbacks: tuple[Callable[[_Starts], None], ...] | None = _STARTS
        env.schedule(self, simpy.events.URGENT)  # type: ignore[arg-type]
        self.number = env.scheduled
        env.starts = self

    def _start(self) -> None:
        env = self.env
        if env.starts is self:
            env.starts = None
        # each ``later._start()``, written out: one numbered timeout per later still wanted
        queue, now, number, push = env._queue, env._now, env.scheduled, heapq.heappush
        for later in self.laters:
            current = later._current
            if current is not None and not current.standing:
                continue
            number += 1
            entry = (now + later._seconds, _NORMAL, number, later)
            push(queue, entry)  # type: ignore[misc]
        env.scheduled = number
        self.laters = []


_FIRING: tuple[Callable[[_Later], None], ...] = (_Later._fire,)
_new_later = _Later.__new__
_NORMAL = simpy.events.NORMAL
_STARTS: tuple[Callable[[_Starts], None], ...] = (_Starts._start,)


class _Changed(threading.Condition):
    """The condition a clock notifies when its time or schedule changes; it counts the
    threads waiting on it, so a change with no one waiting costs no notification."""

    def __init__(self, lock: threading.RLock) -> None:
        super().__init__(lock)
        #: Threads in ``wait`` now (read and changed only with the lock held).
        self.waiting = 0

    def wait(self, timeout: float | None = None) -> bool:
        """``Condition.wait``, counted in ``waiting`` meanwhile."""
        self.waiting += 1
        try:
            return super().wait(timeout)
        finally:
            self.waiting -= 1


class Clock:
    """Simulated time, ``manual`` or ``live``.

    ``env`` is a SimPy environment whose time unit is one second since ``epoch``; anything
    scheduled on it (buffer flushes, campaign runs) happens as the clock reaches it. ``lock``
    guards the environment; pass the lock that guards the state scheduled work touches.
    """

    def __init__(
        self,
        epoch: datetime = DEFAULT_EPOCH,
        *,
        mode: ClockMode = "manual",
        speed: float = 1.0,
        lock: threading.RLock | None = None,
    ) -> None:
        if mode not in CLOCK_MODES:
            raise ValueError(f"clock mode must be one of {', '.join(CLOCK_MODES)}, got {mode!r}")
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"clock speed must be a positive number, got {speed}")
        self.epoch = parse_time(epoch)
        self.mode = mode
        self.speed = float(speed)
        #: The epoch as a naive UTC datetime, and in whole microseconds since the Unix epoch.
        self.naive_epoch = self.epoch.replace(tzinfo=None)
        self.epoch_microseconds = microseconds(self.epoch - UNIX_EPOCH)
        self._limit = (_LATEST - self.epoch).total_seconds()
        self.env = ContextEnvironment()
        self._lock = lock if lock is not None else threading.RLock()
        #: whether this thread holds the lock (the clock's sends and timers run holding it)
        self._owned: Callable[[], bool] = self._lock._is_owned  # type: ignore[attr-defined]
        self.changed = _Changed(self._lock)
        self._stepping = threading.local()
        # live mode: simulated seconds at the anchor, and the wall (monotonic) time of it
        self._anchor_seconds = 0.0
        self._anchor_wall = time.monotonic()
        self._last_instant = Instant(self, 0.0)

    @property
    def mode(self) -> ClockMode:
        """``manual`` or ``live``."""
        return self._mode

    @mode.setter
    def mode(self, mode: ClockMode) -> None:
        self._mode: ClockMode = mode
        self._manual = mode == "manual"

    # -- reading ---------------------------------------------------------------------------

    @property
    def seconds(self) -> float:
        """Seconds elapsed since the epoch."""
        if not self._manual:
            self.sync()
        return float(self.env.now)

    # Each reading first checks the instant read last against the environment's time, which
    # answers most reads (many sends and records share an instant) without a call.

    def now(self) -> datetime:
        """The current simulated time, UTC."""
        instant = self._last_instant
        if self._manual and instant.seconds == self.env._now:
            return instant.now
        return self._instant().now

    def naive_utc(self) -> datetime:
        """The current simulated time as a naive UTC datetime (how moto keeps time)."""
        instant = self._last_instant
        if self._manual and instant.seconds == self.env._now:
            return instant.naive
        return self._instant().naive

    def timestamp(self) -> float:
        """The current simulated time as a Unix timestamp in seconds."""
        instant = self._last_instant
        if self._manual and instant.seconds == self.env._now:
            return instant.timestamp
        return self._instant().timestamp

    def timestamp_ms(self) -> int:
        """The current simulated time as a Unix timestamp in milliseconds."""
        instant = self._last_instant
        if self._manual and instant.seconds == self.env._now:
            return instant.timestamp_ms
        return self._instant().timestamp_ms

    def _instant(self) -> Instant:
        """The current time in every form, made once per simulated instant (many sends and
        records share one)."""
        seconds = float(self.env._now) if self._manual else self.seconds
        instant = self._last_instant
        if instant.seconds != seconds:
            instant = self._last_instant = Instant(self, seconds)
        return instant

    def next_due(self) -> float:
        """Simulated seconds until the next scheduled work (``math.inf`` if none)."""
        with self._lock:
            return max(0.0, self.env.peek() - self.env.now)

    # -- moving ----------------------------------------------------------------------------

    def advance(self, duration: float | timedelta) -> datetime:
        """Moves time forward by ``duration`` (seconds or a timedelta), running what falls due.

        In ``live`` mode this is a jump on top of the wall clock. Raises ValueError for a
        negative, infinite or NaN duration, or one that passes the year 9999; nothing moves then.
        """
        seconds = _as_seconds(duration)
        with self._lock:
            self.sync()
            target = self.env.now + seconds
            if target > self._limit:
                raise ValueError(f"the clock cannot go past {_LATEST:%Y-%m-%d}")
            if self.mode == "live":
                self._anchor_seconds, self._anchor_wall = target, time.monotonic()
            self._run_until(target)
            return self.now()

    def advance_to(self, moment: str | datetime) -> datetime:
        """Moves time forward to ``moment``.

        Raises ValueError if ``moment`` is not a time, or lies before now (time never goes back).
        """
        target = parse_time(moment)
        with self._lock:
            delta = (target - self.now()).total_seconds()
            if delta < 0:
                raise ValueError(f"cannot move the clock back from {self.now():%Y-%m-%dT%H:%M:%SZ}")
            return self.advance(delta)

    def sync(self) -> None:
        """In ``live`` mode, runs what has fallen due by the wall clock; else does nothing."""
        if self._manual or getattr(self._stepping, "active", False):
            return
        with self._lock:
            elapsed = (time.monotonic() - self._anchor_wall) * self.speed
            self._run_until(min(self._anchor_seconds + elapsed, self._limit))

    def _run_until(self, target: float) -> None:
        """Steps the environment to ``target``; the caller holds the lock."""
        if target <= self.env.now and self.env.peek() > target:
            return
        self._stepping.active = True
        env = self.env
        queue, step = env._queue, env.step  # ``env.peek()``, read here without a call per step
        pop = heapq.heappop
        try:
            with fewer_young_passes():
                while queue and queue[0][0] <= target:  # what falls due at ``target`` runs too
                    event: Any = queue[0][3]
                    kind = type(event)
                    if kind is _Later:  # ``step`` of an event that never fails: ``_fire``
                        env._now = pop(queue)[0]
                        event.callbacks = None
                        current = event._current
                        if current is None or current.standing:
                            try:
                                event._context.run(event._callback, *event._args)
                            except Exception as error:  # as ``_fire`` passes it on
                                env.event().fail(error)
                    elif kind is _Starts:
                        env._now = pop(queue)[0]
                        event.callbacks = None
                        event._start()
                    else:
                        step()
                if self.env.now < target:
                    self.env.run(until=target)
        finally:
            self._stepping.active = False
        self.changed.notify_all()

    # -- waiting ---------------------------------------------------------------------------

    def wait_until(
        self,
        ready: Callable[[], T],
        timeout: float,
        wake_in: Callable[[], float | None] | None = None,
    ) -> T:
        """Returns ``ready()`` once it is truthy, or its last value after ``timeout`` seconds.

        ``manual``: simulated time passes at once, from one scheduled event to the next (or to
        the moment ``wake_in()`` says something may change, in seconds from now), up to the
        timeout.
        ``live``: waits on the wall clock (``timeout / speed``), releasing the lock meanwhile,
        and looks again whenever the clock or the state changes. Raises ValueError for a
        negative or non-finite timeout.
        """
        seconds = _as_seconds(timeout)
        with self._lock:
            if self.mode == "manual":
                return self._wait_manual(ready, seconds, wake_in)
            return self._wait_live(ready, seconds)

    def _wait_manual(
        self, ready: Callable[[], T], seconds: float, wake_in: Callable[[], float | None] | None
    ) -> T:
        deadline = min(self.env.now + seconds, self._limit)
        while True:
            result = ready()
            if result or self.env.now >= deadline:
                return result
            wake = wake_in() if wake_in is not None else None
            nearest = self.env.peek() if wake is None else min(self.env.peek(), self.env.now + wake)
            self._run_until(min(max(nearest, self.env.now), deadline))

    def _wait_live(self, ready: Callable[[], T], seconds: float) -> T:
        deadline = time.monotonic() + seconds / self.speed
        while True:
            self.sync()
            result = ready()
            remaining = deadline - time.monotonic()
            if result or remaining <= 0:
                return result
            self.changed.wait(min(remaining, _LIVE_POLL))

    def sleep(self, seconds: float) -> None:
        """Lets ``seconds`` of simulated time pass: at once in ``manual``, really in ``live``.

        Raises ValueError for a negative or non-finite duration.
        """
        duration = _as_seconds(seconds)
        if self.mode == "manual":
            self.advance(duration)
        else:
            time.sleep(duration / self.speed)

    # -- scheduling ------------------------------------------------------------------------

    def call_at(self, moment: datetime, callback: Callable[[], object]) -> None:
        """Runs ``callback`` once when the clock reaches ``moment`` (at once if it has)."""
        delay = max(0.0, (parse_time(moment) - self.now()).total_seconds())
        self.call_later(delay, callback)

    def call_later(
        self, delay: float | timedelta, callback: Callable[..., object], *args: object
    ) -> None:
        """Runs ``callback(*args)`` once after ``delay`` simulated seconds.

        The callback runs in the ``contextvars`` context of the caller, and not at all once the
        environment's ``guard`` check fails. It keeps the place among same-time work that a
        SimPy process started here would have (see ``_Later``). Raises ValueError for a negative
        or non-finite delay.
        """
        if not self._owned():  # a thread that does not hold the lock yet takes it
            with self._lock:
                self.call_later(delay, callback, *args)
            return
        # ``_as_seconds`` needs no call for a usual delay (nor ``cast``, a call too)
        usual = type(delay) is float and 0.0 <= delay < math.inf
        seconds: float = delay if usual else _as_seconds(delay)  # type: ignore[assignment]
        # the lock is held (by the caller: sends and timers hold it throughout); a ``_Later``
        # is filled here without an ``__init__`` call
        env = self.env
        later = _new_later(_Later)
        later.env, later._ok, later._seconds = env, True, seconds
        later._callback, later._args = callback, args
        later._context = contextvars.copy_context()
        guard = env.guard
        later._current = guard() if guard is not None else None
        later.callbacks = _FIRING
        starts = env.starts
        if starts is None or starts.number != env.scheduled:  # something was queued since
            starts = _Starts(env)
        starts.laters.append(later)
        if self.changed.waiting:
            self.changed.notify_all()

    def describe(self) -> dict[str, object]:
        """The clock as ``GET /simlab/clock`` shows it: time, seconds, mode and speed."""
        with self._lock:
            return {
                "now": self.now().isoformat().replace("+00:00", "Z"),
                "seconds": self.seconds,
                "mode": self.mode,
                "speed": self.speed,
            }

    def __repr__(self) -> str:
        return f"Clock(now={self.now().isoformat()}, mode={self.mode!r}, speed={self.speed})"
