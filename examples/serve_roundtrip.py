"""Sends an SES email and an SNS text to a running ``simlab serve``, then reads the outbox.

    simlab serve --port 5000 &
    python examples/serve_roundtrip.py --endpoint-url http://127.0.0.1:5000

Uses only boto3 and the documented APIs, plus ``GET /simlab/outbox`` (where the handset's
one-time password for the SMS sandbox is read, as the phone's owner would read the text).
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
    # A new account's SMS sandbox texts only numbers verified with a one-time password.
    sns.create_sms_sandbox_phone_number(PhoneNumber="+12065550100")
    code = next(m["detail"]["code"] for m in outbox(url) if "code" in m["detail"])
    sns.verify_sms_sandbox_phone_number(PhoneNumber="+12065550100", OneTimePassword=code)
    sns.publish(PhoneNumber="+12065550100", Message="Your order shipped")

    for message in outbox(url):
        if "code" not in message["detail"]:
            print(message["channel"], message["service"], message["destination"], message["status"])


def outbox(url: str) -> list[dict]:
    """Every message the local AWS has sent."""
    with urllib.request.urlopen(f"{url}/simlab/outbox") as reply:
        return json.load(reply)["messages"]  # type: ignore[no-any-return]


if __name__ == "__main__":
    main()
