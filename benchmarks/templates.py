"""Template rendering per endpoint: prints the median time to preview an email for N endpoints.

Run: ``.venv/bin/python benchmarks/templates.py [--endpoints 10000] [--runs 7]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime

from simlab.engage.phone import validate
from simlab.engage.templates import TemplateStore, preview

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)
EMAIL = {
    "Subject": "Hi {{User.UserAttributes.FirstName}}, your {{Attributes.Plan}} plan",
    "HtmlPart": (
        "<p>{{#if User.UserAttributes.FirstName.[0]}}Hello {{capitalize "
        "User.UserAttributes.FirstName.[0]}}{{else}}Hello{{/if}},</p>"
        "<ul>{{#each Attributes.Interests}}<li>{{upper this}}</li>{{/each}}</ul>"
        "<p>{{now 'long' tz=America/Los_Angeles}} - {{Metrics.Visits}} visits</p>"
    ),
    "TextPart": "{{User.UserAttributes.FirstName}}: {{join Attributes.Interests ', '}}",
    "DefaultSubstitutions": json.dumps({"User.UserAttributes.FirstName": "friend"}),
}


def endpoint(i: int) -> dict:
    return {
        "Id": f"ep-{i}",
        "Address": f"user{i}@example.com",
        "ChannelType": "EMAIL",
        "Attributes": {"Plan": ["gold"], "Interests": ["running", "music", "books"][: 1 + i % 3]},
        "Metrics": {"Visits": float(i % 50)},
        "User": {"UserId": f"u{i}", "UserAttributes": {"FirstName": [f"name{i}"]}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    template = TemplateStore().create("bench", "EMAIL", EMAIL, now=NOW)
    audience = [endpoint(i) for i in range(args.endpoints)]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        for one in audience:
            preview(template, one, now=NOW)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"preview email (3 parts) x {args.endpoints}: median {median:.3f} s "
        f"= {args.endpoints / median:,.0f} endpoints/s"
    )
    numbers = [f"+849{i:08d}" for i in range(args.endpoints)]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        for number in numbers:
            validate(number)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"PhoneNumberValidate (engine) x {args.endpoints}: median {median:.3f} s "
        f"= {args.endpoints / median:,.0f} numbers/s"
    )


if __name__ == "__main__":
    main()
