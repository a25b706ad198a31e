"""SNS's Query API: moto's handlers, with simlab's checks where moto's differ from AWS."""

from __future__ import annotations

import warnings

from moto.core.responses import TYPE_RESPONSE, ActionResult
from moto.core.utils import camelcase_to_underscores, method_names_from_class
from moto.sns.exceptions import SNSException, SNSInvalidParameter
from moto.sns.responses import SNSResponse

from simlab.aws.services.sns import sms
from simlab.aws.services.sns.models import SimlabSNSBackend

_TARGETS = ("TopicArn", "TargetArn", "PhoneNumber")


class InvalidAction(SNSException):
    """The Query APIs' common error for an action they do not offer; here, one not emulated."""

    code = "InvalidAction"


class SimlabSNSResponse(SNSResponse):
    """Answers every SNS request, in-process and in server mode."""

    @property
    def backend(self) -> SimlabSNSBackend:
        return super().backend  # type: ignore[return-value]

    def call_action(self) -> TYPE_RESPONSE:
        """Answers an action simlab does not emulate with ``InvalidAction``, never a success."""
        action = self._get_action()
        if action and camelcase_to_underscores(action) not in method_names_from_class(
            self.__class__
        ):
            error = InvalidAction(f"simlab does not emulate the SNS action {action} yet")
            with warnings.catch_warnings():  # a common error, absent from SNS's own shapes
                warnings.simplefilter("ignore", UserWarning)
                return self.serialized(ActionResult(error))
        return super().call_action()

    def publish(self) -> ActionResult:
        """Publishes to exactly one of a topic, a platform endpoint or a phone number."""
        given = [name for name in _TARGETS if self._get_param(name) is not None]
        if not given:
            raise SNSInvalidParameter(
                "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"
            )
        if len(given) > 1:
            raise SNSInvalidParameter(
                f"Invalid parameter: {given[1]} Reason: give only one of TopicArn, TargetArn "
                f"and PhoneNumber, got {' and '.join(given)}"
            )
        number = self._get_param("PhoneNumber")
        if number is not None:
            try:
                sms.phone_number(number)
            except sms.SmsRuleError as error:
                raise SNSInvalidParameter(str(error)) from None
        return super().publish()

    def subscribe(self) -> ActionResult:
        """Answers ``pending confirmation`` for an unconfirmed subscription unless asked."""
        result = super().subscribe()
        subscription = self.backend._find_subscription(
            self._get_param("TopicArn"), self._get_param("Endpoint"), self._get_param("Protocol")
        )
        wants_arn = str(self._get_param("ReturnSubscriptionArn", False)).lower() == "true"
        if subscription is not None and not subscription.confirmed and not wants_arn:
            return ActionResult({"SubscriptionArn": "pending confirmation"})
        return result

    def confirm_subscription(self) -> ActionResult:
        """Confirms a pending subscription with the token sent to its endpoint."""
        authenticate = str(self._get_param("AuthenticateOnUnsubscribe", "false")).lower()
        subscription = self.backend.confirm_subscription(
            self._get_param("TopicArn"), self._get_param("Token"), authenticate == "true"
        )
        return ActionResult({"SubscriptionArn": subscription.arn})

    def get_sms_attributes(self) -> ActionResult:
        """Returns the attributes named (every one of them, not only the first)."""
        names = self._get_param("attributes") or []
        return ActionResult({"attributes": self.backend.get_sms_attributes(set(names))})

    def list_phone_numbers_opted_out(self) -> ActionResult:
        """Returns the opted-out numbers 100 at a time, with ``nextToken`` while more remain."""
        numbers, next_token = self.backend.opted_out_page(self._get_param("nextToken"))
        result: dict[str, object] = {"phoneNumbers": numbers}
        if next_token is not None:
            result["nextToken"] = next_token
        return ActionResult(result)
