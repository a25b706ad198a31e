"""The engine's state and lookups: every other part builds on ``EngineCore``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from simlab.engage.clock import Clock
from simlab.engage.outbox import Outbox
from simlab.engage.sms.carrier import CarrierModel
from simlab.engage.sms.constants import DEFAULT_OPT_OUT_LIST, SPEND_KINDS
from simlab.engage.sms.errors import NotFoundError
from simlab.engage.sms.records import (
    ConfigurationSet,
    Message,
    OptOutList,
    PhoneNumber,
    Pool,
    SenderId,
    TwoWaySettings,
    VerifiedNumber,
    message_from_state,
    message_state,
)
from simlab.facts import sms
from simlab.primitives.rates import MpsLimiter, RollingWindow, TokenBucket
from simlab.primitives.spill import SpillDict, StateCodec


def pair(origin: str, destination: str) -> str:
    """The key of a conversation: its two numbers (or sender ID) in one string, which spills
    as it is (a tuple key is written as JSON)."""
    return f"{origin}\n{destination}"


def pairs(messages: Iterable[Message]) -> list[str]:
    """``pair(message.origin, message.destination)`` of each of ``messages``, in one pass."""
    return [f"{message.origin}\n{message.destination}" for message in messages]


def _finished(message: Message) -> bool:
    """Whether a message has had its final event (nothing changes it after that)."""
    return message.final and message.on_final is None


class EngineCore:
    """The account's state (identities, settings, messages, limits) and how to find a record.

    ``deliver(arn, record)`` writes an event record to a destination ARN (Logs, Firehose, SNS);
    ``publish(topic_arn, text)`` publishes an inbound message to a two-way SNS topic;
    ``new_id()`` returns a fresh UUID string; ``rng(name)`` a seeded random stream.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        outbox: Outbox,
        rng: Callable[[str], np.random.Generator],
        new_id: Callable[[], str],
        account_id: str = "123456789012",
        region: str = "us-east-1",
        deliver: Callable[[str, dict[str, Any]], None] | None = None,
        publish: Callable[[str, str], None] | None = None,
        carrier: CarrierModel | None = None,
    ) -> None:
        self.clock, self.outbox, self.rng, self.new_id = clock, outbox, rng, new_id
        self.account_id, self.region = account_id, region
        self.deliver, self.publish = deliver, publish
        self.carrier = carrier or CarrierModel()
        self.numbers: dict[str, PhoneNumber] = {}
        self.sender_ids: dict[tuple[str, str], SenderId] = {}
        self.pools: dict[str, Pool] = {}
        self.configuration_sets: dict[str, ConfigurationSet] = {}
        self.opt_out_lists: dict[str, OptOutList] = {}
        self.verified: dict[str, VerifiedNumber] = {}
        #: Every message sent, by id; the newest and those still in flight stay in memory,
        #: finished older ones wait in a private SQLite file (``SpillDict``).
        self.messages: SpillDict[str, Message] = SpillDict(
            spillable=_finished, codec=StateCodec(message_state, message_from_state)
        )
        self.inbound: list[dict[str, Any]] = []
        self.delivery_errors: list[str] = []
        self.tier = "SANDBOXED"
        self.max_spend = {k: sms.DEFAULT_MONTHLY_SPEND_LIMIT_USD.value for k in SPEND_KINDS}
        self.max_spend["MEDIA"] = sms.DEFAULT_MONTHLY_MMS_SPEND_LIMIT_USD.value
        self.spend_overrides: dict[str, float] = {}
        self.spent: dict[tuple[str, str], float] = {}
        self.refused: dict[tuple[str, str], int] = {}
        self.mps = MpsLimiter()
        self._dry_runs: dict[str, TokenBucket] = {}
        self.opt_out_listeners: list[Callable[[str], None]] = []
        #: Called as ``check(identity, destination, channel, configuration_set)`` before a send
        #: is accepted (registrations, protect configurations); a check raises to refuse it.
        self.send_checks: list[Callable[..., None]] = []
        #: ``pair(origin, destination)`` -> id of the last message sent between them (a row of
        #: spilled ids is one pickle of their strings).
        self._last_outbound: SpillDict[str, str] = SpillDict()
        #: (US toll-free number, customer) pairs the carrier blocks after the customer's STOP.
        self.carrier_opt_outs: set[tuple[str, str]] = set()
        self._voice_minute = RollingWindow(60, sms.VOICE_SANDBOX_CALLS_PER_MINUTE.value)
        self._voice_day = RollingWindow(86_400, sms.VOICE_SANDBOX_CALLS_PER_24H.value)
        self._voice_per_recipient: dict[str, RollingWindow] = {}
        self._allocated: set[str] = set()
        self._shared_routes: dict[tuple[str, str], SenderId] = {}
        self.opt_out_lists[DEFAULT_OPT_OUT_LIST] = OptOutList(
            DEFAULT_OPT_OUT_LIST, self._arn("opt-out-list", DEFAULT_OPT_OUT_LIST), self.clock.now()
        )

    def _arn(self, kind: str, name: str) -> str:
        return f"arn:aws:sms-voice:{self.region}:{self.account_id}:{kind}/{name}"

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{self.new_id().replace('-', '')}"

    def phone_number(self, ref: str, field_name: str = "PhoneNumberId") -> PhoneNumber:
        """Finds a number by id, ARN or the number itself."""
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        for number in self.numbers.values():
            if key in (number.phone_number_id, number.number):
                return number
        raise NotFoundError("phone-number", ref, f" ({field_name}: give a PhoneNumberId or ARN)")

    def pool(self, ref: str) -> Pool:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.pools:
            raise NotFoundError("pool", ref)
        return self.pools[key]

    def sender_id(self, ref: str, iso_country: str | None = None) -> SenderId:
        if ref.startswith("arn:"):
            parts = ref.split("/")
            ref, iso_country = parts[-2], parts[-1]
        for (name, country), record in self.sender_ids.items():
            if name == ref and (iso_country is None or iso_country == country):
                return record
        raise NotFoundError("sender-id", ref if iso_country is None else f"{ref}/{iso_country}")

    def configuration_set(self, ref: str) -> ConfigurationSet:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.configuration_sets:
            raise NotFoundError("configuration-set", ref)
        return self.configuration_sets[key]

    def opt_out_list(self, ref: str) -> OptOutList:
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key not in self.opt_out_lists:
            raise NotFoundError("opt-out-list", ref)
        return self.opt_out_lists[key]

    def keyword_owner(self, ref: str) -> PhoneNumber | Pool:
        """A number or pool (keywords live on either)."""
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key in self.pools:
            return self.pools[key]
        return self.phone_number(ref, "OriginationIdentity")

    def origination(self, ref: str) -> PhoneNumber | SenderId | Pool:
        """Resolves an OriginationIdentity: number, id or ARN; pool id or ARN; sender ID or ARN."""
        if ref.startswith("arn:") and ":sender-id/" in ref:
            return self.sender_id(ref)
        key = ref.rsplit("/", 1)[-1] if ref.startswith("arn:") else ref
        if key in self.pools:
            return self.pools[key]
        try:
            return self.phone_number(ref, "OriginationIdentity")
        except NotFoundError:
            pass
        for (name, _), record in self.sender_ids.items():
            if name == key:
                return record
        raise NotFoundError(
            "phone-number",
            ref,
            " (OriginationIdentity: give a phone number, its id or ARN, a pool id or ARN, or a "
            "sender ID)",
        )

    @staticmethod
    def carrier_handles_opt_out(identity: PhoneNumber | SenderId | Pool) -> bool:
        """True for a US toll-free number, whose opt-outs the carrier handles, not AWS."""
        return (
            isinstance(identity, PhoneNumber)
            and identity.number_type == "TOLL_FREE"
            and identity.iso_country == "US"
        )

    def settings_of(self, identity: PhoneNumber | SenderId) -> TwoWaySettings:
        """The settings that apply to an identity: its pool's when it is in one."""
        if identity.pool_id is not None and identity.pool_id in self.pools:
            return self.pools[identity.pool_id]
        return identity if isinstance(identity, PhoneNumber) else TwoWaySettings()
