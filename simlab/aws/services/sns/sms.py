"""SMS through SNS: the rules a text meets between ``Publish`` and the handset.

* ``phone_number`` checks a number is E.164 (``phonenumbers``) and returns it normalised.
* ``SmsSettings`` holds ``SetSMSAttributes`` values, validated, with the documented defaults.
* ``OptOuts`` is the account's opted-out list, with the once-per-30-days opt-in rule.
* ``SpendLedger`` adds up SMS spend per simulated calendar month.
* ``DeliveryModel`` decides, from a seeded stream, what a carrier does with a text that
  passed every rule.
* ``spill_moto_records`` keeps moto's own records of each text from growing in memory.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

import numpy as np
import phonenumbers
from moto.sns.models import SMS

from simlab.facts import prices, sns
from simlab.primitives.spill import ATTRIBUTES, spill_dict, spill_list

#: ``SetSMSAttributes`` names SNS knows (botocore ``SetSMSAttributesInput.attributes``).
SMS_ATTRIBUTES = (
    "MonthlySpendLimit",
    "DeliveryStatusIAMRole",
    "DeliveryStatusSuccessSamplingRate",
    "DefaultSenderID",
    "DefaultSMSType",
    "UsageReportS3Bucket",
)
#: Per-message attributes that override the defaults (SNS Developer Guide sms_publish-to-phone).
SMS_TYPE_ATTRIBUTE = "AWS.SNS.SMS.SMSType"
SENDER_ID_ATTRIBUTE = "AWS.SNS.SMS.SenderID"
MAX_PRICE_ATTRIBUTE = "AWS.SNS.SMS.MaxPrice"
ORIGINATION_NUMBER_ATTRIBUTE = "AWS.MM.SMS.OriginationNumber"

#: Price of one message part; the documented US example, the same for every country here.
PRICE_PER_PART_USD = prices.SMS_EXAMPLE_PRICE_US_2019.value

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_SENDER_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


class SmsRuleError(ValueError):
    """A value SNS refuses; ``field`` names the parameter, the message what is allowed."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"Invalid parameter: {field} Reason: {reason}")
        self.field = field


def phone_number(number: str, field: str = "PhoneNumber") -> str:
    """Returns ``number`` if it is E.164 and a possible number for its country; else raises.

    A number in a range no carrier serves (``phonenumbers`` calls it possible but not valid)
    is accepted here and fails at delivery, as an unreachable handset does.
    """
    text = (number or "").strip()
    if not _E164.match(text):
        raise SmsRuleError(
            field, f"{number} is not valid to publish to: use E.164, e.g. +12065550100"
        )
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as error:
        raise SmsRuleError(field, f"{number} is not valid to publish to: {error}") from None
    if not phonenumbers.is_possible_number(parsed):
        raise SmsRuleError(
            field, f"{number} is not valid to publish to: wrong length for its country code"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_reachable(number: str) -> bool:
    """Whether ``number`` lies in a range assigned to a carrier."""
    return phonenumbers.is_valid_number(phonenumbers.parse(number, None))


def country_of(number: str) -> str:
    """The ISO country code of ``number`` ("" if it belongs to none)."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(number, None)) or ""


def _money(value: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise SmsRuleError(field, f"must be an amount in USD, got {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise SmsRuleError(field, f"must be an amount in USD of 0 or more, got {value!r}")
    return amount


def sms_type(value: str, field: str = SMS_TYPE_ATTRIBUTE) -> str:
    """Returns ``value`` if it is an SMS type SNS knows; else raises naming ``field``."""
    allowed = sns.SMS_TYPES.value
    if value not in allowed:
        raise SmsRuleError(field, f"must be one of {', '.join(allowed)}, got {value!r}")
    return value


def sender_id(value: str, field: str = SENDER_ID_ATTRIBUTE) -> str:
    """Returns ``value`` if it is 1-11 letters and digits with at least one letter."""
    if not _SENDER_ID.match(value):
        raise SmsRuleError(
            field, f"must be 1-11 letters and digits with at least one letter, got {value!r}"
        )
    return value


def max_price(value: str) -> Decimal:
    """Returns the ``AWS.SNS.SMS.MaxPrice`` of a message as an amount in USD."""
    return _money(value, MAX_PRICE_ATTRIBUTE)


@dataclass
class SmsSettings:
    """The account's SMS defaults (``SetSMSAttributes``), each change validated whole."""

    quota_usd: Decimal = field(default_factory=lambda: _default_spend())
    values: dict[str, str] = field(default_factory=dict)

    @property
    def monthly_spend_limit(self) -> Decimal:
        """The limit in force: what was set, else the account's quota."""
        if "MonthlySpendLimit" in self.values:
            return Decimal(self.values["MonthlySpendLimit"])
        return self.quota_usd

    @property
    def default_sms_type(self) -> str:
        return self.values.get("DefaultSMSType", sns.DEFAULT_SMS_TYPE.value)

    @property
    def default_sender_id(self) -> str:
        return self.values.get("DefaultSenderID", "")

    def validated(self, attributes: Mapping[str, str]) -> dict[str, str]:
        """Returns ``attributes`` checked against SNS's rules; raises on the first bad one."""
        checked: dict[str, str] = {}
        for name, raw in attributes.items():
            value = str(raw)
            if name not in SMS_ATTRIBUTES:
                raise SmsRuleError(
                    "attributes",
                    f"{name!r} is not an SMS attribute; use {', '.join(SMS_ATTRIBUTES)}",
                )
            if name == "MonthlySpendLimit":
                amount = _money(value, name)
                if amount > self.quota_usd:
                    raise SmsRuleError(
                        name,
                        f"{value} USD is above this account's SMS spend quota of "
                        f"{self.quota_usd} USD; ask AWS Support to raise the quota first",
                    )
            elif name == "DefaultSMSType":
                sms_type(value, name)
            elif name == "DefaultSenderID":
                sender_id(value, name)
            elif name == "DeliveryStatusSuccessSamplingRate":
                if not value.isdigit() or not 0 <= int(value) <= 100:
                    raise SmsRuleError(name, f"must be a whole number from 0 to 100, got {value!r}")
            elif name == "DeliveryStatusIAMRole" and value and not _ROLE_ARN.match(value):
                raise SmsRuleError(name, f"must be the ARN of an IAM role, got {value!r}")
            checked[name] = value
        return checked

    def update(self, attributes: Mapping[str, str]) -> None:
        """Applies ``attributes`` all together, or none of them if one is refused."""
        self.values.update(self.validated(attributes))

    def effective(self) -> dict[str, str]:
        """Every attribute that has a value, the defaults of the limit and type included."""
        return {
            "MonthlySpendLimit": _plain(self.monthly_spend_limit),
            "DefaultSMSType": self.default_sms_type,
            **self.values,
        }


def _default_spend() -> Decimal:
    return Decimal(str(sns.DEFAULT_MONTHLY_SMS_SPEND_USD.value))


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


class OptOuts:
    """Numbers that replied STOP; a number may be opted back in once per 30 days.

    AWS documents the rule (OptInPhoneNumber: "only once every 30 days") but not the error of
    a second opt-in. Of the operation's modeled errors, ``InvalidParameter`` ("a request
    parameter does not comply with the associated constraints") fits a per-number rule;
    ``Throttled`` is about the account's request rate. simlab answers ``InvalidParameter``.
    """

    def __init__(self, numbers: Iterable[str] = ()) -> None:
        self._opted_out: dict[str, datetime | None] = dict.fromkeys(numbers)
        self._opted_in_at: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def opt_out(self, number: str, at: datetime) -> None:
        """Records that ``number`` opted out at ``at``."""
        with self._lock:
            self._opted_out.setdefault(number, at)

    def is_opted_out(self, number: str) -> bool:
        with self._lock:
            return number in self._opted_out

    def numbers(self) -> list[str]:
        """The opted-out numbers, oldest first."""
        with self._lock:
            return list(self._opted_out)

    def opt_in(self, number: str, at: datetime) -> None:
        """Opts ``number`` back in; refused within 30 days of its last opt-in."""
        cooldown = timedelta(days=sns.OPT_IN_COOLDOWN_DAYS.value)
        with self._lock:
            if number not in self._opted_out:
                return
            last = self._opted_in_at.get(number)
            if last is not None and at < last + cooldown:
                raise SmsRuleError(
                    "phoneNumber",
                    f"{number} was opted in on {last:%Y-%m-%d}; a number can be opted in only "
                    f"once every {cooldown.days} days, next on {last + cooldown:%Y-%m-%d}",
                )
            del self._opted_out[number]
            self._opted_in_at[number] = at


class SpendLedger:
    """SMS spend per calendar month (UTC) of the simulated clock."""

    def __init__(self) -> None:
        self._months: dict[str, Decimal] = {}
        self._lock = threading.Lock()

    @staticmethod
    def month_of(at: datetime) -> str:
        return f"{at:%Y-%m}"

    def spent(self, at: datetime) -> Decimal:
        """What has been spent in the month of ``at``."""
        with self._lock:
            return self._months.get(self.month_of(at), Decimal(0))

    def try_charge(self, at: datetime, amount: Decimal, limit: Decimal) -> bool:
        """Charges ``amount`` if the month's spend stays within ``limit``; returns whether."""
        month = self.month_of(at)
        with self._lock:
            spent = self._months.get(month, Decimal(0))
            if spent + amount > limit:
                return False
            self._months[month] = spent + amount
            return True


#: simlab's assumption, not an AWS figure: the share of texts a carrier delivers once they
#: passed every rule. Transactional texts are routed for reliability (facts.sns.SMS_TYPES).
DEFAULT_DELIVERY_PROBABILITY: dict[str, float] = {"Transactional": 0.99, "Promotional": 0.97}


@dataclass
class DeliveryModel:
    """Decides, from a seeded stream, whether a carrier delivers a text."""

    probability: dict[str, float] = field(
        default_factory=lambda: dict(DEFAULT_DELIVERY_PROBABILITY)
    )

    def set(self, **probability: float) -> None:
        """Sets the delivery probability of SMS types (``Promotional=0.9``)."""
        for kind, value in probability.items():
            sms_type(kind, "sms type")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"a probability must be between 0 and 1, got {value}")
        self.probability.update(probability)

    def delivered(self, kind: str, rng: np.random.Generator) -> bool:
        return bool(rng.random() < self.probability[kind])


def spill_moto_records(backend: object) -> None:
    """Makes moto's records of direct texts on ``backend`` (``sms_messages``,
    ``sms_message_objects``) and the ``SMS`` registry its data API lists keep only the newest
    in memory and the rest in SQLite; moto's reset puts plain ones back, so this runs per text.
    """
    spill_dict(backend, "sms_messages")
    spill_dict(backend, "sms_message_objects", codec=ATTRIBUTES)
    spill_list(SMS, "instances_tracked", codec=ATTRIBUTES)
