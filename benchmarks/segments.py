"""Segment evaluation over a large audience: builds 1e6 endpoints, prints the median time.

Run: ``.venv/bin/python benchmarks/segments.py [--endpoints 1000000] [--runs 7]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from simlab.engage import segments
from simlab.engage.endpoints import EndpointStore

SEGMENT = {
    "Dimensions": {
        "Demographic": {"Platform": {"DimensionType": "INCLUSIVE", "Values": ["ios"]}},
        "Attributes": {"interest": {"AttributeType": "INCLUSIVE", "Values": ["sports", "music"]}},
        "Location": {
            "GPSPoint": {
                "Coordinates": {"Latitude": 47.6, "Longitude": -122.3},
                "RangeInKilometers": 500,
            }
        },
    }
}


def build(n: int, seed: int = 0) -> EndpointStore:
    """Builds a synthetic audience of ``n`` endpoints."""
    rng = np.random.default_rng(seed)
    store = EndpointStore()
    interests = np.array(["sports", "music", "travel", "food", "games"])
    store.append_columns(
        [f"ep-{i}" for i in range(n)],
        text={
            "ChannelType": rng.choice(["EMAIL", "SMS", "APNS", "GCM"], n).tolist(),
            "Address": [f"user{i}@example.com" for i in range(n)],
            "Demographic.Platform": rng.choice(["ios", "android", "web"], n).tolist(),
            "Location.Country": rng.choice(["US", "CA", "VN", "DE"], n).tolist(),
        },
        numbers={
            "Location.Latitude": rng.uniform(25, 50, n).round(1),
            "Location.Longitude": rng.uniform(-125, -70, n).round(1),
        },
        attributes={"interest": [(str(v),) for v in rng.choice(interests, n)]},
        metrics={"purchases": rng.poisson(3, n)},
    )
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    store = build(args.endpoints)
    print(f"built {args.endpoints:,} endpoints in {time.perf_counter() - started:.1f} s")
    times, found = [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        found = segments.count(store, SEGMENT, now=0.0)
        times.append(time.perf_counter() - started)
    print(f"three-dimension segment: {found:,} endpoints")
    print(f"median over {args.runs} runs: {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
