"""moto's SNS with SMS rules, mobile push, Python-function subscriptions and an outbox.

* ``Publish`` to a phone number runs the SMS rules (``sms.py``): E.164, 1,600 characters,
  opt-outs, ``AWS.SNS.SMS.MaxPrice``, the monthly spend limit, then a seeded carrier outcome.
  A text SNS will not send is still accepted and fails delivery, with the reason in the outbox:
  botocore's ``Publish`` models no opt-out or spend error; "SMS messages will fail to deliver"
  to an opted-out number (SNS Developer Guide sms_manage.md); past ``MonthlySpendLimit`` SNS
  "stops sending SMS messages" (botocore ``SetSMSAttributes``; SNS Developer Guide
  channels-sms-awssupport-spend-threshold). AWS stops "within minutes"; simlab at once.
* ``Publish`` to a platform endpoint picks the platform's payload from ``MessageStructure=json``
  and refuses disabled endpoints and applications as SNS does.
* Topics fan out through ``SimlabSubscription`` (``fanout.py``), which records every delivery;
  email subscriptions wait for ``ConfirmSubscription``.

Every text, push and email lands in ``state().outbox``. Calls are serialised by one lock per
backend, so in-process threads are as safe as the server.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from moto.moto_api._internal import mock_random
from moto.sns.exceptions import (
    InvalidParameterValue,
    SnsEndpointDisabled,
    SNSException,
    SNSInvalidParameter,
)
from moto.sns.models import SMS, PlatformApplication, PlatformEndpoint, SNSBackend, Subscription

from simlab.aws.services.sns import sms, status_logs
from simlab.aws.services.sns.envelope import Signer, confirmation_text, confirmation_url
from simlab.aws.services.sns.fanout import EMAIL_SENDER, Delivery, SimlabSubscription
from simlab.aws.services.sns.sandbox import sandbox_allows
from simlab.aws.state import state
from simlab.engage.outbox import OutboxMessage
from simlab.facts import sns as sns_facts
from simlab.primitives.sms_parts import count_parts

#: Platforms ``CreatePlatformApplication`` accepts, and the attributes each one needs.
PLATFORM_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "ADM": ("PlatformPrincipal", "PlatformCredential"),
    "APNS": ("PlatformPrincipal", "PlatformCredential"),
    "APNS_SANDBOX": ("PlatformPrincipal", "PlatformCredential"),
    "BAIDU": ("PlatformPrincipal", "PlatformCredential"),
    "GCM": ("PlatformCredential",),
    "MPNS": ("PlatformPrincipal", "PlatformCredential"),
    "WNS": ("PlatformPrincipal", "PlatformCredential"),
}
OPTED_OUT_PAGE_SIZE = 100
#: Protocols whose endpoint must confirm a subscription before SNS delivers to it. (AWS asks
#: HTTP/S endpoints too; simlab, like moto, takes those as confirmed.)
CONFIRMED_BY_ENDPOINT = ("email", "email-json")
CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation"


def _bare_number(endpoint: str) -> str:
    """An SMS endpoint without the separators SNS tolerates in it (``+1-206-555-0100``)."""
    return endpoint.replace("-", "").replace(".", "").replace(" ", "")


class PlatformApplicationDisabled(SNSException):
    code = "PlatformApplicationDisabled"


def _invalid(error: sms.SmsRuleError) -> SNSInvalidParameter:
    return SNSInvalidParameter(str(error))


def _structured(message: str) -> dict[str, Any]:
    """Parses a ``MessageStructure=json`` message; it must hold a string ``default``."""
    try:
        payloads = json.loads(message)
    except json.JSONDecodeError:
        raise InvalidParameterValue(
            "Invalid parameter: Message Structure - JSON message body failed to parse"
        ) from None
    if not isinstance(payloads, dict) or not isinstance(payloads.get("default"), str):
        raise InvalidParameterValue(
            "Invalid parameter: Message Structure - No default entry in JSON message body"
        )
    return payloads


class SimlabSNSBackend(SNSBackend):
    """moto's SNS backend with the rules and deliveries a learner meets in AWS."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.sms_settings = sms.SmsSettings()
        # moto ships some numbers already opted out; they start the list every operation reads.
        self.opt_outs = sms.OptOuts(self.opt_out_numbers)
        self.spend = sms.SpendLedger()
        self.delivery_model = sms.DeliveryModel()
        self.deliveries: list[Delivery] = []
        self.signer = Signer(region_name)
        #: sandbox number -> when it was last created or verified (deletion waits 24 hours)
        self.sandbox_attempts: dict[str, datetime] = {}
        #: topic ARN -> its data protection policy (JSON text)
        self.data_protection_policies: dict[str, str] = {}
        self._lock = threading.RLock()

    # -- publishing ------------------------------------------------------------------------

    def publish(
        self,
        message: str,
        arn: str | None,
        phone_number: str | None = None,
        subject: str | None = None,
        message_attributes: dict[str, Any] | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        message_structure: str | None = None,
    ) -> str:
        """Publishes to a phone number, a platform endpoint or a topic."""
        with self._lock:
            if arn is not None and ":endpoint/" in arn and phone_number is None:
                self._check_endpoint(arn)  # SNS answers EndpointDisabled before parsing JSON
            if message_structure is not None:
                if message_structure != "json":
                    raise InvalidParameterValue(
                        "Invalid parameter: MessageStructure Reason: must be 'json' if given"
                    )
                _structured(message)
            self._check_size(message, message_attributes)
            if phone_number is not None:
                if subject is not None and len(subject) > 100:
                    raise SNSInvalidParameter(
                        "Invalid parameter: Subject Reason: over 100 characters"
                    )
                text = message
                if message_structure == "json":
                    payloads = _structured(message)
                    text = payloads.get("sms", payloads["default"])
                return self._publish_sms(phone_number, text, message_attributes or {})
            if arn is not None and ":endpoint/" in arn:
                return self.send_push(arn, message, message_structure)
            topic = self.get_topic(arn)  # type: ignore[arg-type]  # NotFound names the topic
            if topic.fifo_topic and not group_id:
                raise SNSInvalidParameter(
                    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
                )
            return super().publish(
                message,
                arn,
                subject=subject,
                message_attributes=message_attributes,
                group_id=group_id,
                deduplication_id=deduplication_id,
                message_structure=message_structure,
            )

    def _check_endpoint(self, arn: str) -> None:
        """Raises the error SNS gives for a disabled application or endpoint."""
        endpoint: PlatformEndpoint = self.get_endpoint(arn)
        if str(endpoint.application.attributes.get("Enabled", "true")).lower() == "false":
            raise PlatformApplicationDisabled("Platform application is disabled.")
        if not endpoint.enabled:
            raise SnsEndpointDisabled("Endpoint is disabled")

    @staticmethod
    def _check_size(message: str, attributes: dict[str, Any] | None) -> None:
        size = len(message.encode())
        for name, attribute in (attributes or {}).items():
            size += len(name.encode()) + len(attribute["Type"].encode())
            size += len(str(attribute["Value"]).encode())
        limit = sns_facts.MAX_MESSAGE_BYTES.value
        if size > limit:
            raise InvalidParameterValue(
                f"Invalid parameter: Message too long: {size} bytes with its attributes, "
                f"at most {limit}"
            )

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
            raise _invalid(error) from None
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
        destination = sms.phone_number(_bare_number(number), "Endpoint")
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

    def send_push(
        self,
        endpoint_arn: str,
        message: str,
        message_structure: str | None,
        *,
        message_id: str | None = None,
        via: Subscription | None = None,
    ) -> str:
        """Pushes to a platform endpoint; returns the new message ID, or the outbox status.

        Published directly, a disabled endpoint or application is refused with SNS's error;
        through a topic, the delivery fails and the outbox records it.
        """
        endpoint: PlatformEndpoint = self.get_endpoint(endpoint_arn)
        application: PlatformApplication = endpoint.application
        platform = application.platform
        key = "default"
        text = message
        if message_structure == "json":
            payloads = _structured(message)
            key = platform if isinstance(payloads.get(platform), str) else "default"
            text = payloads[key]
        reason = ""
        if str(application.attributes.get("Enabled", "true")).lower() == "false":
            reason = "PlatformApplicationDisabled: Platform application is disabled."
            if via is None:
                raise PlatformApplicationDisabled("Platform application is disabled.")
        elif not endpoint.enabled:
            reason = "EndpointDisabled: Endpoint is disabled"
            if via is None:
                raise SnsEndpointDisabled("Endpoint is disabled")
        new_id = message_id or str(mock_random.uuid4())
        if not reason:
            endpoint.messages[new_id] = text  # moto's own record
        detail: dict[str, Any] = {
            "platform": platform,
            "token": endpoint.token,
            "endpoint_arn": endpoint.arn,
            "application_arn": application.arn,
            "payload_key": key,
        }
        if reason:
            detail["reason"] = reason
        if via is not None:
            detail.update(topic_arn=via.topic.arn, subscription_arn=via.arn)
        status = "FAILED" if reason else "DELIVERED"
        state().outbox.add(
            OutboxMessage(
                channel="PUSH",
                service="sns",
                origin=application.name,
                destination=endpoint.token,
                body=text,
                message_id=new_id,
                sent_at=state().clock.now(),
                status=status,
                detail=detail,
            )
        )
        return new_id if via is None else status

    def record_delivery(self, delivery: Delivery) -> None:
        """Keeps the record of one subscription delivery."""
        with self._lock:
            self.deliveries.append(delivery)

    # -- subscriptions ---------------------------------------------------------------------

    def subscribe(self, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
        """Subscribes as moto does; email endpoints must confirm before anything is delivered."""
        with self._lock:
            if protocol == "sms":
                try:
                    sms.phone_number(_bare_number(endpoint), "Endpoint")
                except sms.SmsRuleError as error:
                    raise _invalid(error) from None
            existing = self._find_subscription(topic_arn, endpoint, protocol)
            subscription = super().subscribe(topic_arn, endpoint, protocol)
            if type(subscription) is Subscription:
                # moto builds its own class; ours adds behaviour only, so it can take over.
                subscription.__class__ = SimlabSubscription
            topic = subscription.topic
            if existing is None and protocol in CONFIRMED_BY_ENDPOINT:
                subscription.attributes["PendingConfirmation"] = True
                subscription.attributes["ConfirmationWasAuthenticated"] = False
                topic.subscriptions_pending += 1
            elif existing is None:
                subscription.confirmed = True
                topic.subscriptions_confimed += 1
            if not subscription.confirmed:  # a repeated Subscribe sends the request again
                self._request_confirmation(subscription)  # type: ignore[arg-type]
            return subscription

    def _request_confirmation(self, subscription: SimlabSubscription) -> None:
        token = "".join(mock_random.uuid4().hex for _ in range(4))
        subscription.confirmation_token = token
        subscription.token_sent_at = state().clock.now()
        topic = subscription.topic
        message_id = str(mock_random.uuid4())
        url = confirmation_url(self.region_name, topic.arn, token, subscription.endpoint)
        if subscription.protocol == "email-json":
            message = self.signer.subscription_confirmation(
                topic_arn=topic.arn,
                token=token,
                message_id=message_id,
                endpoint=subscription.endpoint,
            )
            body = json.dumps(message, indent=2)
        else:
            body = confirmation_text(topic.arn, url)
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="sns",
                origin=f"{topic.display_name or 'AWS Notifications'} <{EMAIL_SENDER}>",
                destination=subscription.endpoint,
                body=body,
                message_id=message_id,
                sent_at=subscription.token_sent_at,
                status="DELIVERED",
                subject=CONFIRMATION_SUBJECT,
                detail={
                    "kind": "SubscriptionConfirmation",
                    "token": token,
                    "confirmation_url": url,
                    "topic_arn": topic.arn,
                    "subscription_arn": subscription.arn,
                },
            )
        )

    def confirm_subscription(  # type: ignore[override]
        self, topic_arn: str, token: str, authenticate_on_unsubscribe: bool = False
    ) -> Subscription:
        """Confirms the subscription ``token`` was sent for; tokens last two days (facts.sns)."""
        with self._lock:
            topic = self.get_topic(topic_arn)
            found = [
                s
                for s in self.subscriptions.values()
                if s.topic is topic and getattr(s, "confirmation_token", "") == token and token
            ]
            if not found:
                raise SNSInvalidParameter("Invalid parameter: Token")
            subscription: SimlabSubscription = found[0]  # type: ignore[assignment]
            if subscription.confirmed:
                return subscription
            valid = timedelta(days=sns_facts.CONFIRMATION_TOKEN_VALID_DAYS.value)
            if state().clock.now() > subscription.token_sent_at + valid:  # type: ignore[operator]
                raise SNSInvalidParameter(
                    f"Invalid parameter: Token Reason: the token expired; tokens are valid for "
                    f"{valid.days} days, so subscribe again for a new one"
                )
            subscription.confirmed = True
            subscription.attributes["PendingConfirmation"] = False
            subscription.attributes["ConfirmationWasAuthenticated"] = authenticate_on_unsubscribe
            topic.subscriptions_pending -= 1
            topic.subscriptions_confimed += 1
            return subscription

    def unsubscribe(self, subscription_arn: str) -> None:
        with self._lock:
            subscription = self.subscriptions.get(subscription_arn)
            super().unsubscribe(subscription_arn)
            if subscription is not None:
                if subscription.confirmed:
                    subscription.topic.subscriptions_confimed -= 1
                else:
                    subscription.topic.subscriptions_pending -= 1
                subscription.topic.subscriptions_deleted += 1

    def set_subscription_attributes(self, arn: str, name: str, value: Any) -> None:
        with self._lock:
            super().set_subscription_attributes(arn, name, value)

    # -- platform applications -------------------------------------------------------------

    def create_platform_application(
        self, name: str, platform: str, attributes: dict[str, str]
    ) -> PlatformApplication:
        """Creates an application for a supported platform with the credentials it needs."""
        if platform not in PLATFORM_CREDENTIALS:
            raise SNSInvalidParameter(
                f"Invalid parameter: Platform Reason: {platform!r} is not supported; "
                f"use one of {', '.join(PLATFORM_CREDENTIALS)}"
            )
        missing = [a for a in PLATFORM_CREDENTIALS[platform] if not attributes.get(a)]
        if missing:
            raise SNSInvalidParameter(
                f"Invalid parameter: Attributes Reason: {platform} needs {' and '.join(missing)}"
            )
        with self._lock:
            return super().create_platform_application(name, platform, attributes)

    # -- SMS settings and opt-outs ---------------------------------------------------------

    def set_sms_attributes(self, attrs: dict[str, str]) -> None:
        """Validates every attribute first, so a refused call changes nothing."""
        with self._lock:
            try:
                self.sms_settings.update(attrs)
            except sms.SmsRuleError as error:
                raise _invalid(error) from None
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
            raise _invalid(error) from None

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
