"""SNS publishes: prints the median time per Publish call, by target, in-process and over HTTP.

Run: ``.venv/bin/python benchmarks/sns.py [--messages 200] [--runs 5]``

Each figure is one boto3 ``Publish`` through the local AWS, the SMS rules or the fan-out to
the subscribers included: an SMS, a push, and a topic with an SQS queue, a confirmed email
address and a Python function (two signed envelopes per publish).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from simlab.aws import LocalAWS


def targets(aws: LocalAWS) -> dict[str, Callable[[object, str], object]]:
    """Sets up the targets; returns a publish function per target."""
    sns, sqs = aws.client("sns"), aws.client("sqs")
    aws.sns.raise_spend_quota(1_000_000)
    sns.set_sms_attributes(attributes={"MonthlySpendLimit": "1000000"})
    topic = sns.create_topic(Name="bench")["TopicArn"]
    url = sqs.create_queue(QueueName="bench")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    aws.sns.confirm("ops@example.com")
    function = aws.state.functions.register("bench", lambda event, context: None)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function)
    app = sns.create_platform_application(
        Name="bench", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="t")["EndpointArn"]
    return {
        "sms": lambda client, text: client.publish(PhoneNumber="+12065550100", Message=text),
        "push": lambda client, text: client.publish(TargetArn=endpoint, Message=text),
        "topic (sqs+email+function)": lambda client, text: client.publish(
            TopicArn=topic, Message=text
        ),
    }


def per_message(mode: str, messages: int) -> dict[str, float]:
    """Seconds per publish for each target, ``messages`` publishes each, fresh state."""
    with LocalAWS(mode) as aws:  # type: ignore[arg-type]
        publish = targets(aws)
        client = aws.client("sns")
        result = {}
        for name, call in publish.items():
            call(client, "warm-up")
            start = time.perf_counter()
            for i in range(messages):
                call(client, f"message {i}")
            result[name] = (time.perf_counter() - start) / messages
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for mode in ("inprocess", "server"):
        runs = [per_message(mode, args.messages) for _ in range(args.runs)]
        for name in runs[0]:
            median = statistics.median(run[name] for run in runs)
            print(f"{mode:<9} {name:<28} median {median * 1000:7.2f} ms per publish")


if __name__ == "__main__":
    main()
