"""The channel panel: pick a channel and an address, send one message, see where it went.

`channel_request` builds the ``SendMessages`` request a learner would write for one address on
one channel; `send_on_channel` sends it with the boto3 client it is given; `channel_report`
prints the request, Pinpoint's answer, the outbox entry and the event-stream records of that
message as stable text. The panel wires a dropdown, a text box and a button to them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from simlab.widgets.local import LocalWatch

#: Channel → (example address, the MessageConfiguration key and message it sends).
CHANNELS: dict[str, tuple[str, str]] = {
    "EMAIL": ("ana@example.com", "EmailMessage"),
    "SMS": ("+12065550100", "SMSMessage"),
    "VOICE": ("+12065550101", "VoiceMessage"),
    "GCM": ("fcm-token-ana-pixel", "GCMMessage"),
}
TEXT = "Your order has shipped."


def channel_request(channel: str, address: str, *, origin: str) -> dict[str, Any]:
    """Returns the ``MessageRequest`` for one message on ``channel`` to ``address``.

    Raises ValueError naming the allowed channels for any other channel.
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}; got {channel!r}")
    messages: dict[str, dict[str, Any]] = {
        "EmailMessage": {
            "SimpleEmail": {"Subject": {"Data": "Shipped"}, "TextPart": {"Data": TEXT}}
        },
        "SMSMessage": {"Body": TEXT, "MessageType": "TRANSACTIONAL", "OriginationNumber": origin},
        "VoiceMessage": {
            "Body": TEXT,
            "VoiceId": "Joanna",
            "LanguageCode": "en-US",
            "OriginationNumber": origin,
        },
        "GCMMessage": {"Title": "Shipped", "Body": TEXT},
    }
    key = CHANNELS[channel][1]
    return {
        "Addresses": {address: {"ChannelType": channel}},
        "MessageConfiguration": {key: messages[key]},
    }


@dataclass(frozen=True)
class ChannelSend:
    """One send and what it left behind: the request, the answer, outbox entries, records."""

    channel: str
    address: str
    request: dict[str, Any]
    result: dict[str, Any]
    outbox: list[dict[str, Any]]
    records: list[dict[str, Any]]


def send_on_channel(
    pinpoint: Any, app_id: str, channel: str, address: str, *, origin: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Sends one message; returns the request and the address's ``EndpointMessageResult``."""
    request = channel_request(channel, address, origin=origin)
    answer = pinpoint.send_messages(ApplicationId=app_id, MessageRequest=request)
    result = answer["MessageResponse"]["Result"][address]
    return request, dict(result)


def records_of_message(
    records: Iterable[Mapping[str, Any]], message_id: str | None, address: str
) -> list[dict[str, Any]]:
    """Returns the stream records that name the message id (or, lacking one, the address)."""
    needle = message_id or address
    return [dict(r) for r in records if needle in json.dumps(r, default=str)]


def channel_report(send: ChannelSend) -> str:
    """Returns the request, the answer, the outbox entries and the records as stable text."""
    lines = [f"request ({send.channel} to {send.address}):"]
    lines += ["  " + line for line in json.dumps(send.request, indent=2).splitlines()]
    lines.append(
        f"answer: {send.result.get('DeliveryStatus')} {send.result.get('StatusCode')} "
        f"{send.result.get('StatusMessage', '')}"
    )
    lines.append("outbox (the latest entry to this address):")
    lines += [
        f"  {m['channel']:<6} {m['status']:<10} {m['origin'] or '-':<18} -> {m['destination']}"
        for m in send.outbox
    ] or ["  (nothing)"]
    lines.append("event stream:")
    lines += [f"  {r.get('event_type')}" for r in send.records] or [
        "  (no record: Pinpoint streams none for this channel, or Firehose has not written yet)"
    ]
    return "\n".join(lines)


class ChannelPanel(widgets.VBox):
    """A channel dropdown, an address box and a Send button; the report below."""

    def __init__(
        self,
        pinpoint: Any,
        app_id: str,
        *,
        origin: str,
        outbox: Any,
        look: Callable[[], Sequence[Mapping[str, Any]]],
        wait: Callable[[], object] | None = None,
    ) -> None:
        self.pinpoint, self.app_id, self.origin = pinpoint, app_id, origin
        self.outbox, self.look, self.wait = outbox, look, wait
        self.watch = LocalWatch()
        self.channel = widgets.Dropdown(options=list(CHANNELS), description="Channel")
        self.address = widgets.Text(value=CHANNELS["EMAIL"][0], description="Address")
        self.button = widgets.Button(description="Send", button_style="primary")
        self.output = widgets.HTML()
        self.last: ChannelSend | None = None
        self.channel.observe(lambda _: self._default_address(), names="value")
        self.button.on_click(lambda _: self.send())
        super().__init__([widgets.HBox([self.channel, self.address, self.button]), self.output])

    def _default_address(self) -> None:
        self.address.value = CHANNELS[self.channel.value][0]

    def send(self) -> ChannelSend | None:
        """Sends on the chosen channel and shows the report, or the error naming the problem."""
        problem = self.watch.problem()
        if problem:
            self.output.value = f"<p>⚠ {html.escape(problem)}</p>"
            return None
        channel, address = self.channel.value, self.address.value.strip()
        try:
            request, result = send_on_channel(
                self.pinpoint, self.app_id, channel, address, origin=self.origin
            )
            if self.wait is not None:
                self.wait()
            outbox = [m.to_json() for m in self.outbox.filter(to=address)]
            records = records_of_message(self.look(), result.get("MessageId"), address)
        except Exception as error:  # a refused address or channel: show what AWS answered
            self.output.value = f"<p>⚠ {html.escape(str(error))}</p>"
            return None
        self.last = ChannelSend(channel, address, request, result, outbox[-1:], records)
        self.output.value = f"<pre>{html.escape(channel_report(self.last))}</pre>"
        return self.last


def build_channel_panel(
    pinpoint: Any,
    app_id: str,
    *,
    origin: str,
    outbox: Any,
    look: Callable[[], Sequence[Mapping[str, Any]]],
    wait: Callable[[], object] | None = None,
) -> ChannelPanel:
    """Returns the channel panel; ``look`` reads the stream records, ``wait`` lets time pass."""
    return ChannelPanel(pinpoint, app_id, origin=origin, outbox=outbox, look=look, wait=wait)
