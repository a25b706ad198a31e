"""Templates: compile and render times of simlab's engine against pybars3, then previews.

Prints medians and the ratio pybars3 / engine measured in the same run (pybars3 is skipped
when it is not installed), for compiling a 100 KB email template, rendering it, and rendering
a short one; then the engine alone compiling 500 KB, previewing an email per endpoint and
validating phone numbers. With ``--handlebars-js PATH`` (``handlebars.min.js`` of the npm
package ``handlebars``) and mini-racer installed, it also times the reference handlebars.js in
V8 and prints how often the engine and pybars3 render random templates exactly as it does.

Run: ``.venv/bin/python benchmarks/templates.py [--endpoints 10000] [--runs 7]
[--handlebars-js PATH --samples 500 --seed 1]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from simlab.engage import handlebars
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


UNIT = (
    "<p>Dear {{contact.firstName}}, {{#if vip}}thanks for being VIP{{else}}welcome{{/if}}.</p>\n"
    "<ul>{{#each items}}<li>{{title}} x {{qty}}</li>{{/each}}</ul>\n"
)
DATA = {
    "contact": {"firstName": "Anaya"},
    "vip": False,
    "items": [{"title": "pen", "qty": 2}, {"title": "ink", "qty": 1}],
}


def sized(target: int) -> str:
    """An email template of about ``target`` characters, UNIT repeated."""
    return UNIT * (target // len(UNIT) + 1)


def median_of(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_compile(source: str) -> handlebars.Template:
    return handlebars.Template(handlebars.parser.parse(source, 64))  # bypasses the cache


def compare(runs: int) -> None:
    """Engine vs pybars3 in this run: compile 100 KB, render it, render a short template."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from pybars import Compiler
    except ImportError:
        Compiler = None  # noqa: N806
    big, short = sized(100_000), UNIT
    rows = [
        ("compile 100 KB", lambda: engine_compile(big), lambda: Compiler().compile(big)),
    ]
    mine_big, mine_short = engine_compile(big), engine_compile(short)
    rows.append(("render 100 KB", lambda: mine_big.render(DATA), None))
    rows.append(
        ("render short x1000", lambda: [mine_short.render(DATA) for _ in range(1000)], None)
    )
    theirs: dict[str, Callable[[], Any]] = {}
    if Compiler is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pybars_big, pybars_short = Compiler().compile(big), Compiler().compile(short)
        theirs["render 100 KB"] = lambda: pybars_big(DATA)
        theirs["render short x1000"] = lambda: [pybars_short(DATA) for _ in range(1000)]
    for label, mine, other in rows:
        other = other if other is not None else theirs.get(label)
        engine = median_of(runs, mine)
        line = f"{label:<22} engine median {engine * 1000:9.2f} ms"
        if Compiler is not None and other is not None:
            baseline = median_of(max(1, runs if "compile" not in label else 3), other)
            line += (
                f" | pybars3 {baseline * 1000:10.2f} ms | pybars3/engine {baseline / engine:7.1f}x"
            )
        print(line)
    huge = sized(500_000)
    seconds = median_of(runs, lambda: engine_compile(huge))
    print(f"compile {len(huge) / 1000:.0f} KB          engine median {seconds * 1000:9.2f} ms")
    units = (
        f"<p>{{{{#if f{i}}}}}Dear {{{{c.n{i}}}}} {{{{x{i}}}}}{{{{/if}}}}</p>\n"
        for i in range(40_000)
    )
    dense = "".join(units)[:500_000]
    dense = dense[: dense.rindex("</p>") + 5]
    seconds = median_of(runs, lambda: engine_compile(dense))
    print(
        f"compile {len(dense) / 1000:.0f} KB dense    engine median {seconds * 1000:9.2f} ms "
        "(a tag every 15 characters, no expression repeated)"
    )


def against_reference(path: str, runs: int, samples: int, seed: int) -> None:
    """handlebars.js in V8 vs the engine: speed in this run, then fidelity counts."""
    from template_reference import Reference, fidelity

    with open(path, encoding="utf-8") as script:
        reference = Reference(script.read())
    try:
        big, short = sized(100_000), UNIT
        rows = [
            ("compile 100 KB", lambda: engine_compile(big), lambda: reference.compile_seconds(big)),
            (
                "render short x1000",
                lambda: (
                    [engine_compile(short).render(DATA)]
                    + [MINE_SHORT.render(DATA) for _ in range(999)]
                ),
                lambda: reference.timed_loop(short, DATA, 1000),
            ),
        ]
        for label, mine, theirs in rows:
            engine = median_of(runs, mine)
            v8 = statistics.median(theirs() for _ in range(runs))
            print(
                f"{label:<22} engine median {engine * 1000:9.2f} ms | handlebars.js (V8) "
                f"{v8 * 1000:8.2f} ms | engine/handlebars.js {engine / max(v8, 1e-6):6.1f}x"
            )
        fidelity(reference, samples, seed)
    finally:
        reference.close()


MINE_SHORT = handlebars.compile_template(UNIT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--handlebars-js", help="path to handlebars.min.js (npm handlebars)")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    compare(args.runs)
    if args.handlebars_js:
        against_reference(args.handlebars_js, args.runs, args.samples, args.seed)
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
