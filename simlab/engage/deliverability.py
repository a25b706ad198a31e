"""A seeded deliverability model: what happens to a message no rule has decided.

Rules decide first (opt-out, duplicates, quotas, unverified identities, invalid addresses); what
they leave open for the channels Pinpoint delivers itself (does a push provider accept the token?
is the call answered?) is drawn here from a ``numpy.random.Generator``, so a seed replays the same
story. Email and SMS outcomes come from the services that carry them (SES, End User Messaging).
The probabilities are teaching defaults, not AWS figures; set your own to explore.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Deliverability:
    """Outcome probabilities and latencies (seconds) of the channels' providers."""

    push_temporary_failure: float = 0.01
    push_permanent_failure: float = 0.02
    voice_failure: float = 0.05
    mean_delivery_seconds: float = 4.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not name.startswith("mean_") and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} is a probability and must be within 0..1, got {value}")
            if name.startswith("mean_") and value <= 0:
                raise ValueError(f"{name} must be positive, got {value}")


@dataclass(frozen=True)
class PushOutcome:
    """What a push provider answers at once."""

    status: str  # SUCCESSFUL, TEMPORARY_FAILURE or PERMANENT_FAILURE
    code: int
    message: str


@dataclass(frozen=True)
class CallFate:
    """What becomes of an accepted voice call."""

    delivered: bool
    record_status: str
    after: float


class Model:
    """Draws outcomes from one seeded generator."""

    def __init__(self, rng: np.random.Generator, params: Deliverability | None = None) -> None:
        self.rng = rng
        self.params = params or Deliverability()

    def push(self) -> PushOutcome:
        """A push provider's answer to one notification."""
        p = self.params
        draw = self.rng.random()
        if draw < p.push_permanent_failure:
            return PushOutcome("PERMANENT_FAILURE", 410, "The device token is no longer valid")
        if draw < p.push_permanent_failure + p.push_temporary_failure:
            return PushOutcome("TEMPORARY_FAILURE", 503, "The push provider is unavailable")
        return PushOutcome("SUCCESSFUL", 200, "Notification accepted by the provider")

    def call(self) -> CallFate:
        """The fate of one accepted voice call."""
        p = self.params
        delay = float(self.rng.exponential(p.mean_delivery_seconds))
        if self.rng.random() < p.voice_failure:
            status = ("UNREACHABLE", "CARRIER_UNREACHABLE", "BLOCKED")[int(self.rng.integers(3))]
            return CallFate(False, status, delay)
        return CallFate(True, "DELIVERED", delay)
