"""SES v2 import and export jobs, run on the simulated clock.

An import job reads a CSV (with a header row) or JSON Lines file from S3 into the suppression
list (``emailAddress``, ``reason``) or a contact list (``emailAddress``, ``unsubscribeAll``,
``attributesData``); an export job writes message insights or metrics, read from the outbox,
to S3 as CSV or JSON Lines. A job is ``CREATED``, runs ``PROCESSING_SECONDS`` later and ends
``COMPLETED`` (or ``FAILED`` naming why); an export can be cancelled before it runs (API
reference, CreateImportJob and CreateExportJob:
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateImportJob.html,
https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateExportJob.html).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from moto.backends import get_backend
from moto.core.responses import ActionResult, EmptyResult
from moto.s3.exceptions import MissingBucket

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.suppression import REASONS, SuppressedDestination
from simlab.aws.services.sesv2.handlers import V2Handlers
from simlab.aws.state import state

if TYPE_CHECKING:
    from simlab.aws.services.sesv2.models import SimlabSESV2Backend

PROCESSING_SECONDS = 5.0
#: Outbox statuses counted under each VDM metric an export can name.
METRIC_STATUSES = {
    "SEND": None,
    "DELIVERY": ("DELIVERED", "COMPLAINED"),
    "PERMANENT_BOUNCE": ("BOUNCED", "SUPPRESSED"),
    "TRANSIENT_BOUNCE": ("DELAYED",),
    "COMPLAINT": ("COMPLAINED",),
}


@dataclass
class Job:
    job_id: str
    kind: str  # "import" or "export"
    request: dict[str, Any]
    created: datetime
    status: str = "CREATED"
    completed: datetime | None = None
    processed: int = 0
    failed: int = 0
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _s3_location(url: str) -> tuple[str, str]:
    if not url.startswith("s3://") or "/" not in url[5:]:
        raise errors.BadRequestException(f"S3Url {url!r} must look like s3://bucket/key.")
    bucket, _, key = url[5:].partition("/")
    return bucket, key


def _rows(text: str, data_format: str) -> list[dict[str, str]]:
    if data_format == "JSON":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(csv.DictReader(io.StringIO(text)))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _lower(row: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in row.items()}


class Jobs:
    """Runs the import and export jobs of one SES v2 backend."""

    def __init__(self, backend: SimlabSESV2Backend) -> None:
        self.backend = backend
        self.jobs: dict[str, Job] = {}

    def create(self, kind: str, request: dict[str, Any]) -> Job:
        job_id = state().rng("sesv2.jobs").bytes(16).hex()
        job = Job(job_id, kind, request, state().clock.now())
        self.jobs[job_id] = job
        state().clock.call_later(PROCESSING_SECONDS, lambda: self._run(job))
        return job

    def get(self, job_id: str, kind: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None or job.kind != kind:
            raise errors.NotFoundException(f"The {kind} job {job_id} does not exist.")
        return job

    def _run(self, job: Job) -> None:
        if job.status != "CREATED":
            return
        job.status = "PROCESSING"
        try:
            (self._import if job.kind == "import" else self._export)(job)
            job.status = "COMPLETED"
        except (ValueError, KeyError, errors.SesError, MissingBucket) as error:
            job.status, job.error = "FAILED", str(error)
        job.completed = state().clock.now()

    def _import(self, job: Job) -> None:
        source = job.request["ImportDataSource"]
        bucket, key = _s3_location(source["S3Url"])
        s3 = get_backend("s3")[self.backend.account_id]["aws"]
        found = s3.get_object(bucket, key)
        if found is None:
            raise ValueError(f"{source['S3Url']} does not exist.")
        text = found.value.decode()
        destination = job.request["ImportDestination"]
        core = self.backend.core
        for row in map(_lower, _rows(text, source["DataFormat"])):
            address = str(row.get("emailaddress") or "").strip()
            job.processed += 1
            if "@" not in address:
                job.failed += 1
                continue
            if "SuppressionListDestination" in destination:
                reason = str(row.get("reason") or "").upper()
                if reason not in REASONS:
                    job.failed += 1
                    continue
                core.suppression.put(SuppressedDestination(address, reason, state().clock.now()))
            else:
                name = destination["ContactListDestination"]["ContactListName"]
                contact_list = core.contacts_lists[name]
                unsubscribe = str(row.get("unsubscribeall") or "false").lower() == "true"
                params = {"EmailAddress": address, "UnsubscribeAll": unsubscribe}
                if row.get("attributesdata"):
                    params["AttributesData"] = str(row["attributesdata"])
                contact_list.create_contact(name, params)

    def _export(self, job: Job) -> None:
        source = job.request["ExportDataSource"]
        destination = job.request["ExportDestination"]
        insights = source.get("MessageInsightsDataSource")
        spec = insights or source["MetricsDataSource"]
        start, end = _aware(spec["StartDate"]), _aware(spec["EndDate"])
        sent = [
            m
            for m in state().outbox.filter(channel="EMAIL", service="ses")
            if m.message_id and start <= m.sent_at <= end
        ]
        if insights:
            rows: list[dict[str, Any]] = [
                {
                    "messageId": m.message_id,
                    "destination": m.destination,
                    "from": m.origin,
                    "subject": m.subject,
                    "status": m.status,
                    "sentAt": m.sent_at.isoformat(),
                }
                for m in sent[: int(insights.get("MaxResults") or len(sent) or 1)]
            ]
        else:
            statuses = Counter(m.status for m in sent)
            rows = []
            for metric in spec.get("Metrics") or []:
                wanted = METRIC_STATUSES.get(metric["Name"], ())
                count = len(sent) if wanted is None else sum(statuses[s] for s in wanted)
                rows.append(
                    {
                        "metric": metric["Name"],
                        "aggregation": metric.get("Aggregation", "VOLUME"),
                        "value": count,
                    }
                )
        job.processed = len(rows)
        job.extra["exported"] = len(rows)
        url = destination.get("S3Url") or ""
        if not url:
            return
        bucket, prefix = _s3_location(url if url.count("/") > 2 else url + "/")
        suffix = "json" if destination["DataFormat"] == "JSON" else "csv"
        key = f"{prefix.rstrip('/')}/{job.job_id}.{suffix}".lstrip("/")
        if suffix == "json":
            body = "".join(json.dumps(r) + "\n" for r in rows)
        else:
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["empty"])
            writer.writeheader()
            writer.writerows(rows)
            body = out.getvalue()
        get_backend("s3")[self.backend.account_id]["aws"].put_object(bucket, key, body.encode())
        job.extra["s3_key"] = f"s3://{bucket}/{key}"


class JobHandlers(V2Handlers):
    """Mixed into ``SimlabSESV2Response``."""

    def create_import_job(self) -> ActionResult:
        params = self._params()
        destination = params["ImportDestination"]
        source = params["ImportDataSource"]
        _s3_location(source["S3Url"])
        contact = destination.get("ContactListDestination")
        if contact and contact.get("ContactListName") not in self.backend.core.contacts_lists:
            raise errors.NotFoundException(
                f"Contact list {contact.get('ContactListName')} does not exist."
            )
        if not contact and not destination.get("SuppressionListDestination"):
            raise errors.BadRequestException(
                "ImportDestination needs SuppressionListDestination or ContactListDestination."
            )
        job = self.backend.jobs.create("import", params)
        return ActionResult({"JobId": job.job_id})

    def _import_view(self, job: Job, full: bool) -> dict[str, Any]:
        view: dict[str, Any] = {
            "JobId": job.job_id,
            "ImportDestination": job.request["ImportDestination"],
            "JobStatus": job.status,
            "CreatedTimestamp": job.created,
            "ProcessedRecordsCount": job.processed,
            "FailedRecordsCount": job.failed,
        }
        if full:
            view["ImportDataSource"] = job.request["ImportDataSource"]
            if job.completed:
                view["CompletedTimestamp"] = job.completed
            if job.error:
                view["FailureInfo"] = {"ErrorMessage": job.error}
        return view

    def get_import_job(self) -> ActionResult:
        job = self.backend.jobs.get(self._params()["JobId"], "import")
        return ActionResult(self._import_view(job, True))

    def list_import_jobs(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        wanted = params.get("ImportDestinationType")
        key = {
            "SUPPRESSION_LIST": "SuppressionListDestination",
            "CONTACT_LIST": "ContactListDestination",
        }
        jobs = [
            self._import_view(j, False)
            for j in self.backend.jobs.jobs.values()
            if j.kind == "import" and (not wanted or key[wanted] in j.request["ImportDestination"])
        ]
        page, token = _page(jobs, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"ImportJobs": page, "NextToken": token})

    def create_export_job(self) -> ActionResult:
        params = self._params()
        source = params["ExportDataSource"]
        if bool(source.get("MetricsDataSource")) == bool(source.get("MessageInsightsDataSource")):
            raise errors.BadRequestException(
                "ExportDataSource needs exactly one of MetricsDataSource and "
                "MessageInsightsDataSource."
            )
        url = params["ExportDestination"].get("S3Url")
        if url:
            _s3_location(url if url.count("/") > 2 else url + "/")
        job = self.backend.jobs.create("export", params)
        return ActionResult({"JobId": job.job_id})

    def _export_view(self, job: Job, full: bool) -> dict[str, Any]:
        source = job.request["ExportDataSource"]
        kind = "MESSAGE_INSIGHTS" if source.get("MessageInsightsDataSource") else "METRICS_DATA"
        view: dict[str, Any] = {
            "JobId": job.job_id,
            "ExportSourceType": kind,
            "JobStatus": job.status,
            "CreatedTimestamp": job.created,
        }
        if job.completed:
            view["CompletedTimestamp"] = job.completed
        if full:
            view["ExportDestination"] = job.request["ExportDestination"]
            view["ExportDataSource"] = source
            view["Statistics"] = {
                "ProcessedRecordsCount": job.processed,
                "ExportedRecordsCount": job.extra.get("exported", 0),
            }
            if job.error:
                view["FailureInfo"] = {"ErrorMessage": job.error}
        return view

    def get_export_job(self) -> ActionResult:
        job = self.backend.jobs.get(self._params()["JobId"], "export")
        return ActionResult(self._export_view(job, True))

    def list_export_jobs(self) -> ActionResult:
        from simlab.aws.services.sesv2.shared import page as _page

        params = self._params()
        views = [
            self._export_view(j, False)
            for j in self.backend.jobs.jobs.values()
            if j.kind == "export"
        ]
        if params.get("ExportSourceType"):
            views = [v for v in views if v["ExportSourceType"] == params["ExportSourceType"]]
        if params.get("JobStatus"):
            views = [v for v in views if v["JobStatus"] == params["JobStatus"]]
        page, token = _page(views, params.get("NextToken"), params.get("PageSize"))
        return ActionResult({"ExportJobs": page, "NextToken": token})

    def cancel_export_job(self) -> EmptyResult:
        job = self.backend.jobs.get(self._params()["JobId"], "export")
        if job.status != "CREATED":
            raise errors.ConflictException(f"Export job {job.job_id} is already {job.status}.")
        job.status = "CANCELLED"
        job.completed = state().clock.now()
        return EmptyResult()
