"""Handlers of segments (with versions) and of import and export jobs through S3."""

from __future__ import annotations

from typing import Any

from moto.backends import get_backend
from moto.moto_api._internal import mock_random
from moto.s3.exceptions import MissingBucket

from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.state import state
from simlab.engage import jobs
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.segments import Segment, SegmentVersion
from simlab.facts import pinpoint as facts


def segment_json(project: Project, segment: Segment, version: SegmentVersion) -> dict[str, Any]:
    """A ``SegmentResponse``."""
    data = project.audience.segment_json(version, segment.id, state().clock.timestamp())
    arn = f"{project.app.arn}/segments/{segment.id}"
    return {**data, "ApplicationId": project.app_id, "Arn": arn}


def page(items: list[Any], size: Any, token: Any) -> tuple[list[Any], str | None]:
    """One page of ``items`` from a PageSize and Token (an offset we handed out)."""
    try:
        start = int(token) if token else 0
        count = int(size) if size else 100
    except ValueError:
        raise BadRequest(f"Token {token!r} or PageSize {size!r} is not valid") from None
    if count < 1 or start < 0:
        raise BadRequest("PageSize must be at least 1 and Token one this API returned")
    chunk = items[start : start + count]
    following = str(start + count) if start + count < len(items) else None
    return chunk, following


def _listing(items: list[Any], params: Any) -> dict[str, Any]:
    chunk, following = page(items, params.get("PageSize"), params.get("Token"))
    data: dict[str, Any] = {"Item": chunk}
    if following:
        data["NextToken"] = following
    return data


def _s3_location(url: str, field: str) -> tuple[str, str]:
    if not url.startswith("s3://") or len(url) <= 5:
        raise BadRequest(f"{field} must look like s3://bucket-name/folder-name/, got {url!r}")
    bucket, _, prefix = url[5:].partition("/")
    return bucket, prefix


def _s3(project: Project) -> Any:
    return get_backend("s3")[project.account_id]["aws"]


class SegmentHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def _project(self) -> Project:
        return self.pinpoint_backend.project(self.params["ApplicationId"])

    # -- segments --------------------------------------------------------------------------

    def create_segment(self) -> Any:
        project = self._project()
        request = self.params.get("WriteSegmentRequest") or {}
        segment = project.audience.create_segment(request, state().clock.timestamp())
        return self.reply(segment_json(project, segment, segment.latest))

    def update_segment(self) -> Any:
        project = self._project()
        request = self.params.get("WriteSegmentRequest") or {}
        segment = project.audience.update_segment(
            self.params["SegmentId"], request, state().clock.timestamp()
        )
        return self.reply(segment_json(project, segment, segment.latest))

    def get_segment(self) -> Any:
        project = self._project()
        segment = project.audience.segment(self.params["SegmentId"])
        return self.reply(segment_json(project, segment, segment.latest))

    def delete_segment(self) -> Any:
        project = self._project()
        segment = project.audience.delete_segment(self.params["SegmentId"])
        return self.reply(segment_json(project, segment, segment.latest))

    def get_segments(self) -> Any:
        project = self._project()
        items = [segment_json(project, s, s.latest) for s in project.audience.segments.values()]
        return self.reply(_listing(items, self.params))

    def get_segment_version(self) -> Any:
        project = self._project()
        segment = project.audience.segment(self.params["SegmentId"])
        try:
            number = int(self.params["Version"])
        except ValueError:
            raise BadRequest(f"Version must be a number, got {self.params['Version']!r}") from None
        return self.reply(segment_json(project, segment, segment.version(number)))

    def get_segment_versions(self) -> Any:
        project = self._project()
        segment = project.audience.segment(self.params["SegmentId"])
        items = [segment_json(project, segment, v) for v in reversed(segment.versions)]
        return self.reply(_listing(items, self.params))

    # -- jobs ------------------------------------------------------------------------------

    def create_import_job(self) -> Any:
        project = self._project()
        request = dict(self.params.get("ImportJobRequest") or {})
        for key in ("Format", "S3Url", "RoleArn"):
            if not request.get(key):
                raise BadRequest(f"ImportJobRequest.{key} is required")
        if request["Format"] not in facts.IMPORT_FORMATS.value:
            raise BadRequest(
                f"ImportJobRequest.Format must be one of {', '.join(facts.IMPORT_FORMATS.value)}, "
                f"got {request['Format']!r}"
            )
        if request.get("SegmentId"):
            project.audience.segment(request["SegmentId"])
        active = sum(
            1 for p in self.pinpoint_backend.projects.values() for j in p.jobs.values() if j.active
        )
        if active >= facts.MAX_ACTIVE_IMPORT_JOBS.value:
            raise BadRequest(
                f"{active} import jobs are already running, the most an account may run at once"
            )
        texts = self._read_s3(project, request["S3Url"])
        job = jobs.Job(
            mock_random.uuid4().hex, "IMPORT", request, created=state().clock.timestamp()
        )
        parsed: list[Any] = []
        failures: list[str] = []
        for key, text in texts:
            items, bad = jobs.parse(text, request["Format"], lambda: mock_random.uuid4().hex)
            parsed.extend(items)
            failures.extend(f"{key} {b}" for b in bad)
        size = sum(len(t.encode()) for _, t in texts)
        project.jobs[job.id] = job
        jobs.run(
            job,
            state().clock,
            len(parsed),
            lambda j: self._import(project, j, parsed, failures, size),
        )
        return self.reply(job.to_json(project.app_id))

    @staticmethod
    def _import(
        project: Project, job: jobs.Job, parsed: list[Any], failures: list[Any], size: int
    ) -> None:
        request = job.definition
        store = project.audience.endpoints
        now = state().clock.timestamp()
        imported: list[str] = []
        failures = list(failures)
        register = request.get("RegisterEndpoints", True) is not False
        for endpoint_id, item in parsed:
            try:
                if register:
                    store.upsert(endpoint_id, item, now)
                imported.append(endpoint_id)
            except BadRequest as error:
                failures.append(f"endpoint {endpoint_id}: {error.message}")
        job.total_processed = len(imported) + len(failures)
        job.total_failures = len(failures)
        job.failures = failures[: jobs.MAX_FAILURES_LISTED]
        if request.get("DefineSegment", True) is not False or request.get("SegmentId"):
            definition = {
                "Format": request["Format"],
                "S3Url": request["S3Url"],
                "RoleArn": request["RoleArn"],
                "ExternalId": request.get("ExternalId", ""),
                "Size": size,
            }
            segment = project.audience.import_segment(
                imported,
                request.get("SegmentName") or "",
                definition,
                now,
                segment_id=request.get("SegmentId"),
            )
            job.definition = {**request, "SegmentId": segment.id}

    def _read_s3(self, project: Project, url: str) -> list[tuple[str, str]]:
        bucket_name, prefix = _s3_location(url, "ImportJobRequest.S3Url")
        try:
            bucket = _s3(project).get_bucket(bucket_name)
        except MissingBucket:
            raise BadRequest(f"ImportJobRequest.S3Url: no S3 bucket {bucket_name!r}") from None
        found = []
        for key_name, key in sorted(bucket.keys.items()):
            if (
                key_name == prefix
                or (key_name.startswith(prefix) and prefix.endswith("/"))
                or (not prefix)
            ):
                if key_name.endswith("/"):
                    continue
                found.append((key_name, key.value.decode("utf-8", errors="replace")))
        if not found:
            raise BadRequest(f"ImportJobRequest.S3Url: nothing to import at {url}")
        size = sum(len(text.encode()) for _, text in found)
        if size > facts.MAX_IMPORT_JOB_BYTES.value:
            raise BadRequest(f"{url} holds {size} bytes; an import job takes at most 1 GiB")
        return found

    def create_export_job(self) -> Any:
        project = self._project()
        request = dict(self.params.get("ExportJobRequest") or {})
        for key in ("S3UrlPrefix", "RoleArn"):
            if not request.get(key):
                raise BadRequest(f"ExportJobRequest.{key} is required")
        bucket_name, prefix = _s3_location(request["S3UrlPrefix"], "ExportJobRequest.S3UrlPrefix")
        try:
            _s3(project).get_bucket(bucket_name)
        except MissingBucket:
            raise BadRequest(
                f"ExportJobRequest.S3UrlPrefix: no S3 bucket {bucket_name!r}"
            ) from None
        version = request.get("SegmentVersion")
        if request.get("SegmentId"):
            project.audience.segment(request["SegmentId"]).version(version)
        job = jobs.Job(
            mock_random.uuid4().hex, "EXPORT", request, created=state().clock.timestamp()
        )
        project.jobs[job.id] = job

        def export(job: jobs.Job) -> None:
            now = state().clock.timestamp()
            store = project.audience.endpoints
            if request.get("SegmentId"):
                mask = project.audience.members(request["SegmentId"], now, version)
            else:
                mask = store.alive[: store.size]
            rows = store.rows(mask)
            lines = [{**store.to_json(int(r)), "ApplicationId": project.app_id} for r in rows]
            key = f"{prefix.rstrip('/')}/{job.id}/endpoints.json".lstrip("/")
            _s3(project).put_object(bucket_name, key, jobs.export_lines(lines).encode())
            job.total_processed = len(lines)

        store = project.audience.endpoints
        jobs.run(job, state().clock, len(store), export)
        return self.reply(job.to_json(project.app_id))

    def _job(self, project: Project, kind: str) -> jobs.Job:
        job = project.jobs.get(self.params["JobId"])
        if job is None or job.kind != kind:
            raise NotFound(f"{kind.title()} job {self.params['JobId']!r} not found")
        return job

    def get_import_job(self) -> Any:
        project = self._project()
        return self.reply(self._job(project, "IMPORT").to_json(project.app_id))

    def get_export_job(self) -> Any:
        project = self._project()
        return self.reply(self._job(project, "EXPORT").to_json(project.app_id))

    def _jobs(self, kind: str, segment_id: str | None = None) -> Any:
        project = self._project()
        if segment_id is not None:
            project.audience.segment(segment_id)
        items = [
            j.to_json(project.app_id)
            for j in reversed(list(project.jobs.values()))
            if j.kind == kind
            and (segment_id is None or j.definition.get("SegmentId") == segment_id)
        ]
        return self.reply(_listing(items, self.params))

    def get_import_jobs(self) -> Any:
        return self._jobs("IMPORT")

    def get_export_jobs(self) -> Any:
        return self._jobs("EXPORT")

    def get_segment_import_jobs(self) -> Any:
        return self._jobs("IMPORT", self.params["SegmentId"])

    def get_segment_export_jobs(self) -> Any:
        return self._jobs("EXPORT", self.params["SegmentId"])
