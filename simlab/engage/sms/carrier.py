"""What carriers do with a message: outcome odds and latency (simulation assumptions)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from simlab.facts import sms


@dataclass
class CarrierModel:
    """What carriers do with a message: outcome odds and receipt latency (assumptions).

    ``outcomes`` maps a final text status to its probability; ``UNKNOWN`` means no receipt
    ever comes, so the engine reports ``TEXT_UNKNOWN`` when the 72-hour wait runs out.
    Latency is lognormal around ``median_latency_s``. ``forced`` pins the outcome for a
    destination, e.g. to show a learner a block.
    """

    outcomes: Mapping[str, float] = field(
        default_factory=lambda: {
            "DELIVERED": 0.955,
            "UNREACHABLE": 0.012,
            "CARRIER_UNREACHABLE": 0.005,
            "BLOCKED": 0.008,
            "CARRIER_BLOCKED": 0.005,
            "SPAM": 0.005,
            "INVALID": 0.005,
            "UNKNOWN": 0.005,
        }
    )
    voice_outcomes: Mapping[str, float] = field(
        default_factory=lambda: {"COMPLETED": 0.85, "NO_ANSWER": 0.08, "BUSY": 0.04, "FAILED": 0.03}
    )
    median_latency_s: float = 4.0
    latency_sigma: float = 1.0
    ring_seconds: float = 8.0
    forced: dict[str, str] = field(default_factory=dict)

    def force(self, destination: str, status: str) -> None:
        """Makes every message to ``destination`` end as ``status`` (e.g. ``"BLOCKED"``)."""
        allowed = {*self.outcomes, *self.voice_outcomes, "TTL_EXPIRED"}
        if status not in allowed:
            raise ValueError(f"status must be one of {sorted(allowed)}, got {status!r}")
        self.forced[destination] = status

    def text_outcome(
        self, rng: np.random.Generator, destination: str, ttl: int | None
    ) -> tuple[str, float]:
        """Draws a text's final status and the seconds until its receipt (or the 72-h wait)."""
        outcome = self.forced.get(destination) or choose(rng, self.outcomes)
        latency = lognormal(rng, math.log(self.median_latency_s), self.latency_sigma)
        timeout = sms.CARRIER_RECEIPT_TIMEOUT_HOURS.value * 3600
        if outcome == "UNKNOWN" or latency >= timeout:
            return "UNKNOWN", timeout
        if ttl is not None and latency > ttl:
            return "TTL_EXPIRED", float(ttl)
        return outcome, latency

    def voice_outcome(self, rng: np.random.Generator, destination: str) -> str:
        """Draws how a call ends (``COMPLETED``, ``NO_ANSWER`` ...)."""
        return self.forced.get(destination) or choose(rng, self.voice_outcomes)


def lognormal(rng: np.random.Generator, mean: float, sigma: float) -> float:
    """``float(rng.lognormal(mean, sigma))``, the same draw worked out the way numpy works it
    out (``exp(mean + sigma * z)`` of one standard normal ``z``), at half its cost."""
    return math.exp(mean + sigma * rng.standard_normal())


def choose(rng: np.random.Generator, odds: Mapping[str, float]) -> str:
    """Draws one name with probability proportional to its odds."""
    point = float(rng.random()) * sum(odds.values())
    for name, weight in odds.items():
        point -= weight
        if point < 0:
            return name
    return list(odds)[-1]
