"""Which messaging service fits a set of requirements, with the reasons, from `simlab.facts`.

The rule the exam notes teach: with SNS or SES (and End User Messaging) your code picks the
audience, the content and the schedule; with Pinpoint the service does — until its end of
support, and never for accounts new after it closed to new customers. After that the managed
answer is Amazon Connect outbound campaigns, with SES for email and End User Messaging for SMS,
voice, push and WhatsApp.

    >>> advise(channels={"email"}, purpose="transactional").services
    ('Amazon SES',)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simlab.facts import lifecycle, ses, sms, sns

__all__ = ["CHANNELS", "PURPOSES", "Advice", "Pick", "Requirements", "advise"]

#: Channels a requirement can name; "systems" means other applications (queues, functions, HTTP).
CHANNELS: tuple[str, ...] = ("email", "sms", "voice", "push", "in_app", "whatsapp", "systems")
#: Why the messages are sent: to one customer about their own action, to many to sell, or to staff.
PURPOSES: tuple[str, ...] = ("transactional", "marketing", "alerts")

_SECONDS_PER_DAY = 24 * 60 * 60
_EOS = lifecycle.PINPOINT_END_OF_SUPPORT.value
_NO_NEW = lifecycle.PINPOINT_NO_NEW_CUSTOMERS.value
_MAP = lifecycle.MIGRATION_MAP.value


@dataclass(frozen=True, slots=True)
class Requirements:
    """What the messaging must do.

    `targeting`: the service should hold the audience and build segments. `scheduling`: the
    service should run campaigns or journeys on a schedule. `new_account`: the account did not
    use Pinpoint before it closed to new customers. `on`: the date the advice is for.
    """

    channels: frozenset[str]
    purpose: str = "transactional"
    targeting: bool = False
    scheduling: bool = False
    two_way: bool = False
    analytics: bool = False
    volume_per_day: int = 0
    new_account: bool = True
    on: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        given: object = self.channels  # a single name is accepted too
        channels = frozenset([given] if isinstance(given, str) else self.channels)
        unknown = sorted(channels - set(CHANNELS))
        if not channels or unknown:
            allowed = ", ".join(CHANNELS)
            raise ValueError(f"channels {unknown or '[]'} not allowed; choose from {allowed}")
        object.__setattr__(self, "channels", channels)
        if self.purpose not in PURPOSES:
            raise ValueError(f"purpose {self.purpose!r} not allowed; choose {', '.join(PURPOSES)}")
        if not isinstance(self.volume_per_day, int) or self.volume_per_day < 0:
            raise ValueError(
                f"volume_per_day must be a whole number >= 0, got {self.volume_per_day!r}"
            )
        if not isinstance(self.on, date):
            raise ValueError(f"on must be a datetime.date, got {self.on!r}")

    @property
    def pinpoint_available(self) -> bool:
        """Return whether this account may still use Pinpoint's engagement features on `on`."""
        return not self.new_account and self.on < _EOS

    @property
    def engagement(self) -> bool:
        """Return whether the service, not the code, must own audience or schedule."""
        return (self.targeting or self.scheduling) and bool(self.channels - {"systems"})


@dataclass(frozen=True, slots=True)
class Pick:
    """One recommended service, the part it plays, and why."""

    service: str
    role: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Advice:
    """The recommended services in order, cautions to heed, and the facts the advice used."""

    picks: tuple[Pick, ...]
    cautions: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def services(self) -> tuple[str, ...]:
        """Return the recommended service names, most important first."""
        return tuple(pick.service for pick in self.picks)

    def summary(self) -> str:
        """Return the advice as short stable text."""
        lines = []
        for pick in self.picks:
            lines.append(f"{pick.service} — {pick.role}")
            lines += [f"  · {reason}" for reason in pick.reasons]
        lines += [f"! {caution}" for caution in self.cautions]
        return "\n".join(lines)


class _Builder:
    def __init__(self) -> None:
        self.picks: dict[str, Pick] = {}
        self.cautions: list[str] = []
        self.facts: list[str] = []

    def add(self, service: str, role: str, *reasons: str) -> None:
        if service in self.picks:
            old = self.picks[service]
            self.picks[service] = Pick(service, f"{old.role}; {role}", old.reasons + tuple(reasons))
        else:
            self.picks[service] = Pick(service, role, tuple(reasons))

    def cite(self, *keys: str) -> None:
        self.facts += [key for key in keys if key not in self.facts]

    def advice(self) -> Advice:
        return Advice(tuple(self.picks.values()), tuple(self.cautions), tuple(self.facts))


def advise(requirements: Requirements | None = None, **fields: Any) -> Advice:
    """Return the recommended services for requirements (a `Requirements` or its fields)."""
    if requirements is None:
        if "channels" not in fields:
            raise ValueError(f"channels is required; choose one or more of {', '.join(CHANNELS)}")
        requirements = Requirements(**fields)
    elif fields:
        raise TypeError("pass either a Requirements or its fields, not both")
    built = _Builder()
    if requirements.engagement:
        _managed(requirements, built)
    else:
        _self_managed(requirements, built)
    _volume(requirements, built)
    return built.advice()


def _managed(req: Requirements, out: _Builder) -> None:
    """The service owns audience and schedule: Pinpoint if still allowed, else its successors."""
    out.cite("lifecycle.PINPOINT_END_OF_SUPPORT", "lifecycle.PINPOINT_NO_NEW_CUSTOMERS")
    wants = ", ".join(
        word
        for word, on in (
            ("segments", req.targeting),
            ("scheduled campaigns or journeys", req.scheduling),
            ("engagement analytics", req.analytics),
        )
        if on
    )
    if req.pinpoint_available:
        out.add(
            "Amazon Pinpoint",
            "audience, segments, templates, campaigns and journeys (legacy)",
            f"you need {wants} managed by the service, across {_channels(req)}",
            f"this account used Pinpoint before {_NO_NEW}, so it may keep it until {_EOS}",
        )
        out.cautions.append(
            f"Pinpoint's engagement features end on {_EOS}; plan the move to "
            f"{_MAP['campaigns']}, {_MAP['email']} and AWS End User Messaging now"
        )
        if "systems" in req.channels:
            out.add("Amazon SNS", "fan-out to other systems", "applications subscribe to a topic")
        return
    why_not = (
        f"Pinpoint's engagement features ended on {_EOS}"
        if req.on >= _EOS
        else f"Pinpoint takes no new customers since {_NO_NEW}"
    )
    out.cite("lifecycle.MIGRATION_MAP")
    out.add(
        _MAP["campaigns"],
        f"audience ({_MAP['endpoints']}), segments and scheduled campaigns",
        f"you need {wants} managed by the service; {why_not}",
    )
    if "email" in req.channels:
        out.add("Amazon SES", "email", f"{_MAP['email']} is the successor for Pinpoint email")
    for channel in ("sms", "voice", "push", "whatsapp"):
        if channel in req.channels:
            _end_user_messaging(channel, req, out)
    if req.analytics:
        out.add(_MAP["event_analytics"], "event analytics", "successor for Pinpoint analytics")
    if "in_app" in req.channels:
        out.cite("lifecycle.NOT_IN_CONNECT")
        out.cautions.append(
            "in-app messaging has no successor in Amazon Connect: your app must render it"
        )
    if "push" in req.channels:
        out.cite("lifecycle.NOT_IN_CONNECT")
        out.cautions.append(
            "Amazon Connect campaigns do not send push; send it from your code through "
            "AWS End User Messaging Push"
        )
    if "systems" in req.channels:
        out.add("Amazon SNS", "fan-out to other systems", "applications subscribe to a topic")


def _self_managed(req: Requirements, out: _Builder) -> None:
    """Your code owns audience and schedule: pick the sending service per channel."""
    if "systems" in req.channels:
        out.cite("sns.A2A_ENDPOINTS")
        out.add(
            "Amazon SNS",
            "fan-out to other systems",
            "one publish reaches every subscribed queue, function or HTTP endpoint",
            "subscribe an Amazon SQS queue per consumer so each works at its own pace",
        )
    if "email" in req.channels:
        reasons = [f"{req.purpose} email sent to recipients your code chooses"]
        if req.analytics:
            out.cite("ses.EVENT_DESTINATIONS")
            reasons.append(
                "a configuration set publishes deliveries, bounces, opens and clicks to "
                + ", ".join(ses.EVENT_DESTINATIONS.value)
            )
        if req.two_way:
            reasons.append("receipt rules receive replies (S3, SNS, Lambda actions)")
        out.add("Amazon SES", "email", *reasons)
    if "sms" in req.channels:
        if req.two_way or req.purpose != "alerts":
            _end_user_messaging("sms", req, out)
        else:
            out.cite("sns.A2P_ENDPOINTS")
            out.add("Amazon SNS", "SMS alerts", "a topic texts every subscribed phone number")
    if "push" in req.channels:
        out.cite("sns.A2P_ENDPOINTS")
        out.add(
            "Amazon SNS",
            "mobile push",
            "platform endpoints per device; publish to one endpoint or a topic",
        )
    for channel in ("voice", "whatsapp"):
        if channel in req.channels:
            _end_user_messaging(channel, req, out)
    if "in_app" in req.channels:
        out.cite("lifecycle.NOT_IN_CONNECT")
        if req.pinpoint_available:
            out.add("Amazon Pinpoint", "in-app messages (legacy)", "only Pinpoint serves in-app")
            out.cautions.append(f"in-app messaging ends with Pinpoint on {_EOS}")
        else:
            out.cautions.append(
                "no AWS messaging service sends in-app messages: build it in the app"
            )


def _end_user_messaging(channel: str, req: Requirements, out: _Builder) -> None:
    out.cite("lifecycle.SUCCESSOR_APIS")
    api = lifecycle.SUCCESSOR_APIS.value[channel]
    if channel in ("sms", "voice"):
        reasons = [f"own origination numbers, registrations and opt-out lists ({api})"]
        two_way = channel == "sms" and req.two_way
        if two_way:
            out.cite("sms.TWO_WAY_DESTINATIONS")
            reasons.append("two-way SMS publishes each reply to an SNS topic (or Amazon Connect)")
        out.add("AWS End User Messaging SMS", "SMS" if channel == "sms" else "voice", *reasons)
        if two_way:
            out.add("Amazon SNS", "receives inbound SMS", "subscribe a function to act on replies")
    elif channel == "push":
        out.add("AWS End User Messaging Push", "mobile push", f"push stays on the {api} API")
    else:
        out.add("AWS End User Messaging Social", "WhatsApp", f"WhatsApp is served by {api}")


def _volume(req: Requirements, out: _Builder) -> None:
    """Warn where the daily volume passes a default quota."""
    if not req.volume_per_day:
        return
    per_second = req.volume_per_day / _SECONDS_PER_DAY
    if "email" in req.channels and req.volume_per_day > ses.SANDBOX_MAX_24_HOUR_SEND.value:
        out.cite("ses.SANDBOX_MAX_24_HOUR_SEND", "ses.SANDBOX_MAX_SEND_RATE")
        out.cautions.append(
            f"{req.volume_per_day:,} emails a day needs SES production access: the sandbox "
            f"allows {ses.SANDBOX_MAX_24_HOUR_SEND.value} per 24 h at "
            f"{ses.SANDBOX_MAX_SEND_RATE.value}/s"
        )
    if "sms" in req.channels and per_second > sms.TEN_DLC_MPS.value:
        out.cite("sms.TEN_DLC_MPS", "sms.SHORT_CODE_MPS")
        out.cautions.append(
            f"{req.volume_per_day:,} texts a day is {per_second:,.1f} message parts/s at least; "
            f"a US 10DLC number sends {sms.TEN_DLC_MPS.value}/s by default, a short code "
            f"{sms.SHORT_CODE_MPS.value}/s"
        )
    if "systems" in req.channels and per_second > sns.PUBLISH_TPS_BY_REGION.value["other"]:
        out.cite("sns.PUBLISH_TPS_BY_REGION")
        out.cautions.append(
            f"{per_second:,.0f} publishes/s passes the smaller Regions' default SNS publish "
            f"rate of {sns.PUBLISH_TPS_BY_REGION.value['other']:,}/s (UNCONFIRMED); ask for more"
        )


def _channels(req: Requirements) -> str:
    return ", ".join(c for c in CHANNELS if c in req.channels)
