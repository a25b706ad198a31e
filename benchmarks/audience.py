"""Notebook 02's audience at scale: generating, loading through boto3, counting a segment group.

Prints medians: ``population.generate``, one ``update_endpoints_batch`` call of 100 endpoints
and one ``put_events`` call of 100 sessions (in-process, so botocore and moto are included),
and ``segment_count`` of a segment group over the whole audience.

Run: ``.venv/bin/python benchmarks/audience.py [--endpoints 100000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from simlab.aws import LocalAWS, segment_count
from simlab.engage import population

GROUP = {
    "SegmentGroups": {
        "Include": "ALL",
        "Groups": [
            {
                "Dimensions": [
                    {"Attributes": {"interests": {"Values": ["sports"]}}},
                    {"Location": {"Country": {"Values": ["VN"]}}},
                    {"Behavior": {"Recency": {"Duration": "DAY_7", "RecencyType": "ACTIVE"}}},
                ],
                "Type": "ANY",
            }
        ],
    }
}


def median_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    n = args.endpoints
    seconds = median_of(args.runs, lambda: population.generate(n, np.random.default_rng(0)))
    print(f"generate {n:,} endpoints: median {seconds:.2f} s = {n / seconds:,.0f} endpoints/s")

    with LocalAWS(seed=0) as aws:
        pinpoint = aws.client("pinpoint")
        app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "bench"})[
            "ApplicationResponse"
        ]["Id"]
        people = population.generate(n, aws.state.rng("population"), now=aws.clock.now())
        calls = []
        for batch in population.batches(people):
            start = time.perf_counter()
            pinpoint.update_endpoints_batch(
                ApplicationId=app_id, EndpointBatchRequest={"Item": batch}
            )
            calls.append(time.perf_counter() - start)
        per_call = statistics.median(calls)
        print(
            f"update_endpoints_batch (100 endpoints, in-process): median {per_call * 1000:.1f} ms"
            f" per call; {len(calls):,} calls took {sum(calls):.1f} s"
        )
        calls = []
        for batch in population.sessions(people, aws.state.rng("sessions"), now=aws.clock.now()):
            start = time.perf_counter()
            pinpoint.put_events(ApplicationId=app_id, EventsRequest={"BatchItem": batch})
            calls.append(time.perf_counter() - start)
        print(
            f"put_events (100 sessions, in-process): median "
            f"{statistics.median(calls) * 1000:.1f} ms per call"
        )
        matched = segment_count(app_id, GROUP)
        seconds = median_of(args.runs, lambda: segment_count(app_id, GROUP))
        print(
            f"segment_count of a 3-dimension group over {n:,} endpoints ({matched:,} match): "
            f"median {seconds * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
