import numpy as np
import pytest

from simlab.sim.arrivals import blocks, tick_counts
from simlab.sim.scenario import DAY, Arrival


@pytest.mark.parametrize("pattern", ["burst", "steady", "diurnal"])
def test_blocks_are_sorted_and_hold_every_message(pattern):
    arrival = Arrival(pattern, 3600.0, DAY)
    times = np.concatenate(list(blocks(arrival, 20_000, np.random.default_rng(1))))
    assert len(times) == 20_000
    assert np.all(np.diff(times) >= 0)
    assert times.min() >= 3600.0 and times.max() <= 3600.0 + DAY


def test_diurnal_blocks_and_tick_counts_follow_the_same_curve():
    arrival = Arrival("diurnal", 0.0, DAY, peak_hour=19.0, amplitude=0.8)
    times = np.concatenate(list(blocks(arrival, 200_000, np.random.default_rng(2))))
    hourly_exact = np.histogram(times, bins=24, range=(0, DAY))[0]
    counts = tick_counts(arrival, 200_000, 3600.0, 25, np.random.default_rng(3))
    assert counts.sum() == 200_000
    # two independent samples of one curve: each hour differs by a few standard deviations at most
    assert np.all(np.abs(hourly_exact - counts[1:]) <= 5 * np.sqrt(2 * counts[1:]))
    assert np.argmax(counts[1:]) in (18, 19)  # the busiest hour ends near 19:00


def test_steady_arrivals_land_in_the_same_ticks_in_both_forms():
    arrival = Arrival("steady", 10.0, 100.0)
    times = np.concatenate(list(blocks(arrival, 1_000, np.random.default_rng(0))))
    exact = np.bincount(np.ceil(times - 1e-9).astype(int), minlength=120)
    assert list(tick_counts(arrival, 1_000, 1.0, 120, np.random.default_rng(0))) == list(exact)


def test_event_arrivals_are_poisson_around_the_audience():
    arrival = Arrival("event", 0.0, 1_000.0)
    sizes = [
        sum(len(b) for b in blocks(arrival, 10_000, np.random.default_rng(seed)))
        for seed in range(20)
    ]
    assert np.mean(sizes) == pytest.approx(10_000, rel=0.01)
    assert np.std(sizes) == pytest.approx(100, rel=0.5)  # sqrt(10,000)
