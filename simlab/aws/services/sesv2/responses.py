"""SES v2 requests: moto's handlers for contacts, identities and the like, ours for the rest.

Our handlers read parameters through botocore's model and answer through moto's serializer, so
responses have exactly the modeled shape; an operation not emulated answers
``BadRequestException`` saying so.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult, EmptyResult
from moto.sesv2.responses import SESV2Response

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.sesv2.models import SimlabSESV2Backend


class SimlabSESV2Response(SESV2Response):
    """Answers every ``/v2/email/...`` request."""

    @property
    def backend(self) -> SimlabSESV2Backend:
        return self.sesv2_backend  # type: ignore[return-value]

    def call_action(self) -> TYPE_RESPONSE:
        try:
            return super().call_action()
        except NotImplementedError:
            error = errors.BadRequestException(
                f"simlab does not emulate the SES v2 operation {self._get_action()} yet."
            )
            return self.serialized(ActionResult(error))

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
