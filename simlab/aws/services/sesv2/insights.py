"""What SES v2 reports about single messages and addresses: VDM metrics, message and address
insights, and recommendations.

Every figure is computed from the outbox (what the account actually sent and what became of
each message), so counts add up with what a learner sees there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from moto.core.responses import ActionResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.outcomes import is_simulator
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.services.sesv2.sent_mail import aware, domain_of, sent_emails
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

ROLE_PREFIXES = ("admin", "info", "support", "sales", "postmaster", "abuse", "noreply", "no-reply")
DISPOSABLE_DOMAINS = ("mailinator.com", "10minutemail.com", "guerrillamail.com")
_EVENT_OF = {
    "REJECTED": "REJECT",
    "BOUNCED": "BOUNCE",
    "SUPPRESSED": "BOUNCE",
    "COMPLAINED": "COMPLAINT",
    "DELIVERED": "DELIVERY",
    "RENDERING_FAILED": "RENDERING_FAILURE",
}
_METRIC_OF: dict[str, Callable[[OutboxMessage], bool]] = {
    "SEND": lambda m: m.status not in ("REJECTED", "THROTTLED", "RENDERING_FAILED"),
    "COMPLAINT": lambda m: m.status == "COMPLAINED",
    "PERMANENT_BOUNCE": lambda m: m.status in ("BOUNCED", "SUPPRESSED"),
    "TRANSIENT_BOUNCE": lambda m: m.status == "DELAYED",
    "OPEN": lambda m: bool(m.detail.get("opened")),
    "CLICK": lambda m: bool(m.detail.get("clicked")),
}


class InsightHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``."""

    # -- VDM metrics and insights --------------------------------------------------------

    def batch_get_metric_data(self) -> ActionResult:
        results, failures = [], []
        for query in self._params().get("Queries") or []:
            test = _METRIC_OF.get(query.get("Metric"))
            if test is None:
                failures.append(
                    {"Id": query.get("Id"), "Code": "INTERNAL_FAILURE", "Message": "unknown metric"}
                )
                continue
            wanted = {k: v for k, v in (query.get("Dimensions") or {}).items()}
            days: dict[datetime, int] = {}
            start = aware(query["StartDate"]).replace(hour=0, minute=0, second=0, microsecond=0)
            day = start
            while day <= aware(query["EndDate"]):
                days[day] = 0
                day += timedelta(days=1)
            for message in sent_emails(query["StartDate"], query["EndDate"]):
                if wanted.get("EMAIL_IDENTITY") and wanted["EMAIL_IDENTITY"] not in (
                    message.origin,
                    domain_of(message.origin),
                ):
                    continue
                if test(message):
                    key = message.sent_at.replace(hour=0, minute=0, second=0, microsecond=0)
                    days[key] = days.get(key, 0) + 1
            ordered = sorted(days.items())
            results.append(
                {
                    "Id": query["Id"],
                    "Timestamps": [d for d, _ in ordered],
                    "Values": [v for _, v in ordered],
                }
            )
        return ActionResult({"Results": results, "Errors": failures})

    def get_message_insights(self) -> ActionResult:
        message_id = self._params()["MessageId"]
        found = [m for m in sent_emails() if m.detail.get("ses_message_id") == message_id]
        if not found:
            raise errors.NotFoundException(f"Message {message_id} was not sent by this account.")
        insights = []
        for message in found:
            events = [{"Timestamp": message.sent_at, "Type": "SEND"}]
            kind = _EVENT_OF.get(message.status)
            if kind:
                events.append({"Timestamp": message.sent_at, "Type": kind})
            insights.append(
                {"Destination": message.destination, "Isp": "UNKNOWN", "Events": events}
            )
        return ActionResult(
            {
                "MessageId": message_id,
                "FromEmailAddress": found[0].origin,
                "Subject": found[0].subject,
                "EmailTags": [],
                "Insights": insights,
            }
        )

    def get_email_address_insights(self) -> ActionResult:
        address = self._params()["EmailAddress"]
        local, _, domain = address.rpartition("@")
        syntax = bool(local) and "." in domain
        simulator = is_simulator(address)
        bounced = simulator and address.startswith("bounce")
        suppressed = self.backend.core.suppression.get(address) is not None
        exists = syntax and not bounced and not suppressed
        role = local.lower() in ROLE_PREFIXES
        disposable = domain.lower() in DISPOSABLE_DOMAINS

        def verdict(ok: bool) -> dict[str, str]:
            return {"ConfidenceVerdict": "HIGH" if ok else "LOW"}

        evaluations = {
            "HasValidSyntax": verdict(syntax),
            "HasValidDnsRecords": verdict(syntax),
            "MailboxExists": verdict(exists),
            "IsRoleAddress": verdict(role),
            "IsDisposable": verdict(disposable),
            "IsRandomInput": verdict(False),
        }
        valid = syntax and exists and not disposable
        confidence = "HIGH" if valid and not role else "MEDIUM" if valid else "LOW"
        return ActionResult(
            {
                "MailboxValidation": {
                    "IsValid": {"ConfidenceVerdict": confidence},
                    "Evaluations": evaluations,
                }
            }
        )

    def list_recommendations(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        now = state().clock.now()
        core = self.backend.core
        items = []
        for name, identity in sorted(core.email_identities.items()):
            if identity.identity_type != "DOMAIN":
                continue
            arn = f"arn:aws:ses:{core.region_name}:{core.account_id}:identity/{name}"
            signing = identity.dkim_attributes.get("SigningEnabled", True)
            items.append(
                {
                    "ResourceArn": arn,
                    "Type": "DKIM",
                    "Description": f"DKIM signing is {'on' if signing else 'off'} for {name}.",
                    "Status": "FIXED" if signing else "OPEN",
                    "CreatedTimestamp": now,
                    "LastUpdatedTimestamp": now,
                    "Impact": "HIGH",
                }
            )
            messages = [m for m in sent_emails() if domain_of(m.origin) == name]
            if messages:
                bounces = sum(m.status in ("BOUNCED",) for m in messages) / len(messages)
                items.append(
                    {
                        "ResourceArn": arn,
                        "Type": "BOUNCE",
                        "Description": f"{bounces:.1%} of messages from {name} bounced.",
                        "Status": "OPEN" if bounces > 0.05 else "FIXED",
                        "CreatedTimestamp": now,
                        "LastUpdatedTimestamp": now,
                        "Impact": "HIGH" if bounces > 0.1 else "LOW",
                    }
                )
        wanted = params.get("Filter") or {}
        for key, field in (("TYPE", "Type"), ("STATUS", "Status"), ("IMPACT", "Impact")):
            if wanted.get(key):
                items = [i for i in items if i[field] == wanted[key]]
        page, token = _page(items, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"Recommendations": page, "NextToken": token})
