"""moto's SES v2 backend, completed: templated and bulk sends, account, templates, suppression.

Like moto's, it keeps its state in the SES v1 backend of the same account and Region (SES v1
and v2 share identities, templates, configuration sets and quotas), and it sends through the
rules in ``simlab.aws.services.ses.policy``.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

from moto.ses.models import RawMessage, TemplateMessage
from moto.ses.utils import get_random_message_id
from moto.sesv2.models import SESV2Backend

from simlab.aws.services.request_types import mime_text
from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses import list_management
from simlab.aws.services.ses.exceptions import Refusal
from simlab.aws.services.ses.models import (
    SimlabSESBackend,
    addresses,
    attachment,
    merged_data,
    mime,
    parse_raw,
    raw_attachments,
    tag_map,
)
from simlab.aws.services.ses.policy import Email, check_request
from simlab.aws.services.ses.publishing import EventDestination, InvalidDestination
from simlab.aws.services.ses.rendering import (
    MissingAttribute,
    RenderingError,
    TemplateDataError,
    TemplateSyntaxError,
    check_syntax,
    parse_data,
    render,
)
from simlab.aws.services.ses.suppression import REASONS, SuppressedDestination
from simlab.aws.services.sesv2.dedicated_ips import DedicatedIps
from simlab.aws.services.sesv2.jobs import Jobs
from simlab.aws.services.sesv2.tenants import ReputationEntity, Tenant
from simlab.aws.state import state
from simlab.engage.outbox import OutboxMessage
from simlab.facts import ses as facts
from simlab.primitives import paging

BULK_ENTRY_LIMIT = facts.MAX_RECIPIENTS_PER_MESSAGE.value


def _page(items: list[Any], token: str | None, size: int | None) -> tuple[list[Any], str | None]:
    """One page of ``items`` from an offset token; the next token, or None at the end.

    Raises BadRequestException for a token no list call returned.
    """
    try:
        return paging.page(items, token, int(size or 100))
    except paging.PageTokenError:
        raise errors.BadRequestException(f"NextToken {token!r} is not valid.") from None


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


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class SimlabSESV2Backend(SESV2Backend):
    """SES v2 as a learner meets it, sharing the SES v1 backend's state and rules."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.dedicated_ips = DedicatedIps()
        self.jobs = Jobs(self)
        self.tenants: dict[str, Tenant] = {}
        self.reputation: dict[str, ReputationEntity] = {}
        self.dashboard: dict[str, Any] = {}
        self.test_reports: dict[str, dict[str, Any]] = {}
        self.account_settings: dict[str, Any] = {}
        self.config_set_extras: dict[str, dict[str, Any]] = {}
        self.certificates: dict[str, dict[str, dict[str, Any]]] = {}

    @property
    def core(self) -> SimlabSESBackend:
        return self.core_backend  # type: ignore[return-value]

    # -- sending --------------------------------------------------------------------------

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
            record = TemplateMessage(
                message_id, email.source, email.template, email.template_data, destinations
            )
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
        email = replace(email, **keep)
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

    # -- account --------------------------------------------------------------------------

    def get_account(self) -> dict[str, Any]:
        account = self.core.account
        quota = self.core.get_send_quota()
        result: dict[str, Any] = {
            "DedicatedIpAutoWarmupEnabled": self.dedicated_ips.auto_warmup,
            "EnforcementStatus": "HEALTHY",
            "ProductionAccessEnabled": account.production_access,
            "SendQuota": quota,
            "SendingEnabled": account.sending_enabled,
            "SuppressionAttributes": {
                "SuppressedReasons": list(self.core.suppression.suppressed_reasons)
            },
        }
        if account.details:
            result["Details"] = account.details
        if "VdmAttributes" in self.account_settings:
            result["VdmAttributes"] = self.account_settings["VdmAttributes"]
        return result

    def put_account_details(self, params: dict[str, Any]) -> None:
        details = {
            key: params[key]
            for key in (
                "MailType",
                "WebsiteURL",
                "ContactLanguage",
                "UseCaseDescription",
                "AdditionalContactEmailAddresses",
            )
            if params.get(key) is not None
        }
        for key in ("MailType", "WebsiteURL"):
            if not details.get(key):
                raise errors.BadRequestException(f"{key} is required.")
        if details["MailType"] not in ("MARKETING", "TRANSACTIONAL"):
            raise errors.BadRequestException("MailType must be MARKETING or TRANSACTIONAL.")
        enabled = params.get("ProductionAccessEnabled")
        if enabled is not None:
            self.core.set_production_access(bool(enabled))
            status = "GRANTED" if enabled else "DENIED"
            details["ReviewDetails"] = {"Status": status, "CaseId": "simlab-local-review"}
        self.core.account.details = details

    # -- templates ------------------------------------------------------------------------

    def _template(self, name: str) -> dict[str, Any]:
        template = self.core.templates.get(name)
        if not template:
            raise errors.NotFoundException(f"Email template <{name}> does not exist.")
        return template

    @staticmethod
    def _stored(name: str, content: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
        parts = (content.get("Subject") or "", content.get("Text") or "", content.get("Html") or "")
        try:
            check_syntax(*parts)
        except TemplateSyntaxError as error:
            raise errors.BadRequestException(f"TemplateContent is not valid: {error}") from None
        return {
            "template_name": name,
            "subject_part": parts[0],
            "text_part": parts[1],
            "html_part": parts[2],
            "Timestamp": state().clock.now(),
            "tags": tags,
        }

    def create_email_template(
        self, name: str, content: dict[str, Any], tags: list[dict[str, str]]
    ) -> None:
        if name in self.core.templates:
            raise errors.AlreadyExistsException(f"Email template <{name}> already exists.")
        self.core.templates[name] = self._stored(name, content, tags)

    def update_email_template(self, name: str, content: dict[str, Any]) -> None:
        old = self._template(name)
        self.core.templates[name] = {
            **self._stored(name, content, old.get("tags", [])),
            "Timestamp": old["Timestamp"],
        }

    def get_email_template(self, name: str) -> dict[str, Any]:
        template = self._template(name)
        content = {
            "Subject": template.get("subject_part") or "",
            "Text": template.get("text_part") or "",
            "Html": template.get("html_part") or "",
        }
        return {
            "TemplateName": name,
            "TemplateContent": {k: v for k, v in content.items() if v},
            "Tags": template.get("tags", []),
        }

    def delete_email_template(self, name: str) -> None:
        self._template(name)
        del self.core.templates[name]

    def list_email_templates(
        self, token: str | None, size: int | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        items = [
            {"TemplateName": name, "CreatedTimestamp": t["Timestamp"]}
            for name, t in sorted(self.core.templates.items())
        ]
        return _page(items, token, size)

    def test_render_email_template(self, name: str, data: str) -> str:
        template = self._template(name)
        try:
            rendered = render(
                str(template.get("subject_part") or ""),
                str(template.get("text_part") or ""),
                str(template.get("html_part") or ""),
                parse_data(data),
            )
        except (TemplateDataError, MissingAttribute, RenderingError) as error:
            raise errors.BadRequestException(str(error)) from None
        return mime(rendered.subject, rendered.text, rendered.html, state().clock.now())

    # -- suppression list -----------------------------------------------------------------

    def put_suppressed_destination(self, address: str, reason: str) -> None:
        if reason not in REASONS:
            raise errors.BadRequestException(f"Reason must be one of {', '.join(REASONS)}.")
        if "@" not in address:
            raise errors.BadRequestException(f"EmailAddress {address!r} is not an email address.")
        entry = SuppressedDestination(address, reason, state().clock.now())
        self.core.suppression.put(entry)

    def get_suppressed_destination(self, address: str) -> dict[str, Any]:
        entry = self.core.suppression.get(address)
        if entry is None:
            raise errors.NotFoundException(
                f"Email address {address} does not exist on your suppression list."
            )
        return entry.full()

    def delete_suppressed_destination(self, address: str) -> None:
        if not self.core.suppression.delete(address):
            raise errors.NotFoundException(
                f"Email address {address} does not exist on your suppression list."
            )

    def list_suppressed_destinations(
        self,
        reasons: list[str] | None,
        start: datetime | None,
        end: datetime | None,
        token: str | None,
        size: int | None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        entries = self.core.suppression.entries(reasons, _aware(start), _aware(end))
        return _page([entry.summary() for entry in entries], token, size)

    def put_account_suppression_attributes(self, reasons: list[str]) -> None:
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            raise errors.BadRequestException(
                f"SuppressedReasons has {unknown}; allowed: {', '.join(REASONS)}"
            )
        self.core.suppression.suppressed_reasons = list(dict.fromkeys(reasons))

    def put_configuration_set_suppression_options(self, name: str, reasons: list[str]) -> None:
        config_set = self._config_set(name)
        unknown = [r for r in reasons if r not in REASONS]
        if unknown:
            raise errors.BadRequestException(
                f"SuppressedReasons has {unknown}; allowed: {', '.join(REASONS)}"
            )
        config_set.suppression_options = {"SuppressedReasons": list(reasons)}

    # -- configuration sets and event destinations ---------------------------------------

    def _config_set(self, name: str) -> Any:
        config_set = self.core.config_sets.get(name)
        if config_set is None:
            raise errors.NotFoundException(f"Configuration set <{name}> does not exist.")
        return config_set

    def _destination(self, name: str, definition: dict[str, Any]) -> EventDestination:
        try:
            destination = EventDestination.from_v2(name, definition)
            destination.check_targets(self.account_id, self.region_name)
        except (InvalidDestination, ValueError) as error:
            raise errors.BadRequestException(str(error)) from None
        return destination

    def create_configuration_set_event_destination_v2(
        self, config_set: str, name: str, definition: dict[str, Any]
    ) -> None:
        self._config_set(config_set)
        if name in self.core.event_destinations.get(config_set, {}):
            raise errors.AlreadyExistsException(f"Event destination <{name}> already exists.")
        destination = self._destination(name, definition)
        self.core.event_destinations.setdefault(config_set, {})[name] = destination

    def update_configuration_set_event_destination_v2(
        self, config_set: str, name: str, definition: dict[str, Any]
    ) -> None:
        self._config_set(config_set)
        if name not in self.core.event_destinations.get(config_set, {}):
            raise errors.NotFoundException(f"Event destination <{name}> does not exist.")
        self.core.event_destinations[config_set][name] = self._destination(name, definition)

    def delete_configuration_set_event_destination_v2(self, config_set: str, name: str) -> None:
        self._config_set(config_set)
        if self.core.event_destinations.get(config_set, {}).pop(name, None) is None:
            raise errors.NotFoundException(f"Event destination <{name}> does not exist.")

    def get_configuration_set_event_destinations(self, config_set: str) -> list[dict[str, Any]]:
        self._config_set(config_set)
        return [d.to_v2() for d in self.core.event_destinations.get(config_set, {}).values()]

    def delete_configuration_set(self, configuration_set_name: str) -> None:
        self._config_set(configuration_set_name)
        self.core.delete_configuration_set(configuration_set_name)

    def put_email_identity_configuration_set_attributes(
        self, identity: str, config_set: str | None
    ) -> None:
        found = self.core.email_identities.get(identity)
        if found is None:
            raise errors.NotFoundException(f"Email identity <{identity}> does not exist.")
        if config_set:
            self._config_set(config_set)
        found.configuration_set_name = config_set or None
