"""The one business need every approach meets, and the customers it is met for.

ExampleShop sends a welcome email when someone signs up, texts a one-time code when they sign
in, sends a weekly offer to the customers who asked for it at 09:00 in each one's own time zone
(by email or by text, as they chose), and honours a customer who texts STOP. The timeline is
fixed on the simulated clock so that every approach meets the same week:

* Monday 2026-01-05 from 09:00 UTC: customers sign up, one every ``SIGN_UP_GAP``;
* the same day, six hours later: a quarter of them sign in with a one-time code;
* Tuesdays 2026-01-06 and 2026-01-13, 09:00 local time: the weekly offer;
* Wednesday 2026-01-07 12:00 UTC: the first customer who gets the offer by text replies STOP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from simlab.engage.clock import DEFAULT_EPOCH
from simlab.engage.population import COUNTRIES
from simlab.sim import SCALES, default_scale

#: Customers at each scale (``SIMLAB_SCALE``; ``ci`` under pytest). Every message of every
#: approach goes through the local AWS, so these stay small; `simlab.sim` takes the billions.
SIZES: dict[str, int] = {"ci": 12, "workshop": 48, "full": 240}

#: US time zones of the audience, with an area code in each (555-01xx numbers are fictional).
ZONES: tuple[tuple[str, str], ...] = (
    ("America/New_York", "212"),
    ("America/Chicago", "312"),
    ("America/Denver", "303"),
    ("America/Los_Angeles", "206"),
    ("America/Anchorage", "907"),
    ("Pacific/Honolulu", "808"),
)
#: Share of customers who want the weekly offer, and of those, who want it by text.
OFFER_SHARE = 0.75
TEXT_SHARE = 0.5

SIGN_UP_START: datetime = DEFAULT_EPOCH
SIGN_UP_GAP = timedelta(minutes=2)
SIGN_IN_START: datetime = SIGN_UP_START + timedelta(hours=6)
SIGN_IN_GAP = timedelta(minutes=2)
FIRST_OFFER_DAY = date(2026, 1, 6)
WEEKS = 2
OFFER_HOUR = time(9, 0)
STOP_AT = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)
END = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)

#: What the shop's messages say, so that a message can be told apart in the outbox.
SENDER = "shop@example.com"
OFFER_CODE = "WEEKLY20"
WELCOME_MARK = "Welcome to ExampleShop"
_CODE = re.compile(r"\b(\d{4,8})\b")
_CODE_WORDS = re.compile(r"code|one time password", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Customer:
    """One customer: how to reach them, where they live, and what they want."""

    id: str
    name: str
    email: str
    phone: str
    timezone: str
    offers: bool
    offer_channel: str  # "EMAIL" or "SMS"


def audience_size(scale: str | None = None) -> int:
    """How many customers sign up at ``scale`` (default: ``SIMLAB_SCALE``)."""
    chosen = scale or default_scale()
    if chosen not in SIZES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}; got {chosen!r}")
    return SIZES[chosen]


def customers(n: int | None = None, seed: int = 0) -> tuple[Customer, ...]:
    """``n`` customers (default: the scale's size), the same ones for the same seed."""
    n = audience_size() if n is None else n
    if not isinstance(n, int) or n < 1 or n > 9_000:
        raise ValueError(f"n must be a whole number from 1 to 9000; got {n!r}")
    rng = np.random.default_rng([seed, 7])
    names = next(c.names for c in COUNTRIES if c.code == "US")
    zones = rng.permutation(n) % len(ZONES)  # as even across zones as n allows
    picks = rng.integers(0, len(names), size=n)
    wanting = round(n * OFFER_SHARE)
    order = rng.permutation(n)  # the first `wanting` want offers, the first of those by text
    rank = {int(person): place for place, person in enumerate(order)}
    texting = max(1, round(wanting * TEXT_SHARE))
    people = []
    for i in range(n):
        zone, area = ZONES[int(zones[i])]
        name = names[int(picks[i])]
        people.append(
            Customer(
                id=f"c{i:04d}",
                name=name,
                email=f"{name.lower()}.{i:04d}@example.org",
                phone=f"+1{area}555{100 + i:04d}",
                timezone=zone,
                offers=rank[i] < max(1, wanting),
                offer_channel="SMS" if rank[i] < texting else "EMAIL",
            )
        )
    return tuple(people)


def sign_up_at(index: int) -> datetime:
    """When the customer at ``index`` signs up."""
    return SIGN_UP_START + index * SIGN_UP_GAP


def sign_ins(people: tuple[Customer, ...]) -> tuple[Customer, ...]:
    """The customers who sign in with a one-time code: a quarter, at least one."""
    return people[: max(1, len(people) // 4)]


def sign_in_at(index: int) -> datetime:
    """When the ``index``-th customer to sign in does so."""
    return SIGN_IN_START + index * SIGN_IN_GAP


def stopper(people: tuple[Customer, ...]) -> Customer:
    """The customer who replies STOP: the first who gets the offer by text."""
    return next(c for c in people if c.offers and c.offer_channel == "SMS")


def offer_time(day: date, zone: str) -> datetime:
    """09:00 on ``day`` in ``zone``, in UTC: when the offer is due for a customer there."""
    return datetime.combine(day, OFFER_HOUR, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def offer_days() -> tuple[date, ...]:
    """The Tuesdays the weekly offer goes out on."""
    return tuple(FIRST_OFFER_DAY + timedelta(weeks=w) for w in range(WEEKS))


def kind_of(channel: str, subject: str, body: str) -> str:
    """What a message is to the shop: welcome, code, offer, or other (an automatic answer)."""
    text = f"{subject}\n{body}"
    if OFFER_CODE in text:
        return "offer"
    if WELCOME_MARK in text:
        return "welcome"
    if channel == "SMS" and _CODE.search(body) and _CODE_WORDS.search(body):
        return "code"
    return "other"


def code_in(body: str) -> str:
    """The one-time code in a text, as the customer reads it."""
    found = _CODE.search(body)
    if found is None:
        raise LookupError(f"no code in the text {body!r}")
    return found.group(1)


def describe(people: tuple[Customer, ...], limit: int = 12) -> str:
    """The customers as stable text: the first ``limit``, then how many want the offer and how."""
    lines = [f"{'id':<7}{'name':<8}{'time zone':<21}{'phone':<14}offer"]
    for c in people[:limit]:
        offer = f"by {c.offer_channel.lower()}" if c.offers else "-"
        lines.append(f"{c.id:<7}{c.name:<8}{c.timezone:<21}{c.phone:<14}{offer}")
    if len(people) > limit:
        lines.append(f"... and {len(people) - limit} more")
    email = sum(c.offers and c.offer_channel == "EMAIL" for c in people)
    text = sum(c.offers and c.offer_channel == "SMS" for c in people)
    lines.append(f"{len(people)} customers; the offer goes to {email} by email, {text} by text")
    return "\n".join(lines)
