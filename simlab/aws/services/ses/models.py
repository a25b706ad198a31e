"""moto's SES (v1) backend with the account, sending rules and event publishing SES has.

It also holds what SES v1 and v2 share in one account and Region (identities, templates,
configuration sets and their event destinations, the suppression list, quotas), since moto's
SES v2 backend keeps its state here too.
"""

from __future__ import annotations

import base64
import email as email_parser
import json
from dataclasses import replace
from datetime import datetime
from email.encoders import encode_7or8bit
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.utils import format_datetime, getaddresses
from typing import Any

from moto.ses.models import Message, RawMessage, SESBackend, TemplateMessage

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.account import Quota, SendingAccount
from simlab.aws.services.ses.config_options import ConfigSetOptionsMixin
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.identities import IdentityMixin
from simlab.aws.services.ses.inbound import InboundEmail, Receiver
from simlab.aws.services.ses.mailer import Mailer
from simlab.aws.services.ses.moto_records import SentMessages
from simlab.aws.services.ses.outcomes import Deliverability
from simlab.aws.services.ses.policy import Email, check_request
from simlab.aws.services.ses.publishing import EventDestination, InvalidDestination
from simlab.aws.services.ses.receiving import ReceivingMixin
from simlab.aws.services.ses.rendering import (
    MissingAttribute,
    RenderingError,
    TemplateDataError,
    parse_data,
    render,
)
from simlab.aws.services.ses.suppression import SuppressionList
from simlab.aws.services.ses.verification import VerificationTemplates
from simlab.aws.state import state

#: SendBulkTemplatedEmail's limit (SES API reference: "up to 50 destinations in each call").
MAX_BULK_DESTINATIONS = 50
_V1_DESTINATION_ERRORS = {
    "SNS": errors.InvalidSNSDestination,
    "Firehose": errors.InvalidFirehoseDestination,
    "CloudWatch": errors.InvalidCloudWatchDestination,
}


def addresses(destination: dict[str, list[str]] | None) -> tuple[list[str], list[str], list[str]]:
    """(To, Cc, Bcc) of a ``Destination``."""
    destination = destination or {}
    return (
        list(destination.get("ToAddresses") or []),
        list(destination.get("CcAddresses") or []),
        list(destination.get("BccAddresses") or []),
    )


def tag_map(tags: list[dict[str, str]] | None) -> dict[str, str]:
    """A ``MessageTagList`` as a dict."""
    return {tag["Name"]: tag["Value"] for tag in tags or []}


def parse_raw(raw: str) -> tuple[str, list[str], str, str, str]:
    """(From, recipients, subject, text, html) of a raw MIME message."""
    message = email_parser.message_from_string(raw)
    recipients = [
        address
        for _, address in getaddresses([message[h] for h in ("To", "Cc", "Bcc") if message[h]])
        if address
    ]
    text = html = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        content = payload.decode(errors="replace") if isinstance(payload, bytes) else ""
        if part.get_content_type() == "text/html":
            html = html or content
        elif part.get_content_type() == "text/plain":
            text = text or content
    return str(message["From"] or ""), recipients, str(message["Subject"] or ""), text, html


def attachment(name: str, content_type: str, data: bytes, disposition: str) -> dict[str, Any]:
    """An attachment as the outbox records it: name, type, size and base64 content."""
    return {
        "file_name": name,
        "content_type": content_type,
        "disposition": disposition,
        "size": len(data),
        "content_base64": base64.b64encode(data).decode(),
    }


def raw_attachments(raw: str) -> list[dict[str, Any]]:
    """The attachments (parts with a file name or an attachment disposition) of a MIME text."""
    found = []
    for part in email_parser.message_from_string(raw).walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        name = part.get_filename()
        if disposition != "attachment" and not name:
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        found.append(
            attachment(name or "", part.get_content_type(), data, disposition or "attachment")
        )
    return found


class SimlabSESBackend(IdentityMixin, ReceivingMixin, ConfigSetOptionsMixin, SESBackend):
    """SES v1 as a learner meets it: sandbox, quotas, simulator, events, suppression,
    identities with their own tokens, receiving, custom verification emails."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.sent_messages: SentMessages = SentMessages()  # type: ignore[assignment]
        self.account = SendingAccount()
        self.suppression = SuppressionList()
        self.deliverability = Deliverability()
        self.event_destinations: dict[str, dict[str, EventDestination]] = {}  # type: ignore[assignment]
        self.publish_failures: list[str] = []
        self.mailer = Mailer(self)
        self.receipt_filters: dict[str, dict[str, Any]] = {}
        self.inbound: list[InboundEmail] = []
        self.receiver = Receiver(self)
        self.verification_templates = VerificationTemplates(self)

    def _validate_lambda_action(self, lambda_action: dict[str, str]) -> None:
        """A Lambda action may name a Python function registered with simlab."""
        if lambda_action.get("FunctionArn", "") in state().functions:
            self._validate_sns_topic(lambda_action.get("TopicArn"))
            return
        super()._validate_lambda_action(lambda_action)

    def _replace_record(self, message_id: str, record: Any) -> None:
        """Puts ``record`` in place of moto's record of ``message_id`` in ``sent_messages``."""
        for index in range(len(self.sent_messages) - 1, -1, -1):
            if getattr(self.sent_messages[index], "id", None) == message_id:
                self.sent_messages[index] = record
                return

    # -- idempotent clears and deletes ---------------------------------------------------

    def delete_template(self, name: str) -> None:
        """Deletes a template; deleting one that does not exist changes nothing."""
        self.templates.pop(name, None)

    def set_identity_mail_from_domain(
        self,
        identity: str,
        mail_from_domain: str | None = None,
        behavior_on_mx_failure: str | None = None,
    ) -> None:
        """Sets or (with no domain) clears an identity's MAIL FROM domain.

        Raises ``InvalidParameterValue`` for an identity not in the account.
        """
        if mail_from_domain is None and self._is_verified_address(identity):
            self.identity_mail_from_domains.pop(identity, None)
            return
        super().set_identity_mail_from_domain(identity, mail_from_domain, behavior_on_mx_failure)

    def set_identity_notification_topic(
        self, identity: str, notification_type: str, sns_topic: str | None
    ) -> None:
        """Sets or (with no topic) clears where an identity's notifications of a type go."""
        if sns_topic is None:
            self.sns_topics.get(identity, {}).pop(notification_type, None)
            return
        super().set_identity_notification_topic(identity, notification_type, sns_topic)

    # -- sending (shared by v1 and v2) ----------------------------------------------------

    def submit(self, email: Email) -> str:
        """Sends ``email`` under every SES rule; returns its MessageId or raises Refusal."""
        return self.mailer.send(email)

    def _submit_v1(self, email: Email) -> str:
        try:
            return self.submit(email)
        except Refusal as refusal:
            raise errors.v1_error(refusal) from None

    def send_email(
        self,
        source: str,
        subject: str,
        body: str,
        destinations: dict[str, list[str]],
        *,
        html: str = "",
        configuration_set: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> Message:
        to, cc, bcc = addresses(destinations)
        email = Email(source, to, cc, bcc, subject, body, html, "", configuration_set, tags or {})
        try:
            return self.mailer.send_recorded(email)
        except Refusal as refusal:
            raise errors.v1_error(refusal) from None

    def send_templated_email(
        self,
        source: str,
        template: str,
        template_data: str,
        destinations: dict[str, list[str]],
        *,
        configuration_set: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> TemplateMessage:
        to, cc, bcc = addresses(destinations)
        email = Email(
            source,
            to,
            cc,
            bcc,
            configuration_set=configuration_set,
            tags=tags or {},
            template=template,
            template_data=template_data,
            operation="SendTemplatedEmail",
        )
        message_id = self._submit_v1(email)
        record = TemplateMessage(message_id, source, template, template_data, destinations)
        self._replace_record(message_id, record)
        return record

    def send_bulk_templated_email_v1(
        self,
        source: str,
        template: str,
        default_data: str,
        destinations: list[dict[str, Any]],
        configuration_set: str | None = None,
        default_tags: dict[str, str] | None = None,
    ) -> list[dict[str, str]]:
        """SendBulkTemplatedEmail: one status per destination, as SES reports them.

        Raises ``MessageRejected`` ("Too many destinations.", as moto words it) for more than
        50 destinations, before any is sent.
        """
        if len(destinations) > MAX_BULK_DESTINATIONS:
            raise errors.MessageRejected("Too many destinations.")
        base = Email(
            source,
            configuration_set=configuration_set,
            tags=default_tags or {},
            template=template,
            template_data=default_data,
            operation="SendBulkTemplatedEmail",
        )
        try:
            check_request(self, base)
        except Refusal as refusal:
            raise errors.v1_error(refusal) from None
        statuses = []
        for entry in destinations:
            to, cc, bcc = addresses(entry.get("Destination"))
            email = replace(
                base,
                to=to,
                cc=cc,
                bcc=bcc,
                tags={**base.tags, **tag_map(entry.get("ReplacementTags"))},
                template_data=merged_data(default_data, entry.get("ReplacementTemplateData")),
            )
            try:
                statuses.append({"Status": "Success", "MessageId": self.submit(email)})
            except Refusal as refusal:
                statuses.append(
                    {"Status": errors.v1_bulk_status(refusal), "Error": refusal.message}
                )
        return statuses

    def send_raw_email(
        self,
        source: str | None,
        destinations: list[str],
        raw_data: str,
        *,
        configuration_set: str | None = None,
        tags: dict[str, str] | None = None,
        operation: str = "SendRawEmail",
    ) -> RawMessage:
        sender, recipients, subject, text, html = parse_raw(raw_data)
        if not source and not sender:
            raise errors.MessageRejected("Source not specified")
        email = Email(
            source or sender,
            to=list(destinations or recipients),
            subject=subject,
            text=text,
            html=html,
            raw=raw_data,
            configuration_set=configuration_set,
            tags=tags or {},
            operation=operation,
            attachments=raw_attachments(raw_data),
        )
        message_id = self._submit_v1(email)
        raw = RawMessage(message_id, email.source, email.recipients, raw_data)
        self._replace_record(message_id, raw)
        return raw

    # -- quotas and statistics ------------------------------------------------------------

    def get_send_quota(self) -> dict[str, float]:  # type: ignore[override]
        quota = self.account.quota
        return {
            "Max24HourSend": float(quota.max_24_hour_send),
            "MaxSendRate": float(quota.max_send_rate),
            "SentLast24Hours": float(self.account.sent_last_24_hours(state().clock.seconds)),
        }

    def get_send_statistics(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return self.account.statistics(state().clock.now())

    def set_production_quota(self, quota: Quota) -> None:
        """Sets the quota production access grants."""
        self.account.set_production_quota(quota, state().clock.seconds)

    def set_production_access(self, enabled: bool) -> None:
        """Leaves (True) or re-enters (False) the sandbox."""
        self.account.set_production_access(enabled, state().clock.seconds)

    # -- configuration sets and event destinations ---------------------------------------

    def _config_set_or_v1_error(self, name: str) -> None:
        if name not in self.config_sets:
            raise errors.ConfigurationSetDoesNotExist(f"Configuration set <{name}> does not exist.")

    def delete_configuration_set(self, configuration_set_name: str) -> None:
        self._config_set_or_v1_error(configuration_set_name)
        del self.config_sets[configuration_set_name]
        self.event_destinations.pop(configuration_set_name, None)

    def add_event_destination(self, config_set: str, destination: EventDestination) -> None:
        """Adds a checked destination; the caller has checked the set exists and the name is new."""
        destination.check_targets(self.account_id, self.region_name)
        self.event_destinations.setdefault(config_set, {})[destination.name] = destination

    def create_configuration_set_event_destination(
        self, configuration_set_name: str, event_destination: dict[str, Any]
    ) -> None:
        self._config_set_or_v1_error(configuration_set_name)
        destination = self._v1_destination(event_destination)
        if destination.name in self.event_destinations.get(configuration_set_name, {}):
            raise errors.EventDestinationAlreadyExists(
                f"Event destination {destination.name} already exists."
            )
        self._add_v1(configuration_set_name, destination)

    def update_configuration_set_event_destination(
        self, configuration_set_name: str, event_destination: dict[str, Any]
    ) -> None:
        self._config_set_or_v1_error(configuration_set_name)
        destination = self._v1_destination(event_destination)
        if destination.name not in self.event_destinations.get(configuration_set_name, {}):
            raise errors.EventDestinationDoesNotExist(
                f"No EventDestination found for {destination.name}"
            )
        self._add_v1(configuration_set_name, destination)

    def delete_configuration_set_event_destination(
        self, configuration_set_name: str, event_destination_name: str
    ) -> None:
        self._config_set_or_v1_error(configuration_set_name)
        found = self.event_destinations.get(configuration_set_name, {})
        if found.pop(event_destination_name, None) is None:
            raise errors.EventDestinationDoesNotExist(
                f"No EventDestination found for {event_destination_name}"
            )

    def _v1_destination(self, data: dict[str, Any]) -> EventDestination:
        try:
            return EventDestination.from_v1(data)
        except InvalidDestination as error:
            raise _V1_DESTINATION_ERRORS[error.kind](error.message) from None
        except ValueError as error:
            raise errors.InvalidParameterValue(str(error)) from None

    def _add_v1(self, config_set: str, destination: EventDestination) -> None:
        try:
            self.add_event_destination(config_set, destination)
        except InvalidDestination as error:
            raise _V1_DESTINATION_ERRORS[error.kind](error.message) from None

    # -- templates ------------------------------------------------------------------------

    def render_template(self, render_data: dict[str, Any]) -> str:
        """TestRenderTemplate with Handlebars; errors as SES v1 names them."""
        name = render_data.get("name") or ""
        template = self.templates.get(name)
        if not template:
            raise errors.TemplateDoesNotExist(f"Template {name} does not exist.")
        try:
            data = parse_data(render_data.get("data"))
            rendered = render(
                str(template.get("subject_part") or ""),
                str(template.get("text_part") or ""),
                str(template.get("html_part") or ""),
                data,
            )
        except (TemplateDataError, RenderingError) as error:
            raise errors.InvalidRenderingParameter(str(error)) from None
        except MissingAttribute as missing:
            raise errors.MissingRenderingAttribute(missing.message) from None
        return mime(rendered.subject, rendered.text, rendered.html, state().clock.now())


def merged_data(default: str | None, replacement: str | None) -> str:
    """A bulk destination's TemplateData: its replacement values over the defaults."""
    return json.dumps({**parse_data(default), **parse_data(replacement)})


def mime(subject: str, text: str, html: str, now: datetime) -> str:
    """A rendered template as the MIME text TestRenderTemplate returns."""
    message = MIMEMultipart("alternative")
    message["Date"] = format_datetime(now)
    message["Subject"] = subject
    for subtype, part in (("plain", text), ("html", html)):
        if part:
            body = MIMEBase("text", f"{subtype}; charset=UTF-8")
            body.set_payload(part.encode("utf-8"))
            encode_7or8bit(body)
            message.attach(body)
    return message.as_string()
