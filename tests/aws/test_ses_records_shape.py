"""SES's small value helpers give exactly what the plain Python they stand for gives.

``outcomes.millis`` is ``round(seconds, 3)`` bit for bit (latencies land in records and on
the clock); ``SentEmail.recipients`` is To, then Cc, then Bcc.
"""

from __future__ import annotations

import math
import random
import struct
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from simlab.aws.services.ses.outcomes import millis
from simlab.aws.services.ses.records import SentEmail


def _bits(value: float) -> bytes:
    return struct.pack("<d", value)


@given(st.floats(allow_nan=False))
def test_millis_is_round_to_three_places(seconds: float) -> None:
    assert _bits(millis(seconds)) == _bits(round(seconds, 3))


def test_millis_agrees_on_ties_zeros_and_drawn_latencies() -> None:
    draws = random.Random(7)
    latencies = [1.0 + 4.0 * draws.random() for _ in range(20_000)]
    ties = [n / 1000 + 0.0005 for n in range(5_000)] + [n / 2000 for n in range(5_000)]
    odd = [0.0, -0.0, -0.0004, 0.0004999, 0.0005, 2.675, 1e15, -1e15, math.inf, -math.inf]
    for seconds in latencies + ties + odd:
        assert _bits(millis(seconds)) == _bits(round(seconds, 3)), seconds
    assert math.isnan(millis(math.nan))


def _sent(to: tuple[str, ...], cc: tuple[str, ...], bcc: tuple[str, ...]) -> SentEmail:
    when = datetime(2026, 12, 7, tzinfo=UTC)
    return SentEmail(
        "id", "me@example.com", "arn", "123456789012", when, to, cc, bcc, "", "", "", None
    )


def test_recipients_are_to_then_cc_then_bcc() -> None:
    assert _sent(("a@x.com",), (), ()).recipients == ("a@x.com",)
    both = _sent(("a@x.com", "b@x.com"), ("c@x.com",), ("d@x.com",))
    assert both.recipients == ("a@x.com", "b@x.com", "c@x.com", "d@x.com")
    assert _sent((), (), ("d@x.com",)).recipients == ("d@x.com",)
