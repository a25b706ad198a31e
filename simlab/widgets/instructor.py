"""The instructor's panel: the room at a glance, the room's clock, and broadcasts.

It reads a room served by ``simlab serve --room N`` over HTTP (``simlab.room.RoomClient``) with
the instructor's key from the room's folder; ``room_html`` renders what the table shows and is
tested without a browser.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from simlab.room import CHECKPOINTS, MemberStatus, Room, RoomClient, RoomError
from simlab.room.handout import ROOM_FILE

#: Where the panel looks for the room unless told: ``SIMLAB_ROOM_URL`` and ``SIMLAB_ROOM_DIR``.
DEFAULT_URL = "http://127.0.0.1:5000"
DEFAULT_DIR = "simlab-room"
#: Milliseconds between refreshes while "live" is on.
REFRESH_MS = 5000
#: The clock steps the panel offers, in simulated seconds.
STEPS = {"1 minute": 60, "5 minutes": 300, "1 hour": 3600, "1 day": 86400}

_STYLE = (
    "<style>.simlab-room td,.simlab-room th{padding:2px 8px;text-align:left;"
    "border-bottom:1px solid #ddd;font-size:13px}.simlab-room .done{color:#2a7d2a}"
    ".simlab-room .done,.simlab-room .todo{padding:0 2px}.simlab-room .done{font-weight:bold}"
    ".simlab-room .todo{color:#bbb}.simlab-room .err{color:#b00020}</style>"
)


def _channel(statuses: dict[str, int]) -> str:
    total = sum(statuses.values())
    detail = ", ".join(f"{html.escape(k)} {v}" for k, v in sorted(statuses.items()))
    return f'<span title="{detail}">{total}</span>' + (
        f" <small>({detail})</small>" if detail else ""
    )


def room_html(clock: dict[str, Any], statuses: list[MemberStatus]) -> str:
    """The room as an HTML table: per attendee, messages by channel and status, checkpoints
    (numbered as in the legend, green when done), requests and the last error."""
    channels = sorted({c for s in statuses for c in s.messages})
    notebooks = sorted({c.notebook for c in CHECKPOINTS})
    finished = ", ".join(
        f"notebook {n}: <b>{sum(n in s.notebooks_done for s in statuses)}</b>/{len(statuses)} done"
        for n in notebooks
    )
    head = "".join(
        f"<th>{html.escape(h)}</th>"
        for h in ["attendee", "account", "requests", *channels, "checkpoints", "last error"]
    )
    rows = []
    for s in statuses:
        marks = "".join(
            f'<span class="{"done" if s.checkpoints.get(c.name) else "todo"}" '
            f'title="{html.escape(c.name)}: {html.escape(c.description)}">'
            f"{number}</span>"
            for number, c in enumerate(CHECKPOINTS, 1)
        )
        last = s.errors[-1] if s.errors else None
        error = (
            f'<span class="err" title="{html.escape(last["message"])}">'
            f"{html.escape(last['operation'])}: {html.escape(last['code'])}</span>"
            if last
            else ""
        )
        cells = [
            html.escape(s.name),
            html.escape(s.account_id),
            str(s.requests),
            *[_channel(s.messages.get(c, {})) for c in channels],
            marks,
            error,
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    legend = " ".join(f"{i + 1}. {html.escape(c.name)}" for i, c in enumerate(CHECKPOINTS))
    return (
        f"{_STYLE}<p>Room clock: <b>{html.escape(str(clock.get('now', '')))}</b> "
        f"({html.escape(str(clock.get('mode', '')))}) · {finished}</p>"
        f'<table class="simlab-room"><tr>{head}</tr>{"".join(rows)}</table>'
        f"<p><small>checkpoints: {legend}</small></p>"
    )


def broadcast_html(results: list[dict[str, Any]]) -> str:
    """Who a broadcast reached, as HTML."""
    reached = sum(bool(r["delivered_to"]) for r in results)
    missing = [r["attendee"] for r in results if not r["delivered_to"]]
    text = f"Texted {reached} of {len(results)} attendees."
    if missing:
        text += f" No number yet: {', '.join(missing)}."
    return f"<p>{html.escape(text)}</p>"


class InstructorPanel(widgets.VBox):
    """The room table, a refresh (and live) control, the clock and an SMS broadcast."""

    def __init__(self, client: RoomClient) -> None:
        self.client = client
        self.table = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.live = widgets.Play(interval=REFRESH_MS, max=10**9, description="live")
        self.step = widgets.Dropdown(options=list(STEPS), value="1 hour", description="Advance")
        self.advance_button = widgets.Button(description="Advance clock")
        self.sender = widgets.Text(value="+12065550199", description="From")
        self.body = widgets.Text(value="STOP", description="Text")
        self.broadcast_button = widgets.Button(description="Text every attendee")
        self.message = widgets.HTML()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.live.observe(lambda _: self.refresh(), names="value")
        self.advance_button.on_click(lambda _: self.advance())
        self.broadcast_button.on_click(lambda _: self.broadcast())
        super().__init__(
            [
                widgets.HBox([self.refresh_button, widgets.Label("live:"), self.live]),
                self.table,
                widgets.HBox([self.step, self.advance_button]),
                widgets.HBox([self.sender, self.body, self.broadcast_button]),
                self.message,
            ]
        )

    def refresh(self) -> None:
        """Reads the room again and redraws the table (or says why it cannot)."""
        try:
            clock, statuses = self.client.status()
        except (RoomError, OSError) as error:
            self.table.value = f"<p>⚠ {html.escape(_problem(self.client, error))}</p>"
            return
        self.table.value = room_html(clock, statuses)

    def advance(self) -> None:
        """Moves the room's clock by the chosen step, then redraws."""
        try:
            clock = self.client.advance(STEPS[self.step.value])
            self.message.value = f"<p>Room clock now {html.escape(str(clock['now']))}.</p>"
        except (RoomError, OSError) as error:
            self.message.value = f"<p>⚠ {html.escape(_problem(self.client, error))}</p>"
        self.refresh()

    def broadcast(self) -> None:
        """Texts the body from the sender to every attendee's numbers, then redraws."""
        try:
            results = self.client.broadcast_sms(self.sender.value.strip(), self.body.value)
            self.message.value = broadcast_html(results)
        except (RoomError, OSError) as error:
            self.message.value = f"<p>⚠ {html.escape(_problem(self.client, error))}</p>"
        self.refresh()


def _problem(client: RoomClient, error: Exception) -> str:
    if isinstance(error, RoomError):
        return str(error)
    return (
        f"No room answers at {client.endpoint_url} ({error}). Start one with "
        "`simlab serve --room N`, or set SIMLAB_ROOM_URL to where it runs."
    )


def build_instructor_panel(
    endpoint_url: str | None = None, room_dir: str | os.PathLike[str] | None = None
) -> widgets.VBox:
    """The instructor's panel for the room at ``endpoint_url`` whose keys are in ``room_dir``.

    Both default to ``SIMLAB_ROOM_URL`` / ``SIMLAB_ROOM_DIR``, else the ``simlab serve --room``
    defaults. A folder without a room gives a panel that says how to make one.
    """
    url = endpoint_url or os.environ.get("SIMLAB_ROOM_URL", DEFAULT_URL)
    folder = Path(room_dir or os.environ.get("SIMLAB_ROOM_DIR", DEFAULT_DIR))
    try:
        room = Room.load(folder / ROOM_FILE)
    except (OSError, ValueError, KeyError, TypeError):
        return widgets.VBox(
            [
                widgets.HTML(
                    f"<p>⚠ No room in {html.escape(str(folder.resolve()))}. Start one with "
                    "<code>simlab serve --room 30</code> and point SIMLAB_ROOM_DIR at its "
                    "<code>--room-dir</code>.</p>"
                )
            ]
        )
    panel = InstructorPanel(RoomClient(url, room.instructor.access_key_id))
    panel.refresh()
    return panel
