"""The aggregated model held to the exact one: the mean over seeds of each metric.

Each metric's mean may differ by at most b + 4 SE (b: 0.1% for totals, 0.2% for completion and
t99, 0.5% for backlog peak and latency percentiles when backlogged, max(1, 1%) for Firehose
objects). The normal suite checks a CI-sized case; ``-m heavy`` checks 20 seeds at 10^6.
"""

import math

import numpy as np
import pytest

from simlab.sim import preset, simulate

#: metric -> (relative bound b, absolute floor)
BOUNDS = {
    "sent": (0.001, 0),
    "delivered": (0.001, 0),
    "failed": (0.001, 0),
    "opted_out": (0.001, 0),
    "completion_s": (0.002, 0),
    "t99_s": (0.002, 0),
    "backlog_peak": (0.005, 0),
    "latency_p90_s": (0.005, 0),
    "latency_p99_s": (0.005, 0),
    "firehose_objects": (0.01, 1),
}


def gaps(messages: int, seeds: range) -> dict[str, tuple[float, float]]:
    """Per metric: |mean difference| and its allowed bound b + 4 SE."""
    scenario = preset("fidelity", messages=messages)
    runs = {m: [simulate(scenario, model=m, seed=s) for s in seeds] for m in ("exact", "aggregate")}
    out = {}
    for metric, (relative, floor) in BOUNDS.items():
        exact = np.array([getattr(r, metric) for r in runs["exact"]], dtype=float)
        agg = np.array([getattr(r, metric) for r in runs["aggregate"]], dtype=float)
        se = math.sqrt(exact.var(ddof=1) / len(exact) + agg.var(ddof=1) / len(agg))
        bound = max(floor, relative * abs(exact.mean())) + 4 * se
        out[metric] = (abs(agg.mean() - exact.mean()), bound)
    return out


def test_the_aggregate_matches_the_exact_model_at_ci_scale():
    for metric, (gap, bound) in gaps(20_000, range(5)).items():
        assert gap <= bound, metric


@pytest.mark.heavy
def test_the_aggregate_matches_the_exact_model_over_20_seeds_at_a_million():
    for metric, (gap, bound) in gaps(1_000_000, range(20)).items():
        assert gap <= bound, metric
