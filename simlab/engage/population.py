"""A generated audience: seeded people as Pinpoint endpoints, sized by the scale.

``generate(n, rng)`` returns ``n`` endpoints in the botocore ``EndpointBatchItem`` shape, ready
for ``UpdateEndpointsBatch`` (``batches`` cuts them into requests of at most 100) or an import
file (``to_csv``). ``sessions`` returns the app sessions a mobile SDK would have reported, as
``PutEvents`` batches, so recency segments have something to select. The same generator and the
same seed always give the same people.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from simlab.facts import pinpoint as facts
from simlab.primitives.scale import default_scale

#: Audience size at each scale; ``SIMLAB_SCALE`` picks one (``ci`` under pytest).
SIZES: dict[str, int] = {"ci": 2_000, "workshop": 100_000, "full": 1_000_000}

#: Channel types and their shares of the audience.
CHANNEL_SHARES: dict[str, float] = {"EMAIL": 0.55, "SMS": 0.25, "GCM": 0.12, "APNS": 0.08}
PLANS: dict[str, float] = {"free": 0.6, "plus": 0.3, "premium": 0.1}
#: Platforms of email and SMS endpoints (push endpoints follow their channel).
DEVICE_SHARES: dict[str, float] = {"ios": 0.35, "android": 0.35, "web": 0.3}
PUSH_PLATFORMS: dict[str, str] = {"GCM": "android", "APNS": "ios"}
INTERESTS: tuple[str, ...] = ("sports", "music", "travel", "food", "games", "books")
#: Share of endpoints that have opted out of everything (``OptOut`` ALL).
OPT_OUT_SHARE = 0.02


@dataclass(frozen=True)
class Country:
    """Where a part of the audience lives: a city, its phone prefix, zone, locale and names."""

    code: str
    share: float
    city: str
    latitude: float
    longitude: float
    phone_prefix: str  # E.164 prefix; the person's number follows, zero-padded
    phone_digits: int
    timezone: str
    locale: str
    names: tuple[str, ...]


# fmt: off
COUNTRIES: tuple[Country, ...] = (
    Country("US", 0.35, "Seattle", 47.6, -122.3, "+1206", 7, "America/Los_Angeles", "en_US",
            ("Ana", "Ben", "Chloe", "David", "Emma", "Frank")),
    Country("VN", 0.25, "Hanoi", 21.0, 105.8, "+8491", 7, "Asia/Ho_Chi_Minh", "vi_VN",
            ("Bao", "Linh", "Minh", "Ngoc", "Trang", "Tuan")),
    Country("DE", 0.15, "Berlin", 52.5, 13.4, "+49151", 8, "Europe/Berlin", "de_DE",
            ("Anna", "Felix", "Jonas", "Lena", "Lukas", "Mia")),
    Country("BR", 0.15, "Sao Paulo", -23.5, -46.6, "+55119", 8, "America/Sao_Paulo", "pt_BR",
            ("Beatriz", "Gabriel", "Julia", "Lucas", "Mariana", "Rafael")),
    Country("JP", 0.10, "Tokyo", 35.7, 139.7, "+8190", 8, "Asia/Tokyo", "ja_JP",
            ("Haruto", "Hina", "Kaito", "Sakura", "Sota", "Yui")),
)
# fmt: on

#: How many days ago people last opened the app: exponential with this mean.
MEAN_DAYS_SINCE_SESSION = 10.0
#: Share of the audience whose app ever reported a session.
APP_USER_SHARE = 0.6


def audience_size(scale: str | None = None) -> int:
    """How many endpoints the audience has at ``scale`` (the ``SIMLAB_SCALE`` one if None)."""
    chosen = scale or default_scale()
    if chosen not in SIZES:
        raise ValueError(f"scale must be one of {', '.join(SIZES)}; got {chosen!r}")
    return SIZES[chosen]


def _pick(rng: np.random.Generator, shares: Mapping[str, float], n: int) -> np.ndarray:
    names = list(shares)
    weights = np.array([shares[k] for k in names])
    return rng.choice(len(names), size=n, p=weights / weights.sum())


def generate(
    n: int, rng: np.random.Generator, *, now: datetime | None = None, start: int = 0
) -> list[dict[str, Any]]:
    """Returns ``n`` endpoints (``EndpointBatchItem`` dicts) drawn from ``rng``.

    One endpoint per person numbered from ``start``: endpoint ``ep-0000000``, user
    ``user-0000000`` and their addresses, so people generated with other numbers never collide.
    Sign-up dates fall in the two years before ``now`` (the simulated epoch by default).
    """
    if n < 0 or start < 0:
        raise ValueError(f"n and start must be 0 or more, got n={n}, start={start}")
    now = now or datetime(2026, 1, 5, 9, tzinfo=UTC)
    channels, devices = list(CHANNEL_SHARES), list(DEVICE_SHARES)
    channel = _pick(rng, CHANNEL_SHARES, n)
    country = _pick(rng, {c.code: c.share for c in COUNTRIES}, n)
    plan = _pick(rng, PLANS, n)
    interest_count = rng.integers(1, 4, size=n)
    interest_order = rng.permuted(np.tile(np.arange(len(INTERESTS)), (n, 1)), axis=1)
    purchases = rng.poisson(2.0, size=n)
    device = _pick(rng, DEVICE_SHARES, n)
    name = rng.integers(0, 6, size=n)
    jitter = np.round(rng.uniform(-0.3, 0.3, size=(n, 2)), 1)
    signup_days = rng.integers(0, 730, size=n)
    opted_out = rng.random(n) < OPT_OUT_SHARE

    plans = list(PLANS)
    signups = {
        days: f"{(now - timedelta(days=days)).date().isoformat()}T00:00:00Z"
        for days in set(signup_days.tolist())
    }
    columns = zip(
        channel.tolist(),
        country.tolist(),
        plan.tolist(),
        interest_order.tolist(),
        interest_count.tolist(),
        purchases.tolist(),
        device.tolist(),
        name.tolist(),
        jitter.tolist(),
        signup_days.tolist(),
        opted_out.tolist(),
        strict=True,
    )
    items: list[dict[str, Any]] = []
    for i, row in enumerate(columns, start=start):
        kind_at, place_at, plan_at, order, count, bought, device_at, name_at = row[:8]
        (dlat, dlon), days, out = row[8:]
        place = COUNTRIES[place_at]
        kind = channels[kind_at]
        item: dict[str, Any] = {
            "Id": f"ep-{i:07d}",
            "ChannelType": kind,
            "Address": _address(kind, place, i),
            "Attributes": {
                "interests": [INTERESTS[j] for j in order[:count]],
                "plan": [plans[plan_at]],
            },
            "Demographic": {
                "Platform": PUSH_PLATFORMS.get(kind) or devices[device_at],
                "Timezone": place.timezone,
                "Locale": place.locale,
            },
            "Location": {
                "Country": place.code,
                "City": place.city,
                "Latitude": round(place.latitude + dlat, 1),
                "Longitude": round(place.longitude + dlon, 1),
            },
            "Metrics": {"purchases": float(bought)},
            "User": {
                "UserId": f"user-{i:07d}",
                "UserAttributes": {
                    "FirstName": [place.names[name_at]],
                    "SignupDate": [signups[days]],
                },
            },
        }
        if out:
            item["OptOut"] = "ALL"
        items.append(item)
    return items


def _address(channel: str, place: Country, i: int) -> str:
    if channel == "EMAIL":
        return f"user{i:07d}@example.com"
    if channel == "SMS":
        return f"{place.phone_prefix}{i:0{place.phone_digits}d}"
    return f"{channel.lower()}-token-{i:07d}"


def batches(
    items: Sequence[dict[str, Any]], size: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Cuts ``items`` into lists of at most ``size`` (UpdateEndpointsBatch's limit by default)."""
    limit = facts.UPDATE_ENDPOINTS_BATCH_MAX.value
    size = limit if size is None else size
    if not 1 <= size <= limit:
        raise ValueError(f"size must be 1..{limit} (UpdateEndpointsBatch's limit), got {size}")
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def sessions(
    items: Sequence[dict[str, Any]],
    rng: np.random.Generator,
    *,
    now: datetime,
    share: float = APP_USER_SHARE,
) -> list[dict[str, Any]]:
    """``PutEvents`` batches (``EventsRequest.BatchItem`` dicts) of each app user's last session.

    A ``share`` of the endpoints report one ``_session.start`` a seeded number of days before
    ``now``; each batch holds at most PutEvents' limit of events.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in [0, 1], got {share}")
    active = rng.random(len(items)) < share
    ago = rng.exponential(MEAN_DAYS_SINCE_SESSION * 86400, size=len(items))
    limit = facts.PUT_EVENTS_MAX_EVENTS.value
    out: list[dict[str, Any]] = []
    batch: dict[str, Any] = {}
    for i, item in enumerate(items):
        if not active[i]:
            continue
        start = (now - timedelta(seconds=float(ago[i]))).strftime("%Y-%m-%dT%H:%M:%SZ")
        batch[item["Id"]] = {
            "Endpoint": {},
            "Events": {
                "session": {
                    "EventType": "_session.start",
                    "Timestamp": start,
                    "Session": {"Id": f"s-{item['Id']}", "StartTimestamp": start},
                }
            },
        }
        if len(batch) == limit:
            out.append(batch)
            batch = {}
    if batch:
        out.append(batch)
    return out


#: CSV columns of an import file, as Pinpoint names endpoint fields.
CSV_COLUMNS: tuple[str, ...] = (
    "Id",
    "ChannelType",
    "Address",
    "Location.Country",
    "Demographic.Platform",
    "User.UserId",
    "User.UserAttributes.FirstName",
    "Attributes.plan",
    "Metrics.purchases",
)


def to_csv(items: Sequence[dict[str, Any]]) -> str:
    """An import file of ``items`` in Pinpoint's CSV form (dotted field names as headers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow([_csv_value(item, column) for column in CSV_COLUMNS])
    return out.getvalue()


def _csv_value(item: Mapping[str, Any], column: str) -> str:
    value: Any = item
    for part in column.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def summary(items: Sequence[dict[str, Any]]) -> str:
    """A stable text table of the audience by channel, country and plan."""
    lines = [f"{len(items):,} endpoints"]
    keys: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
        ("channel", lambda e: e["ChannelType"]),
        ("country", lambda e: e["Location"]["Country"]),
        ("plan", lambda e: e["Attributes"]["plan"][0]),
    )
    for title, key in keys:
        counts = Counter(key(e) for e in items)
        cells = ", ".join(f"{k} {v / len(items):.0%}" for k, v in sorted(counts.items()))
        lines.append(f"  by {title:<8} {cells}")
    opted = sum(1 for e in items if e.get("OptOut") == "ALL")
    lines.append(f"  opted out  {opted / max(len(items), 1):.1%}")
    return "\n".join(lines)
