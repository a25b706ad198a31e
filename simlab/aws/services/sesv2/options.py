"""SES v2 settings: configuration set and account options, identity attributes, custom
verification emails (shared with SES v1), and identity certificates.

What a setting changes is kept where the send path and the Get operations read it: the
configuration set's sending option pauses its sends, tracking needs a verified redirect domain,
delivery options name an existing pool, an identity's MAIL FROM domain and DKIM settings show
in GetEmailIdentity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.identities import dkim_tokens
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.state import state

PLANS = ("NONE", "ESSENTIALS", "PRO", "ENTERPRISE")
DELIVERY_MODES = ("GLOBAL", "REGIONAL")


_V2_CODES: dict[str, type[errors.SesError]] = {
    "CustomVerificationEmailTemplateDoesNotExist": errors.NotFoundException,
    "ConfigurationSetDoesNotExist": errors.NotFoundException,
    "CustomVerificationEmailTemplateAlreadyExists": errors.AlreadyExistsException,
    "TrackingOptionsAlreadyExistsException": errors.AlreadyExistsException,
    "LimitExceeded": errors.LimitExceededException,
    "MessageRejected": errors.MessageRejectedV2,
}


@contextmanager
def v2_errors() -> Iterator[None]:
    """Re-raises an SES v1 error of the shared backend as the SES v2 error for it."""
    try:
        yield
    except errors.SesError as error:
        if error.code in _V2_CODES or not error.code.endswith("Exception"):
            replacement = _V2_CODES.get(error.code, errors.BadRequestException)
            raise replacement(error.message) from None
        raise


def _translated(handler: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(handler)
    def run(self: Any) -> Any:
        with v2_errors():
            return handler(self)

    return run


def _enum(value: Any, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise errors.BadRequestException(f"{field} must be one of {', '.join(allowed)}.")
    return str(value)


class OptionHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``; v1 errors of the shared backend become v2 ones."""

    # -- custom verification emails ------------------------------------------------------

    def create_custom_verification_email_template(self) -> EmptyResult:
        self.backend.core.verification_templates.create(self._params())
        return EmptyResult()

    def update_custom_verification_email_template(self) -> EmptyResult:
        self.backend.core.verification_templates.update(self._params())
        return EmptyResult()

    def get_custom_verification_email_template(self) -> ActionResult:
        name = self._params()["TemplateName"]
        return ActionResult(self.backend.core.verification_templates.get(name).describe())

    def delete_custom_verification_email_template(self) -> EmptyResult:
        templates = self.backend.core.verification_templates
        name = self._params()["TemplateName"]
        templates.get(name)  # SES v2 answers NotFoundException for a missing template
        templates.delete(name)
        return EmptyResult()

    def list_custom_verification_email_templates(self) -> ActionResult:
        params = self._params()
        items, token = self.backend.core.verification_templates.page(
            params.get("NextToken"), params.get("PageSize")
        )
        return ActionResult({"CustomVerificationEmailTemplates": items, "NextToken": token})

    def send_custom_verification_email(self) -> ActionResult:
        params = self._params()
        message_id = self.backend.core.verification_templates.send(
            params["EmailAddress"], params["TemplateName"], params.get("ConfigurationSetName")
        )
        return ActionResult({"MessageId": message_id})

    # -- configuration sets --------------------------------------------------------------

    def get_configuration_set(self) -> ActionResult:
        name = self._params()["ConfigurationSetName"]
        config_set = self.backend.core.config_set(name)
        result = config_set.to_dict_v2()
        sending = config_set.enabled
        result["SendingOptions"] = {
            "SendingEnabled": sending.get("SendingEnabled", True)
            if isinstance(sending, dict)
            else bool(sending)
            if isinstance(sending, bool)
            else True
        }
        extra = self.backend.config_set_extras.get(name, {})
        result.update(extra)
        return ActionResult({k: v for k, v in result.items() if v is not None})

    def put_configuration_set_tracking_options(self) -> EmptyResult:
        params = self._params()
        options = {k: params[k] for k in ("CustomRedirectDomain", "HttpsPolicy") if params.get(k)}
        self.backend.core.put_tracking_options(params["ConfigurationSetName"], options)
        return EmptyResult()

    def put_configuration_set_delivery_options(self) -> EmptyResult:
        params = self._params()
        options = {
            k: params[k]
            for k in ("TlsPolicy", "SendingPoolName", "MaxDeliverySeconds")
            if params.get(k) is not None
        }
        self.backend.core.put_delivery_options(params["ConfigurationSetName"], options)
        return EmptyResult()

    def put_configuration_set_reputation_options(self) -> EmptyResult:
        params = self._params()
        config_set = self.backend.core.config_set(params["ConfigurationSetName"])
        config_set.reputation_options = {
            "ReputationMetricsEnabled": bool(params.get("ReputationMetricsEnabled")),
            "LastFreshStart": state().clock.now(),
        }
        return EmptyResult()

    def put_configuration_set_sending_options(self) -> EmptyResult:
        params = self._params()
        enabled = params.get("SendingEnabled")
        self.backend.core.set_sending_enabled(
            params["ConfigurationSetName"], True if enabled is None else bool(enabled)
        )
        return EmptyResult()

    def put_configuration_set_vdm_options(self) -> EmptyResult:
        params = self._params()
        config_set = self.backend.core.config_set(params["ConfigurationSetName"])
        config_set.vdm_options = params.get("VdmOptions") or {}
        return EmptyResult()

    def put_configuration_set_archiving_options(self) -> EmptyResult:
        params = self._params()
        name = params["ConfigurationSetName"]
        self.backend.core.config_set(name)
        arn = params.get("ArchiveArn")
        extras = self.backend.config_set_extras.setdefault(name, {})
        if arn:
            if ":mailmanager-archive/" not in arn:
                raise errors.BadRequestException(f"ArchiveArn {arn} is not a Mail Manager archive.")
            extras["ArchivingOptions"] = {"ArchiveArn": arn}
        else:
            extras.pop("ArchivingOptions", None)
        return EmptyResult()

    def update_configuration_set(self) -> EmptyResult:
        params = self._params()
        name = params["ConfigurationSetName"]
        self.backend.core.config_set(name)
        security = params.get("MessageSecurityOptions")
        if security is not None:
            self.backend.config_set_extras.setdefault(name, {})["MessageSecurityOptions"] = security
        return EmptyResult()

    # -- account -------------------------------------------------------------------------

    def put_account_vdm_attributes(self) -> EmptyResult:
        attributes = self._params().get("VdmAttributes") or {}
        _enum(attributes.get("VdmEnabled"), ("ENABLED", "DISABLED"), "VdmAttributes.VdmEnabled")
        self.backend.account_settings["VdmAttributes"] = attributes
        return EmptyResult()

    def put_account_delivery_attributes(self) -> EmptyResult:
        mode = self._params().get("SharedPoolDeliveryMode")
        _enum(mode, DELIVERY_MODES, "SharedPoolDeliveryMode")
        self.backend.account_settings["SharedPoolDeliveryMode"] = mode
        return EmptyResult()

    def put_account_pricing_attributes(self) -> EmptyResult:
        plan = _enum(self._params().get("Plan"), PLANS, "Plan")
        self.backend.account_settings["Plan"] = plan
        return EmptyResult()

    def put_account_dedicated_ip_warmup_attributes(self) -> EmptyResult:
        enabled = bool(self._params().get("AutoWarmupEnabled"))
        self.backend.dedicated_ips.auto_warmup = enabled
        return EmptyResult()

    # -- identities ----------------------------------------------------------------------

    def _identity(self, name: str) -> Any:
        found = self.backend.core.email_identities.get(name)
        if found is None:
            raise errors.NotFoundException(f"Email identity <{name}> does not exist.")
        return found

    def put_email_identity_dkim_attributes(self) -> EmptyResult:
        params = self._params()
        identity = self._identity(params["EmailIdentity"])
        identity.dkim_attributes["SigningEnabled"] = bool(params.get("SigningEnabled"))
        identity.dkim_enabled = bool(params.get("SigningEnabled"))
        return EmptyResult()

    def put_email_identity_dkim_signing_attributes(self) -> ActionResult:
        """Switches between Easy DKIM (``AWS_SES``) and a key of your own (``EXTERNAL``)."""
        params = self._params()
        name = params["EmailIdentity"]
        identity = self._identity(name)
        origin = params["SigningAttributesOrigin"]
        signing = params.get("SigningAttributes") or {}
        attributes = identity.dkim_attributes
        attributes["SigningAttributesOrigin"] = origin
        if origin == "EXTERNAL":
            if not signing.get("DomainSigningSelector") or not signing.get(
                "DomainSigningPrivateKey"
            ):
                raise errors.BadRequestException(
                    "SigningAttributes needs DomainSigningSelector and DomainSigningPrivateKey "
                    "for EXTERNAL (BYODKIM) signing."
                )
            attributes.update(SigningEnabled=True, Status="PENDING")
            attributes["Tokens"] = [signing["DomainSigningSelector"]]
        else:
            if signing.get("NextSigningKeyLength"):
                attributes["NextSigningKeyLength"] = signing["NextSigningKeyLength"]
            attributes.update(SigningEnabled=True, Status="SUCCESS", Tokens=dkim_tokens(name))
        return ActionResult(
            {"DkimStatus": attributes["Status"], "DkimTokens": attributes["Tokens"]}
        )

    def put_email_identity_feedback_attributes(self) -> EmptyResult:
        params = self._params()
        identity = self._identity(params["EmailIdentity"])
        enabled = bool(params.get("EmailForwardingEnabled"))
        identity.feedback_forwarding_status = enabled
        self.backend.core.set_identity_feedback_forwarding_enabled(params["EmailIdentity"], enabled)
        return EmptyResult()

    def put_email_identity_mail_from_attributes(self) -> EmptyResult:
        params = self._params()
        name = params["EmailIdentity"]
        self._identity(name)
        domain = params.get("MailFromDomain")
        behavior = params.get("BehaviorOnMxFailure") or "USE_DEFAULT_VALUE"
        _enum(behavior, ("USE_DEFAULT_VALUE", "REJECT_MESSAGE"), "BehaviorOnMxFailure")
        if not domain:
            self.backend.core.identity_mail_from_domains.pop(name, None)
            return EmptyResult()
        parent = name.rpartition("@")[2]
        if not domain.endswith("." + parent):
            raise errors.BadRequestException(
                f"MailFromDomain {domain} must be a subdomain of the identity's domain {parent}."
            )
        self.backend.core.identity_mail_from_domains[name] = {
            "mail_from_domain": domain,
            "behavior_on_mx_failure": "UseDefaultValue"
            if behavior == "USE_DEFAULT_VALUE"
            else "RejectMessage",
        }
        return EmptyResult()

    # -- certificates for S/MIME ---------------------------------------------------------

    def associate_email_identity_certificate(self) -> EmptyResult:
        params = self._params()
        name = params["EmailIdentity"]
        self._identity(name)
        arn = params["CertificateArn"]
        if not arn.startswith("arn:") or ":acm" not in arn:
            raise errors.BadRequestException(f"CertificateArn {arn} is not an ACM certificate ARN.")
        certificates = self.backend.certificates.setdefault(name, {})
        certificates[params.get("FromAddress") or name] = {
            "FromAddress": params.get("FromAddress") or name,
            "Status": "ACTIVE",
            "CertificateArn": arn,
        }
        return EmptyResult()

    def disassociate_email_identity_certificate(self) -> EmptyResult:
        params = self._params()
        name = params["EmailIdentity"]
        self._identity(name)
        removed = self.backend.certificates.get(name, {}).pop(
            params.get("FromAddress") or name, None
        )
        if removed is None:
            raise errors.NotFoundException(f"No certificate is associated with {name}.")
        return EmptyResult()

    def list_email_identity_certificates(self) -> ActionResult:
        params = self._params()
        name = params["EmailIdentity"]
        self._identity(name)
        items = list(self.backend.certificates.get(name, {}).values())
        return ActionResult({"Certificates": items})


for _name, _handler in list(vars(OptionHandlers).items()):
    if callable(_handler) and not _name.startswith("_"):
        setattr(OptionHandlers, _name, _translated(_handler))
