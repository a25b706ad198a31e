"""Ready scenarios: the same workloads through SNS, SES, Pinpoint and AWS End User Messaging.

Every rate and quota is read from `simlab.facts`; what a scenario adds on top (how many short
codes you lease, the share of each channel, the odds of a bounce) is a stated assumption you
can change. Audience sizes come from the scale (`SIMLAB_SCALE`): ``ci`` keeps exact-model runs
small, ``full`` is the real size. The aggregate model costs the same at any size, so
``billion-day`` is a billion at every scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simlab.facts import pinpoint, ses, sms, sns
from simlab.primitives.sms_parts import count_parts
from simlab.sim.scenario import (
    DAY,
    SCALES,
    Arrival,
    Channel,
    Latency,
    Outcomes,
    Pipeline,
    Scenario,
    ScenarioError,
    default_scale,
)

#: An SMS a campaign might send; its part count (GSM-7, one part) sets the parts per message.
SMS_TEXT = "Your order has shipped! Track it at https://example.com/t/ABC123. Reply STOP to opt out"
SMS_PARTS = count_parts(SMS_TEXT).parts
#: Short codes leased for the billion-a-day scenario (an assumption; each adds its MPS).
SHORT_CODES = 12
NINE_AM = 9 * 3600.0

EMAIL_ODDS = Outcomes(
    delivered=0.975, bounced=0.012, complained=0.0005, failed=0.0025, opted_out=0.01
)
SMS_ODDS = Outcomes(delivered=0.95, failed=0.03, opted_out=0.02)
PUSH_ODDS = Outcomes(delivered=0.90, failed=0.08, opted_out=0.02)
IN_APP_ODDS = Outcomes(delivered=0.99, opted_out=0.01)
VOICE_ODDS = Outcomes(delivered=0.70, bounced=0.25, failed=0.05)


def email(service: str, rate: float, share: float = 1.0, **kw: Any) -> Channel:
    """An email channel on ``service`` at ``rate`` messages/s."""
    return Channel(share, rate, service, outcomes=EMAIL_ODDS, latency=Latency(3.0, 0.8),
                   record_bytes=1_500, **kw)  # fmt: skip


def text(service: str, mps: float, share: float = 1.0, **kw: Any) -> Channel:
    """An SMS channel: ``mps`` message parts/s, so ``mps / parts`` messages/s."""
    return Channel(share, mps / SMS_PARTS, service, parts=SMS_PARTS, outcomes=SMS_ODDS,
                   latency=Latency(4.0, 0.7), record_bytes=900, **kw)  # fmt: skip


def push(service: str, rate: float, share: float = 1.0) -> Channel:
    """A mobile push channel."""
    return Channel(share, rate, service, outcomes=PUSH_ODDS, latency=Latency(1.0, 0.5),
                   record_bytes=700)  # fmt: skip


def _billion_day(n: int) -> Scenario:
    return Scenario(
        "billion-day",
        n,
        {
            "email": email("pinpoint", pinpoint.CAMPAIGN_MPS_MAX.value, 0.55),
            "push": push("pinpoint", pinpoint.PUSH_CAMPAIGN_NOTIFICATIONS_PER_SECOND.value, 0.30),
            "sms": text("eum", SHORT_CODES * sms.SHORT_CODE_MPS.value, 0.10),
            "in_app": Channel(
                0.04998,
                pinpoint.API_RATE_LIMITS_2023.value["GetInAppMessages"],
                "pinpoint",
                outcomes=IN_APP_ODDS,
                latency=Latency(0.5, 0.3),
                record_bytes=700,
            ),
            "voice": Channel(
                0.00002,
                sms.VOICE_PRODUCTION_CALLS_PER_MINUTE.value / 60,
                "eum",
                outcomes=VOICE_ODDS,
                latency=Latency(30.0, 0.5),
                record_bytes=600,
            ),
        },
        Arrival("diurnal", 0.0, DAY, peak_hour=19.0, amplitude=0.8),
        Pipeline(buffer_mb=128, buffer_interval_s=60),
        description="1e9 messages in one day on five channels: Pinpoint email at its campaign "
        f"maximum, push at its campaign quota, SMS over {SHORT_CODES} short codes, in-app at "
        "GetInAppMessages' rate and voice at the production call rate.",
    )


def _sms(number_type: str) -> Callable[[int], Scenario]:
    def build(n: int) -> Scenario:
        mps = sms.origination_mps(number_type, "US").value
        return Scenario(
            f"sms-{number_type.lower().replace('_', '-')}",
            n,
            {"sms": text("eum", mps)},
            Arrival("burst", NINE_AM),
            description=f"One SMS campaign from a single US {number_type} number "
            f"({mps} MPS, {SMS_PARTS} part per message).",
        )

    return build


def _ses(sandbox: bool) -> Callable[[int], Scenario]:
    def build(n: int) -> Scenario:
        rate = (ses.SANDBOX_MAX_SEND_RATE if sandbox else ses.PRODUCTION_MAX_SEND_RATE).value
        quota = (ses.SANDBOX_MAX_24_HOUR_SEND if sandbox else ses.PRODUCTION_MAX_24_HOUR_SEND).value
        kind = "sandbox" if sandbox else "production"
        return Scenario(
            f"email-ses-{kind}",
            n,
            {"email": email("ses", rate, daily_quota=float(quota))},
            Arrival("burst", NINE_AM),
            description=f"An SES email blast under the {kind} quota: {rate}/s, {quota:,} per "
            "rolling 24 hours.",
        )

    return build


def _sns_email(n: int) -> Scenario:
    rate = sns.EMAIL_DELIVERIES_PER_SECOND.value
    return Scenario(
        "email-sns-topic",
        n,
        {"email": email("sns", rate)},
        Arrival("burst", NINE_AM),
        description=f"One announcement published to an SNS topic with email subscribers: SNS "
        f"delivers {rate} emails/s per account (and at most "
        f"{sns.SUBSCRIPTIONS_PER_TOPIC.value:,} subscriptions per topic).",
    )


#: A Pinpoint campaign's HoldoutPercent: the share of the segment that gets nothing (a choice).
HOLDOUT_PERCENT = 5


def held_out(audience: int, percent: float = HOLDOUT_PERCENT) -> int:
    """Endpoints a campaign's holdout keeps back from a segment of ``audience``."""
    return round(audience * percent / 100)


def _event_sms(n: int) -> Scenario:
    mps = sms.TOLL_FREE_MPS.value
    drop = pinpoint.EVENT_CAMPAIGN_DROP_SECONDS.value
    return Scenario(
        "event-sms-toll-free",
        n,
        {"sms": text("pinpoint", mps)},
        Arrival("event", NINE_AM, 3_600.0),
        max_wait_s=float(drop),
        description=f"An event-triggered Pinpoint campaign texting from one toll-free number "
        f"({mps} MPS) as events arrive for an hour; a message not sent within {drop} s is "
        "dropped (throttled).",
    )


def _pinpoint_email(n: int) -> Scenario:
    return Scenario(
        "email-pinpoint-campaign",
        n - held_out(n),
        {"email": email("pinpoint", pinpoint.CAMPAIGN_MPS_MAX.value)},
        Arrival("burst", NINE_AM),
        description="A Pinpoint email campaign to a segment of the audience size at "
        f"MessagesPerSecond = {pinpoint.CAMPAIGN_MPS_MAX.value:,} (its maximum; SES quotas of "
        f"the Region still apply and must be raised to match), HoldoutPercent "
        f"{HOLDOUT_PERCENT}: that share of the segment gets nothing and is not counted.",
    )


def _sns_sms(n: int) -> Scenario:
    mps = sms.TOLL_FREE_MPS.value
    return Scenario(
        "sms-sns-toll-free",
        n,
        {"sms": text("sns", mps)},
        Arrival("burst", NINE_AM),
        description="The toll-free campaign sent with SNS Publish to each phone number: the "
        f"same {mps} MPS number, plus SNS's per-request charge.",
    )


def _push(service: str) -> Callable[[int], Scenario]:
    def build(n: int) -> Scenario:
        if service == "pinpoint":
            rate = pinpoint.PUSH_CAMPAIGN_NOTIFICATIONS_PER_SECOND.value
            note = "Pinpoint push campaign quota"
        else:
            rate = sns.PUBLISH_TPS_BY_REGION.value["us-east-1"]
            note = "SNS Publish TPS in us-east-1 (UNCONFIRMED), one Publish per endpoint"
        return Scenario(
            f"push-{service}",
            n,
            {"push": push(service, rate)},
            Arrival("burst", NINE_AM),
            description=f"A push notification to every device: {rate:,}/s ({note}).",
        )

    return build


def _checked(n: int) -> Scenario:
    average = max(n, 1) / DAY  # messages/s if arrivals were flat
    return Scenario(
        "fidelity",
        n,
        {
            "sms": text("eum", 1.3 * 0.5 * average * SMS_PARTS, 0.5),
            "email": email("ses", 1.05 * 0.3 * average, 0.3),
            "push": push("pinpoint", 3 * 0.2 * average, 0.2),
        },
        Arrival("diurnal", 0.0, DAY, peak_hour=19.0, amplitude=0.8),
        description="A mixed day whose rates scale with the audience, so that SMS queues at "
        "the evening peak and email runs near capacity all day: the case the aggregate model "
        "is checked against the exact one on.",
    )


#: name -> (builder, audience per scale)
PRESETS: dict[str, tuple[Callable[[int], Scenario], dict[str, int]]] = {
    # A billion at every scale: the name is the size, and the aggregated model costs the same.
    "billion-day": (_billion_day, dict.fromkeys(SCALES, 10**9)),
    "sms-toll-free": (_sms("TOLL_FREE"), dict.fromkeys(SCALES, 50_000_000)),
    "sms-short-code": (_sms("SHORT_CODE"), dict.fromkeys(SCALES, 50_000_000)),
    "sms-ten-dlc": (_sms("TEN_DLC"), dict.fromkeys(SCALES, 50_000_000)),
    "sms-sns-toll-free": (_sns_sms, dict.fromkeys(SCALES, 50_000_000)),
    "event-sms-toll-free": (_event_sms, dict.fromkeys(SCALES, 14_400)),
    "email-ses-sandbox": (_ses(True), dict.fromkeys(SCALES, 10_000)),
    "email-ses-production": (_ses(False), dict.fromkeys(SCALES, 1_000_000)),
    "email-sns-topic": (_sns_email, dict.fromkeys(SCALES, 1_000_000)),
    "email-pinpoint-campaign": (_pinpoint_email, dict.fromkeys(SCALES, 1_000_000)),
    "push-pinpoint": (_push("pinpoint"), dict.fromkeys(SCALES, 10_000_000)),
    "push-sns": (_push("sns"), dict.fromkeys(SCALES, 10_000_000)),
    "fidelity": (_checked, {"ci": 100_000, "workshop": 300_000, "full": 1_000_000}),
}

#: The same workload through each service that can carry it.
COMPARISONS: dict[str, tuple[str, ...]] = {
    "email": (
        "email-ses-sandbox",
        "email-ses-production",
        "email-sns-topic",
        "email-pinpoint-campaign",
    ),  # fmt: skip
    "sms": ("sms-ten-dlc", "sms-toll-free", "sms-sns-toll-free", "sms-short-code"),
    "push": ("push-sns", "push-pinpoint"),
}


def names() -> list[str]:
    """The ready scenarios."""
    return list(PRESETS)


def preset(name: str, scale: str | None = None, messages: int | None = None) -> Scenario:
    """A ready scenario at a scale (default `default_scale()`) or with an explicit audience."""
    if name not in PRESETS:
        raise ScenarioError(f"scenario must be one of {', '.join(PRESETS)}; got {name!r}")
    scale = scale or default_scale()
    if scale not in SCALES:
        raise ScenarioError(f"scale must be one of {', '.join(SCALES)}; got {scale!r}")
    build, sizes = PRESETS[name]
    return build(int(messages) if messages is not None else sizes[scale])


def audience(name: str, scale: str | None = None) -> int:
    """The audience size of a ready scenario at a scale."""
    return preset(name, scale).messages
