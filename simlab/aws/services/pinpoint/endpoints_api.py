"""Handlers of endpoints and users: UpdateEndpoint(s), Get/DeleteEndpoint, users, attributes."""

from __future__ import annotations

from typing import Any

from moto.moto_api._internal import mock_random

from simlab.aws.services.pinpoint.models import PinpointEngineBackend, Project
from simlab.aws.state import state
from simlab.engage.faults import BadRequest
from simlab.facts import pinpoint as facts


def endpoint_json(project: Project, endpoint_id: str) -> dict[str, Any]:
    """An ``EndpointResponse``."""
    return {**project.audience.endpoints.get(endpoint_id), "ApplicationId": project.app_id}


def accepted() -> dict[str, str]:
    """The ``MessageBody`` of an accepted request."""
    return {"Message": "Accepted", "RequestID": str(mock_random.uuid4())}


class EndpointHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    pinpoint_backend: PinpointEngineBackend
    reply: Any

    def _project(self) -> Project:
        return self.pinpoint_backend.project(self.params["ApplicationId"])

    def update_endpoint(self) -> Any:
        project = self._project()
        request = self.params.get("EndpointRequest") or {}
        project.audience.endpoints.upsert(
            self.params["EndpointId"], request, state().clock.timestamp()
        )
        return self.reply(accepted())

    def update_endpoints_batch(self) -> Any:
        project = self._project()
        items = (self.params.get("EndpointBatchRequest") or {}).get("Item") or []
        limit = facts.UPDATE_ENDPOINTS_BATCH_MAX.value
        if len(items) > limit:
            raise BadRequest(
                f"EndpointBatchRequest.Item holds {len(items)} endpoints; at most {limit} "
                "are allowed per request"
            )
        for index, item in enumerate(items):
            if not item.get("Id"):
                raise BadRequest(f"EndpointBatchRequest.Item[{index}].Id is required")
        store = project.audience.endpoints
        now = state().clock.timestamp()
        requests = [{k: v for k, v in item.items() if k != "Id"} for item in items]
        for index, (item, request) in enumerate(zip(items, requests, strict=True)):
            try:  # check every item before storing any
                store._validate(item["Id"], request)
            except BadRequest as error:
                raise BadRequest(f"EndpointBatchRequest.Item[{index}]: {error.message}") from None
        store.upsert_many([(item["Id"], r) for item, r in zip(items, requests, strict=True)], now)
        return self.reply(accepted())

    def get_endpoint(self) -> Any:
        return self.reply(endpoint_json(self._project(), self.params["EndpointId"]))

    def delete_endpoint(self) -> Any:
        project = self._project()
        gone = project.audience.endpoints.delete(self.params["EndpointId"])
        return self.reply({**gone, "ApplicationId": project.app_id})

    def get_user_endpoints(self) -> Any:
        project = self._project()
        ids = project.audience.endpoints.user_endpoint_ids(self.params["UserId"])
        return self.reply({"Item": [endpoint_json(project, i) for i in ids]})

    def delete_user_endpoints(self) -> Any:
        project = self._project()
        store = project.audience.endpoints
        ids = store.user_endpoint_ids(self.params["UserId"])
        gone = [{**store.delete(i), "ApplicationId": project.app_id} for i in ids]
        return self.reply({"Item": gone})

    def remove_attributes(self) -> Any:
        project = self._project()
        kind = self.params["AttributeType"]
        patterns = (self.params.get("UpdateAttributesRequest") or {}).get("Blacklist") or []
        removed = project.audience.endpoints.remove_attributes(kind, patterns)
        return self.reply(
            {"ApplicationId": project.app_id, "AttributeType": kind, "Attributes": removed}
        )
