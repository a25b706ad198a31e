"""A rate on a small sample, with the interval that says how little it may mean.

``rate`` gives a proportion with its 95 % Wilson score interval; ``two_rate_p_value`` the
two-sided p-value of a pooled two-proportion z-test; ``holdout_range`` the counts a random split
of ``n`` at ``share`` lands between 95 % of the time (exact binomial). All pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``n``, with its 95 % Wilson score interval."""

    label: str
    hits: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float:
        """Returns ``hits / n`` (0 when ``n`` is 0)."""
        return self.hits / self.n if self.n else 0.0

    def text(self) -> str:
        """Returns ``label: hits of n (p %, 95 % interval lo-hi %)``."""
        return (
            f"{self.label}: {self.hits} of {self.n} ({self.value:.0%}, "
            f"95% interval {self.low:.0%} to {self.high:.0%})"
        )


def rate(label: str, hits: int, n: int) -> Rate:
    """Returns the rate ``hits / n`` with its Wilson interval; raises ValueError if hits > n."""
    if n < 0 or not 0 <= hits <= max(n, 0):
        raise ValueError(f"hits {hits} must lie between 0 and n {n}")
    if n == 0:
        return Rate(label, 0, 0, 0.0, 1.0)
    p = hits / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return Rate(label, hits, n, max(0.0, centre - half), min(1.0, centre + half))


def two_rate_p_value(a: Rate, b: Rate) -> float:
    """Returns the two-sided p-value that ``a`` and ``b`` share one true rate (pooled z-test)."""
    if not a.n or not b.n:
        return 1.0
    pooled = (a.hits + b.hits) / (a.n + b.n)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n))
    if spread == 0:
        return 1.0
    z = abs(a.value - b.value) / spread
    return math.erfc(z / math.sqrt(2))


def rate_table(rates: Sequence[Rate]) -> str:
    """Returns one line per rate and, for two, the p-value of their difference."""
    lines = [r.text() for r in rates]
    if len(rates) == 2:
        p = two_rate_p_value(*rates)
        verdict = "a difference this size is common by chance" if p >= 0.05 else "unlikely chance"
        lines.append(f"difference {rates[1].value - rates[0].value:+.0%}, p = {p:.2f}: {verdict}")
    return "\n".join(lines)


def holdout_range(n: int, share: float) -> tuple[int, int]:
    """Returns the central 95 % range of Binomial(n, share); raises ValueError outside 0..1."""
    if not 0 <= share <= 1 or n < 0:
        raise ValueError(f"share {share} must lie in 0..1 and n {n} must not be negative")
    cumulative, low, high = 0.0, None, n
    for k in range(n + 1):
        cumulative += math.comb(n, k) * share**k * (1 - share) ** (n - k)
        if low is None and cumulative >= 0.025:
            low = k
        if cumulative >= 0.975:
            high = k
            break
    return (low or 0), high
