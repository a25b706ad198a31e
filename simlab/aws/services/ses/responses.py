"""SES v1 requests: moto's handlers, with sends, quotas, statistics and event destinations ours."""

from __future__ import annotations

import warnings
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult, EmptyResult
from moto.ses.responses import EmailResponse

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.models import SimlabSESBackend, tag_map


class SimlabEmailResponse(EmailResponse):
    """Answers every SES v1 action; one not emulated gets ``InvalidAction`` saying so."""

    @property
    def backend(self) -> SimlabSESBackend:  # type: ignore[override]
        return super().backend  # type: ignore[return-value]

    def call_action(self) -> TYPE_RESPONSE:
        try:
            return super().call_action()
        except NotImplementedError:
            error = errors.InvalidAction(
                f"simlab does not emulate the SES action {self._get_action()} yet."
            )
            status, headers, body = self.serialized(ActionResult(error))
            return status, headers, body

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
        raw = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
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
