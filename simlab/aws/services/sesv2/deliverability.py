"""The SES v2 Deliverability dashboard: its subscription, inbox placement tests, campaign and
domain statistics, and blocklist reports.

Campaign and domain figures are computed from the outbox; inbox placement of a test report is
drawn from the seeded random stream ``sesv2.placement``. The local AWS models no public
blocklists, so GetBlacklistReports finds no listings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult, EmptyResult

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.services.sesv2.sent_mail import domain_of, sent_emails
from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

TEST_REPORT_SECONDS = 600.0
ISPS = ("Gmail", "Outlook", "Yahoo", "AOL")
_INBOX = ("DELIVERED",)
_SPAM = ("COMPLAINED",)


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


class DashboardHandlers(V2Handlers):
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
        if not self.backend.core.email_identities.get(domain_of(sender)) and (
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
        for message in sent_emails(start, end):
            if domain_of(message.origin) == domain:
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
        domains = {domain_of(m.origin) for m in sent_emails()}
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
            m
            for m in sent_emails(params["StartDate"], params["EndDate"])
            if domain_of(m.origin) == domain
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
