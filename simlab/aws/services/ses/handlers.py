"""SES v1 actions beyond moto's: identities, policies, receiving, verification, config sets.

Each handler reads its parameters as moto parsed them from the model, calls the backend and
answers through moto's serializer, so the shapes are botocore's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ses.utils import get_random_message_id

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.identities import dkim_tokens, verification_token
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend

BOUNCE_TYPES = (
    "DoesNotExist",
    "MessageTooLarge",
    "ExceededQuota",
    "ContentRejected",
    "Undefined",
    "TemporaryFailure",
)


def _flag(value: Any) -> bool:
    return str(value).lower() == "true"


class V1Handlers:
    """Mixed into ``SimlabEmailResponse``."""

    _get_param: Callable[..., Any]  # moto's BaseResponse provides it

    if TYPE_CHECKING:  # provided by the response class

        @property
        def backend(self) -> SimlabSESBackend:
            """The account's SES backend in the request's Region."""

    # -- identities ----------------------------------------------------------------------

    def verify_domain_identity(self) -> ActionResult:
        domain = str(self._get_param("Domain") or "").lower()
        self.backend.verify_domain(domain)
        return ActionResult({"VerificationToken": verification_token(domain)})

    def verify_domain_dkim(self) -> ActionResult:
        domain = str(self._get_param("Domain") or "").lower()
        self.backend.verify_domain(domain)
        return ActionResult(
            {"DkimTokens": self.backend.dkim_tokens.get(domain) or dkim_tokens(domain)}
        )

    def delete_verified_email_address(self) -> EmptyResult:
        self.backend.delete_verified_email_address(self._get_param("EmailAddress"))
        return EmptyResult()

    def set_identity_dkim_enabled(self) -> EmptyResult:
        self.backend.set_identity_dkim_enabled(
            self._get_param("Identity"), _flag(self._get_param("DkimEnabled"))
        )
        return EmptyResult()

    def set_identity_headers_in_notifications_enabled(self) -> EmptyResult:
        self.backend.set_identity_headers_in_notifications_enabled(
            self._get_param("Identity"),
            self._get_param("NotificationType"),
            _flag(self._get_param("Enabled")),
        )
        return EmptyResult()

    def put_identity_policy(self) -> EmptyResult:
        self.backend.put_identity_policy(
            self._get_param("Identity"), self._get_param("PolicyName"), self._get_param("Policy")
        )
        return EmptyResult()

    def get_identity_policies(self) -> ActionResult:
        policies = self.backend.get_identity_policies(
            self._get_param("Identity"), list(self._get_param("PolicyNames") or [])
        )
        return ActionResult({"Policies": policies})

    def list_identity_policies(self) -> ActionResult:
        names = self.backend.list_identity_policies(self._get_param("Identity"))
        return ActionResult({"PolicyNames": names})

    def delete_identity_policy(self) -> EmptyResult:
        self.backend.delete_identity_policy(
            self._get_param("Identity"), self._get_param("PolicyName")
        )
        return EmptyResult()

    # -- receiving -----------------------------------------------------------------------

    def create_receipt_filter(self) -> EmptyResult:
        self.backend.create_receipt_filter(self._get_param("Filter") or {})
        return EmptyResult()

    def delete_receipt_filter(self) -> EmptyResult:
        self.backend.delete_receipt_filter(self._get_param("FilterName"))
        return EmptyResult()

    def list_receipt_filters(self) -> ActionResult:
        return ActionResult({"Filters": self.backend.list_receipt_filters()})

    def delete_receipt_rule(self) -> EmptyResult:
        self.backend.delete_receipt_rule(
            self._get_param("RuleSetName"), self._get_param("RuleName")
        )
        return EmptyResult()

    def set_receipt_rule_position(self) -> EmptyResult:
        self.backend.set_receipt_rule_position(
            self._get_param("RuleSetName"), self._get_param("RuleName"), self._get_param("After")
        )
        return EmptyResult()

    def reorder_receipt_rule_set(self) -> EmptyResult:
        self.backend.reorder_receipt_rule_set(
            self._get_param("RuleSetName"), list(self._get_param("RuleNames") or [])
        )
        return EmptyResult()

    def send_bounce(self) -> ActionResult:
        """Bounces a received message back to its sender; raises ``MessageRejected``."""
        original = self._get_param("OriginalMessageId")
        sender = self._get_param("BounceSender")
        received = next((m for m in self.backend.inbound if m.message_id == original), None)
        if received is None:
            raise errors.MessageRejected(f"No received message has the id {original}.")
        if not self.backend.email_identities.get(sender.rpartition("@")[2].lower()) and (
            sender not in self.backend.email_identities
        ):
            raise errors.MessageRejected(f"BounceSender {sender} is not a verified identity.")
        bounced = self._get_param("BouncedRecipientInfoList") or []
        for info in bounced:
            kind = info.get("BounceType")
            if kind is not None and kind not in BOUNCE_TYPES:
                raise errors.InvalidParameterValue(
                    f"BounceType must be one of {', '.join(BOUNCE_TYPES)}."
                )
        message_id = get_random_message_id()
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="ses",
                origin=sender,
                destination=received.source,
                body=self._get_param("Explanation") or "",
                message_id=message_id,
                sent_at=state().clock.now(),
                status="DELIVERED",
                subject="Delivery Status Notification (Failure)",
                detail={
                    "operation": "SendBounce",
                    "original_message_id": original,
                    "bounced_recipients": [i.get("Recipient") for i in bounced],
                },
            )
        )
        return ActionResult({"MessageId": message_id})

    # -- custom verification emails ------------------------------------------------------

    def _verification_fields(self) -> dict[str, Any]:
        names = (
            "TemplateName",
            "FromEmailAddress",
            "TemplateSubject",
            "TemplateContent",
            "SuccessRedirectionURL",
            "FailureRedirectionURL",
        )
        return {name: self._get_param(name) for name in names}

    def create_custom_verification_email_template(self) -> EmptyResult:
        self.backend.verification_templates.create(self._verification_fields())
        return EmptyResult()

    def update_custom_verification_email_template(self) -> EmptyResult:
        self.backend.verification_templates.update(self._verification_fields())
        return EmptyResult()

    def get_custom_verification_email_template(self) -> ActionResult:
        template = self.backend.verification_templates.get(self._get_param("TemplateName"))
        return ActionResult(template.describe())

    def delete_custom_verification_email_template(self) -> EmptyResult:
        self.backend.verification_templates.delete(self._get_param("TemplateName"))
        return EmptyResult()

    def list_custom_verification_email_templates(self) -> ActionResult:
        items, token = self.backend.verification_templates.page(
            self._get_param("NextToken"), self._get_param("MaxResults")
        )
        result: dict[str, Any] = {"CustomVerificationEmailTemplates": items}
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    def send_custom_verification_email(self) -> ActionResult:
        message_id = self.backend.verification_templates.send(
            self._get_param("EmailAddress"),
            self._get_param("TemplateName"),
            self._get_param("ConfigurationSetName"),
        )
        return ActionResult({"MessageId": message_id})

    # -- configuration set options -------------------------------------------------------

    def create_configuration_set_tracking_options(self) -> EmptyResult:
        self.backend.create_tracking_options(
            self._get_param("ConfigurationSetName"), self._get_param("TrackingOptions") or {}
        )
        return EmptyResult()

    def update_configuration_set_tracking_options(self) -> EmptyResult:
        self.backend.update_tracking_options(
            self._get_param("ConfigurationSetName"), self._get_param("TrackingOptions") or {}
        )
        return EmptyResult()

    def delete_configuration_set_tracking_options(self) -> EmptyResult:
        self.backend.delete_tracking_options(self._get_param("ConfigurationSetName"))
        return EmptyResult()

    def put_configuration_set_delivery_options(self) -> EmptyResult:
        self.backend.put_delivery_options(
            self._get_param("ConfigurationSetName"), self._get_param("DeliveryOptions") or {}
        )
        return EmptyResult()

    def update_configuration_set_sending_enabled(self) -> EmptyResult:
        self.backend.set_sending_enabled(
            self._get_param("ConfigurationSetName"), _flag(self._get_param("Enabled"))
        )
        return EmptyResult()
