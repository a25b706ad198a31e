"""A batch of sends keeps old objects out of the collector's passes and hands freed memory back."""

from __future__ import annotations

import gc
import sys
import weakref

import pytest

from simlab.engage import batch_gc
from simlab.engage.batch_gc import Trimmer, older_objects_frozen


class Clock:
    """Seconds that move only when a test (or a slow trim) moves them."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def counting_trim(clock: Clock, takes: float = 0.0) -> tuple[list[float], object]:
    calls: list[float] = []

    def trim() -> int:
        calls.append(clock.now)
        clock.now += takes
        return 1

    return calls, trim


def test_older_objects_are_frozen_inside_a_batch_and_released_after():
    before = gc.get_freeze_count()
    with older_objects_frozen():
        assert gc.get_freeze_count() > before
        with older_objects_frozen():  # nested batches keep the outer freeze
            assert gc.get_freeze_count() > before
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == before


def test_a_trimmer_waits_its_gap_between_trims(clock):
    calls, trim = counting_trim(clock)
    trimmer = Trimmer(trim, gap=0.5, share=0.02, clock=clock)  # type: ignore[arg-type]
    assert not trimmer.maybe()  # the first gap has not passed
    clock.now += 0.5
    assert trimmer.maybe() and calls == [100.5]
    clock.now += 0.4
    assert not trimmer.maybe()
    clock.now += 0.1
    assert trimmer.maybe() and calls == [100.5, 101.0]
    assert trimmer.trims == 2


def test_a_slow_trim_pushes_the_next_one_back_to_keep_its_share_of_time(clock):
    calls, trim = counting_trim(clock, takes=0.1)  # 0.1 s a trim, 2 % share: 5 s apart
    trimmer = Trimmer(trim, gap=0.5, share=0.02, clock=clock)  # type: ignore[arg-type]
    clock.now += 0.5
    assert trimmer.maybe()
    clock.now += 4.0
    assert not trimmer.maybe()
    clock.now += 1.0
    assert trimmer.maybe()
    assert len(calls) == 2
    assert trimmer.seconds == pytest.approx(0.2)


def test_a_trimmer_without_a_trim_never_trims(clock):
    trimmer = Trimmer(None, clock=clock)
    clock.now += 1_000
    assert not trimmer.available
    assert not trimmer.maybe()
    assert trimmer.trims == 0


def test_the_outermost_batch_ending_offers_memory_back(monkeypatch, clock):
    calls, trim = counting_trim(clock)
    trimmer = Trimmer(trim, gap=0.5, clock=clock)  # type: ignore[arg-type]
    monkeypatch.setattr(batch_gc, "trimmer", trimmer)
    clock.now += 1.0
    with older_objects_frozen():
        with older_objects_frozen():
            clock.now += 1.0
        assert calls == []  # an inner batch ending leaves the trim to the outer one
    assert calls == [102.0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_process_trimmer_calls_glibc_where_it_is_the_c_library():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert batch_gc.trimmer.available
    trim = batch_gc._glibc_trim()
    assert trim is not None and trim() in (0, 1)


class Node:
    """A container that refers to itself: only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_garbage_frozen_when_a_batch_starts_is_collected_when_it_ends(monkeypatch, clock):
    collector = Trimmer(batch_gc._collect_all, gap=0.5, clock=clock)
    monkeypatch.setattr(batch_gc, "collector", collector)
    node = Node()  # alive when the batch starts (a request being served), so frozen with it
    gone = weakref.ref(node)
    clock.now += 1.0
    gc.disable()  # no automatic pass: only the batch's own can free the node
    try:
        with older_objects_frozen():
            del node  # dies inside the batch
            assert gone() is not None
        assert gone() is None
        assert collector.trims == 1
    finally:
        gc.enable()


@pytest.fixture
def default_thresholds():
    """The interpreter's collector thresholds, put back after the test."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*saved)


def test_a_batch_lets_the_youngest_generation_grow_and_puts_the_threshold_back(
    default_thresholds,
):
    with older_objects_frozen():
        assert gc.get_threshold() == (batch_gc.YOUNG_THRESHOLD, 10, 10)
        with batch_gc.fewer_young_passes():  # nested: still raised
            assert gc.get_threshold()[0] == batch_gc.YOUNG_THRESHOLD
        assert gc.get_threshold()[0] == batch_gc.YOUNG_THRESHOLD
    assert gc.get_threshold() == default_thresholds


def test_a_threshold_changed_inside_a_block_or_switched_off_is_left_as_it_is(
    default_thresholds,
):
    with batch_gc.fewer_young_passes():
        gc.set_threshold(50_000, 10, 10)  # the program's own choice, made meanwhile
    assert gc.get_threshold() == (50_000, 10, 10)
    gc.set_threshold(0, 10, 10)  # a collector switched off by threshold
    with batch_gc.fewer_young_passes():
        assert gc.get_threshold() == (0, 10, 10)
    assert gc.get_threshold() == (0, 10, 10)


def test_running_the_clock_raises_the_threshold_while_work_falls_due(default_thresholds):
    from simlab.engage.clock import Clock

    clock = Clock()
    seen: list[int] = []
    clock.call_later(5, lambda: seen.append(gc.get_threshold()[0]))
    clock.advance(10)
    assert seen == [batch_gc.YOUNG_THRESHOLD]
    assert gc.get_threshold() == default_thresholds


@pytest.fixture
def no_passes_after_batches(monkeypatch, clock):
    """No rate-limited full pass after a batch and no automatic pass: only a batch's own."""
    monkeypatch.setattr(batch_gc, "collector", Trimmer(None, clock=clock))
    gc.disable()
    yield
    gc.enable()


def test_garbage_made_inside_a_batch_is_gone_when_it_ends(no_passes_after_batches):
    with older_objects_frozen():
        gone = weakref.ref(Node())  # made and dropped inside the batch
        assert gone() is not None
    assert gone() is None


def test_young_garbage_is_dropped_before_a_batch_freezes_it(no_passes_after_batches):
    gone = weakref.ref(Node())  # a finished request's self-referring parser
    with older_objects_frozen():
        assert gone() is None  # frozen, it would wait for a full pass of the whole process


def test_a_batch_inside_a_clock_run_leaves_its_garbage_to_the_full_pass(no_passes_after_batches):
    with batch_gc.fewer_young_passes():  # what a clock holds while it runs what fell due
        with older_objects_frozen():  # a campaign's chunk
            gone = weakref.ref(Node())
        assert gone() is not None  # no young pass after the chunk: it waits ...
    gc.collect()
    assert gone() is None  # ... for a full pass (``collector``'s, rate-limited)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_serves_large_blocks_from_their_own_mappings():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert batch_gc._pin_mmap_threshold()
