"""What a run costs: one line per priced item, each with its `simlab.facts` price and as-of date.

Free tiers are monthly; a run is treated as one month's usage. A channel with no confirmed AWS
price (voice) gets a line with no amount, never a made-up one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simlab.facts import Fact, prices

_PER = {
    "USD per 1,000 recipients": 1_000,
    "USD per 100,000 deliveries": 100_000,
    "USD per million deliveries": 1_000_000,
    "USD per million requests": 1_000_000,
    "USD per million notifications": 1_000_000,
    "USD per million events": 1_000_000,
    "USD per email": 1,
    "USD per request": 1,
    "USD per message part": 1,
    "USD per monthly targeted endpoint": 1,
}

#: (service, channel) -> (item, price fact, free-tier fact or None, billed per message part)
PRICES: dict[tuple[str, str], tuple[str, Fact[float], Fact[int] | None, bool]] = {
    ("ses", "email"): ("SES outbound email", prices.SES_PER_1000_RECIPIENTS, None, False),
    ("sns", "email"): (
        "SNS email deliveries",
        prices.SNS_EMAIL_PER_100K,
        prices.SNS_EMAIL_FREE_PER_MONTH,
        False,
    ),
    ("sns", "push"): (
        "SNS mobile push deliveries",
        prices.SNS_MOBILE_PUSH_PER_MILLION,
        prices.SNS_MOBILE_PUSH_FREE_PER_MONTH,
        False,
    ),
    ("sns", "sms"): (
        "SMS message parts (US example)",
        prices.SMS_EXAMPLE_PRICE_US_2019,
        None,
        True,
    ),
    ("pinpoint", "email"): ("Pinpoint email", prices.PINPOINT_EMAIL_PER_MESSAGE, None, False),
    ("pinpoint", "push"): (
        "Pinpoint push notifications",
        prices.PINPOINT_PUSH_PER_MILLION,
        prices.PINPOINT_PUSH_FREE,
        False,
    ),
    ("pinpoint", "in_app"): (
        "Pinpoint in-app requests",
        prices.PINPOINT_IN_APP_PER_REQUEST,
        prices.PINPOINT_IN_APP_FREE_REQUESTS,
        False,
    ),
    ("pinpoint", "sms"): (
        "SMS message parts (US example)",
        prices.SMS_EXAMPLE_PRICE_US_2019,
        None,
        True,
    ),
    ("eum", "sms"): (
        "SMS message parts (US example)",
        prices.SMS_EXAMPLE_PRICE_US_2019,
        None,
        True,
    ),
}


@dataclass(frozen=True, slots=True)
class CostLine:
    """One priced item: quantity x unit price, with where the price comes from."""

    service: str
    item: str
    quantity: int
    unit_usd: float | None
    usd: float | None
    as_of: str
    confirmed: bool
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "item": self.item,
            "quantity": self.quantity,
            "unit_usd": self.unit_usd,
            "usd": None if self.usd is None else round(self.usd, 6),
            "as_of": self.as_of,
            "confirmed": self.confirmed,
            "source": self.source,
        }


def unit_price(service: str, channel: str, parts: int = 1) -> float | None:
    """USD per message on a channel of a service (no free tier), or None when AWS lists none."""
    entry = PRICES.get((service, channel))
    if entry is None:
        return None
    _, fact, _, per_part = entry
    return float(fact.value) / _PER[fact.unit] * (parts if per_part else 1)


def _line(
    service: str, item: str, quantity: int, fact: Fact[float], free: Fact[int] | None
) -> CostLine:
    unit = fact.value / _PER[fact.unit]
    billable = max(0, quantity - (free.value if free is not None else 0))
    confirmed = fact.confirmed and (free is None or free.confirmed)
    return CostLine(
        service, item, quantity, unit, billable * unit, fact.as_of, confirmed, fact.source
    )


def cost_lines(
    channels: dict[str, tuple[str, int, int, int]],
    events: int,
    event_bytes: list[tuple[int, int]],
) -> list[CostLine]:
    """Prices a run.

    ``channels`` maps a channel to ``(service, parts, sent, targeted)``; ``events`` counts the
    stream records; ``event_bytes`` lists ``(records, bytes per record)`` fed to Firehose.
    """
    lines: list[CostLine] = []
    for channel, (service, parts, sent, _) in channels.items():
        entry = PRICES.get((service, channel))
        if entry is None:
            lines.append(
                CostLine(
                    service,
                    f"{channel} messages (no confirmed AWS price)",
                    sent,
                    None,
                    None,
                    prices.SMS_PRICE_RULE.as_of,
                    False,
                    "aws-facts 5.6: voice per-minute prices are UNCONFIRMED",
                )
            )
            continue
        item, fact, free, per_part = entry
        lines.append(_line(service, item, sent * (parts if per_part else 1), fact, free))
        if service == "sns" and channel in ("sms", "push"):
            lines.append(
                _line(
                    "sns",
                    "SNS publish requests",
                    sent,
                    prices.SNS_PER_MILLION_REQUESTS,
                    prices.SNS_FREE_REQUESTS_PER_MONTH,
                )
            )
    targeted = sum(t for s, _, _, t in channels.values() if s == "pinpoint")
    if targeted:
        lines.append(
            _line(
                "pinpoint",
                "Pinpoint monthly targeted endpoints",
                targeted,
                prices.PINPOINT_MTA_PER_ENDPOINT,
                prices.PINPOINT_MTA_FREE_ENDPOINTS,
            )
        )
        lines.append(
            _line(
                "pinpoint",
                "Pinpoint events",
                events,
                prices.PINPOINT_EVENTS_PER_MILLION,
                prices.PINPOINT_EVENTS_FREE,
            )
        )
    rounding = prices.FIREHOSE_RECORD_ROUNDING_BYTES.value
    billed = sum(n * math.ceil(b / rounding) * rounding for n, b in event_bytes)
    if billed:
        gb = billed / 1e9
        fact = prices.FIREHOSE_PER_GB
        lines.append(
            CostLine(
                "firehose",
                "Firehose ingestion (GB, records rounded up to 5 KB)",
                math.ceil(gb),
                fact.value,
                gb * fact.value,
                fact.as_of,
                fact.confirmed and prices.FIREHOSE_RECORD_ROUNDING_BYTES.confirmed,
                fact.source,
            )
        )
    return lines
