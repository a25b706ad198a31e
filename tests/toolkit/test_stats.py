import math

import pytest

from simlab.toolkit import holdout_range, rate, rate_table, two_rate_p_value


def test_a_rate_carries_its_wilson_interval():
    r = rate("opened", 10, 44)
    assert r.value == pytest.approx(10 / 44)
    # Wilson 95 % for 10 of 44, worked by hand: about 0.129 to 0.371
    assert (r.low, r.high) == (pytest.approx(0.1287, abs=1e-3), pytest.approx(0.3706, abs=1e-3))
    assert r.low < r.value < r.high


def test_the_interval_narrows_as_the_sample_grows():
    small, large = rate("a", 20, 100), rate("a", 2000, 10_000)
    assert large.high - large.low < (small.high - small.low) / 5


def test_an_empty_sample_says_nothing():
    r = rate("none", 0, 0)
    assert (r.value, r.low, r.high) == (0.0, 0.0, 1.0)


@pytest.mark.parametrize(("hits", "n"), [(5, 4), (-1, 3)])
def test_impossible_counts_are_refused(hits, n):
    with pytest.raises(ValueError, match="hits"):
        rate("x", hits, n)


def test_the_p_value_matches_the_closed_form_of_the_pooled_z_test():
    a, b = rate("a", 8, 49), rate("b", 12, 48)
    pooled = 20 / 97
    z = (12 / 48 - 8 / 49) / math.sqrt(pooled * (1 - pooled) * (1 / 49 + 1 / 48))
    assert two_rate_p_value(a, b) == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert two_rate_p_value(a, b) > 0.05


def test_a_large_gap_on_a_large_sample_is_not_chance():
    table = rate_table([rate("a", 1000, 10_000), rate("b", 1300, 10_000)])
    assert "unlikely chance" in table.splitlines()[-1]


def test_the_holdout_range_holds_95_percent_of_the_binomial():
    low, high = holdout_range(108, 0.10)
    probability = sum(math.comb(108, k) * 0.1**k * 0.9 ** (108 - k) for k in range(low, high + 1))
    assert probability >= 0.95
    assert (low, high) == (5, 17)


def test_a_share_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="share"):
        holdout_range(10, 1.5)
