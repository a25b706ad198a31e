"""The event-destination panel: switch destinations on or off, send one text, see where it lands.

`set_destinations` enables or disables each event destination of an End User Messaging
configuration set (``UpdateEventDestination``); `landing` picks one message's events out of what
each destination received; `landing_text` prints them as stable text. The panel wires one
checkbox per destination and a Send button to them; sending and reading the sinks are the
callables the notebook passes in.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from simlab.widgets.local import LocalWatch

Views = Mapping[str, Iterable[Mapping[str, Any]]]


def set_destinations(sms: Any, configuration_set: str, enabled: Mapping[str, bool]) -> None:
    """Enables or disables each named event destination of ``configuration_set``.

    Raises the client's ``ResourceNotFoundException`` for an unknown set or destination.
    """
    for name, on in enabled.items():
        sms.update_event_destination(
            ConfigurationSetName=configuration_set, EventDestinationName=name, Enabled=on
        )


def landing(views: Views, message_id: str) -> dict[str, list[str]]:
    """Returns, per destination, the event types it received for ``message_id``, in order."""
    return {
        name: [str(r.get("eventType")) for r in records if r.get("messageId") == message_id]
        for name, records in views.items()
    }


def landing_text(landed: Mapping[str, Sequence[str]], enabled: Mapping[str, bool]) -> str:
    """One line per destination: on or off, and the events of the message that reached it."""
    lines = []
    for name, events in landed.items():
        state = "on " if enabled.get(name, True) else "off"
        lines.append(f"{name:<14} {state} {', '.join(events) or '(nothing)'}")
    return "\n".join(lines)


class DestinationsPanel(widgets.VBox):
    """A checkbox per destination and a Send button; where the text's events landed below."""

    def __init__(
        self,
        sms: Any,
        configuration_set: str,
        destinations: Sequence[str],
        *,
        send: Callable[[], str],
        look: Callable[[], Views],
        wait: Callable[[], object] | None = None,
    ) -> None:
        if not destinations:
            raise ValueError("give at least one event destination name")
        self.sms, self.configuration_set = sms, configuration_set
        self.send_text, self.look, self.wait = send, look, wait
        self.watch = LocalWatch()
        self.boxes = {name: widgets.Checkbox(value=True, description=name) for name in destinations}
        self.button = widgets.Button(description="Send one text", button_style="primary")
        self.output = widgets.HTML()
        self.last: dict[str, list[str]] | None = None
        self.button.on_click(lambda _: self.send())
        super().__init__([widgets.HBox([*self.boxes.values(), self.button]), self.output])

    def enabled(self) -> dict[str, bool]:
        """Each destination and whether its box is ticked."""
        return {name: box.value for name, box in self.boxes.items()}

    def send(self) -> dict[str, list[str]] | None:
        """Applies the boxes, sends a text, lets time pass and shows where its events landed."""
        problem = self.watch.problem()
        if problem:
            self.output.value = f"<p>⚠ {html.escape(problem)}</p>"
            return None
        try:
            set_destinations(self.sms, self.configuration_set, self.enabled())
            message_id = self.send_text()
            if self.wait is not None:
                self.wait()
            self.last = landing(self.look(), message_id)
        except Exception as error:  # a refused send or an unknown destination
            self.output.value = f"<p>⚠ {html.escape(str(error))}</p>"
            return None
        text = landing_text(self.last, self.enabled())
        self.output.value = f"<pre>{html.escape(text)}</pre>"
        return self.last


def build_destinations_panel(
    sms: Any,
    configuration_set: str,
    destinations: Sequence[str],
    *,
    send: Callable[[], str],
    look: Callable[[], Views],
    wait: Callable[[], object] | None = None,
) -> DestinationsPanel:
    """Returns the panel; ``send`` sends one text and returns its message id, ``look`` reads
    each destination's records by name, ``wait`` lets time pass (Firehose buffers)."""
    return DestinationsPanel(sms, configuration_set, destinations, send=send, look=look, wait=wait)
