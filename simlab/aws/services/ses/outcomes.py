"""What happens to each recipient after SES accepts a message.

Mailbox simulator addresses behave as AWS documents them (facts.ses.MAILBOX_SIMULATOR); every
other recipient's fate is drawn from a seeded ``Deliverability`` model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from simlab.facts import ses as facts

DELIVERY = "DELIVERY"
BOUNCE = "BOUNCE"
COMPLAINT = "COMPLAINT"
AUTO_RESPONSE = "AUTO_RESPONSE"
SUPPRESSED = "SUPPRESSED"
DELAYED = "DELAYED"
REJECT = "REJECT"


@dataclass(frozen=True)
class Deliverability:
    """How recipients outside the mailbox simulator respond; every draw is seeded.

    Probabilities are per recipient. The defaults sit at SES's own reputation lines: hard bounces
    at the 2% "best practice" ceiling and complaints at the 0.1% review threshold (facts.ses 4.14);
    delays, opens and clicks are teaching assumptions, not AWS figures. Latencies are seconds of
    simulated time: from send to the delivery attempt, and from delivery to an open, click or
    complaint.
    """

    bounce: float = facts.BOUNCE_RATE_BEST_PRACTICE.value
    complaint: float = facts.COMPLAINT_RATE_REVIEW.value
    delivery_delay: float = 0.01
    reject: float = 0.0
    open: float = 0.25
    click: float = 0.2
    delivery_latency: tuple[float, float] = (1.0, 5.0)
    feedback_latency: tuple[float, float] = (30.0, 600.0)
    delay_latency: tuple[float, float] = (300.0, 3600.0)

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                low, high = value
                if not 0 <= low <= high:
                    raise ValueError(
                        f"{item.name} must be (low, high) seconds with 0 <= low <= high, "
                        f"got {value}"
                    )
            elif not 0.0 <= value <= 1.0:
                raise ValueError(f"{item.name} must be a probability in [0, 1], got {value}")
        exclusive = self.bounce + self.complaint + self.delivery_delay + self.reject
        if exclusive > 1.0:
            raise ValueError(
                f"bounce + complaint + delivery_delay + reject must not exceed 1, got {exclusive:g}"
            )


@dataclass(frozen=True)
class Fate:
    """One recipient's outcome: ``kind``, and for bounces their type and subtype."""

    kind: str
    bounce_type: str = ""
    bounce_subtype: str = ""
    simulator: bool = False


def simulator_label(address: str) -> str | None:
    """Returns the mailbox simulator scenario of ``address`` (labels allowed), or None."""
    local, _, domain = address.rpartition("@")
    if domain.lower() != facts.MAILBOX_SIMULATOR_DOMAIN.value:
        return None
    base = f"{local.split('+', 1)[0].lower()}@{domain.lower()}"
    return facts.MAILBOX_SIMULATOR.value.get(base, "BOUNCE")


def is_simulator(address: str) -> bool:
    """True for mailbox simulator addresses: always deliverable, even from the sandbox."""
    return simulator_label(address) is not None


_SIMULATED = {
    "SUCCESSFUL_DELIVERY": Fate(DELIVERY, simulator=True),
    "BOUNCE": Fate(BOUNCE, "Permanent", "General", simulator=True),
    "AUTOMATIC_RESPONSE": Fate(AUTO_RESPONSE, simulator=True),
    "COMPLAINT": Fate(COMPLAINT, simulator=True),
    "SUPPRESSION_LIST": Fate(SUPPRESSED, "Permanent", "Suppressed", simulator=True),
}


#: The fates a draw gives, one of each (a Fate is immutable, so every message may share it).
_DRAWN = {
    BOUNCE: Fate(BOUNCE, "Permanent", "General"),
    COMPLAINT: Fate(COMPLAINT),
    DELAYED: Fate(DELAYED),
    REJECT: Fate(REJECT),
    DELIVERY: Fate(DELIVERY),
}


def decide(address: str, model: Deliverability, rng: np.random.Generator) -> Fate:
    """Returns the fate of a message to ``address``: the simulator's, or a seeded draw."""
    return fate_of(simulator_label(address), model, rng)


def fate_of(label: str | None, model: Deliverability, rng: np.random.Generator) -> Fate:
    """Returns the fate of a message to an address with simulator ``label`` (None: not the
    simulator's, a seeded draw)."""
    if label is not None:
        return _SIMULATED[label]
    return drawn_fate(model, rng.random())


def drawn_fate(model: Deliverability, draw: float) -> Fate:
    """The fate of a message to an address not the simulator's whose uniform draw is ``draw``."""
    if draw < model.bounce:
        return _DRAWN_BOUNCE
    draw -= model.bounce
    if draw < model.complaint:
        return _DRAWN_COMPLAINT
    draw -= model.complaint
    if draw < model.delivery_delay:
        return _DRAWN_DELAYED
    draw -= model.delivery_delay
    if draw < model.reject:
        return _DRAWN_REJECT
    return _DRAWN_DELIVERY


_DRAWN_BOUNCE, _DRAWN_COMPLAINT = _DRAWN[BOUNCE], _DRAWN[COMPLAINT]
_DRAWN_DELAYED, _DRAWN_REJECT, _DRAWN_DELIVERY = _DRAWN[DELAYED], _DRAWN[REJECT], _DRAWN[DELIVERY]


def millis(seconds: float) -> float:
    """``round(seconds, 3)``: the very same float, without its decimal conversion.

    Away from a tie (and from zero, sign and all), the product with 1000 is within far less
    than a thousandth of its exact value, so the nearest whole number is the one ``round``
    finds, and dividing it by 1000 rounds correctly to the float ``round`` would give. Near a
    tie, at or below half a millisecond and past a trillion milliseconds, ``round`` itself
    answers.
    """
    scaled = seconds * 1000.0
    if 0.5 < scaled < 1e12:
        whole = round(scaled)
        if -0.4998 < scaled - whole < 0.4998:
            return whole / 1000
    return round(seconds, 3)


def between(bounds: tuple[float, float], rng: np.random.Generator) -> float:
    """A seeded latency in ``[low, high]`` seconds, rounded to milliseconds.

    ``low + (high - low) * rng.random()`` is the very sum ``rng.uniform(low, high)`` computes
    from the same draw (NumPy's ``random_uniform``), at a fraction of the call's cost; a span
    too wide for a float goes to ``uniform``, which raises OverflowError as before.
    """
    low, high = bounds
    span = high - low
    if span < math.inf:
        return millis(low + span * rng.random())
    return round(float(rng.uniform(low, high)), 3)
