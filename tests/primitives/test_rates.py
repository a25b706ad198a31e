import math

import pytest

from simlab.primitives import GSM7, UCS2, Parts, RollingWindow, TokenBucket, count_parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Parts(GSM7, 0, 0)),
        ("Your code is 123456", Parts(GSM7, 19, 1)),
        ("a" * 160, Parts(GSM7, 160, 1)),
        ("a" * 161, Parts(GSM7, 161, 2)),
        ("a" * 306, Parts(GSM7, 306, 2)),
        ("a" * 307, Parts(GSM7, 307, 3)),
        ("€" * 80, Parts(GSM7, 160, 1)),  # extension characters count twice
        ("Xin chào", Parts(GSM7, 8, 1)),  # "à" is in the GSM-7 alphabet
        ("Cảm ơn", Parts(UCS2, 6, 1)),
        ("ả" * 70, Parts(UCS2, 70, 1)),
        ("ả" * 71, Parts(UCS2, 71, 2)),
        ("😀" * 35, Parts(UCS2, 70, 1)),  # outside the BMP: two code units each
    ],
)
def test_parts_follow_gsm7_and_ucs2_sizes(text, expected):
    assert count_parts(text) == expected


def test_an_escape_pair_never_straddles_two_parts():
    # 152 plain septets then '€' (2 septets): the euro sign moves whole to part 2
    assert count_parts("a" * 152 + "€" + "b" * 10).parts == 2
    assert count_parts("a" * 152 + "€" + "b" * 152).parts == 3


def test_token_bucket_admits_the_rate_and_refills_with_time():
    bucket = TokenBucket(rate=1)
    assert bucket.try_take(0.0)
    assert not bucket.try_take(0.5)
    assert bucket.wait_time(0.5) == pytest.approx(0.5)
    assert bucket.try_take(1.0)
    burst = TokenBucket(rate=10, burst=10)
    assert sum(burst.try_take(0.0) for _ in range(15)) == 10


def test_token_bucket_rejects_impossible_rates():
    with pytest.raises(ValueError, match="rate must be positive"):
        TokenBucket(rate=0)


def test_rolling_window_forgets_what_left_the_window():
    day = RollingWindow(window=86_400, limit=200)
    assert all(day.try_add(float(t)) for t in range(200))
    assert not day.try_add(300.0)
    assert day.used(300.0) == 200
    assert day.try_add(86_400.0)  # the event at t=0 has left the window
    assert RollingWindow(60, limit=-1).remaining(0.0) == math.inf


def test_the_old_sim_names_are_the_same_objects():
    from simlab.sim import rates

    assert rates.TokenBucket is TokenBucket and rates.count_parts is count_parts
