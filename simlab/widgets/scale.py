"""The scale panel: audience, channel mix, SMS origination type and MPS -> duration, backlog, cost.

`scale_scenario` turns the controls into a `Scenario` (rates from `simlab.facts`); the panel runs
it through the aggregated model every time a control changes and shows a table and figures.
The sliders stop on AWS's exact rates and on round audience sizes, and numbers read as people
say them (1 M, 2.5 B, 3 msg/s).
"""

from __future__ import annotations

import html
import io
import struct
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from simlab.facts import pinpoint, sms
from simlab.sim.presets import NINE_AM, SMS_PARTS, email, push, text
from simlab.sim.results import Result, duration, human
from simlab.sim.run import simulate
from simlab.sim.scenario import Arrival, Channel, Scenario, ScenarioError

if TYPE_CHECKING:  # matplotlib loads with the first figure, not with the panel
    from matplotlib.figure import Figure

#: Origination types a learner can pick, slowest first.
ORIGINATIONS: tuple[str, ...] = ("TEN_DLC", "TOLL_FREE", "LONG_CODE", "SENDER_ID", "SHORT_CODE")
#: Round audience sizes the slider stops on: 1 K, 2 K, 5 K, 10 K ... 10 B.
AUDIENCES: tuple[int, ...] = tuple(m * 10**e for e in range(3, 10) for m in (1, 2, 5)) + (10**10,)
#: Round rates (message parts/s) the MPS slider stops on, besides each origination's own.
ROUND_MPS: tuple[float, ...] = (
    *(float(m * 10**e) for e in range(4) for m in (1, 2, 3, 5)),
    10_000.0,
)
#: Figures are drawn at this many image pixels per CSS pixel, so they stay sharp when shown.
PIXEL_RATIO = 2
SCREEN_DPI = 96


def origination_mps(origination: str) -> float:
    """The MPS of one number of this type in the US (outside it for long codes and sender IDs)."""
    country = "US" if origination in ("TEN_DLC", "TOLL_FREE", "SHORT_CODE") else "GB"
    return float(sms.origination_mps(origination, country).value)


def mps_choices() -> tuple[float, ...]:
    """The rates the MPS slider offers: every origination type's exact MPS and round ones."""
    return tuple(sorted({*ROUND_MPS, *(origination_mps(o) for o in ORIGINATIONS)}))


def check_shares(sms_share: float, email_share: float) -> None:
    """Raises `ScenarioError` naming the share at fault unless both are in [0, 1], sum <= 1."""
    for name, share in (("sms_share", sms_share), ("email_share", email_share)):
        if not 0 <= share <= 1:
            raise ScenarioError(f"{name} must be in [0, 1]; got {share!r}")
    if sms_share + email_share > 1 + 1e-9:
        raise ScenarioError(
            f"sms_share + email_share must be at most 1 (push takes the rest); got "
            f"{sms_share:.2f} + {email_share:.2f} = {sms_share + email_share:.2f}"
        )


def scale_scenario(
    audience: int,
    sms_share: float,
    email_share: float,
    origination: str = "TOLL_FREE",
    mps: float | None = None,
) -> Scenario:
    """A 09:00 campaign: SMS at ``mps`` parts/s, Pinpoint email and push at their maximum rates.

    Push takes what SMS and email leave. Raises `ScenarioError` for shares adding up to more
    than 1 and for an unknown origination, naming the field.
    """
    if origination not in ORIGINATIONS:
        raise ScenarioError(
            f"origination must be one of {', '.join(ORIGINATIONS)}; got {origination!r}"
        )
    check_shares(sms_share, email_share)
    mps = mps or origination_mps(origination)
    push_share = max(0.0, 1.0 - sms_share - email_share)
    channels = {}
    if email_share > 0:
        channels["email"] = email("pinpoint", pinpoint.CAMPAIGN_MPS_MAX.value, email_share)
    if sms_share > 0:
        channels["sms"] = text("eum", mps, sms_share)
    if push_share > 1e-9:
        channels["push"] = push(
            "pinpoint", pinpoint.PUSH_CAMPAIGN_NOTIFICATIONS_PER_SECOND.value, push_share
        )
    shares = sum(c.share for c in channels.values())
    channels = {k: _share(c, c.share / shares) for k, c in channels.items()}
    return Scenario(
        "scale-panel", int(audience), channels, Arrival("burst", NINE_AM),
        description=f"SMS from {origination} at {human(mps, 'MPS')}",
    )  # fmt: skip


def _share(channel: Channel, share: float) -> Channel:
    return replace(channel, share=share)


_COLUMNS = ("channel", "service", "rate", "messages", "sent", "delivered", "failed",
            "opted out", "pending", "done after", "backlog peak", "cost USD")  # fmt: skip


def result_html(result: Result, scenario: Scenario) -> str:
    """The run as a headline and a table, large numbers as people read them (exact on hover)."""

    def count(n: int) -> str:
        return f'<td title="{n:,}">{html.escape(human(n))}</td>'

    rows = []
    for c in result.channels:
        rate = scenario.channels[c.channel].rate
        usd = "-" if c.cost_usd is None else human(c.cost_usd)
        rows.append(
            f"<tr><td>{c.channel}</td><td>{c.service}</td><td>{human(rate, 'msg/s')}</td>"
            + "".join(
                count(n)
                for n in (
                    c.arrivals,
                    c.sent,
                    c.delivered + c.complained,
                    c.bounced + c.failed,
                    c.opted_out,
                    c.pending,
                )  # fmt: skip
            )
            + f"<td>{duration(c.completion_s)}</td>{count(c.backlog_peak)}<td>{usd}</td></tr>"
        )
    head = "".join(f"<th>{name}</th>" for name in _COLUMNS)
    return (
        f"<p><b>{human(result.messages)} messages</b> ({result.messages:,}) · SMS "
        f"{SMS_PARTS} part per message, so parts/s = msg/s</p>\n"
        f"<pre>done after {duration(result.completion_s)} · 99% sent after "
        f"{duration(result.t99_s)} · backlog peak {human(result.backlog_peak)} · cost USD "
        f"{human(result.cost_usd)}</pre>\n"
        '<table class="simlab-scale"><thead><tr>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


#: Right-aligned numbers with room between columns, whatever the page's own styles.
_STYLE = (
    "<style>.simlab-scale{border-collapse:collapse;font-variant-numeric:tabular-nums}"
    ".simlab-scale th,.simlab-scale td{padding:2px 10px;text-align:right;white-space:nowrap}"
    ".simlab-scale th:nth-child(-n+2),.simlab-scale td:nth-child(-n+2){text-align:left}</style>"
)


def _labelled(values: tuple[float, ...], unit: str = "") -> list[tuple[str, float]]:
    return [(human(v, unit), v) for v in values]


class ScalePanel(widgets.VBox):
    """Sliders for the campaign; the table and the backlog and cost figures below them."""

    def __init__(self, audience: int = 1_000_000, *, plots: bool = True) -> None:
        audiences = tuple(sorted({*AUDIENCES, int(audience)}))
        wide = {"description_width": "initial"}
        self.audience = widgets.SelectionSlider(
            options=_labelled(audiences), index=audiences.index(int(audience)),
            description="audience", style=wide, layout=widgets.Layout(width="480px"),
        )  # fmt: skip
        self.sms_share = widgets.FloatSlider(value=0.2, min=0, max=1, step=0.05, description="SMS")
        self.email_share = widgets.FloatSlider(
            value=0.5, min=0, max=1, step=0.05, description="email"
        )
        self.origination = widgets.Dropdown(
            options=ORIGINATIONS, value="TOLL_FREE", description="SMS from"
        )
        self.mps = widgets.SelectionSlider(
            options=_labelled(mps_choices(), "msg/s"),
            index=mps_choices().index(origination_mps("TOLL_FREE")),
            description="SMS MPS", style=wide, layout=widgets.Layout(width="480px"),
        )  # fmt: skip
        self.shares_note = widgets.HTML()
        self.summary = widgets.HTML()
        self.figures = widgets.VBox()
        self.plots = plots
        self.result: Result | None = None
        self.error: str | None = None
        self.shown: list[Figure] = []
        self.origination.observe(self._on_origination, names="value")
        for control in (self.audience, self.sms_share, self.email_share, self.mps):
            control.observe(lambda _: self.update(), names="value")
        controls = [self.audience, self.sms_share, self.email_share, self.shares_note,
                    self.origination, self.mps]  # fmt: skip
        super().__init__([widgets.VBox(controls), self.summary, self.figures])
        self.update()

    def _on_origination(self, change: dict[str, Any]) -> None:
        self.mps.value = origination_mps(change["new"])  # triggers update() if it changed

    def scenario(self) -> Scenario:
        """The scenario the controls describe; raises `ScenarioError` for shares over 1."""
        return scale_scenario(
            int(self.audience.value), self.sms_share.value, self.email_share.value,
            self.origination.value, self.mps.value,
        )  # fmt: skip

    def update(self) -> Result | None:
        """Runs the aggregated model and refreshes the table and figures.

        Shares adding up to more than 1 run nothing: the panel says which sliders to lower and
        clears the old answer, so nothing shown belongs to other settings.
        """
        push_share = 1.0 - self.sms_share.value - self.email_share.value
        try:
            scenario = self.scenario()
        except ScenarioError as error:
            self.error = str(error)
            self.result, self.shown, self.figures.children = None, [], []
            self.shares_note.value = ""
            self.summary.value = (
                f"<p><b>⚠ SMS {self.sms_share.value:.2f} + email {self.email_share.value:.2f} "
                f"= {self.sms_share.value + self.email_share.value:.2f}: the shares of the "
                "audience add up to more than 1.</b> Lower SMS or email; push takes what is "
                f"left.</p><p><small>{html.escape(self.error)}</small></p>"
            )
            return None
        self.error = None
        self.shares_note.value = f"<small>push gets the rest: {max(push_share, 0):.2f}</small>"
        self.result = simulate(scenario, model="aggregate")
        self.summary.value = _STYLE + result_html(self.result, scenario)
        if self.plots:
            from simlab.plotting import backlog_figure, cost_figure

            self.shown = [backlog_figure(self.result), cost_figure(self.result)]
            # PNG images, not display() into an Output: no pyplot backend needed, and Voila
            # does not stall on output captured while it runs the notebook.
            self.figures.children = [figure_image(f) for f in self.shown]
        return self.result


def png(figure: Figure, ratio: int = PIXEL_RATIO) -> bytes:
    """The figure as PNG at ``ratio`` image pixels per CSS pixel."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SCREEN_DPI * ratio, bbox_inches="tight")
    return buffer.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def figure_image(figure: Figure) -> widgets.Image:
    """An image widget showing ``figure`` at its own size (never stretched), sharp on any screen.

    Drawn at `PIXEL_RATIO` pixels per CSS pixel and shown at its CSS size, or narrower when
    the page is: the browser only ever scales it down.
    """
    data = png(figure)
    width, _ = png_size(data)
    layout = widgets.Layout(width=f"{width // PIXEL_RATIO}px", max_width="100%", height="auto")
    return widgets.Image(value=data, format="png", layout=layout)


def build_scale_panel(audience: int = 1_000_000, *, plots: bool = True) -> ScalePanel:
    """The scale panel, run once with its starting values."""
    return ScalePanel(audience, plots=plots)
