"""The segment panel: choose a few dimensions, see how many endpoints the segment holds.

`segment_request` turns the choices into a Pinpoint ``WriteSegmentRequest``; the panel counts it
with the function it is given (`simlab.aws.segment_counter` for a local project) every
time a control changes, the way Pinpoint's console estimates a segment while you build it.
`generated_audience` gives an app that only counts (a workshop page) the same engine without a
local AWS around it: a second to build, a fraction of the memory.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count as numbers
from typing import Any

import ipywidgets as widgets
import numpy as np

from simlab.engage import population
from simlab.engage.audience import Audience
from simlab.engage.clock import DEFAULT_EPOCH
from simlab.facts import pinpoint as facts
from simlab.widgets.local import LocalWatch

ANY = "any"
#: The countries the population draws from, as the panel offers them.
COUNTRY_CODES = tuple(c.code for c in population.COUNTRIES)
#: Counts the endpoints a ``WriteSegmentRequest`` selects.
Counter = Callable[[Mapping[str, Any]], int]


def segment_request(
    *,
    platform: str = ANY,
    country: str = ANY,
    interest: str = ANY,
    min_purchases: int = 0,
    active_within: str = ANY,
    name: str = "",
) -> dict[str, Any]:
    """A ``WriteSegmentRequest`` with one dimension per choice; ``any`` (or 0) leaves it out."""
    dimensions: dict[str, Any] = {}
    if platform != ANY:
        dimensions["Demographic"] = {
            "Platform": {"DimensionType": "INCLUSIVE", "Values": [platform]}
        }
    if country != ANY:
        dimensions["Location"] = {"Country": {"DimensionType": "INCLUSIVE", "Values": [country]}}
    if interest != ANY:
        dimensions["Attributes"] = {
            "interests": {"AttributeType": "INCLUSIVE", "Values": [interest]}
        }
    if min_purchases:
        dimensions["Metrics"] = {
            "purchases": {"ComparisonOperator": "GREATER_THAN_OR_EQUAL", "Value": min_purchases}
        }
    if active_within != ANY:
        if active_within not in facts.RECENCY_DURATIONS.value:
            raise ValueError(
                f"active_within must be {ANY} or one of "
                f"{', '.join(facts.RECENCY_DURATIONS.value)}, got {active_within!r}"
            )
        dimensions["Behavior"] = {"Recency": {"Duration": active_within, "RecencyType": "ACTIVE"}}
    request: dict[str, Any] = {"Dimensions": dimensions}
    if name:
        request["Name"] = name
    return request


#: The audience of the workshop's segment builder: big enough for every choice to keep someone,
#: small enough that each visitor's page is ready in a second or two.
WORKSHOP_AUDIENCE = 5_000


@dataclass(frozen=True)
class GeneratedAudience:
    """Generated people held by the segment engine, counted at the instant ``now``."""

    people: list[dict[str, Any]]
    audience: Audience
    now: datetime

    def count(self, request: Mapping[str, Any]) -> int:
        """How many endpoints a ``WriteSegmentRequest`` selects; raises the engine's BadRequest."""
        return self.audience.count(request, self.now.timestamp())


def generated_audience(
    size: int, seed: int = 0, *, now: datetime = DEFAULT_EPOCH
) -> GeneratedAudience:
    """``size`` people from `simlab.engage.population` and their app sessions, in the engine.

    The same engine the local Pinpoint keeps each project's endpoints in, loaded directly:
    endpoints as ``UpdateEndpointsBatch`` stores them, sessions as ``PutEvents`` records them.
    Seeded: the same ``size`` and ``seed`` give the same people and counts.
    """
    people = population.generate(size, np.random.default_rng([seed, 0]), now=now)
    ids = numbers()
    audience = Audience(lambda: f"segment-{next(ids)}")
    stamp = now.timestamp()
    for person in people:
        audience.endpoints.upsert(person["Id"], {k: v for k, v in person.items() if k != "Id"},
                                  stamp)  # fmt: skip
    for batch in population.sessions(people, np.random.default_rng([seed, 1]), now=now):
        audience.put_events(batch, stamp)
    return GeneratedAudience(people, audience, now)


def count_text(matched: int, total: int) -> str:
    """``1,234 of 2,000 endpoints (61.7%)``."""
    share = f" ({matched / total:.1%})" if total else ""
    return f"{matched:,} of {total:,} endpoints{share}"


class SegmentPanel(widgets.VBox):
    """Dropdowns and a slider for a few dimensions, the live count and the request."""

    def __init__(
        self,
        count: Counter,
        *,
        platforms: Sequence[str] = ("ios", "android", "web"),
        countries: Sequence[str] = COUNTRY_CODES,
        interests: Sequence[str] = population.INTERESTS,
        max_purchases: int = 10,
    ) -> None:
        self.count = count
        self.watch = LocalWatch()
        self.platform = widgets.Dropdown(options=(ANY, *platforms), description="Platform")
        self.country = widgets.Dropdown(options=(ANY, *countries), description="Country")
        self.interest = widgets.Dropdown(options=(ANY, *interests), description="Interest")
        self.purchases = widgets.IntSlider(
            value=0,
            min=0,
            max=max_purchases,
            description="Purchases ≥",
            style={"description_width": "initial"},  # room for the whole label
        )
        self.recency = widgets.Dropdown(
            options=(ANY, *facts.RECENCY_DURATIONS.value), description="Active in"
        )
        self.result = widgets.HTML()
        self.request_view = widgets.HTML()
        for control in self.controls:
            control.observe(lambda _: self.update(), names="value")
        super().__init__(
            [
                widgets.HBox([self.platform, self.country, self.interest]),
                widgets.HBox([self.purchases, self.recency]),
                self.result,
                self.request_view,
            ]
        )
        self.update()

    @property
    def controls(self) -> tuple[widgets.ValueWidget, ...]:
        return (self.platform, self.country, self.interest, self.purchases, self.recency)

    def request(self) -> dict[str, Any]:
        """The ``WriteSegmentRequest`` the controls describe now."""
        return segment_request(
            platform=self.platform.value,
            country=self.country.value,
            interest=self.interest.value,
            min_purchases=int(self.purchases.value),
            active_within=self.recency.value,
        )

    def matched(self) -> int:
        """How many endpoints the segment holds now."""
        return self.count(self.request())

    def update(self) -> None:
        """Recounts and shows the count and the request, or the error naming the field.

        Once the local AWS the panel reads has stopped, it says what to re-run instead.
        """
        request = self.request()
        if problem := self.watch.problem():
            self.result.value = f"<p>⚠ {html.escape(problem)}</p>"
            return
        try:
            text = count_text(self.count(request), self.count({"Dimensions": {}}))
        except Exception as error:  # the engine's BadRequest names the field
            self.result.value = f"<p>⚠ {html.escape(str(error))}</p>"
            return
        self.result.value = f"<p><b>{html.escape(text)}</b></p>"
        self.request_view.value = f"<pre>{html.escape(json.dumps(request, indent=2))}</pre>"


def build_segment_panel(count: Counter, **options: Any) -> SegmentPanel:
    """Returns the segment panel; ``count`` counts a ``WriteSegmentRequest``'s endpoints."""
    return SegmentPanel(count, **options)
