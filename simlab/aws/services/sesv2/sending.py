"""SES v2 sends: SendEmail (Simple, Raw or Template content, list management) and SendBulkEmail,
through the rules in ``simlab.aws.services.ses.policy``."""

from __future__ import annotations

import base64
from dataclasses import replace
from email.utils import parseaddr
from typing import Any

from moto.ses.models import RawMessage, TemplateMessage
from moto.ses.utils import get_random_message_id

from simlab.aws.services.request_types import mime_text
from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses import list_management
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.models import (
    addresses,
    attachment,
    merged_data,
    parse_raw,
    raw_attachments,
    tag_map,
)
from simlab.aws.services.ses.policy import Email, check_request
from simlab.aws.services.sesv2.shared import V1State
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage
from simlab.facts import ses as facts

BULK_ENTRY_LIMIT = facts.MAX_RECIPIENTS_PER_MESSAGE.value


def _attachment(item: dict[str, Any]) -> dict[str, Any]:
    data = item.get("RawContent") or b""
    if isinstance(data, str):
        data = data.encode()
    return attachment(
        str(item.get("FileName") or ""),
        str(item.get("ContentType") or "application/octet-stream"),
        data,
        str(item.get("ContentDisposition") or "ATTACHMENT").lower(),
    )


class Sending(V1State):
    """SendEmail and SendBulkEmail of the SES v2 backend."""

    def _submit(self, email: Email) -> str:
        try:
            return self.core.submit(email)
        except Refusal as refusal:
            raise errors.v2_error(refusal) from None

    def _template_fields(self, template: dict[str, Any]) -> dict[str, Any]:
        """Email fields of a ``Template`` content: stored (name or ARN) or inline."""
        name = template.get("TemplateName") or ""
        arn = template.get("TemplateArn") or ""
        if not name and arn:
            name = arn.rpartition("template/")[2]
        inline = template.get("TemplateContent")
        if not name and not inline:
            raise errors.BadRequestException(
                "Template needs one of TemplateName, TemplateArn or TemplateContent."
            )
        content = None
        if inline:
            content = {
                "subject_part": inline.get("Subject") or "",
                "text_part": inline.get("Text") or "",
                "html_part": inline.get("Html") or "",
            }
        return {
            "template": name,
            "template_content": content,
            "template_data": template.get("TemplateData") or "{}",
        }

    def send_email_v2(self, params: dict[str, Any]) -> str:
        """SendEmail with Simple, Raw or Template content, and list management if asked.

        moto's ``sent_messages`` records a raw send as a ``RawMessage`` and a templated one as
        a ``TemplateMessage``, as moto's own SES does.
        """
        content = params.get("Content") or {}
        given = [key for key in ("Simple", "Raw", "Template") if content.get(key)]
        if len(given) != 1:
            raise errors.BadRequestException(
                "Content must have exactly one of Simple, Raw or Template."
            )
        to, cc, bcc = addresses(params.get("Destination"))
        email = Email(
            params.get("FromEmailAddress") or "",
            to,
            cc,
            bcc,
            configuration_set=params.get("ConfigurationSetName"),
            tags=tag_map(params.get("EmailTags")),
        )
        if "Simple" in given:
            simple = content["Simple"]
            body = simple.get("Body") or {}
            email.subject = (simple.get("Subject") or {}).get("Data", "")
            email.text = (body.get("Text") or {}).get("Data", "")
            email.html = (body.get("Html") or {}).get("Data", "")
            email.attachments = [_attachment(a) for a in simple.get("Attachments") or []]
        elif "Raw" in given:
            data = content["Raw"].get("Data") or b""
            raw = mime_text(data) if isinstance(data, bytes) else str(data)
            if raw and "\n" not in raw and ":" not in raw:
                try:
                    raw = mime_text(base64.b64decode(raw, validate=True))
                except ValueError:
                    raise errors.BadRequestException(
                        "Content.Raw.Data is neither a MIME message nor base64 of one."
                    ) from None
            sender, recipients, email.subject, email.text, email.html = parse_raw(raw)
            email.raw = raw
            email.attachments = raw_attachments(raw)
            email.source = email.source or sender
            if not email.recipients:
                email.to = recipients
        else:
            fields = self._template_fields(content["Template"])
            email = replace(email, operation="SendEmail", **fields)
        if not parseaddr(email.source)[1]:
            raise errors.BadRequestException("FromEmailAddress is required.")
        options = params.get("ListManagementOptions")
        if options:
            email = self._list_managed(email, options)
            if not email.recipients:
                return self._all_unsubscribed()
        message_id = self._submit(email)
        destinations = {"ToAddresses": email.to, "CcAddresses": email.cc, "BccAddresses": email.bcc}
        if "Raw" in given:
            record: Any = RawMessage(message_id, email.source, email.recipients, email.raw)
            self.core._replace_record(message_id, record)
        elif "Template" in given and email.template:
            data = email.template_data or "{}"
            record = TemplateMessage(message_id, email.source, email.template, data, destinations)
            self.core._replace_record(message_id, record)
        return message_id

    def _list_managed(self, email: Email, options: dict[str, Any]) -> Email:
        """Drops unsubscribed recipients (outbox: OPTED_OUT) and fills the unsubscribe link."""
        name, topic = list_management.check(self.core, options)
        keep: dict[str, list[str]] = {"to": [], "cc": [], "bcc": []}
        for kind in keep:
            for address in getattr(email, kind):
                bare = parseaddr(address)[1]
                if list_management.subscribed(self.core, name, topic, bare):
                    keep[kind].append(address)
                else:
                    self._record_unsubscribed(email, bare, name, topic)
        email = replace(email, to=keep["to"], cc=keep["cc"], bcc=keep["bcc"])
        if not email.recipients:
            return email
        url = list_management.unsubscribe_url(
            self.region_name, name, topic, parseaddr(email.recipients[0])[1]
        )
        email.subject = list_management.fill(email.subject, url)
        email.text = list_management.fill(email.text, url)
        email.html = list_management.fill(email.html, url)
        if email.template is not None:
            email.template_data = list_management.with_url(email.template_data, url)
        return email

    def _record_unsubscribed(self, email: Email, address: str, name: str, topic: str) -> None:
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="ses",
                origin=email.source,
                destination=address,
                body=email.text or email.html,
                message_id="",
                sent_at=state().clock.now(),
                status="OPTED_OUT",
                subject=email.subject,
                detail={"operation": "SendEmail", "contact_list": name, "topic": topic},
            )
        )

    @staticmethod
    def _all_unsubscribed() -> str:
        """Every recipient unsubscribed: SES accepts the call and sends nothing."""
        return get_random_message_id()

    def send_bulk_email(self, params: dict[str, Any]) -> list[dict[str, str]]:
        """SendBulkEmail: one BulkEmailEntryResult per entry, as SES reports them."""
        default = (params.get("DefaultContent") or {}).get("Template")
        if not default:
            raise errors.BadRequestException("DefaultContent.Template is required.")
        entries = params.get("BulkEmailEntries") or []
        if not entries or len(entries) > BULK_ENTRY_LIMIT:
            raise errors.BadRequestException(
                f"BulkEmailEntries must have between 1 and {BULK_ENTRY_LIMIT} entries."
            )
        fields = self._template_fields(default)
        base = Email(
            params.get("FromEmailAddress") or "",
            configuration_set=params.get("ConfigurationSetName"),
            tags=tag_map(params.get("DefaultEmailTags")),
            operation="SendBulkEmail",
            **fields,
        )
        try:
            check_request(self.core, base)
        except Refusal as refusal:
            raise errors.v2_error(refusal) from None
        results = []
        for entry in entries:
            to, cc, bcc = addresses(entry.get("Destination"))
            replacement = (entry.get("ReplacementEmailContent") or {}).get("ReplacementTemplate")
            data = (replacement or {}).get("ReplacementTemplateData")
            email = replace(
                base,
                to=to,
                cc=cc,
                bcc=bcc,
                tags={**base.tags, **tag_map(entry.get("ReplacementTags"))},
                template_data=merged_data(base.template_data, data),
            )
            try:
                results.append({"Status": "SUCCESS", "MessageId": self.core.submit(email)})
            except Refusal as refusal:
                results.append({"Status": errors.v2_bulk_status(refusal), "Error": refusal.message})
        return results
