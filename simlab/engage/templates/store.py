"""Pinpoint message templates: five types, versions, one active version, Handlebars rendering.

A `TemplateStore` keeps templates by (name, type) the way Pinpoint does (user guide
``message-templates-versioning.md``): version 1 on create; every save either overwrites the
latest version or adds a new one (numbers are never reused); exactly one version is active and
is what messages use unless they name another. Limits come from `simlab.facts.pinpoint`.
"""

from __future__ import annotations

import builtins
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from simlab.engage.templates.errors import TemplateError, TemplateNotFoundError
from simlab.engage.templates.validation import (
    _version_number,
    check_name,
    check_type,
    validate_content,
)
from simlab.facts import pinpoint as facts

T = TypeVar("T")


@dataclass(frozen=True)
class TemplateVersion:
    """One saved version: its content in the botocore request shape and its dates."""

    name: str
    type: str
    version: int
    content: Mapping[str, Any]
    created: datetime
    modified: datetime

    @property
    def description(self) -> str | None:
        return self.content.get("TemplateDescription")

    @property
    def default_substitutions(self) -> dict[str, Any]:
        """The parsed ``DefaultSubstitutions`` object (empty when there is none)."""
        raw = self.content.get("DefaultSubstitutions")
        return json.loads(raw) if raw else {}


@dataclass
class Template:
    """A template: every version kept, which one is active and the next number to give."""

    name: str
    type: str
    versions: dict[int, TemplateVersion]
    active: int
    next_version: int
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def latest(self) -> TemplateVersion:
        return self.versions[max(self.versions)]

    @property
    def active_version(self) -> TemplateVersion:
        return self.versions[self.active]

    @property
    def created(self) -> datetime:
        return min(v.created for v in self.versions.values())


class TemplateStore:
    """Message templates of one account and Region, keyed by (name, type); thread-safe."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, str], Template] = {}
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._templates)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return (key[0], check_type(key[1])) in self._templates

    def _find(self, name: str, template_type: str) -> Template:
        template_type = check_type(template_type)
        template = self._templates.get((name, template_type))
        if template is None:
            raise TemplateNotFoundError(name, template_type)
        return template

    def template(self, name: str, template_type: str) -> Template:
        """Returns the whole template record (all versions)."""
        with self._lock:
            return self._find(name, template_type)

    def create(
        self,
        name: str,
        template_type: str,
        content: Mapping[str, Any],
        *,
        now: datetime,
        tags: Mapping[str, str] | None = None,
    ) -> TemplateVersion:
        """Creates a template as version 1, its active version."""
        check_name(name)
        template_type = check_type(template_type)
        cleaned = validate_content(template_type, content)
        with self._lock:
            if (name, template_type) in self._templates:
                raise TemplateError(
                    f"Template {name!r} of type {template_type} already exists", "TemplateName"
                )
            if len(self._templates) >= facts.MAX_TEMPLATES.value:
                raise TemplateError(
                    f"This account already has {facts.MAX_TEMPLATES.value} templates, the quota",
                    "TemplateName",
                )
            first = TemplateVersion(name, template_type, 1, cleaned, now, now)
            self._templates[(name, template_type)] = Template(
                name, template_type, {1: first}, active=1, next_version=2, tags=dict(tags or {})
            )
            return first

    def get(
        self, name: str, template_type: str, version: int | str | None = None
    ) -> TemplateVersion:
        """Returns the active version, or the version asked for."""
        with self._lock:
            template = self._find(name, template_type)
            if version is None:
                return template.active_version
            number = _version_number(version)
            if number not in template.versions:
                raise TemplateNotFoundError(name, template.type, number)
            return template.versions[number]

    def update(
        self,
        name: str,
        template_type: str,
        content: Mapping[str, Any],
        *,
        now: datetime,
        create_new_version: bool = False,
        version: int | str | None = None,
    ) -> TemplateVersion:
        """Overwrites the latest version, or saves a new one with ``create_new_version``.

        ``version``, if given, must be the latest version's number (a guard against racing
        writers, as the API reference says) and cannot be combined with a new version.
        """
        cleaned = validate_content(check_type(template_type), content)
        with self._lock:
            template = self._find(name, template_type)
            latest = template.latest
            if version is not None:
                if create_new_version:
                    raise TemplateError(
                        "Specify either version or create-new-version=true, not both", "Version"
                    )
                number = _version_number(version)
                if number not in template.versions:
                    raise TemplateNotFoundError(name, template.type, number)
                if number != latest.version:
                    raise TemplateError(
                        f"Version {number} is not the latest version ({latest.version}) of "
                        f"template {name!r}; only the latest version can be updated",
                        "Version",
                    )
            if create_new_version:
                if len(template.versions) >= facts.MAX_TEMPLATE_VERSIONS.value:
                    raise TemplateError(
                        f"Template {name!r} already has {facts.MAX_TEMPLATE_VERSIONS.value} "
                        "versions, the quota",
                        "CreateNewVersion",
                    )
                saved = TemplateVersion(
                    name, template.type, template.next_version, cleaned, now, now
                )
                template.next_version += 1
            else:
                saved = TemplateVersion(
                    name, template.type, latest.version, cleaned, latest.created, now
                )
            template.versions[saved.version] = saved
            return saved

    def delete(
        self, name: str, template_type: str, version: int | str | None = None
    ) -> Template | TemplateVersion:
        """Deletes the whole template, or one version of it.

        The active version can go only when it is the last one left (a template always has an
        active version), and then the template goes with it.
        """
        with self._lock:
            template = self._find(name, template_type)
            key = (name, template.type)
            if version is None:
                return self._templates.pop(key)
            number = _version_number(version)
            if number not in template.versions:
                raise TemplateNotFoundError(name, template.type, number)
            if len(template.versions) == 1:
                self._templates.pop(key)
                return template.versions[number]
            if number == template.active:
                raise TemplateError(
                    f"Version {number} is the active version of template {name!r}; make "
                    "another version active before deleting it",
                    "Version",
                )
            return template.versions.pop(number)

    def set_active_version(
        self, name: str, template_type: str, version: int | str
    ) -> TemplateVersion:
        """Makes a version active; ``"latest"`` names the most recent one."""
        with self._lock:
            template = self._find(name, template_type)
            if version is None or str(version) == "":
                raise TemplateError("Version is required: a version number or latest", "Version")
            if str(version).lower() == "latest":
                number = template.latest.version
            else:
                number = _version_number(version)
            if number not in template.versions:
                raise TemplateNotFoundError(name, template.type, number)
            template.active = number
            return template.versions[number]

    def list(
        self,
        template_type: str | None = None,
        prefix: str | None = None,
        page_size: int | str | None = None,
        next_token: str | None = None,
    ) -> tuple[list[Template], str | None]:
        """Returns one page of templates sorted by name and type, and the next page's token."""
        wanted = check_type(template_type) if template_type else None
        with self._lock:
            found = [
                t
                for key, t in sorted(self._templates.items())
                if (wanted is None or t.type == wanted) and t.name.startswith(prefix or "")
            ]
        return _page(found, page_size, next_token)

    def list_versions(
        self,
        name: str,
        template_type: str,
        page_size: int | str | None = None,
        next_token: str | None = None,
    ) -> tuple[builtins.list[TemplateVersion], str | None]:
        """Returns one page of a template's versions, newest first, and the next page's token."""
        with self._lock:
            template = self._find(name, template_type)
            found = [template.versions[n] for n in sorted(template.versions, reverse=True)]
        return _page(found, page_size, next_token)


def _page(
    items: list[T], page_size: int | str | None, next_token: str | None
) -> tuple[list[T], str | None]:
    start = 0
    if next_token:
        try:
            start = int(next_token)
        except ValueError:
            raise TemplateError(f"NextToken {next_token!r} is not valid", "NextToken") from None
    size = len(items) if page_size in (None, "") else _version_number(page_size, "PageSize")
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)
