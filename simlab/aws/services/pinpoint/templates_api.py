"""Handlers of the message-template operations and PhoneNumberValidate.

Create/Get/Update/Delete x {Email, Sms, Push, Voice, InApp}Template, ListTemplates,
ListTemplateVersions and UpdateTemplateActiveVersion answer in the shapes of botocore's
``pinpoint`` model (``/v1/templates/{template-name}/{type}``); the templates live in the
backend's `simlab.engage.templates.TemplateStore`, dated by the simulated clock. Errors are
the store's ``TemplateError`` (``BadRequestException``, naming the field) and
``TemplateNotFoundError`` (``NotFoundException``, naming the template, its type and the version),
answered by ``PinpointResponse``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from moto.moto_api._internal import mock_random

from simlab.aws.state import state
from simlab.engage import phone
from simlab.engage.faults import BadRequest
from simlab.engage.templates import Template, TemplateStore, TemplateVersion, check_type
from simlab.primitives.times import iso

#: The type segment of each template operation's path -> the TemplateType it serves.
PATH_TYPES: dict[str, str] = {
    "email": "EMAIL",
    "sms": "SMS",
    "push": "PUSH",
    "voice": "VOICE",
    "inapp": "INAPP",
}

Response = tuple[str, dict[str, Any]]


def _request_id() -> str:
    return str(mock_random.uuid4())


class TemplateHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    body: Any
    path: str
    querystring: dict[str, list[str]]
    uri_match: dict[str, str]
    region: str
    current_account: str
    pinpoint_backend: Any

    # -- plumbing --------------------------------------------------------------------------

    @property
    def _templates(self) -> TemplateStore:
        store: TemplateStore = self.pinpoint_backend.templates
        return store

    def _json_body(self) -> dict[str, Any]:
        if not self.body:
            return {}
        try:
            parsed = json.loads(self.body)
        except (TypeError, ValueError):
            raise BadRequest("The request body is not valid JSON") from None
        if not isinstance(parsed, dict):
            raise BadRequest("The request body must be a JSON object")
        return parsed

    def _query(self, name: str) -> str | None:
        values = self.querystring.get(name)
        return values[0] if values else None

    def _segments(self) -> list[str]:
        parts = [unquote(p) for p in self.path.split("?")[0].split("/")]
        return parts[parts.index("templates") + 1 :]

    def _name(self) -> str:
        return self.uri_match.get("template-name") or self._segments()[0]

    def _path_type(self) -> str:
        return PATH_TYPES[self._segments()[1]]

    def _type_param(self) -> str:
        raw = self.uri_match.get("template-type") or self._segments()[1]
        return check_type(raw)

    def _arn(self, name: str, template_type: str) -> str:
        return (
            f"arn:aws:mobiletargeting:{self.region}:{self.current_account}:"
            f"templates/{name}/{template_type}"
        )

    def _now(self) -> datetime:
        return state().clock.now()

    @staticmethod
    def _reply(status: int, payload: Mapping[str, Any]) -> Response:
        return json.dumps(payload), {"status": status, "Content-Type": "application/json"}

    def _message(self, status: int, message: str) -> Response:
        return self._reply(status, {"Message": message, "RequestID": _request_id()})

    def _version_payload(self, version: TemplateVersion) -> dict[str, Any]:
        arn = self._arn(version.name, version.type)
        return {
            **version.content,
            "Arn": arn,
            "CreationDate": iso(version.created),
            "LastModifiedDate": iso(version.modified),
            "tags": self.pinpoint_backend.tagger.get_tag_dict_for_resource(arn),
            "TemplateName": version.name,
            "TemplateType": version.type,
            "Version": str(version.version),
        }

    # -- the five types, one shape each ---------------------------------------------------

    def _create(self) -> Response:
        name, template_type = self._name(), self._path_type()
        content = self._json_body()
        tags = content.get("tags") or {}
        if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
            raise BadRequest("tags must be a map of string keys to string values")
        self._templates.create(name, template_type, content, now=self._now(), tags=tags)
        arn = self._arn(name, template_type)
        if tags:
            tagger = self.pinpoint_backend.tagger
            tagger.tag_resource(arn, tagger.convert_dict_to_tags_input(tags))
        return self._reply(201, {"Arn": arn, "Message": "Created", "RequestID": _request_id()})

    def _get(self) -> Response:
        version = self._templates.get(self._name(), self._path_type(), self._query("version"))
        return self._reply(200, self._version_payload(version))

    def _update(self) -> Response:
        raw = (self._query("create-new-version") or "false").lower()
        if raw not in ("true", "false"):
            raise BadRequest(f"create-new-version {raw!r} is not valid; allowed: true, false")
        self._templates.update(
            self._name(),
            self._path_type(),
            self._json_body(),
            now=self._now(),
            create_new_version=raw == "true",
            version=self._query("version"),
        )
        return self._message(202, "Accepted")

    def _delete(self) -> Response:
        name, template_type = self._name(), self._path_type()
        version = self._query("version")
        self._templates.delete(name, template_type, version)
        if (name, template_type) not in self._templates:
            self.pinpoint_backend.tagger.delete_all_tags_for_resource(
                self._arn(name, template_type)
            )
        return self._message(202, "Accepted")

    create_email_template = create_sms_template = create_push_template = _create
    create_voice_template = create_in_app_template = _create
    get_email_template = get_sms_template = get_push_template = _get
    get_voice_template = get_in_app_template = _get
    update_email_template = update_sms_template = update_push_template = _update
    update_voice_template = update_in_app_template = _update
    delete_email_template = delete_sms_template = delete_push_template = _delete
    delete_voice_template = delete_in_app_template = _delete

    # -- listing and the active version ---------------------------------------------------

    def list_templates(self) -> Response:
        kind = self._query("template-type")
        templates, token = self._templates.list(
            kind or None,
            self._query("prefix"),
            self._query("page-size"),
            self._query("next-token"),
        )
        payload: dict[str, Any] = {"Item": [self._template_item(t) for t in templates]}
        if token:
            payload["NextToken"] = token
        return self._reply(200, payload)

    @staticmethod
    def _template_item(template: Template) -> dict[str, Any]:
        return {
            "CreationDate": iso(template.created),
            "LastModifiedDate": iso(max(v.modified for v in template.versions.values())),
            "TemplateName": template.name,
            "TemplateType": template.type,
            "Version": str(template.active),
        }

    def list_template_versions(self) -> Response:
        versions, token = self._templates.list_versions(
            self._name(),
            self._type_param(),
            self._query("page-size"),
            self._query("next-token"),
        )
        items = []
        for version in versions:
            item = {
                "CreationDate": iso(version.created),
                "LastModifiedDate": iso(version.modified),
                "TemplateName": version.name,
                "TemplateType": version.type,
                "Version": str(version.version),
            }
            for key in ("DefaultSubstitutions", "TemplateDescription"):
                if key in version.content:
                    item[key] = version.content[key]
            items.append(item)
        payload: dict[str, Any] = {"Item": items, "RequestID": _request_id()}
        if token:
            payload["NextToken"] = token
        return self._reply(200, payload)

    def update_template_active_version(self) -> Response:
        body = self._json_body()
        version = body.get("Version")
        if version is None or str(version).strip() == "":
            raise BadRequest("Version is required: a version number or latest")
        saved = self._templates.set_active_version(self._name(), self._type_param(), str(version))
        return self._message(200, f"Version {saved.version} is now the active version")

    # -- phone numbers ---------------------------------------------------------------------

    def phone_number_validate(self) -> Response:
        body = self._json_body()
        number, country = body.get("PhoneNumber"), body.get("IsoCountryCode")
        if not isinstance(number, str) or not number.strip():
            raise BadRequest("PhoneNumber is required, e.g. +14255550199")
        if country is not None and not isinstance(country, str):
            raise BadRequest("IsoCountryCode must be a two-letter ISO 3166-1 alpha-2 code")
        try:
            answer = phone.validate(number, country or None)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        return self._reply(200, answer)
