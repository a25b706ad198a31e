"""A seeded model of how recipients react: they open, click and convert after a delay.

Journeys branch on these reactions (a yes/no split on "opened the email"), so the model reports
each one as an event with the type Pinpoint streams for it. The numbers are teaching defaults,
not AWS figures: pass your own ``Rates`` to explore.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

#: What a conversion is reported as (a custom event an app would send through PutEvents).
CONVERSION_EVENT = "_monetization.purchase"


@dataclass(frozen=True, slots=True)
class Rates:
    """Chances and mean delays (seconds) of each reaction to one delivered message.

    ``click`` is the chance of a click given an open, ``convert`` of a conversion given a click.
    """

    open: float
    click: float
    convert: float
    open_delay: float = 3_600.0
    click_delay: float = 300.0
    convert_delay: float = 1_800.0
    open_event: str = ""
    click_event: str = ""


#: Teaching defaults per channel. SMS reports no open or click, only the conversion; a push
#: notification's only interaction is being opened.
DEFAULT_RATES: Mapping[str, Rates] = {
    "EMAIL": Rates(0.30, 0.25, 0.20, open_event="_email.open", click_event="_email.click"),
    "SMS": Rates(1.0, 0.12, 0.15, open_delay=0.0),
    "PUSH": Rates(0.10, 1.0, 0.20, click_delay=0.0, open_event="_campaign.opened_notification"),
    "CUSTOM": Rates(0.0, 0.0, 0.0),
}


@dataclass(frozen=True, slots=True)
class Reaction:
    """One reaction: ``event_type`` happens ``delay`` seconds after the message is delivered."""

    delay: float
    event_type: str


class EngagementModel:
    """Draws reactions from ``rng``; the same seed gives the same reactions."""

    def __init__(
        self,
        rng: np.random.Generator,
        rates: Mapping[str, Rates] = DEFAULT_RATES,
        conversion_event: str = CONVERSION_EVENT,
    ) -> None:
        self.rng = rng
        self.rates = dict(rates)
        self.conversion_event = conversion_event

    def reactions(self, channel: str) -> list[Reaction]:
        """Returns the reactions to one delivered message on ``channel``, in time order."""
        rates = self.rates.get(channel)
        if rates is None:
            return []
        draws = self.rng.random(3)
        waits = self.rng.exponential(1.0, 3)
        found: list[Reaction] = []
        if draws[0] >= rates.open:
            return found
        at = waits[0] * rates.open_delay
        if rates.open_event:
            found.append(Reaction(at, rates.open_event))
        if draws[1] >= rates.click:
            return found
        at += waits[1] * rates.click_delay
        if rates.click_event:
            found.append(Reaction(at, rates.click_event))
        if draws[2] < rates.convert:
            found.append(Reaction(at + waits[2] * rates.convert_delay, self.conversion_event))
        return found
