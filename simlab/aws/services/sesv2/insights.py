"""What SES v2 reports about your sending: the deliverability dashboard, test reports,
campaign and domain statistics, VDM metrics, message and address insights, recommendations.

Every figure is computed from the outbox (what the account actually sent and what became of
each message), so counts add up with what a learner sees there; inbox placement of a test
report is drawn from the seeded random stream ``sesv2.placement``. The local AWS models no
public blocklists, so GetBlacklistReports finds no listings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.outcomes import is_simulator
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage


def _aware(moment: Any) -> Any:
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


TEST_REPORT_SECONDS = 600.0
ISPS = ("Gmail", "Outlook", "Yahoo", "AOL")
ROLE_PREFIXES = ("admin", "info", "support", "sales", "postmaster", "abuse", "noreply", "no-reply")
DISPOSABLE_DOMAINS = ("mailinator.com", "10minutemail.com", "guerrillamail.com")
_INBOX = ("DELIVERED",)
_SPAM = ("COMPLAINED",)
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


def _sent(start: datetime | None = None, end: datetime | None = None) -> list[OutboxMessage]:
    start, end = _aware(start), _aware(end)
    return [
        m
        for m in state().outbox.filter(channel="EMAIL", service="ses")
        if m.message_id
        and (start is None or m.sent_at >= start)
        and (end is None or m.sent_at <= end)
    ]


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _volume(messages: Iterable[OutboxMessage]) -> dict[str, int]:
    messages = list(messages)
    inbox = sum(m.status in _INBOX for m in messages)
    spam = sum(m.status in _SPAM for m in messages)
    return {
        "InboxRawCount": inbox,
        "SpamRawCount": spam,
        "ProjectedInbox": inbox,
        "ProjectedSpam": spam,
    }


def _campaign_id(origin: str, subject: str) -> str:
    return hashlib.sha256(f"{origin}\x1f{subject}".encode()).hexdigest()[:20]


class InsightHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``."""

    # -- deliverability dashboard --------------------------------------------------------

    def get_deliverability_dashboard_options(self) -> ActionResult:
        dashboard = self.backend.dashboard
        enabled = bool(dashboard.get("enabled"))
        return ActionResult(
            {
                "DashboardEnabled": enabled,
                "AccountStatus": "ACTIVE" if enabled else "DISABLED",
                "ActiveSubscribedDomains": dashboard.get("domains", []) if enabled else [],
                "PendingExpirationSubscribedDomains": [],
            }
        )

    def put_deliverability_dashboard_option(self) -> EmptyResult:
        params = self._params()
        domains = []
        for item in params.get("SubscribedDomains") or []:
            domain = str(item.get("Domain") or "").lower()
            if domain not in self.backend.core.email_identities:
                raise errors.BadRequestException(
                    f"SubscribedDomains has {domain!r}, not a verified domain of this account."
                )
            domains.append({**item, "SubscriptionStartDate": state().clock.now()})
        self.backend.dashboard = {"enabled": bool(params["DashboardEnabled"]), "domains": domains}
        return EmptyResult()

    def _dashboard_on(self) -> None:
        if not self.backend.dashboard.get("enabled"):
            raise errors.BadRequestException(
                "The Deliverability dashboard is not enabled; call "
                "PutDeliverabilityDashboardOption."
            )

    # -- inbox placement tests -----------------------------------------------------------

    def create_deliverability_test_report(self) -> ActionResult:
        self._dashboard_on()
        params = self._params()
        sender = params["FromEmailAddress"]
        if not self.backend.core.email_identities.get(_domain(sender)) and (
            sender not in self.backend.core.email_identities
        ):
            raise errors.BadRequestException(f"FromEmailAddress {sender} is not verified.")
        simple = (params.get("Content") or {}).get("Simple") or {}
        report_id = state().rng("sesv2.test-reports").bytes(12).hex()
        rng = state().rng("sesv2.placement")
        placements = []
        for isp in ISPS:
            inbox = float(round(rng.uniform(70, 100), 1))
            spam = float(round(min(100 - inbox, rng.uniform(0, 100 - inbox)), 1))
            placements.append(
                {
                    "IspName": isp,
                    "PlacementStatistics": {
                        "InboxPercentage": inbox,
                        "SpamPercentage": spam,
                        "MissingPercentage": round(100 - inbox - spam, 1),
                        "SpfPercentage": 100.0,
                        "DkimPercentage": 100.0,
                    },
                }
            )
        report = {
            "ReportId": report_id,
            "ReportName": params.get("ReportName") or report_id,
            "Subject": (simple.get("Subject") or {}).get("Data", ""),
            "FromEmailAddress": sender,
            "CreateDate": state().clock.now(),
            "DeliverabilityTestStatus": "IN_PROGRESS",
        }
        self.backend.test_reports[report_id] = {
            "report": report,
            "placements": placements,
            "tags": list(params.get("Tags") or []),
        }
        state().clock.call_later(
            TEST_REPORT_SECONDS, lambda: report.update(DeliverabilityTestStatus="COMPLETED")
        )
        return ActionResult({"ReportId": report_id, "DeliverabilityTestStatus": "IN_PROGRESS"})

    def get_deliverability_test_report(self) -> ActionResult:
        report_id = self._params()["ReportId"]
        found = self.backend.test_reports.get(report_id)
        if found is None:
            raise errors.NotFoundException(
                f"Deliverability test report {report_id} does not exist."
            )
        done = found["report"]["DeliverabilityTestStatus"] == "COMPLETED"
        placements = found["placements"] if done else []
        overall = (
            {
                key: round(
                    sum(p["PlacementStatistics"][key] for p in placements) / len(placements), 1
                )
                for key in placements[0]["PlacementStatistics"]
            }
            if placements
            else {}
        )
        return ActionResult(
            {
                "DeliverabilityTestReport": found["report"],
                "OverallPlacement": overall,
                "IspPlacements": placements,
                "Tags": found["tags"],
            }
        )

    def list_deliverability_test_reports(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        reports = [r["report"] for r in self.backend.test_reports.values()]
        page, token = _page(reports, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"DeliverabilityTestReports": page, "NextToken": token})

    # -- campaigns and domain statistics -------------------------------------------------

    def _campaigns(
        self, domain: str, start: datetime | None, end: datetime | None
    ) -> list[dict[str, Any]]:
        groups: dict[str, list[OutboxMessage]] = {}
        for message in _sent(start, end):
            if _domain(message.origin) == domain:
                groups.setdefault(_campaign_id(message.origin, message.subject), []).append(message)
        campaigns = []
        for campaign_id, messages in groups.items():
            volume = _volume(messages)
            campaigns.append(
                {
                    "CampaignId": campaign_id,
                    "Subject": messages[0].subject,
                    "FromAddress": messages[0].origin,
                    "SendingIps": [],
                    "FirstSeenDateTime": messages[0].sent_at,
                    "LastSeenDateTime": messages[-1].sent_at,
                    "InboxCount": volume["InboxRawCount"],
                    "SpamCount": volume["SpamRawCount"],
                    "ProjectedVolume": len(messages),
                    "Esps": [],
                }
            )
        return campaigns

    def list_domain_deliverability_campaigns(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        self._dashboard_on()
        params = self._params()
        domain = params["SubscribedDomain"].lower()
        campaigns = self._campaigns(domain, params["StartDate"], params["EndDate"])
        page, token = _page(campaigns, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"DomainDeliverabilityCampaigns": page, "NextToken": token})

    def get_domain_deliverability_campaign(self) -> ActionResult:
        self._dashboard_on()
        campaign_id = self._params()["CampaignId"]
        domains = {_domain(m.origin) for m in _sent()}
        for domain in sorted(domains):
            for campaign in self._campaigns(domain, None, None):
                if campaign["CampaignId"] == campaign_id:
                    return ActionResult({"DomainDeliverabilityCampaign": campaign})
        raise errors.NotFoundException(f"Campaign {campaign_id} does not exist.")

    def get_domain_statistics_report(self) -> ActionResult:
        self._dashboard_on()
        params = self._params()
        domain = params["Domain"].lower()
        messages = [
            m for m in _sent(params["StartDate"], params["EndDate"]) if _domain(m.origin) == domain
        ]
        days: dict[datetime, list[OutboxMessage]] = {}
        for message in messages:
            day = message.sent_at.replace(hour=0, minute=0, second=0, microsecond=0)
            days.setdefault(day, []).append(message)
        return ActionResult(
            {
                "OverallVolume": {"VolumeStatistics": _volume(messages), "DomainIspPlacements": []},
                "DailyVolumes": [
                    {
                        "StartDate": day,
                        "VolumeStatistics": _volume(group),
                        "DomainIspPlacements": [],
                    }
                    for day, group in sorted(days.items())
                ],
            }
        )

    def get_blacklist_reports(self) -> ActionResult:
        names = self._params().get("BlacklistItemNames") or []
        return ActionResult({"BlacklistReport": {name: [] for name in names}})

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
            start = _aware(query["StartDate"]).replace(hour=0, minute=0, second=0, microsecond=0)
            day = start
            while day <= _aware(query["EndDate"]):
                days[day] = 0
                day += timedelta(days=1)
            for message in _sent(query["StartDate"], query["EndDate"]):
                if wanted.get("EMAIL_IDENTITY") and wanted["EMAIL_IDENTITY"] not in (
                    message.origin,
                    _domain(message.origin),
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
        found = [m for m in _sent() if m.detail.get("ses_message_id") == message_id]
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
            messages = [m for m in _sent() if _domain(m.origin) == name]
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
