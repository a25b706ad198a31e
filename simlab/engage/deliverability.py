"""A seeded deliverability model: what happens to a message no rule has decided.

Rules decide first (opt-out, duplicates, quotas, unverified identities, invalid addresses); what
they leave open (does a push provider accept the token? does the mailbox accept the mail? is it
opened?) is drawn here from a ``numpy.random.Generator``, so a seed replays the same story. The
probabilities are teaching defaults, not AWS figures; set your own to explore.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simlab.facts import events


@dataclass(frozen=True)
class Deliverability:
    """Outcome probabilities and latencies (seconds) of the channels' providers."""

    push_temporary_failure: float = 0.01
    push_permanent_failure: float = 0.02
    email_hard_bounce: float = 0.02
    email_soft_bounce: float = 0.02
    email_open: float = 0.35
    email_click: float = 0.25  # of opened messages
    sms_failure: float = 0.04
    voice_failure: float = 0.05
    mean_delivery_seconds: float = 4.0
    mean_open_seconds: float = 1800.0
    mean_click_seconds: float = 120.0

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
class EmailFate:
    """What becomes of an accepted email, with delays after the send (None = never)."""

    outcome: str  # _email.delivered, _email.softbounce or _email.hardbounce
    smtp_code: int
    delivered_after: float
    opened_after: float | None
    clicked_after: float | None


@dataclass(frozen=True)
class TextFate:
    """What becomes of an accepted SMS or voice message."""

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

    def email(self) -> EmailFate:
        """The fate of one accepted email."""
        p = self.params
        draw = self.rng.random()
        delay = float(self.rng.exponential(p.mean_delivery_seconds))
        if draw < p.email_hard_bounce:
            return EmailFate("_email.hardbounce", 550, delay, None, None)
        if draw < p.email_hard_bounce + p.email_soft_bounce:
            codes = events.SOFT_BOUNCE_SMTP_CODES.value
            code = int(codes[int(self.rng.integers(len(codes)))])
            return EmailFate("_email.softbounce", code, delay, None, None)
        opened = clicked = None
        if self.rng.random() < p.email_open:
            opened = delay + float(self.rng.exponential(p.mean_open_seconds))
            if self.rng.random() < p.email_click:
                clicked = opened + float(self.rng.exponential(p.mean_click_seconds))
        return EmailFate("_email.delivered", 250, delay, opened, clicked)

    def text(self, channel: str = "SMS") -> TextFate:
        """The fate of one accepted SMS (or voice call, with ``channel="VOICE"``)."""
        p = self.params
        failure = p.voice_failure if channel == "VOICE" else p.sms_failure
        delay = float(self.rng.exponential(p.mean_delivery_seconds))
        if self.rng.random() < failure:
            status = ("UNREACHABLE", "CARRIER_UNREACHABLE", "BLOCKED")[int(self.rng.integers(3))]
            return TextFate(False, status, delay)
        return TextFate(True, "DELIVERED", delay)
