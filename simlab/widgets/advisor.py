"""The advisor panel: tick requirements, press Advise, read the services and the reasons.

The logic is `simlab.advisor.advise`; this module wires controls to it and renders the advice.
"""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as widgets

from simlab.advisor import CHANNELS, PURPOSES, Advice, advise


def advice_html(advice: Advice) -> str:
    """Return advice as HTML: each service with its role and reasons, then the cautions."""
    if not advice.picks and not advice.cautions:
        return "<p>No service fits these requirements.</p>"
    parts = []
    for pick in advice.picks:
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in pick.reasons)
        head = f"<b>{html.escape(pick.service)}</b> — {html.escape(pick.role)}"
        parts.append(f"<p>{head}</p><ul>{reasons}</ul>")
    parts += [f"<p>⚠ {html.escape(caution)}</p>" for caution in advice.cautions]
    if advice.facts:
        parts.append(f"<p><small>facts: {html.escape(', '.join(advice.facts))}</small></p>")
    return "".join(parts)


class AdvisorPanel(widgets.VBox):
    """Requirements as controls, an Advise button and the advice as HTML."""

    def __init__(self, on: date | None = None) -> None:
        self.channels = widgets.SelectMultiple(
            options=CHANNELS, value=("email",), description="Channels", rows=len(CHANNELS)
        )
        self.purpose = widgets.Dropdown(options=PURPOSES, value=PURPOSES[0], description="Purpose")
        self.targeting = widgets.Checkbox(value=False, description="segments managed for me")
        self.scheduling = widgets.Checkbox(value=False, description="campaigns on a schedule")
        self.two_way = widgets.Checkbox(value=False, description="two-way (replies)")
        self.analytics = widgets.Checkbox(value=False, description="engagement analytics")
        self.new_account = widgets.Checkbox(
            value=True,
            description="account new to Pinpoint (no access)",
            style={"description_width": "initial"},  # room for the whole label
            layout=widgets.Layout(width="auto"),
        )
        self.volume = widgets.IntText(value=0, description="per day")
        self.on = widgets.DatePicker(value=on or date.today(), description="On")
        self.button = widgets.Button(description="Advise", button_style="primary")
        self.output = widgets.HTML()
        self.button.on_click(lambda _: self.update())
        super().__init__(
            [
                widgets.HBox([self.channels, widgets.VBox([self.purpose, self.volume, self.on])]),
                widgets.HBox([self.targeting, self.scheduling]),
                widgets.HBox([self.two_way, self.analytics]),
                self.new_account,
                self.button,
                self.output,
            ]
        )

    def advice(self) -> Advice:
        """Return the advice for the requirements the controls hold now."""
        return advise(
            channels=frozenset(self.channels.value),
            purpose=self.purpose.value,
            targeting=self.targeting.value,
            scheduling=self.scheduling.value,
            two_way=self.two_way.value,
            analytics=self.analytics.value,
            volume_per_day=int(self.volume.value or 0),
            new_account=self.new_account.value,
            on=self.on.value or date.today(),
        )

    def update(self) -> None:
        """Show the advice, or the error naming the field to fix."""
        try:
            self.output.value = advice_html(self.advice())
        except ValueError as error:
            self.output.value = f"<p>⚠ {html.escape(str(error))}</p>"


def build_advisor_panel(on: date | None = None) -> AdvisorPanel:
    """Return the advisor panel; `on` fixes the date the advice is for (today by default)."""
    return AdvisorPanel(on)
