"""The outbox of a run counted and priced: messages per channel and status, cost at 10^3 and a
`simlab.sim` scenario of 10^9 in the same mix."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from simlab.compare.running import APPROACHES
from simlab.engage.outbox_messages import OutboxMessage
from simlab.facts import pinpoint as pinpoint_facts
from simlab.facts import sms as sms_facts
from simlab.primitives import count_parts
from simlab.sim import Arrival, Scenario
from simlab.sim import presets as sim_presets
from simlab.sim.costs import CostLine, cost_lines

#: How each outbox status counts: sent = delivered + failed + opted out + throttled + pending.
STATUS_CLASSES: dict[str, str] = {
    "DELIVERED": "delivered",
    "SUCCESSFUL": "delivered",
    "COMPLAINED": "delivered",
    "FAILED": "failed",
    "BOUNCED": "failed",
    "REJECTED": "failed",
    "SUPPRESSED": "failed",
    "RENDERING_FAILED": "failed",
    "PERMANENT_FAILURE": "failed",
    "TEMPORARY_FAILURE": "failed",
    "UNKNOWN_FAILURE": "failed",
    "SPEND_LIMIT_EXCEEDED": "failed",
    "INVALID": "failed",
    "INVALID_MESSAGE": "failed",
    "UNREACHABLE": "failed",
    "CARRIER_UNREACHABLE": "failed",
    "BLOCKED": "failed",
    "CARRIER_BLOCKED": "failed",
    "SPAM": "failed",
    "TTL_EXPIRED": "failed",
    "UNKNOWN": "failed",  # no receipt within 72 hours: not known to be delivered
    "OPTED_OUT": "opted_out",
    "OPT_OUT": "opted_out",
    "THROTTLED": "throttled",
    "SENT": "pending",
    "DELAYED": "pending",
    "PENDING": "pending",
    "QUEUED": "pending",
}
#: The `simlab.sim` service that bills each outbox service.
#: Notify's codes are billed here as End User Messaging SMS parts (Notify's own per-message price
#: is not among the facts yet).
BILLED_AS: dict[str, str] = {
    "ses": "ses",
    "sns": "sns",
    "pinpoint": "pinpoint",
    "sms-voice": "eum",
    "endusermessaging": "eum",
}
#: Rates assumed at 10^9: email at Pinpoint's campaign maximum (an SES quota raised to match),
#: SMS over the short codes `simlab.sim.presets` leases.
RATES_AT_SCALE: dict[str, float] = {
    "email": pinpoint_facts.CAMPAIGN_MPS_MAX.value,
    "sms": sim_presets.SHORT_CODES * sms_facts.SHORT_CODE_MPS.value,
}
SMALL, LARGE = 10**3, 10**9


def messages_of(outbox: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """One record per message: where a service relays another's (Pinpoint email through SES),
    the latest record of a message id stands for it; records without an id stand alone."""
    kept: dict[str, OutboxMessage] = {}
    alone: list[tuple[int, OutboxMessage]] = []
    order: dict[str, int] = {}
    for index, message in enumerate(outbox):
        if message.message_id:
            kept[message.message_id] = message
            order[message.message_id] = index
        else:
            alone.append((index, message))
    merged = [(order[k], m) for k, m in kept.items()] + alone
    return [m for _, m in sorted(merged, key=lambda pair: pair[0])]


def status_class(status: str) -> str:
    """delivered, failed, opted_out, throttled or pending, for an outbox status."""
    if status not in STATUS_CLASSES:
        raise ValueError(f"outbox status {status!r} is not one of {', '.join(STATUS_CLASSES)}")
    return STATUS_CLASSES[status]


@dataclass(frozen=True, slots=True)
class ChannelTally:
    """Messages of one channel through one service, by how they ended."""

    channel: str
    service: str
    delivered: int
    failed: int
    opted_out: int
    throttled: int
    pending: int
    parts: int

    @property
    def sent(self) -> int:
        """Every message asked for: delivered + failed + opted out + throttled + pending."""
        return self.delivered + self.failed + self.opted_out + self.throttled + self.pending

    @property
    def billable(self) -> int:
        """Messages handed on for delivery (opted-out and throttled ones never left)."""
        return self.delivered + self.failed + self.pending


def tally(messages: Iterable[OutboxMessage]) -> tuple[ChannelTally, ...]:
    """Messages per (channel, service) and status class, with their SMS parts."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for m in messages:
        row = counts.setdefault((m.channel, m.service), Counter())
        row[status_class(m.status)] += 1
        if m.channel == "SMS" and status_class(m.status) not in ("opted_out", "throttled"):
            row["parts"] += count_parts(m.body).parts
    return tuple(
        ChannelTally(
            channel,
            service,
            delivered=row["delivered"],
            failed=row["failed"],
            opted_out=row["opted_out"],
            throttled=row["throttled"],
            pending=row["pending"],
            parts=row["parts"],
        )
        for (channel, service), row in sorted(counts.items())
    )


def _scaled(weights: Mapping[Any, int], total: int) -> dict[Any, int]:
    """``total`` split in proportion to ``weights``, whole numbers (largest remainder)."""
    whole = sum(weights.values())
    if not whole:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in weights.items()}
    shares = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: shares[k] - exact[k])[: total - sum(shares.values())]:
        shares[k] += 1
    return shares


def small_costs(tallies: Iterable[ChannelTally], total: int = SMALL) -> tuple[CostLine, ...]:
    """The cost of ``total`` messages in the run's mix: outbox counts scaled, priced with
    `simlab.sim.costs` (facts.prices, monthly free tiers as if this were the month's use)."""
    rows = [t for t in tallies if t.billable]
    counts = _scaled({(t.channel, t.service): t.billable for t in rows}, total)
    by_service: dict[str, dict[str, tuple[str, int, int, int]]] = {}
    for t in rows:
        sent = counts[(t.channel, t.service)]
        parts = max(1, round(t.parts / t.billable)) if t.channel == "SMS" else 1
        billed = BILLED_AS[t.service]
        channels = by_service.setdefault(billed, {})
        _, before_parts, before, _ = channels.get(t.channel.lower(), (billed, parts, 0, 0))
        # Two services billed alike (texts and Notify codes) share one line: parts averaged.
        mixed = round((before_parts * before + parts * sent) / (before + sent)) if sent else parts
        channels[t.channel.lower()] = (billed, max(1, mixed), before + sent, before + sent)
    lines: list[CostLine] = []
    for channels in by_service.values():
        lines += cost_lines(channels, 0, [])
    return tuple(lines)


def large_scenario(approach: str, tallies: Iterable[ChannelTally]) -> Scenario:
    """A `simlab.sim` scenario of 10^9 messages in the run's channel mix and services."""
    by_channel: dict[str, Counter[str]] = {}
    for t in tallies:
        by_channel.setdefault(t.channel.lower(), Counter())[BILLED_AS[t.service]] += t.billable
    weights = {c: sum(services.values()) for c, services in by_channel.items()}
    total = sum(weights.values())
    channels = {}
    for name, services in by_channel.items():
        service = services.most_common(1)[0][0]
        build = sim_presets.email if name == "email" else sim_presets.text
        channels[name] = build(service, RATES_AT_SCALE[name], weights[name] / total)
    return Scenario(
        f"compare-{approach}",
        LARGE,
        channels,
        Arrival("burst", sim_presets.NINE_AM),
        description=f"The need met with {APPROACHES[approach].TITLE}, at 10^9 messages in the "
        "same channel mix; each channel on the service that carried most of it.",
    )
