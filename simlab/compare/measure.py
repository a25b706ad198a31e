"""Measures what an approach took to meet the need, from its `Run` on a fresh local AWS.

`measure_run` turns a `Run` (see `running`) into a flat `Measurement`: lines of learner code
(`code`), API calls by operation, the approach's gaps as checked, messages per channel and
status (`tallies`), timing on the simulated clock, and cost at 10^3 messages (list prices from
`simlab.facts` applied to the outbox counts) and at 10^9 (`simlab.sim` with the same mix).
`compare` runs and measures every approach; `table` sets them side by side.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from simlab.compare import need
from simlab.compare.code import lines_of_code
from simlab.compare.gaps import CheckedGap, checked
from simlab.compare.need import Customer
from simlab.compare.running import APPROACHES, Run, module_of, run
from simlab.compare.tallies import (
    SMALL,
    ChannelTally,
    large_scenario,
    messages_of,
    small_costs,
    status_class,
    tally,
)
from simlab.engage.outbox_messages import OutboxMessage
from simlab.sim import simulate
from simlab.sim.costs import CostLine
from simlab.sim.results import duration


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
    module = module_of(result.approach)
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
