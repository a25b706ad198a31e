"""Delivers one inbound email through the account's receipt filters and active rule set.

``receive`` is what ``aws.mail.receive(...)`` and ``POST /simlab/mail/inbound`` call. The
records follow the SES Developer Guide: the notification an SNS, S3 or Bounce action publishes
(https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html) and
the event a Lambda action passes (``Records[0].eventSource == "aws:ses"``,
https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda-event.html). A
``RequestResponse`` function may answer ``{"disposition": "STOP_RULE" | "STOP_RULE_SET"}``.
"""

from __future__ import annotations

import base64
import email as email_parser
import json
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import TYPE_CHECKING, Any

from moto.backends import get_backend
from moto.ses.utils import get_random_message_id

from simlab.aws.delivery import DeliveryError, deliver
from simlab.aws.services.sns.functions import LambdaContext
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

if TYPE_CHECKING:
    from simlab.aws.services.ses.models import SimlabSESBackend

#: An address in TEST-NET-3 (RFC 5737) stands for the sending mail server by default.
DEFAULT_SOURCE_IP = "203.0.113.25"
_VERDICT = {"status": "PASS"}


@dataclass
class InboundEmail:
    """What SES did with one inbound message: who it accepted, and each action it ran."""

    message_id: str
    source: str
    recipients: list[str]
    rejected: dict[str, str] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    received_at: datetime | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "source": self.source,
            "recipients": list(self.recipients),
            "rejected": dict(self.rejected),
            "actions": [dict(a) for a in self.actions],
        }


def compose(sender: str, to: list[str], subject: str, text: str) -> str:
    """A plain MIME message from its parts."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = state().clock.now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(text)
    return message.as_string()


def _matches(rule: dict[str, Any], recipient: str) -> bool:
    wanted = [r.lower() for r in rule.get("Recipients") or []]
    if not wanted:
        return True
    domain = recipient.rpartition("@")[2]
    return any(
        w in (recipient, domain) or (w.startswith(".") and domain.endswith(w)) for w in wanted
    )


def _accepts(backend: SimlabSESBackend, recipient: str) -> bool:
    """SES receives only for verified addresses and domains (and their subdomains)."""
    domain = recipient.rpartition("@")[2]
    parts = domain.split(".")
    names = [recipient, *(".".join(parts[i:]) for i in range(len(parts) - 1))]
    return any(
        n in backend.email_identities
        and backend.email_identities[n].verification_status == "SUCCESS"
        for n in names
    )


class Receiver:
    """Runs one message through filters and rules for one SES backend."""

    def __init__(self, backend: SimlabSESBackend) -> None:
        self.backend = backend

    def receive(
        self,
        raw: str,
        recipients: list[str] | None = None,
        source_ip: str = DEFAULT_SOURCE_IP,
    ) -> InboundEmail:
        """Receives ``raw`` (MIME text) for ``recipients`` (default: its To and Cc).

        Raises ValueError for a message without a sender or recipients, or a bad IP.
        """
        parsed = email_parser.message_from_string(raw)
        source = parseaddr(str(parsed["From"] or ""))[1]
        if not source:
            raise ValueError("the message has no From address")
        found = [a for _, a in getaddresses([str(parsed[h]) for h in ("To", "Cc") if parsed[h]])]
        wanted = [a.lower() for a in (recipients or found) if a]
        if not wanted:
            raise ValueError("the message has no recipients")
        now = state().clock.now()
        result = InboundEmail(get_random_message_id(), source, [], received_at=now)
        allowed, decided_by = self.backend.ip_allowed(source_ip)
        if not allowed:
            result.rejected = {r: f"blocked by IP filter {decided_by}" for r in wanted}
            self._record(result)
            return result
        rule_set = self.backend.describe_active_receipt_rule_set()
        for recipient in wanted:
            if not _accepts(self.backend, recipient):
                result.rejected[recipient] = "not a verified identity of this account"
            elif rule_set is None:
                result.rejected[recipient] = "no active receipt rule set"
            elif not any(r.get("Enabled") and _matches(r, recipient) for r in rule_set.rules):
                result.rejected[recipient] = "no receipt rule matches"
            else:
                result.recipients.append(recipient)
        if result.recipients and rule_set is not None:
            self._run_rules(rule_set.rules, parsed, raw, result)
        self._record(result)
        return result

    def _record(self, result: InboundEmail) -> None:
        self.backend.inbound.append(result)

    # -- the rules -----------------------------------------------------------------------

    def _run_rules(
        self, rules: list[dict[str, Any]], parsed: Any, raw: str, result: InboundEmail
    ) -> None:
        headers: list[tuple[str, str]] = []
        for rule in rules:
            targets = [r for r in result.recipients if _matches(rule, r)]
            if not rule.get("Enabled") or not targets:
                continue
            stop = ""
            for action in rule.get("Actions") or []:
                kind, settings = next(iter(action.items()))
                mail = self._mail(parsed, result, headers)
                receipt = self._receipt(rule, targets, kind, settings)
                stop = self._act(kind, settings, mail, receipt, raw, headers, result, rule)
                if stop:
                    break
            if stop == "STOP_RULE_SET":
                return

    def _act(
        self,
        kind: str,
        settings: dict[str, Any],
        mail: dict[str, Any],
        receipt: dict[str, Any],
        raw: str,
        headers: list[tuple[str, str]],
        result: InboundEmail,
        rule: dict[str, Any],
    ) -> str:
        """Runs one action; returns "", "STOP_RULE" or "STOP_RULE_SET"."""
        name = kind.removesuffix("Action")
        done: dict[str, Any] = {"rule": rule["Name"], "type": name}
        topic = settings.get("TopicArn")
        content = _with_headers(raw, headers)
        stop = ""
        if kind == "S3Action":
            key = f"{settings.get('ObjectKeyPrefix') or ''}{result.message_id}"
            s3 = get_backend("s3")[self.backend.account_id]["aws"]
            s3.put_object(settings["BucketName"], key, content.encode())
            done.update(bucket=settings["BucketName"], key=key)
        elif kind == "SNSAction":
            encoding = settings.get("Encoding") or "UTF-8"
            body = content if encoding == "UTF-8" else base64.b64encode(content.encode()).decode()
            self._notify(settings["TopicArn"], mail, receipt, body, done)
            topic = None
        elif kind == "LambdaAction":
            stop = self._invoke(settings, mail, receipt, done)
        elif kind == "BounceAction":
            self._bounce(settings, result, done)
        elif kind == "StopAction":
            stop = "STOP_RULE_SET"
        elif kind == "AddHeaderAction":
            headers.append((settings["HeaderName"], settings["HeaderValue"]))
        else:  # WorkmailAction, ConnectAction: only their notification is emulated
            done["emulated"] = "notification only"
        if topic:
            self._notify(topic, mail, receipt, None, done)
        result.actions.append(done)
        return stop

    def _notify(
        self,
        topic: str,
        mail: dict[str, Any],
        receipt: dict[str, Any],
        content: str | None,
        done: dict[str, Any],
    ) -> None:
        record: dict[str, Any] = {"notificationType": "Received", "mail": mail, "receipt": receipt}
        if content is not None:
            record["content"] = content
        try:
            deliver(topic, json.dumps(record))
            done["topic"] = topic
        except DeliveryError as error:
            done["error"] = str(error)
            self.backend.publish_failures.append(f"receipt rule {done['rule']}: {error}")

    def _invoke(
        self, settings: dict[str, Any], mail: dict[str, Any], receipt: dict[str, Any], done: Any
    ) -> str:
        arn = settings["FunctionArn"]
        done["function"] = arn
        event = {
            "Records": [
                {
                    "eventSource": "aws:ses",
                    "eventVersion": "1.0",
                    "ses": {"mail": mail, "receipt": receipt},
                }
            ]
        }
        functions = state().functions
        if arn not in functions:
            done["error"] = f"no Python function registered for {arn}"
            return ""
        name = arn.rsplit(":function:", 1)[-1].split(":")[0]
        context = LambdaContext(name, arn, result_id := get_random_message_id())
        done["request_id"] = result_id
        try:
            answer = functions.resolve(arn)(event, context)
        except Exception as error:  # the learner's function failed, as a Lambda error would
            done["error"] = f"{type(error).__name__}: {error}"
            return ""
        if settings.get("InvocationType") != "RequestResponse" or not isinstance(answer, dict):
            return ""
        disposition = str(answer.get("disposition") or "CONTINUE").upper()
        done["disposition"] = disposition
        return disposition if disposition in ("STOP_RULE", "STOP_RULE_SET") else ""

    def _bounce(self, settings: dict[str, Any], result: InboundEmail, done: dict[str, Any]) -> None:
        now = state().clock.now()
        state().outbox.add(
            OutboxMessage(
                channel="EMAIL",
                service="ses",
                origin=settings["Sender"],
                destination=result.source,
                body=settings.get("Message") or "",
                message_id=get_random_message_id(),
                sent_at=now,
                status="DELIVERED",
                subject="Delivery Status Notification (Failure)",
                detail={
                    "operation": "BounceAction",
                    "original_message_id": result.message_id,
                    "smtp_reply_code": settings.get("SmtpReplyCode"),
                    "status_code": settings.get("StatusCode"),
                },
            )
        )
        done["bounced_to"] = result.source

    # -- record shapes -------------------------------------------------------------------

    def _mail(
        self, parsed: Any, result: InboundEmail, headers: list[tuple[str, str]]
    ) -> dict[str, Any]:
        at = (result.received_at or state().clock.now()).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        pairs = [*parsed.items(), *headers]
        return {
            "timestamp": at,
            "source": result.source,
            "messageId": result.message_id,
            "destination": list(result.recipients),
            "headersTruncated": False,
            "headers": [{"name": k, "value": str(v)} for k, v in pairs],
            "commonHeaders": {
                "from": [str(parsed["From"] or "")],
                "to": [str(parsed["To"] or "")],
                "subject": str(parsed["Subject"] or ""),
                "messageId": result.message_id,
            },
        }

    def _receipt(
        self, rule: dict[str, Any], targets: list[str], kind: str, settings: dict[str, Any]
    ) -> dict[str, Any]:
        action = {"type": kind.removesuffix("Action"), **settings}
        if kind == "SNSAction":
            action.setdefault("encoding", settings.get("Encoding") or "UTF-8")
        scanned = bool(rule.get("ScanEnabled"))
        return {
            "timestamp": state().clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "processingTimeMillis": 0,
            "recipients": list(targets),
            "spamVerdict": _VERDICT if scanned else {"status": "DISABLED"},
            "virusVerdict": _VERDICT if scanned else {"status": "DISABLED"},
            "spfVerdict": _VERDICT,
            "dkimVerdict": _VERDICT,
            "dmarcVerdict": _VERDICT,
            "action": action,
        }


def _with_headers(raw: str, headers: list[tuple[str, str]]) -> str:
    if not headers:
        return raw
    added = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return added + raw
