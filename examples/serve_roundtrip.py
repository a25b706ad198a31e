"""Sends an SES email and an SNS text to a running ``simlab serve``, then reads the outbox.

    simlab serve --port 5000 &
    python examples/serve_roundtrip.py --endpoint-url http://127.0.0.1:5000

Uses only boto3 and the documented APIs, plus ``GET /simlab/outbox``.
"""

from __future__ import annotations

import argparse
import json
import urllib.request

import boto3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint-url", required=True)
    url = parser.parse_args().endpoint_url
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    ses = session.client("sesv2", endpoint_url=url)
    sns = session.client("sns", endpoint_url=url)

    for address in ("shop@example.com", "ana@example.com"):
        ses.create_email_identity(EmailIdentity=address)
    ses.send_email(
        FromEmailAddress="shop@example.com",
        Destination={"ToAddresses": ["ana@example.com"]},
        Content={"Simple": {"Subject": {"Data": "Receipt"}, "Body": {"Text": {"Data": "Thanks!"}}}},
    )
    sns.publish(PhoneNumber="+12065550100", Message="Your order shipped")

    with urllib.request.urlopen(f"{url}/simlab/outbox") as reply:
        for message in json.load(reply)["messages"]:
            print(message["channel"], message["service"], message["destination"], message["status"])


if __name__ == "__main__":
    main()
