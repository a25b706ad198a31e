"""The fuzz oracle counts what it must: 5xx, Python text in messages, and clean 4xx apart."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from tests.fuzz.generator import Generator
from tests.fuzz.oracle import RAW, Fuzzer


def stubbed_fuzzer() -> tuple[Fuzzer, Stubber]:
    client = boto3.client(
        "sns", region_name="us-east-1", config=RAW, aws_access_key_id="x", aws_secret_access_key="x"
    )
    return Fuzzer(client, seed=1, in_thread=False), Stubber(client)


def test_a_5xx_a_python_message_and_a_clean_4xx_are_told_apart() -> None:
    fuzzer, stubber = stubbed_fuzzer()
    stubber.add_client_error("list_topics", "InternalFailure", "boom", http_status_code=500)
    stubber.add_client_error("list_topics", "InvalidParameter", "KeyError: 'x'", 400)
    stubber.add_client_error("list_topics", "InvalidParameter", "NextToken is not valid", 400)
    operation = fuzzer.model.operation_model("ListTopics")
    with stubber:
        for _ in range(3):
            fuzzer.send(operation, {}, "valid")
    tally = fuzzer.tally
    assert (tally.server_errors, tally.python_text, tally.failed) == (1, 1, 2)
    assert tally.outcomes["4xx InvalidParameter"] == 1


def test_generated_requests_pass_botocore_validation_and_are_seeded() -> None:
    fuzzer, _ = stubbed_fuzzer()
    operation = fuzzer.model.operation_model("Subscribe")
    first = [Generator(7).valid(operation) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    validating = boto3.client(
        "sns", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(validating) as stub:
        stub.add_response("subscribe", {}, first[0])
        validating.subscribe(**first[0])
