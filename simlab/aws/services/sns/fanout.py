"""Topic fan-out: what each subscription does with a notification, and the record it leaves.

moto delivers to SQS (with its envelope); simlab adds email, email-json, SMS, mobile push and
Python functions for ``lambda``, fixes raw SQS delivery of binary attributes, delivers HTTP/S off
the request path (on this machine only, retried on the simulated clock as AWS's default HTTP/S
delivery policy says), and records every delivery, failed ones included, as a ``Delivery``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from moto.moto_api._internal import mock_random
from moto.sns.models import Subscription

from simlab.aws import outbound
from simlab.aws.locking import LOCK
from simlab.aws.services.sns.envelope import email_text
from simlab.aws.services.sns.functions import LambdaContext, lambda_event
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.sns.models import SimlabSNSBackend

#: Where SNS email notifications come from.
EMAIL_SENDER = "no-reply@sns.amazonaws.com"
DEFAULT_EMAIL_SUBJECT = "AWS Notification Message"
#: HTTP/S by default: up to three retries, 20 seconds apart
#: (https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html).
HTTP_RETRY_POLICY = outbound.RetryPolicy(retries=3, min_delay=20.0, max_delay=20.0)


@dataclass(frozen=True)
class Delivery:
    """One notification handed to one subscription, and how it went."""

    protocol: str
    endpoint: str
    subscription_arn: str
    message_id: str
    status: str  # DELIVERED, FAILED, or UNCONFIRMED (pending subscriptions get nothing)
    at: datetime
    error: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class SimlabSubscription(Subscription):
    """A subscription that delivers on every protocol a learner meets.

    Email subscriptions start pending: nothing is delivered until ConfirmSubscription gets
    the token from the confirmation email.
    """

    confirmation_token = ""
    token_sent_at: datetime | None = None

    @property
    def backend(self) -> SimlabSNSBackend:
        # the registry installs simlab's subclass under moto's name
        return cast("SimlabSNSBackend", self.topic.sns_backend)

    @property
    def subscription_arn(self) -> str:
        """The ARN listings show: ``PendingConfirmation`` until the endpoint confirms."""
        return self.arn if self.confirmed else "PendingConfirmation"

    def publish(
        self,
        message: str,
        message_id: str,
        subject: str | None = None,
        message_attributes: dict[str, Any] | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        message_structure: str | None = None,
    ) -> None:
        """Delivers one notification if the filter policy lets it through."""
        matcher = self._filter_policy_matcher
        if matcher is not None and not matcher.matches(message_attributes, message):
            return
        if not self.confirmed:
            self._record(
                message_id, "UNCONFIRMED", error="the subscription is pending confirmation"
            )
            return
        if (
            self.topic.fifo_topic
            and not deduplication_id
            and self.topic.content_based_deduplication
        ):
            # SNS derives the ID from the body and hands it on to the FIFO queue.
            deduplication_id = hashlib.sha256(message.encode()).hexdigest()
        text = message
        if message_structure == "json" and self.protocol != "application":
            text = self._parse_message_structure(message, self.protocol)
        args = (message, message_id, subject, message_attributes, group_id, deduplication_id)
        if self.protocol in ("http", "https"):
            self._post_later(text, message_id, subject, message_attributes)
            return
        try:
            status, detail = self._deliver(text, args, message_structure)
        except Exception as error:  # a failed delivery never reaches the publisher
            status, detail = "FAILED", {"error": f"{type(error).__name__}: {error}"}
        self._record(message_id, status, **detail)

    def _deliver(
        self, text: str, args: tuple[Any, ...], structure: str | None
    ) -> tuple[str, dict[str, Any]]:
        """Hands the notification over; returns DELIVERED or FAILED and what to remember."""
        message, message_id, subject, attributes, group_id, dedup_id = args
        match self.protocol:
            case "sqs" if self.attributes.get("RawMessageDelivery"):
                self._raw_to_sqs(text, attributes, group_id, dedup_id)
            case "email" | "email-json":
                self._email(text, message_id, subject, attributes)
            case "sms":
                outcome = self.backend.send_sms(
                    self.endpoint, text, attributes or {}, message_id=message_id, via=self
                )
                return _status(outcome), {"outbox_status": outcome}
            case "application":
                outcome = self.backend.send_push(
                    self.endpoint, message, structure, message_id=message_id, via=self
                )
                return _status(outcome), {"outbox_status": outcome}
            case "lambda" if self.endpoint in state().functions:
                return "DELIVERED", self._invoke(text, message_id, subject, attributes)
            case _:
                super().publish(
                    message, message_id, subject, attributes, group_id, dedup_id, structure
                )
        return "DELIVERED", {}

    def get_post_data(
        self,
        message: str,
        message_id: str,
        subject: str | None,
        message_attributes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The signed envelope, with this subscription's own unsubscribe link."""
        return self.backend.signer.notification(
            topic_arn=self.topic.arn,
            subscription_arn=self.arn,
            message_id=message_id,
            message=message,
            subject=subject,
            message_attributes=message_attributes,
        )

    def _retry_policy(self) -> outbound.RetryPolicy:
        """The healthy retry policy in force: the subscription's, the topic's, or AWS's default.

        An unreadable policy counts as none (the default applies).
        """
        candidates = (
            (self.attributes.get("DeliveryPolicy"), ("healthyRetryPolicy",)),
            (self.topic.delivery_policy, ("http", "defaultHealthyRetryPolicy")),
        )
        for text, path in candidates:
            try:
                found: Any = json.loads(text) if text else None
                for key in path:
                    found = found[key]
                retries = int(found.get("numRetries", HTTP_RETRY_POLICY.retries))
                low = float(found.get("minDelayTarget", HTTP_RETRY_POLICY.min_delay))
                high = float(found.get("maxDelayTarget", max(low, HTTP_RETRY_POLICY.max_delay)))
            except (TypeError, ValueError, KeyError, AttributeError):
                continue
            if 0 <= retries <= 100 and 0 <= low <= high <= 3600:
                return outbound.RetryPolicy(retries, low, high)
        return HTTP_RETRY_POLICY

    # -- protocols -------------------------------------------------------------------------

    def _post_later(
        self,
        text: str,
        message_id: str,
        subject: str | None,
        attributes: dict[str, Any] | None,
    ) -> None:
        """Hands an HTTP/S delivery to a worker; the outcome is recorded when it is known."""
        try:
            outbound.check_target(self.endpoint)
        except outbound.OutboundRefused as error:
            self._record(message_id, "FAILED", error=str(error))
            return
        if self.attributes.get("RawMessageDelivery") in (True, "true"):
            body = text.encode()
        else:
            body = json.dumps(self.get_post_data(text, message_id, subject, attributes)).encode()
        headers = {
            "Content-Type": "text/plain; charset=UTF-8",
            "x-amz-sns-message-type": "Notification",
            "x-amz-sns-message-id": message_id,
            "x-amz-sns-topic-arn": self.topic.arn,
            "x-amz-sns-subscription-arn": self.arn,
        }
        clock = state().clock
        policy = self._retry_policy()

        def attempt(number: int) -> None:
            try:
                code = outbound.post(self.endpoint, body, headers)
                error = "" if code < 300 else f"{self.endpoint} answered HTTP {code}"
            except OSError as failure:
                code, error = 0, f"{self.endpoint}: {failure}"
            with LOCK:
                retryable = code == 0 or code >= 500
                if retryable and number <= policy.retries:
                    clock.call_later(
                        policy.delay(number),
                        lambda: outbound.dispatcher().submit(lambda: attempt(number + 1)),
                    )
                    return
                status = "DELIVERED" if 200 <= code < 300 else "FAILED"
                self._record(message_id, status, error=error, attempts=number, http_status=code)

        outbound.dispatcher().submit(lambda: attempt(1))

    def _raw_to_sqs(
        self,
        text: str,
        attributes: dict[str, Any] | None,
        group_id: str | None,
        deduplication_id: str | None,
    ) -> None:
        from moto.sqs.models import sqs_backends

        raw: dict[str, dict[str, Any]] = {}
        for name, attribute in (attributes or {}).items():
            kind = attribute["Type"]
            if kind.startswith("Binary"):
                raw[name] = {"DataType": kind, "BinaryValue": base64.b64decode(attribute["Value"])}
            else:
                raw[name] = {"DataType": kind, "StringValue": str(attribute["Value"])}
        region, account, queue = self.endpoint.split(":")[3:6]
        sqs_backends[account][region].send_message(
            queue,
            text,
            message_attributes=raw,
            deduplication_id=deduplication_id,
            group_id=group_id,
            validate_group_id=False,
        )

    def _email(
        self,
        text: str,
        message_id: str,
        subject: str | None,
        attributes: dict[str, Any] | None,
    ) -> None:
        if self.protocol == "email-json":
            body = json.dumps(self.get_post_data(text, message_id, subject, attributes), indent=2)
        else:
            body = email_text(
                text,
                subscription_arn=self.arn,
                endpoint=self.endpoint,
                region=self.backend.region_name,
            )
        display = self.topic.display_name or self.topic.name
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="sns",
                origin=f"{display} <{EMAIL_SENDER}>",
                destination=self.endpoint,
                body=body,
                message_id=message_id,
                sent_at=state().clock.now(),
                status="DELIVERED",
                subject=subject or DEFAULT_EMAIL_SUBJECT,
                detail={
                    "protocol": self.protocol,
                    "topic_arn": self.topic.arn,
                    "subscription_arn": self.arn,
                },
            )
        )

    def _invoke(
        self,
        text: str,
        message_id: str,
        subject: str | None,
        attributes: dict[str, Any] | None,
    ) -> dict[str, Any]:
        function = state().functions.resolve(self.endpoint)
        envelope = self.get_post_data(text, message_id, subject, attributes)
        name = self.endpoint.rsplit(":function:", 1)[-1].split(":")[0]
        context = LambdaContext(
            function_name=name,
            invoked_function_arn=self.endpoint,
            aws_request_id=str(mock_random.uuid4()),
        )
        result = function(lambda_event(envelope, self.arn), context)
        return {"request_id": context.aws_request_id, "result": result}

    def _record(self, message_id: str, status: str, error: str = "", **detail: Any) -> None:
        """Remembers how the delivery of ``message_id`` to this subscription went."""
        self.backend.record_delivery(
            Delivery(
                protocol=self.protocol,
                endpoint=self.endpoint,
                subscription_arn=self.arn,
                message_id=message_id,
                status=status,
                at=state().clock.now(),
                error=error,
                detail=detail,
            )
        )


def _status(outcome: str) -> str:
    return "DELIVERED" if outcome == "DELIVERED" else "FAILED"
