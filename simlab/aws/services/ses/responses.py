"""SES v1 requests: moto's handlers, with sends, quotas, statistics and event destinations ours."""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.request import Request
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import get_service_model
from moto.ses.responses import EmailResponse
from werkzeug.exceptions import HTTPException

from simlab.aws.services.request_types import PARSE_ERRORS, mime_text, query_member
from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.handlers import V1Handlers
from simlab.aws.services.ses.models import SimlabSESBackend, tag_map

#: Characters an XML 1.0 document cannot carry: a value holding one could never be listed.
_NOT_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]")
#: Configuration set names, per the CreateConfigurationSet API reference.
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SimlabEmailResponse(V1Handlers, EmailResponse):
    """Answers every SES v1 action; one not emulated gets ``InvalidAction`` saying so."""

    @property
    def backend(self) -> SimlabSESBackend:
        # the registry installs simlab's subclass under moto's name
        return super().backend

    _wrong_member: str | None = None

    def parse_parameters(self, request: Request) -> None:
        """Parses per the model; a value moto's parser cannot type is answered in call_action."""
        try:
            super().parse_parameters(request)
        except PARSE_ERRORS:
            self.params = {}
            operation = get_service_model("ses").operation_model(self._get_action())
            self._wrong_member = query_member(operation, request.values) or "the request"

    def call_action(self) -> TYPE_RESPONSE:
        """Answers every action in SES's XML, with codes from its model or the common errors.

        Raises nothing: a wrong-typed or XML-unsafe value answers ``InvalidParameterValue``
        naming the member, an action not emulated ``InvalidAction``.
        """
        problem = self._input_problem()
        if problem is not None:
            return self.serialized(ActionResult(errors.InvalidParameterValue(problem)))
        try:
            status, headers, body = super().call_action()
        except NotImplementedError:
            error = errors.InvalidAction(
                f"simlab does not emulate the SES action {self._get_action()} yet."
            )
            status, headers, body = self.serialized(ActionResult(error))
            return status, headers, body
        except HTTPException as error:  # moto's paginator, raised while serializing a page
            return self._as_xml_error(str(error.description or ""))
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        if status >= 400 and text.lstrip().startswith("{"):
            return self._as_xml_error(text)
        return status, headers, body

    def _input_problem(self) -> str | None:
        if self._wrong_member is not None:
            return f"Value for parameter {self._wrong_member} does not have the type SES expects."
        for key, values in self.querystring.items():
            if any(_NOT_XML.search(str(value)) for value in values):
                name = key.split(".", 1)[0]
                return f"Value for parameter {name} contains a character SES does not accept."
        action = self._get_action()
        model = get_service_model("ses")
        if action in model.operation_names:
            shape = model.operation_model(action).input_shape
            for name in shape.required_members if shape is not None else ():
                if not any(key == name or key.startswith(f"{name}.") for key in self.querystring):
                    return f"Value for parameter {name} is required but was not given."
        return None

    def _as_xml_error(self, body: str) -> TYPE_RESPONSE:
        """Re-answers an error moto gave in JSON (a page token it could not read) in XML."""
        try:
            message = str(json.loads(body).get("message") or "")
        except (ValueError, AttributeError):
            message = ""
        error = errors.InvalidParameterValue(
            f"Value for parameter NextToken is not valid. {message}".strip()
        )
        return self.serialized(ActionResult(error))

    def create_configuration_set(self) -> ActionResult:
        """Creates a configuration set; raises ``InvalidConfigurationSet`` for a bad name."""
        name = self._get_param("ConfigurationSet.Name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise errors.InvalidConfigurationSet(
                "Configuration set name must contain only ASCII letters, numbers, underscores "
                "and dashes, and be at most 64 characters long."
            )
        self.backend.create_configuration_set(name)
        return EmptyResult()

    def serialized(self, action_result: ActionResult) -> TYPE_RESPONSE:
        # Throttling and InvalidAction are SES common errors, not shapes in botocore's model;
        # moto would warn about each one it serializes.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Exception\((Throttling|InvalidAction)\)")
            return super().serialized(action_result)

    def _message(self) -> tuple[str, str, str]:
        message = self._get_param("Message", {}) or {}
        body = message.get("Body") or {}
        return (
            (message.get("Subject") or {}).get("Data", ""),
            (body.get("Text") or {}).get("Data", ""),
            (body.get("Html") or {}).get("Data", ""),
        )

    def send_email(self) -> ActionResult:
        subject, text, html = self._message()
        message = self.backend.send_email(
            self._get_param("Source"),
            subject,
            text,
            self._get_param("Destination", {}),
            html=html,
            configuration_set=self._get_param("ConfigurationSetName"),
            tags=tag_map(self._get_param("Tags")),
        )
        return ActionResult({"MessageId": message.id})

    def send_templated_email(self) -> ActionResult:
        message = self.backend.send_templated_email(
            self._get_param("Source"),
            self._template_name(),
            self._get_param("TemplateData"),
            self._get_param("Destination", {}),
            configuration_set=self._get_param("ConfigurationSetName"),
            tags=tag_map(self._get_param("Tags")),
        )
        return ActionResult({"MessageId": message.id})

    def send_bulk_templated_email(self) -> ActionResult:
        statuses = self.backend.send_bulk_templated_email_v1(
            self._get_param("Source"),
            self._template_name(),
            self._get_param("DefaultTemplateData"),
            self._get_param("Destinations", []),
            configuration_set=self._get_param("ConfigurationSetName"),
            default_tags=tag_map(self._get_param("DefaultTags")),
        )
        return ActionResult({"Status": statuses})

    def send_raw_email(self) -> ActionResult:
        raw = self._get_param("RawMessage.Data")
        raw = mime_text(raw) if isinstance(raw, bytes) else str(raw)
        message = self.backend.send_raw_email(
            self._get_param("Source"),
            list(self._get_param("Destinations", []) or []),
            raw,
            configuration_set=self._get_param("ConfigurationSetName"),
            tags=tag_map(self._get_param("Tags")),
        )
        return ActionResult({"MessageId": message.id})

    def _template_name(self) -> str:
        name = self._get_param("Template")
        arn = self._get_param("TemplateArn")
        if not name and arn:
            name = str(arn).rpartition("template/")[2]
        return str(name or "")

    def get_send_quota(self) -> ActionResult:
        return ActionResult(self.backend.get_send_quota())

    def get_send_statistics(self) -> ActionResult:
        return ActionResult({"SendDataPoints": self.backend.get_send_statistics()})

    def get_account_sending_enabled(self) -> ActionResult:
        return ActionResult({"Enabled": self.backend.account.sending_enabled})

    def update_account_sending_enabled(self) -> ActionResult:
        self.backend.account.sending_enabled = bool(self._get_param("Enabled", False))
        return EmptyResult()

    def describe_configuration_set(self) -> ActionResult:
        name = self._get_param("ConfigurationSetName")
        self.backend.describe_configuration_set(name)
        wanted = self._get_param("ConfigurationSetAttributeNames", []) or []
        result: dict[str, Any] = {"ConfigurationSet": {"Name": name}}
        if "eventDestinations" in wanted:
            destinations = self.backend.event_destinations.get(name, {}).values()
            result["EventDestinations"] = [d.to_v1() for d in destinations]
        config_set = self.backend.config_sets[name]
        for attribute, key in (
            ("trackingOptions", "TrackingOptions"),
            ("deliveryOptions", "DeliveryOptions"),
            ("reputationOptions", "ReputationOptions"),
        ):
            value = getattr(config_set, f"{attribute[:-7]}_options", None)
            if attribute in wanted and value:
                result[key] = _v1_options(key, value)
        return ActionResult(result)

    def update_configuration_set_event_destination(self) -> ActionResult:
        self.backend.update_configuration_set_event_destination(
            self._get_param("ConfigurationSetName"), self._get_param("EventDestination", {})
        )
        return EmptyResult()

    def delete_configuration_set_event_destination(self) -> ActionResult:
        self.backend.delete_configuration_set_event_destination(
            self._get_param("ConfigurationSetName"), self._get_param("EventDestinationName")
        )
        return EmptyResult()


def _v1_options(key: str, value: dict[str, Any]) -> dict[str, Any]:
    """Options as SES v1 spells them (``TlsPolicy`` is ``Require`` or ``Optional`` there)."""
    if key == "DeliveryOptions":
        policy = str(value.get("TlsPolicy", "Optional")).capitalize()
        return {"TlsPolicy": policy}
    if key == "TrackingOptions":
        return {"CustomRedirectDomain": value.get("CustomRedirectDomain", "")}
    return dict(value)
