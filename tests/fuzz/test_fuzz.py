"""Generated requests for every operation of five services never crash the local AWS.

Each run sends botocore-valid requests and raw ones (wrong types, boundary values, missing
members) through a client with its own validation off, in process and over HTTP. It fails on any
5xx, any answer botocore cannot parse, any hang, any 4xx carrying Python exception text, and any
no-input read that breaks after a write.
"""

from __future__ import annotations

import pytest

from simlab.aws import LocalAWS
from tests.fuzz.oracle import RAW, SERVICES, Fuzzer, Tally

FAST_REQUESTS = 80
THOROUGH_REQUESTS = 1000


def fuzz(aws: LocalAWS, service: str, count: int, seed: int) -> Tally:
    """Runs ``count`` generated requests for ``service`` against a freshly reset local AWS."""
    aws.reset()
    client = aws.client(service, config=RAW)
    fuzzer = Fuzzer(client, seed, in_thread=aws.mode == "inprocess")
    try:
        return fuzzer.run(sorted(client.meta.service_model.operation_names), count)
    finally:
        fuzzer.close()


def report(service: str, tally: Tally) -> str:
    lines = [
        f"{service}: {tally.requests} requests, {tally.server_errors} 5xx, "
        f"{tally.unparseable} unparseable, {tally.hangs} hangs, {tally.python_text} with "
        f"Python text, {tally.broken_reads} broken reads"
    ]
    lines += tally.failures[:25]
    return "\n".join(lines)


@pytest.mark.parametrize("service", SERVICES)
def test_a_seeded_slice_of_generated_requests_gets_only_parseable_answers(
    fuzz_aws: LocalAWS, service: str
) -> None:
    tally = fuzz(fuzz_aws, service, FAST_REQUESTS, seed=11)
    assert tally.requests >= FAST_REQUESTS // 2
    assert tally.failed == 0, report(service, tally)


@pytest.mark.fuzz
@pytest.mark.parametrize("seed", range(1))
@pytest.mark.parametrize("service", SERVICES)
def test_thousands_of_generated_requests_get_only_parseable_answers(
    fuzz_aws: LocalAWS, service: str, seed: int
) -> None:
    tally = fuzz(fuzz_aws, service, THOROUGH_REQUESTS, seed=1000 + seed)
    print(report(service, tally))
    assert tally.failed == 0, report(service, tally)
