"""The scale panel: audience, channel mix, SMS origination type and MPS -> duration, backlog, cost.

`scale_scenario` turns the controls into a `Scenario` (rates from `simlab.facts`); the panel runs
it through the aggregated model every time a control changes and shows the summary and figures.
"""

from __future__ import annotations

import html
import io
from dataclasses import replace

import ipywidgets as widgets
from matplotlib.figure import Figure

from simlab.facts import pinpoint, sms
from simlab.plotting import backlog_figure, cost_figure
from simlab.sim import Arrival, Channel, Result, Scenario, simulate
from simlab.sim.presets import NINE_AM, email, push, text

#: Origination types a learner can pick, slowest first.
ORIGINATIONS: tuple[str, ...] = ("TEN_DLC", "TOLL_FREE", "LONG_CODE", "SENDER_ID", "SHORT_CODE")


def origination_mps(origination: str) -> float:
    """The MPS of one number of this type in the US (outside it for long codes and sender IDs)."""
    country = "US" if origination in ("TEN_DLC", "TOLL_FREE", "SHORT_CODE") else "GB"
    return float(sms.origination_mps(origination, country).value)


def scale_scenario(
    audience: int,
    sms_share: float,
    email_share: float,
    origination: str = "TOLL_FREE",
    mps: float | None = None,
) -> Scenario:
    """A 09:00 campaign: SMS at ``mps`` parts/s, Pinpoint email and push at their maximum rates."""
    if origination not in ORIGINATIONS:
        raise ValueError(
            f"origination must be one of {', '.join(ORIGINATIONS)}, got {origination!r}"
        )
    email_share = min(email_share, 1.0 - sms_share)
    push_share = max(0.0, 1.0 - sms_share - email_share)
    channels = {}
    if email_share > 0:
        channels["email"] = email("pinpoint", pinpoint.CAMPAIGN_MPS_MAX.value, email_share)
    if sms_share > 0:
        channels["sms"] = text("eum", mps or origination_mps(origination), sms_share)
    if push_share > 1e-12:
        channels["push"] = push(
            "pinpoint", pinpoint.PUSH_CAMPAIGN_NOTIFICATIONS_PER_SECOND.value, push_share
        )
    shares = sum(c.share for c in channels.values())
    channels = {k: _share(c, c.share / shares) for k, c in channels.items()}
    return Scenario(
        "scale-panel", int(audience), channels, Arrival("burst", NINE_AM),
        description=f"SMS from {origination} at {mps or origination_mps(origination):g} MPS",
    )  # fmt: skip


def _share(channel: Channel, share: float) -> Channel:
    return replace(channel, share=share)


class ScalePanel(widgets.VBox):
    """Sliders for the campaign; the summary and the backlog and cost figures below them."""

    def __init__(self, audience: int = 1_000_000, *, plots: bool = True) -> None:
        self.audience = widgets.FloatLogSlider(
            value=audience, base=10, min=3, max=10, step=0.1, description="audience",
            readout_format=".3g",
        )  # fmt: skip
        self.sms_share = widgets.FloatSlider(value=0.2, min=0, max=1, step=0.05, description="SMS")
        self.email_share = widgets.FloatSlider(
            value=0.5, min=0, max=1, step=0.05, description="email"
        )
        self.origination = widgets.Dropdown(
            options=ORIGINATIONS, value="TOLL_FREE", description="SMS from"
        )
        self.mps = widgets.FloatLogSlider(
            value=origination_mps("TOLL_FREE"), base=10, min=0, max=4, step=0.05,
            description="SMS MPS",
        )  # fmt: skip
        self.summary = widgets.HTML()
        self.figures = widgets.VBox()
        self.plots = plots
        self.result: Result | None = None
        self.shown: list[Figure] = []
        self.origination.observe(self._on_origination, names="value")
        for control in (self.audience, self.sms_share, self.email_share, self.mps):
            control.observe(lambda _: self.update(), names="value")
        controls = [self.audience, self.sms_share, self.email_share, self.origination, self.mps]
        super().__init__([widgets.VBox(controls), self.summary, self.figures])
        self.update()

    def _on_origination(self, change: dict) -> None:
        self.mps.value = origination_mps(change["new"])  # triggers update()

    def scenario(self) -> Scenario:
        """The scenario the controls describe."""
        return scale_scenario(
            int(round(self.audience.value)), self.sms_share.value, self.email_share.value,
            self.origination.value, self.mps.value,
        )  # fmt: skip

    def update(self) -> Result:
        """Runs the aggregated model; refreshes the summary and the figures."""
        self.result = simulate(self.scenario(), model="aggregate")
        self.summary.value = f"<pre>{html.escape(self.result.summary())}</pre>"
        if self.plots:
            self.shown = [backlog_figure(self.result), cost_figure(self.result)]
            # PNG images, not display() into an Output: no pyplot backend needed, and Voila
            # does not stall on output captured while it runs the notebook.
            self.figures.children = [widgets.Image(value=_png(f), format="png") for f in self.shown]
        return self.result


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def build_scale_panel(audience: int = 1_000_000, *, plots: bool = True) -> ScalePanel:
    """The scale panel, run once with its starting values."""
    return ScalePanel(audience, plots=plots)
