"""SNS's Query API: moto's handlers, with simlab's checks where moto's differ from AWS."""

from __future__ import annotations

import functools
import re
import warnings

from botocore.model import StructureShape
from moto.core.common_types import TYPE_RESPONSE
from moto.core.request import Request
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import camelcase_to_underscores, get_service_model
from moto.sns.exceptions import SNSException, SNSInvalidParameter
from moto.sns.responses import SNSResponse

from simlab.aws.routing import FunctionNames
from simlab.aws.services.request_types import PARSE_ERRORS, query_member
from simlab.aws.services.sns import sms
from simlab.aws.services.sns.models import SimlabSNSBackend
from simlab.aws.services.sns.sandbox import SandboxHandlers

_TARGETS = ("TopicArn", "TargetArn", "PhoneNumber")

#: The protocols SNS subscriptions take (the Subscribe API reference lists them).
PROTOCOLS = frozenset(
    ("http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose")
)
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w.-]{1,256}")
_ANY_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+", re.DOTALL)
#: Characters an XML 1.0 document cannot carry: a value holding one could never be listed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class InvalidAction(SNSException):
    """The Query APIs' common error for an action they do not offer; here, one not emulated."""

    code = "InvalidAction"


class SimlabSNSResponse(SandboxHandlers, SNSResponse):
    """Answers every SNS request, in-process and in server mode."""

    @property
    def backend(self) -> SimlabSNSBackend:
        # the registry installs simlab's subclass under moto's name
        return super().backend

    _wrong_member: str | None = None

    def parse_parameters(self, request: Request) -> None:
        """Parses per the model; a value moto's parser cannot type is answered in call_action.

        An action the model does not have is left unparsed, for call_action to refuse.
        """
        if self._get_action() not in get_service_model("sns").operation_names:
            self.params = {}
            return
        try:
            super().parse_parameters(request)
        except PARSE_ERRORS:
            self.params = {}
            operation = get_service_model("sns").operation_model(self._get_action())
            self._wrong_member = query_member(operation, request.values) or "the request"

    def call_action(self) -> TYPE_RESPONSE:
        """Answers an action simlab does not emulate with ``InvalidAction``, never a success."""
        action = self._get_action()
        if action and camelcase_to_underscores(action) not in FunctionNames(self.__class__):
            error = InvalidAction(f"simlab does not emulate the SNS action {action} yet")
            with warnings.catch_warnings():  # a common error, absent from SNS's own shapes
                warnings.simplefilter("ignore", UserWarning)
                return self.serialized(ActionResult(error))
        problem = self._input_problem(action) if action else None
        if self._wrong_member is not None:
            problem = (
                f"Invalid parameter: {self._wrong_member} Reason: the value has the wrong type"
            )
        if problem is not None:
            return self.serialized(ActionResult(SNSInvalidParameter(problem)))
        return super().call_action()

    def _input_problem(self, action: str) -> str | None:
        """Names the first top-level member that breaks the operation's model, or ``None``.

        Checks what moto's handlers assume: required members present, ARNs shaped as ARNs,
        page tokens and integers as numbers, and no character XML cannot carry.
        """
        for key, values in self.querystring.items():
            if any(_NOT_XML.search(str(value)) for value in values):
                name = key.split(".", 1)[0]
                return f"Invalid parameter: {name} Reason: contains a character SNS does not accept"
        shape = _operation_input(action)
        if shape is None:
            return None
        if "Tags" in shape.members:
            tags = [k.rsplit(".", 1) for k in self.querystring if k.startswith("Tags.member.")]
            for prefix in {head for head, _ in tags}:
                if not {f"{prefix}.Key", f"{prefix}.Value"} <= set(self.querystring):
                    return "Invalid parameter: Tags Reason: each tag needs a Key and a Value"
        for name in shape.required_members:
            if self._get_param(name) in (None, "") and not self._has_nested(name):
                return f"Invalid parameter: {name} Reason: no value for required parameter"
        for name, member in shape.members.items():
            value = self._get_param(name)
            if value is None:
                continue
            kind = member.type_name
            if kind in ("integer", "long") and not str(value).lstrip("-").isdigit():
                return f"Invalid parameter: {name} Reason: must be a whole number"
            if kind != "string":
                continue
            if not isinstance(value, str):
                return f"Invalid parameter: {name} Reason: must be a string"
            if name == "TopicArn" and not _TOPIC_ARN.fullmatch(value):
                return f"Invalid parameter: TopicArn Reason: {value[:80]!r} is not a topic ARN"
            if name.endswith("Arn") and not _ANY_ARN.fullmatch(value):
                return f"Invalid parameter: {name} Reason: {value[:80]!r} is not an ARN"
            if name == "NextToken" and not value.isdigit():
                return f"Invalid parameter: NextToken Reason: {value[:80]!r} is not a page token"
            if name == "Protocol" and value.lower() not in PROTOCOLS:
                return (
                    "Invalid parameter: Amazon SNS does not support this protocol string: "
                    f"{value[:40]}"
                )
        return None

    def _has_nested(self, name: str) -> bool:
        return any(key.startswith(f"{name}.") for key in self.querystring)

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

    def delete_platform_application(self) -> ActionResult:
        """Deletes an application; deleting one that does not exist changes nothing."""
        arn = self._get_param("PlatformApplicationArn")
        if arn in self.backend.applications:
            self.backend.delete_platform_application(arn)
        return EmptyResult()

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


@functools.cache
def _operation_input(action: str) -> StructureShape | None:
    model = get_service_model("sns")
    if action not in model.operation_names:
        return None
    return model.operation_model(action).input_shape
