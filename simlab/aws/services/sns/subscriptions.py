"""Topic subscriptions through SNS: email endpoints confirm before anything is delivered, the
confirmation arrives as SNS sends it, and tokens expire as ``facts.sns`` says."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

from moto.moto_api._internal import mock_random
from moto.sns.exceptions import SNSInvalidParameter
from moto.sns.models import SNSBackend, Subscription

from simlab.aws.services.sns import sms
from simlab.aws.services.sns.envelope import Signer, confirmation_text, confirmation_url
from simlab.aws.services.sns.fanout import EMAIL_SENDER, SimlabSubscription
from simlab.aws.services.sns.texts import bare_number, invalid
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage
from simlab.facts import sns as sns_facts

#: Protocols whose endpoint must confirm a subscription before SNS delivers to it. (AWS asks
#: HTTP/S endpoints too; simlab, like moto, takes those as confirmed.)
CONFIRMED_BY_ENDPOINT = ("email", "email-json")
CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation"


class Subscriptions(SNSBackend):
    """Subscribe, confirm and unsubscribe, counting each topic's subscriptions as SNS does."""

    _lock: threading.RLock

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.signer = Signer(region_name)

    def subscribe(self, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
        """Subscribes as moto does; email endpoints must confirm before anything is delivered."""
        with self._lock:
            if protocol == "sms":
                try:
                    sms.phone_number(bare_number(endpoint), "Endpoint")
                except sms.SmsRuleError as error:
                    raise invalid(error) from None
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
