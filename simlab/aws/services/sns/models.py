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
backend, so in-process threads are as safe as the server. The parts live by topic: `texts`,
`push`, `subscriptions`; this module joins them and publishes.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from moto.sns.exceptions import InvalidParameterValue, SNSInvalidParameter
from moto.sns.models import SNSBackend

from simlab.aws.services.sns.fanout import Delivery
from simlab.aws.services.sns.push import Push, structured
from simlab.aws.services.sns.subscriptions import Subscriptions
from simlab.aws.services.sns.texts import Texts
from simlab.facts import sns as sns_facts


class SimlabSNSBackend(Texts, Push, Subscriptions, SNSBackend):
    """moto's SNS backend with the rules and deliveries a learner meets in AWS."""

    def __init__(self, region_name: str, account_id: str) -> None:
        self._lock = threading.RLock()
        super().__init__(region_name, account_id)
        self.deliveries: list[Delivery] = []
        #: sandbox number -> when it was last created or verified (deletion waits 24 hours)
        self.sandbox_attempts: dict[str, datetime] = {}
        #: topic ARN -> its data protection policy (JSON text)
        self.data_protection_policies: dict[str, str] = {}

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
                structured(message)
            self._check_size(message, message_attributes)
            if phone_number is not None:
                if subject is not None and len(subject) > 100:
                    raise SNSInvalidParameter(
                        "Invalid parameter: Subject Reason: over 100 characters"
                    )
                text = message
                if message_structure == "json":
                    payloads = structured(message)
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

    def record_delivery(self, delivery: Delivery) -> None:
        """Keeps the record of one subscription delivery."""
        with self._lock:
            self.deliveries.append(delivery)
