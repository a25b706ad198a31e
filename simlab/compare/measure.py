"""Runs an approach through the need on a fresh local AWS and measures what it took.

`run` plays the customers' side of the week (they sign up, sign in, read their codes, one texts
STOP) against an approach's code and returns what happened: every message the local AWS sent
and every API call the code made. `measure` turns a `Run` into a flat `Measurement`: lines of
learner code, API calls by operation, the approach's gaps as checked, messages per channel and
status, timing on the simulated clock, and cost at 10^3 messages (list prices from
`simlab.facts` applied to the outbox counts) and at 10^9 (`simlab.sim` with the same mix).
"""

from __future__ import annotations

import ast
import inspect
import io
import math
import textwrap
import tokenize
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from simlab.aws import LocalAWS
from simlab.compare import diy, need, pinpoint, successors
from simlab.compare.gaps import CheckedGap, checked
from simlab.compare.need import Customer
from simlab.engage.outbox import OutboxMessage
from simlab.facts import pinpoint as pinpoint_facts
from simlab.facts import sms as sms_facts
from simlab.sim import Arrival, Scenario, simulate
from simlab.sim import presets as sim_presets
from simlab.sim.costs import CostLine, cost_lines
from simlab.sim.rates import count_parts
from simlab.sim.results import duration

#: The three ways to meet the need, in the order they are shown.
APPROACHES: dict[str, ModuleType] = {"diy": diy, "pinpoint": pinpoint, "successors": successors}
#: boto3 service name of each client parameter an approach's ``open_shop`` takes.
CLIENTS: dict[str, str] = {
    "sesv2": "sesv2",
    "sns": "sns",
    "sqs": "sqs",
    "sms": "pinpoint-sms-voice-v2",
    "pinpoint": "pinpoint",
    "eum": "endusermessaging",
}
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


# -- learner code ----------------------------------------------------------------------------


def _unique(objects: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for obj in objects:
        if obj not in seen:
            seen.append(obj)
    return seen


def source(approach: str) -> str:
    """The learner code of an approach, as one listing (helpers it shares included)."""
    code = _module(approach).CODE
    return "\n\n".join(textwrap.dedent(inspect.getsource(obj)).rstrip() for obj in _unique(code))


def lines_of_code(objects: Iterable[Any]) -> int:
    """Non-blank lines of ``objects``' source that are neither comments nor docstrings."""
    total = 0
    for obj in _unique(objects):
        text = textwrap.dedent(inspect.getsource(obj))
        docstrings: set[int] = set()
        for node in ast.walk(ast.parse(text)):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and _is_docstring(body[0]):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
        code: set[int] = set()
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in _NOT_CODE:
                code.update(range(token.start[0], token.end[0] + 1))
        total += len(code - docstrings)
    return total


_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


# -- running ---------------------------------------------------------------------------------


class CallCounter:
    """Counts the API calls made through the clients it watches, by service and operation."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()

    def watch(self, client: Any) -> Any:
        """Counts every call ``client`` makes from now on (a botocore ``before-call`` hook)."""
        service = client.meta.service_model.service_name

        def count(model: Any, **_: Any) -> None:
            self.calls[(service, model.name)] += 1

        client.meta.events.register("before-call", count)
        return client


@dataclass(frozen=True)
class Run:
    """What happened when one approach met the need: messages, calls, codes, the STOP."""

    approach: str
    seed: int
    mode: str
    customers: tuple[Customer, ...]
    messages: tuple[OutboxMessage, ...] = field(repr=False)
    calls: tuple[tuple[str, str, int], ...]
    codes_checked: tuple[tuple[str, bool], ...]
    stopper: str
    number: str
    code_done_at: datetime


def _module(approach: str) -> ModuleType:
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {', '.join(APPROACHES)}; got {approach!r}")
    return APPROACHES[approach]


def prepare_account(aws: LocalAWS) -> None:
    """What AWS grants on request, outside the learner's code: SES production access and
    an SMS account out of the sandbox."""
    aws.ses.grant_production_access()
    aws.sms.leave_sandbox()


def run(
    approach: str,
    customers: tuple[Customer, ...] | None = None,
    *,
    seed: int = 0,
    mode: str = "inprocess",
) -> Run:
    """Meets the need with ``approach`` on a fresh ``LocalAWS(mode, seed=seed)``."""
    module = _module(approach)
    people = need.customers(seed=seed) if customers is None else tuple(customers)
    with LocalAWS(mode, seed=seed) as aws:  # type: ignore[arg-type]
        prepare_account(aws)
        counter = CallCounter()
        clock = aws.clock

        def wait_until(moment: datetime) -> None:
            if moment > clock.now():
                clock.advance_to(moment)

        shop = module.open_shop(**_injected(module.open_shop, aws, counter))
        for index, customer in enumerate(people):
            wait_until(need.sign_up_at(index))
            module.sign_up(shop, customer)
        checks = []
        for index, customer in enumerate(need.sign_ins(people)):
            wait_until(need.sign_in_at(index))
            module.send_code(shop, customer)
            code = need.code_in(aws.outbox.last(channel="SMS", to=customer.phone).body)
            checks.append((customer.id, module.check_code(shop, customer, code)))
        stopper = need.stopper(people)
        clock.call_at(need.STOP_AT, lambda: aws.sms.reply(stopper.phone, shop.number, "STOP"))
        module.promote(shop, need.offer_days(), wait_until)
        code_done_at = clock.now()
        wait_until(need.END)
        messages = tuple(aws.outbox)
    calls = tuple(sorted((s, o, n) for (s, o), n in counter.calls.items()))
    return Run(
        approach,
        seed,
        mode,
        people,
        messages,
        calls,
        tuple(checks),
        stopper.id,
        shop.number,
        code_done_at,
    )


def _injected(open_shop: Callable[..., Any], aws: LocalAWS, counter: CallCounter) -> dict[str, Any]:
    """The arguments ``open_shop`` asks for by name: watched clients, a seeded rng, the time."""
    arguments: dict[str, Any] = {}
    for name in inspect.signature(open_shop).parameters:
        if name in CLIENTS:
            arguments[name] = counter.watch(aws.client(CLIENTS[name]))
        elif name == "rng":
            arguments[name] = aws.state.rng("compare.codes")
        elif name == "now":
            arguments[name] = aws.clock.now
        else:
            raise TypeError(f"open_shop asks for {name!r}; it may ask for {', '.join(CLIENTS)}")
    return arguments


# -- measuring -------------------------------------------------------------------------------


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
        ChannelTally(channel, service, *(row[k] for k in _CLASSES), row["parts"])
        for (channel, service), row in sorted(counts.items())
    )


_CLASSES = ("delivered", "failed", "opted_out", "throttled", "pending")


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


@dataclass(frozen=True, slots=True)
class Measurement:
    """One approach, measured: code, calls, gaps, messages, time and cost, all from its run."""

    approach: str
    title: str
    customers: int
    lines_of_code: int
    api_calls: int
    calls: tuple[tuple[str, str, int], ...]
    gaps: tuple[CheckedGap, ...]
    channels: tuple[ChannelTally, ...]
    welcomes: int
    codes_sent: int
    codes_verified: int
    sign_ins: int
    offers: int
    offers_expected: int
    offers_to_segment: bool
    offer_lateness_max_s: float
    stop_honoured: bool
    other_messages: int
    welcome_delay_max_s: float
    done_after_s: float
    code_busy_s: float
    cost_small_usd: float
    cost_small_lines: tuple[CostLine, ...]
    cost_large_usd: float
    large_completion_s: float

    @property
    def sent(self) -> int:
        return sum(t.sent for t in self.channels)

    def summary(self) -> str:
        """The measurement as stable text."""
        lines = [
            f"{self.title} · {self.customers} customers",
            f"learner code: {self.lines_of_code} lines · API calls: {self.api_calls}",
            "calls: " + ", ".join(f"{s}:{o} {n}" for s, o, n in self.calls),
            f"welcome emails {self.welcomes} (latest {duration(self.welcome_delay_max_s)} after "
            f"sign-up) · codes sent {self.codes_sent}, verified {self.codes_verified} of "
            f"{self.sign_ins}",
            f"offers {self.offers} of {self.offers_expected} due · only the segment: "
            f"{_yes(self.offers_to_segment)} · latest {duration(self.offer_lateness_max_s)} "
            f"after 09:00 local · STOP honoured: {_yes(self.stop_honoured)}",
            f"{'channel':<8}{'service':<11}{'sent':>6}{'delivered':>10}{'failed':>7}"
            f"{'opted out':>10}{'throttled':>10}{'pending':>8}",
        ]
        for t in self.channels:
            lines.append(
                f"{t.channel:<8}{t.service:<11}{t.sent:>6}{t.delivered:>10}{t.failed:>7}"
                f"{t.opted_out:>10}{t.throttled:>10}{t.pending:>8}"
            )
        lines.append(
            f"done after {duration(self.done_after_s)} on the simulated clock · your code ran "
            f"for {duration(self.code_busy_s)}"
        )
        lines.append(
            f"cost USD {self.cost_small_usd:,.4f} per 10^3 messages · "
            f"{self.cost_large_usd:,.0f} per 10^9 (sim, done after "
            f"{duration(self.large_completion_s)})"
        )
        for gap in self.gaps:
            lines.append(f"gap: {gap.need} — {gap.note} [{_checked(gap.confirmed)}]")
        return "\n".join(lines)

    def cost_text(self) -> str:
        """The priced lines at 10^3 messages, as stable text."""
        lines = [f"{self.title}: USD {self.cost_small_usd:,.4f} per {SMALL:,} messages"]
        for line in self.cost_small_lines:
            unit = "-" if line.unit_usd is None else f"{line.unit_usd:.7f}".rstrip("0")
            free = _free_of(line)
            lines.append(
                f"  {line.service:<10}{line.item:<38}{line.quantity:>6,} x {unit:<10}= "
                f"{line.usd or 0.0:>8.4f}"
                f"  (as of {line.as_of}{'' if line.confirmed else ', UNCONFIRMED'}"
                + (f"; {free:,} of them in the monthly free tier)" if free else ")")
            )
        return "\n".join(lines)

    def gap_text(self) -> str:
        """What the approach left to your code, each with what its check found."""
        lines = [f"{self.title}:"]
        for gap in self.gaps:
            lines.append(f"  {gap.need} [{_checked(gap.confirmed)}]: {gap.note}")
        return "\n".join(lines)


def _free_of(line: CostLine) -> int:
    """How many of a line's units the monthly free tier covered (0 when all are billed)."""
    if not line.unit_usd or line.usd is None or line.quantity <= 0:
        return 0
    billed = round(line.usd / line.unit_usd)
    return max(0, line.quantity - billed)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _checked(confirmed: bool | None) -> str:
    return {True: "confirmed", False: "REFUTED", None: "not checked"}[confirmed]


def measure_run(result: Run, *, sim_seed: int = 0) -> Measurement:
    """Measures a run: everything is computed from its messages and calls."""
    module = _module(result.approach)
    messages = messages_of(result.messages)
    by_address = {c.email: c for c in result.customers} | {c.phone: c for c in result.customers}
    kinds = Counter(need.kind_of(m.channel, m.subject, m.body) for m in messages)
    reached = [m for m in messages if status_class(m.status) not in ("opted_out", "throttled")]
    offers = [m for m in reached if need.kind_of(m.channel, m.subject, m.body) == "offer"]
    welcomes = [m for m in reached if need.kind_of(m.channel, m.subject, m.body) == "welcome"]
    due = _offers_due(result.customers, result.stopper)
    got = {(_offer_day(m, by_address[m.destination]), by_address[m.destination].id) for m in offers}
    stopper = next(c for c in result.customers if c.id == result.stopper)
    late_offers = [m for m in offers if m.destination == stopper.phone and m.sent_at > need.STOP_AT]
    lateness = [
        (m.sent_at - need.offer_time(*_offer_day(m, by_address[m.destination]))).total_seconds()
        for m in offers
    ]
    index = {c.id: i for i, c in enumerate(result.customers)}
    delays = [
        (m.sent_at - need.sign_up_at(index[by_address[m.destination].id])).total_seconds()
        for m in welcomes
    ]
    tallies = tally(messages)
    small = small_costs(tallies)
    large = simulate(large_scenario(result.approach, tallies), seed=sim_seed)
    return Measurement(
        approach=result.approach,
        title=module.TITLE,
        customers=len(result.customers),
        lines_of_code=lines_of_code(module.CODE),
        api_calls=sum(n for _, _, n in result.calls),
        calls=result.calls,
        gaps=checked(module.GAPS),
        channels=tallies,
        welcomes=len(welcomes),
        codes_sent=kinds["code"],
        codes_verified=sum(ok for _, ok in result.codes_checked),
        sign_ins=len(result.codes_checked),
        offers=len(offers),
        offers_expected=len(due),
        offers_to_segment=got == due,
        offer_lateness_max_s=max(lateness, default=math.nan),
        stop_honoured=not late_offers,
        other_messages=kinds["other"],
        welcome_delay_max_s=max(delays, default=math.nan),
        done_after_s=max(
            ((m.sent_at - need.SIGN_UP_START).total_seconds() for m in messages), default=0.0
        ),
        code_busy_s=(result.code_done_at - need.SIGN_UP_START).total_seconds(),
        cost_small_usd=round(sum(line.usd or 0.0 for line in small), 6),
        cost_small_lines=small,
        cost_large_usd=large.cost_usd,
        large_completion_s=large.completion_s,
    )


def _offers_due(
    customers: tuple[Customer, ...], stopper_id: str
) -> set[tuple[tuple[Any, str], str]]:
    """(day, zone) and customer id of every offer the need asks for."""
    due = set()
    for week, day in enumerate(need.offer_days()):
        for c in customers:
            if c.offers and not (week > 0 and c.id == stopper_id):
                due.add(((day, c.timezone), c.id))
    return due


def _offer_day(message: OutboxMessage, customer: Customer) -> tuple[Any, str]:
    """The offer day a message belongs to: the latest whose 09:00 local it is not before."""
    days = [
        d for d in need.offer_days() if need.offer_time(d, customer.timezone) <= message.sent_at
    ]
    day = days[-1] if days else need.offer_days()[0]
    return (day, customer.timezone)


def compare(
    customers: tuple[Customer, ...] | None = None, *, seed: int = 0, mode: str = "inprocess"
) -> tuple[Measurement, ...]:
    """Runs and measures every approach on the same customers."""
    people = need.customers(seed=seed) if customers is None else tuple(customers)
    return tuple(
        measure_run(run(name, people, seed=seed, mode=mode), sim_seed=seed) for name in APPROACHES
    )


def table(measurements: Iterable[Measurement]) -> str:
    """The approaches side by side, one row per measure, as stable text."""
    ms = list(measurements)
    rows: list[tuple[str, list[str]]] = [
        ("lines of learner code", [str(m.lines_of_code) for m in ms]),
        ("API calls", [str(m.api_calls) for m in ms]),
        ("operations used", [str(len(m.calls)) for m in ms]),
        ("gaps (confirmed)", [_gaps(m) for m in ms]),
        ("welcome emails", [str(m.welcomes) for m in ms]),
        ("codes verified", [f"{m.codes_verified}/{m.sign_ins}" for m in ms]),
        ("offers sent / due", [f"{m.offers}/{m.offers_expected}" for m in ms]),
        ("offers only to segment", [_yes(m.offers_to_segment) for m in ms]),
        ("latest offer after 09:00", [duration(m.offer_lateness_max_s) for m in ms]),
        ("STOP honoured", [_yes(m.stop_honoured) for m in ms]),
        ("messages in outbox", [str(m.sent) for m in ms]),
        ("delivered", [str(sum(t.delivered for t in m.channels)) for m in ms]),
        ("failed", [str(sum(t.failed for t in m.channels)) for m in ms]),
        ("opted out / throttled", [_pair(m, "opted_out", "throttled") for m in ms]),
        ("last message after", [duration(m.done_after_s) for m in ms]),
        ("your code runs for", [duration(m.code_busy_s) for m in ms]),
        ("USD per 10^3 messages", [f"{m.cost_small_usd:,.4f}" for m in ms]),
        ("USD per 10^9 messages", [f"{m.cost_large_usd:,.0f}" for m in ms]),
    ]
    width = max(18, *(len(m.title) + 2 for m in ms))
    head = f"{'':<27}" + "".join(f"{m.title:>{width}}" for m in ms)
    return "\n".join([head] + [f"{k:<27}" + "".join(f"{v:>{width}}" for v in vs) for k, vs in rows])


def _gaps(m: Measurement) -> str:
    return f"{len(m.gaps)} ({sum(g.confirmed is True for g in m.gaps)})"


def _pair(m: Measurement, a: str, b: str) -> str:
    return f"{sum(getattr(t, a) for t in m.channels)} / {sum(getattr(t, b) for t in m.channels)}"
