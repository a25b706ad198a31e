"""Plain moto, without simlab: the per-message cost of the machinery simlab extends.

Each figure is a boto3 call loop against moto's own ``mock_aws`` in a fresh interpreter (simlab
replaces moto's SES and SNS backends when it opens, so the baseline must run where simlab never
did): SES ``send_email`` to one recipient and SNS ``publish`` to a phone number. The other
benchmarks call ``measure`` to print their figure beside these, measured in the same run.

Run alone: ``.venv/bin/python benchmarks/baseline.py [--messages 1000]`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

#: Calls of each kind made before timing starts.
WARM_UP = 20


def _loops(messages: int) -> dict[str, float]:
    """Seconds per message of each plain-moto loop (run in a process simlab never opened)."""
    import boto3
    from moto import mock_aws

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ[key] = "testing"
    with mock_aws():
        ses = boto3.client("ses", region_name="us-east-1")
        sns = boto3.client("sns", region_name="us-east-1")
        ses.verify_email_identity(EmailAddress="news@example.com")
        sns.set_sms_attributes(attributes={"MonthlySpendLimit": "1000000"})
        for _ in range(WARM_UP):  # botocore loads each operation's model on first use
            ses.send_email(
                Source="news@example.com",
                Destination={"ToAddresses": ["warm@example.com"]},
                Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "News"}}},
            )
            sns.publish(PhoneNumber="+12065550100", Message="warm")
        started = time.perf_counter()
        for n in range(messages):
            ses.send_email(
                Source="news@example.com",
                Destination={"ToAddresses": [f"reader{n}@example.com"]},
                Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "News"}}},
            )
        ses_seconds = (time.perf_counter() - started) / messages
        started = time.perf_counter()
        for n in range(messages):
            sns.publish(PhoneNumber=f"+1206{n:07d}", Message="News of the week")
        sns_seconds = (time.perf_counter() - started) / messages
    return {"ses_send_email": ses_seconds, "sns_publish": sns_seconds}


def measure(messages: int = 1000) -> dict[str, float]:
    """Runs the plain-moto loops in a fresh interpreter; returns seconds per message of each."""
    output = subprocess.run(
        [sys.executable, __file__, "--messages", str(messages)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    return {name: float(value) for name, value in json.loads(output).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(_loops(args.messages)))


if __name__ == "__main__":
    main()
