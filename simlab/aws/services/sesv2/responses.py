"""SES v2 requests: moto's handlers for contacts, identities and the like, ours for the rest.

Our handlers read parameters through botocore's model and answer through moto's serializer, so
responses have exactly the modeled shape; an operation not emulated answers
``BadRequestException`` saying so.
"""

from __future__ import annotations

import functools
import json
from typing import Any, cast

from moto.core.common_types import TYPE_RESPONSE
from moto.core.request import Request
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import get_service_model
from moto.sesv2.responses import SESV2Response
from werkzeug.exceptions import HTTPException

from simlab.aws.services.request_types import PARSE_ERRORS, rest_member
from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.sesv2.dedicated_ips import DedicatedIpHandlers
from simlab.aws.services.sesv2.deliverability import DashboardHandlers
from simlab.aws.services.sesv2.insights import InsightHandlers
from simlab.aws.services.sesv2.jobs import JobHandlers
from simlab.aws.services.sesv2.models import SimlabSESV2Backend
from simlab.aws.services.sesv2.options import OptionHandlers
from simlab.aws.services.sesv2.tenants import TenantHandlers


# OptionHandlers.get_configuration_set answers an ActionResult where moto's is typed str; moto's
# dispatcher serializes either.
class SimlabSESV2Response(  # type: ignore[misc]
    OptionHandlers,
    DedicatedIpHandlers,
    JobHandlers,
    TenantHandlers,
    DashboardHandlers,
    InsightHandlers,
    SESV2Response,
):
    """Answers every ``/v2/email/...`` request."""

    @property
    def backend(self) -> SimlabSESV2Backend:
        # the registry installs simlab's subclass under moto's name
        return cast(SimlabSESV2Backend, self.sesv2_backend)

    _wrong_member: str | None = None

    def parse_parameters(self, request: Request) -> None:
        """Parses per the model; a value moto's parser cannot type is answered in call_action."""
        try:
            super().parse_parameters(request)
        except PARSE_ERRORS:
            self.params = {}
            self._wrong_member = self._find_wrong_member(request) or "the request"

    def _find_wrong_member(self, request: Request) -> str:
        operation = get_service_model("sesv2").operation_model(self._get_action())
        return rest_member(operation, request.data, request.args, request.headers)

    def call_action(self) -> TYPE_RESPONSE:
        """Answers every operation with a code from its model, naming the field at fault.

        Raises nothing: a wrong-typed member answers ``BadRequestException`` naming it; an
        error moto words with a code outside SES v2's model gets the modeled code.
        """
        action = self._get_action()
        wrong = self._wrong_member
        if wrong is None and action and self.body:
            wrong = self._find_wrong_member(self.normalized_request) or None
        if wrong is None and action:
            missing = self._missing_member(action)
            if missing:
                message = f"{missing} is required for {action} but was not given."
                return self.serialized(ActionResult(errors.BadRequestException(message)))
        wrong = wrong or self._wrong_member
        if wrong is not None:
            error = errors.BadRequestException(
                f"{wrong} does not have the type SES v2 expects for {action}."
            )
            return self.serialized(ActionResult(error))
        try:
            status, headers, body = super().call_action()
        except NotImplementedError:
            error = errors.BadRequestException(
                f"simlab does not emulate the SES v2 operation {action} yet."
            )
            return self.serialized(ActionResult(error))
        except HTTPException as error:  # moto's paginator, raised while serializing a page
            headers = dict(error.get_headers() or [])
            return self._modeled(error.code or 400, headers, error.description)
        if int(status) >= 400:
            return self._modeled(status, headers, body)
        return status, headers, body

    def _missing_member(self, action: str) -> str:
        """The first required body or query member the request lacks, or ''."""
        model = get_service_model("sesv2")
        if action not in model.operation_names:
            return ""
        shape = model.operation_model(action).input_shape
        if shape is None:
            return ""
        params = self._params()
        if self._wrong_member is not None:
            return ""
        required: list[str] = shape.required_members
        for name in required:
            location = shape.members[name].serialization.get("location")
            if location != "uri" and params.get(name) is None:
                return name
        return ""

    def _modeled(self, status: int, headers: dict[str, Any], body: Any) -> TYPE_RESPONSE:
        """Re-answers an error whose code SES v2's model does not have with the modeled one."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
        try:
            document = json.loads(text) if text.strip() else {}
        except ValueError:
            document = {}
        if not isinstance(document, dict):
            document = {}
        code = (
            str(
                _header(headers, "x-amzn-ErrorType")
                or document.get("__type")
                or document.get("code")
                or ""
            )
            .split(":")[0]
            .rpartition("#")[2]
        )
        if code in _modeled_codes():
            return status, headers, body
        message = str(document.get("message") or document.get("Message") or "")
        if code == "InvalidToken":
            message = "NextToken is not a token this operation issued."
        replacement = _REPLACEMENTS.get(code, errors.BadRequestException)
        if replacement is errors.BadRequestException and status == 404:
            replacement = errors.NotFoundException
        for key in [k for k in self.response_headers if k.lower() == "x-amzn-errortype"]:
            del self.response_headers[key]  # moto's first answer left its code here
        return self.serialized(ActionResult(replacement(message or f"{code or status}")))

    # -- moto's handlers that assume what the request may not hold ------------------------

    def create_email_identity(self) -> str:
        name = self._params().get("EmailIdentity")
        if name in self.backend.core.email_identities:
            raise errors.AlreadyExistsException(f"Email identity {name} already exists.")
        return super().create_email_identity()

    def delete_dedicated_ip_pool(self) -> str:
        name = self._params().get("PoolName")
        if name not in self.backend.core.dedicated_ip_pools:
            raise errors.NotFoundException(f"Dedicated IP pool {name} does not exist.")
        return super().delete_dedicated_ip_pool()

    def list_dedicated_ip_pools(self) -> str:
        params = self._params()
        pools, token = self.backend.list_dedicated_ip_pools(
            next_token=params.get("NextToken"), page_size=params.get("PageSize")
        )
        return json.dumps({"DedicatedIpPools": pools, "NextToken": token})

    def _params(self) -> dict[str, Any]:
        """The request's parameters, parsed by botocore's model (path, query and body)."""
        self.parse_parameters(self.normalized_request)
        return {**dict(self.params), **self.uri_match}

    # -- sending --------------------------------------------------------------------------

    def send_email(self) -> ActionResult:  # type: ignore[override]
        return ActionResult({"MessageId": self.backend.send_email_v2(self._params())})

    def send_bulk_email(self) -> ActionResult:
        return ActionResult({"BulkEmailEntryResults": self.backend.send_bulk_email(self._params())})

    # -- account --------------------------------------------------------------------------

    def get_account(self) -> ActionResult:
        return ActionResult(self.backend.get_account())

    def put_account_details(self) -> ActionResult:
        self.backend.put_account_details(self._params())
        return EmptyResult()

    def put_account_sending_attributes(self) -> ActionResult:
        enabled = self._params().get("SendingEnabled")
        self.backend.core.account.sending_enabled = True if enabled is None else bool(enabled)
        return EmptyResult()

    def put_account_suppression_attributes(self) -> ActionResult:
        self.backend.put_account_suppression_attributes(
            self._params().get("SuppressedReasons") or []
        )
        return EmptyResult()

    # -- templates ------------------------------------------------------------------------

    def create_email_template(self) -> ActionResult:
        params = self._params()
        self.backend.create_email_template(
            params["TemplateName"], params.get("TemplateContent") or {}, params.get("Tags") or []
        )
        return EmptyResult()

    def update_email_template(self) -> ActionResult:
        params = self._params()
        self.backend.update_email_template(
            params["TemplateName"], params.get("TemplateContent") or {}
        )
        return EmptyResult()

    def get_email_template(self) -> ActionResult:
        return ActionResult(self.backend.get_email_template(self._params()["TemplateName"]))

    def delete_email_template(self) -> ActionResult:
        self.backend.delete_email_template(self._params()["TemplateName"])
        return EmptyResult()

    def list_email_templates(self) -> ActionResult:
        params = self._params()
        items, token = self.backend.list_email_templates(
            params.get("NextToken"), params.get("PageSize")
        )
        return ActionResult({"TemplatesMetadata": items, "NextToken": token})

    def test_render_email_template(self) -> ActionResult:
        params = self._params()
        rendered = self.backend.test_render_email_template(
            params["TemplateName"], params.get("TemplateData") or ""
        )
        return ActionResult({"RenderedTemplate": rendered})

    # -- suppression list -----------------------------------------------------------------

    def put_suppressed_destination(self) -> ActionResult:
        params = self._params()
        self.backend.put_suppressed_destination(params["EmailAddress"], params["Reason"])
        return EmptyResult()

    def get_suppressed_destination(self) -> ActionResult:
        entry = self.backend.get_suppressed_destination(self._params()["EmailAddress"])
        return ActionResult({"SuppressedDestination": entry})

    def delete_suppressed_destination(self) -> ActionResult:
        self.backend.delete_suppressed_destination(self._params()["EmailAddress"])
        return EmptyResult()

    def list_suppressed_destinations(self) -> ActionResult:
        params = self._params()
        items, token = self.backend.list_suppressed_destinations(
            params.get("Reasons"),
            params.get("StartDate"),
            params.get("EndDate"),
            params.get("NextToken"),
            params.get("PageSize"),
        )
        return ActionResult({"SuppressedDestinationSummaries": items, "NextToken": token})

    # -- configuration sets ---------------------------------------------------------------

    def create_configuration_set_event_destination(self) -> ActionResult:
        params = self._params()
        self.backend.create_configuration_set_event_destination_v2(
            params["ConfigurationSetName"],
            params["EventDestinationName"],
            params.get("EventDestination") or {},
        )
        return EmptyResult()

    def update_configuration_set_event_destination(self) -> ActionResult:
        params = self._params()
        self.backend.update_configuration_set_event_destination_v2(
            params["ConfigurationSetName"],
            params["EventDestinationName"],
            params.get("EventDestination") or {},
        )
        return EmptyResult()

    def delete_configuration_set_event_destination(self) -> ActionResult:
        params = self._params()
        self.backend.delete_configuration_set_event_destination_v2(
            params["ConfigurationSetName"], params["EventDestinationName"]
        )
        return EmptyResult()

    def get_configuration_set_event_destinations(self) -> ActionResult:
        destinations = self.backend.get_configuration_set_event_destinations(
            self._params()["ConfigurationSetName"]
        )
        return ActionResult({"EventDestinations": destinations})

    def put_configuration_set_suppression_options(self) -> ActionResult:
        params = self._params()
        self.backend.put_configuration_set_suppression_options(
            params["ConfigurationSetName"], params.get("SuppressedReasons") or []
        )
        return EmptyResult()

    def put_email_identity_configuration_set_attributes(self) -> ActionResult:
        params = self._params()
        self.backend.put_email_identity_configuration_set_attributes(
            params["EmailIdentity"], params.get("ConfigurationSetName")
        )
        return EmptyResult()


#: Codes moto uses that SES v2's model does not, and the modeled code AWS answers instead.
_REPLACEMENTS: dict[str, type[errors.SesError]] = {
    "ConfigurationSetAlreadyExistsException": errors.AlreadyExistsException,
    "ConfigurationSetAlreadyExists": errors.AlreadyExistsException,
    "AlreadyExists": errors.AlreadyExistsException,
    "ConfigurationSetDoesNotExist": errors.NotFoundException,
    "TemplateDoesNotExist": errors.NotFoundException,
    "InvalidToken": errors.BadRequestException,
    "CustomVerificationEmailTemplateAlreadyExists": errors.AlreadyExistsException,
    "CustomVerificationEmailTemplateDoesNotExist": errors.NotFoundException,
    "LimitExceeded": errors.LimitExceededException,
    "ValidationError": errors.BadRequestException,
}


@functools.cache
def _modeled_codes() -> frozenset[str]:
    model = get_service_model("sesv2")
    codes = {shape.metadata.get("error", {}).get("code", shape.name) for shape in _errors(model)}
    return frozenset(codes | {"Throttling", "InternalFailure", "ServiceUnavailable"})


def _errors(model: Any) -> list[Any]:
    return [model.shape_for(name) for name in model.shape_names if _is_error(model, name)]


def _is_error(model: Any, name: str) -> bool:
    return bool(model.shape_for(name).metadata.get("exception"))


def _header(headers: dict[str, Any], name: str) -> str:
    wanted = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == wanted), "")
