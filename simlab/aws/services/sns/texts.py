"""SMS through SNS: a text run through the rules of ``sms.py`` in the order AWS applies them, into
the outbox and the delivery status log, and the account's SMS settings and opted-out list."""

from __future__ import annotations

import threading
from datetime import datetime
from decimal import Decimal
from typing import Any

from moto.moto_api._internal import mock_random
from moto.sns.exceptions import SNSInvalidParameter
from moto.sns.models import SMS, SNSBackend, Subscription

from simlab.aws.services.sns import sms, status_logs
from simlab.aws.services.sns.sandbox import sandbox_allows
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage
from simlab.facts import sns as sns_facts
from simlab.primitives.sms_parts import count_parts

OPTED_OUT_PAGE_SIZE = 100


def bare_number(endpoint: str) -> str:
    """An SMS endpoint without the separators SNS tolerates in it (``+1-206-555-0100``)."""
    return endpoint.replace("-", "").replace(".", "").replace(" ", "")


def invalid(error: sms.SmsRuleError) -> SNSInvalidParameter:
    return SNSInvalidParameter(str(error))


class Texts(SNSBackend):
    """Sending texts, SMS attributes, the opted-out list and the month's spend."""

    _lock: threading.RLock

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.sms_settings = sms.SmsSettings()
        # moto ships some numbers already opted out; they start the list every operation reads.
        self.opt_outs = sms.OptOuts(self.opt_out_numbers)
        self.spend = sms.SpendLedger()
        self.delivery_model = sms.DeliveryModel()

    def _publish_sms(self, number: str, text: str, attributes: dict[str, Any]) -> str:
        try:
            destination = sms.phone_number(number)
            if len(text) > sns_facts.SMS_MAX_CHARS.value:
                raise sms.SmsRuleError(
                    "Message",
                    f"an SMS message can be at most {sns_facts.SMS_MAX_CHARS.value} characters, "
                    f"got {len(text)}",
                )
            options = self._sms_options(attributes)
        except sms.SmsRuleError as error:
            raise invalid(error) from None
        message_id = str(mock_random.uuid4())
        sms.spill_moto_records(self)
        self.sms_messages[message_id] = (destination, text)  # moto's own records: its API
        self.sms_message_objects[message_id] = SMS(message_id, destination, text)  # and data API
        self._send_sms(destination, text, options, message_id)
        return message_id

    def _sms_options(self, attributes: dict[str, Any]) -> dict[str, Any]:
        """The SMS type, sender ID, origination number and maximum price of one message."""

        def value(name: str) -> str | None:
            attribute = attributes.get(name)
            return None if attribute is None else str(attribute["Value"])

        kind = value(sms.SMS_TYPE_ATTRIBUTE)
        sender = value(sms.SENDER_ID_ATTRIBUTE)
        price = value(sms.MAX_PRICE_ATTRIBUTE)
        origination = value(sms.ORIGINATION_NUMBER_ATTRIBUTE)
        return {
            "sms_type": sms.sms_type(kind) if kind else self.sms_settings.default_sms_type,
            "sender_id": sms.sender_id(sender) if sender else self.sms_settings.default_sender_id,
            "max_price": sms.max_price(price) if price else None,
            "origination_number": (
                sms.phone_number(origination, sms.ORIGINATION_NUMBER_ATTRIBUTE)
                if origination
                else ""
            ),
        }

    def send_sms(
        self,
        number: str,
        text: str,
        attributes: dict[str, Any],
        *,
        message_id: str,
        via: Subscription | None = None,
    ) -> str:
        """Sends a topic's notification to an SMS subscriber; returns the outbox status."""
        try:
            options = self._sms_options(attributes)
        except sms.SmsRuleError:
            options = self._sms_options({})  # bad per-message options fall back to defaults
        destination = sms.phone_number(bare_number(number), "Endpoint")
        return self._send_sms(destination, text, options, message_id, via)

    def _send_sms(
        self,
        number: str,
        text: str,
        options: dict[str, Any],
        message_id: str,
        via: Subscription | None = None,
    ) -> str:
        """Runs a text through the rules, in the order AWS applies them; returns its status."""
        parts = count_parts(text)
        price = Decimal(str(sms.PRICE_PER_PART_USD)) * parts.parts
        now = state().clock.now()
        charged = Decimal(0)
        if self.opt_outs.is_opted_out(number):
            status = response = "OPTED_OUT"
            reason = "the number opted out of SMS from this account"
        elif not sandbox_allows(self.region_name, self.account_id, number):
            status, response = "FAILED", "DESTINATION_NOT_VERIFIED"
            reason = (
                f"the account is in the SMS sandbox and {number} is not a verified destination; "
                "verify it (CreateSMSSandboxPhoneNumber, VerifySMSSandboxPhoneNumber) or leave "
                "the sandbox"
            )
        elif not sms.is_reachable(number):
            status, response, reason = "FAILED", "UNREACHABLE", "no carrier serves this number"
        elif options["max_price"] is not None and price > options["max_price"]:
            status, response = "FAILED", "MAX_PRICE"
            reason = f"price {price} USD is above {sms.MAX_PRICE_ATTRIBUTE} {options['max_price']}"
        elif not self.spend.try_charge(now, price, self.sms_settings.monthly_spend_limit):
            status = response = "SPEND_LIMIT_EXCEEDED"
            reason = (
                f"sending would take this month's SMS spend above MonthlySpendLimit "
                f"{self.sms_settings.monthly_spend_limit} USD"
            )
        else:
            charged = price
            rng = state().rng("sns.sms")
            delivered = self.delivery_model.delivered(options["sms_type"], rng)
            status = response = "DELIVERED" if delivered else "FAILED"
            reason = "" if delivered else "the carrier could not deliver the message"
        detail: dict[str, Any] = {
            "sms_type": options["sms_type"],
            "parts": parts.parts,
            "encoding": parts.encoding,
            "price_usd": float(charged),
            "sender_id": options["sender_id"],
            "origination_number": options["origination_number"],
            "country": sms.country_of(number),
        }
        if reason:
            detail["reason"] = reason
        if via is not None:
            detail.update(topic_arn=via.topic.arn, subscription_arn=via.arn)
        state().outbox.add(
            OutboxMessage(
                channel="SMS",
                service="sns",
                origin=options["origination_number"] or options["sender_id"] or "SNS",
                destination=number,
                body=text,
                message_id=message_id,
                sent_at=now,
                status=status,
                detail=detail,
            )
        )
        if via is None:
            self._log_status(message_id, now, number, detail, response)
        return status

    def _log_status(
        self, message_id: str, at: datetime, number: str, detail: dict[str, Any], response: str
    ) -> None:
        """Writes the SMS delivery status log when a DeliveryStatusIAMRole is set."""
        settings = self.sms_settings.values
        if not settings.get("DeliveryStatusIAMRole"):
            return
        success = response == "DELIVERED"
        if success:
            rate = int(settings.get("DeliveryStatusSuccessSamplingRate", "100"))
            if state().rng("sns.sms.status-logs").random() * 100 >= rate:
                return
        entry = status_logs.record(
            message_id=message_id,
            at=at,
            number=number,
            detail=detail,
            response=response,
            success=success,
        )
        status_logs.write(self.region_name, self.account_id, entry)

    def set_sms_attributes(self, attrs: dict[str, str]) -> None:
        """Validates every attribute first, so a refused call changes nothing."""
        with self._lock:
            try:
                self.sms_settings.update(attrs)
            except sms.SmsRuleError as error:
                raise invalid(error) from None
            self.sms_attributes = dict(self.sms_settings.values)

    def get_sms_attributes(self, filter_list: set[str]) -> dict[str, str]:
        """The attributes asked for (all when none are named), defaults filled in."""
        values = self.sms_settings.effective()
        if filter_list:
            return {name: value for name, value in values.items() if name in filter_list}
        return values

    @staticmethod
    def _opt_out_number(number: str) -> str:
        digits = number.strip()
        return digits if digits.startswith("+") else f"+{digits}"

    def check_if_phone_number_is_opted_out(self, number: str) -> bool:
        """Whether ``number`` is on the opted-out list (the same list Publish reads)."""
        return self.opt_outs.is_opted_out(self._opt_out_number(number))

    def list_phone_numbers_opted_out(self) -> list[str]:
        return self.opt_outs.numbers()

    def opted_out_page(self, next_token: str | None) -> tuple[list[str], str | None]:
        """One page of the opted-out list and the token of the next page, if any."""
        numbers = self.opt_outs.numbers()
        try:
            start = int(next_token or 0)
        except ValueError:
            raise SNSInvalidParameter(
                f"Invalid parameter: nextToken Reason: {next_token!r} is not a token this "
                "operation returned"
            ) from None
        end = start + OPTED_OUT_PAGE_SIZE
        return numbers[start:end], (str(end) if end < len(numbers) else None)

    def opt_in_phone_number(self, number: str) -> None:
        """Opts ``number`` back in, at most once every 30 days (facts.sns)."""
        try:
            self.opt_outs.opt_in(self._opt_out_number(number), state().clock.now())
        except sms.SmsRuleError as error:
            raise invalid(error) from None

    def opt_out(self, number: str) -> None:
        """Records that ``number`` replied STOP."""
        try:
            normalised = sms.phone_number(number)
        except sms.SmsRuleError as error:
            raise ValueError(str(error)) from None
        self.opt_outs.opt_out(normalised, state().clock.now())

    def spend_this_month(self) -> Decimal:
        """SMS spend in the current simulated calendar month, in USD."""
        return self.spend.spent(state().clock.now())
