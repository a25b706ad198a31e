"""Runs an approach through the need on a fresh local AWS and records what happened.

`run` plays the customers' side of the week (they sign up, sign in, read their codes, one texts
STOP) against an approach's code and returns a `Run`: every message the local AWS sent and every
API call the code made, counted by a `CallCounter` on the clients the approach asked for.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from simlab.aws import LocalAWS
from simlab.compare import diy, need, pinpoint, successors
from simlab.compare.need import Customer
from simlab.engage.outbox_messages import OutboxMessage

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


def module_of(approach: str) -> ModuleType:
    """The module of an approach by name; ValueError naming the approaches if there is none."""
    if approach not in APPROACHES:
        raise ValueError(f"approach must be one of {', '.join(APPROACHES)}; got {approach!r}")
    return APPROACHES[approach]


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
    module = module_of(approach)
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
