"""Pinpoint message templates: five types, versions, one active version, Handlebars rendering.

A `TemplateStore` keeps templates by (name, type) the way Pinpoint does (user guide
``message-templates-versioning.md``): version 1 on create; every save either overwrites the
latest version or adds a new one (numbers are never reused); exactly one version is active and
is what messages use unless they name another. Limits come from `simlab.facts.pinpoint`.

`render` and `preview` fill a template's parts from an endpoint (the botocore
``EndpointResponse`` shape) with the sandboxed engine `simlab.engage.handlebars` and Pinpoint's
helpers (`simlab.engage.template_helpers`), following ``message-templates-personalizing.md``:
message ``Substitutions`` win over the endpoint's values, the template's
``DefaultSubstitutions`` fill what is missing, and a variable with neither renders as
nothing. Only an email's ``HtmlPart`` HTML-escapes values; other parts insert them as they are.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from simlab.engage import handlebars
from simlab.engage.clock import DEFAULT_EPOCH
from simlab.engage.faults import BadRequest, NotFound
from simlab.engage.template_helpers import HELPERS, RenderEnv, Values, zone
from simlab.facts import pinpoint as facts

TEMPLATE_TYPES: tuple[str, ...] = facts.TEMPLATE_TYPES.value

#: The content members each template type accepts (botocore ``<Type>TemplateRequest``).
CONTENT_MEMBERS: dict[str, tuple[str, ...]] = {
    "EMAIL": (
        "Subject",
        "HtmlPart",
        "TextPart",
        "Headers",
        "DefaultSubstitutions",
        "RecommenderId",
    ),
    "SMS": ("Body", "DefaultSubstitutions", "RecommenderId"),
    "VOICE": ("Body", "LanguageCode", "VoiceId", "DefaultSubstitutions"),
    "PUSH": ("Default", "ADM", "APNS", "Baidu", "GCM", "DefaultSubstitutions", "RecommenderId"),
    "INAPP": ("Content", "Layout", "CustomConfig"),
}
#: Members every type accepts besides its content.
COMMON_MEMBERS: tuple[str, ...] = ("TemplateDescription", "tags")

PUSH_SERVICES: tuple[str, ...] = ("Default", "ADM", "APNS", "Baidu", "GCM")
_PUSH_FIELDS: dict[str, tuple[str, ...]] = {
    "Default": ("Action", "Body", "Sound", "Title", "Url"),
    "APNS": ("Action", "Body", "MediaUrl", "RawContent", "Sound", "Title", "Url"),
    "ADM": (
        "Action",
        "Body",
        "ImageIconUrl",
        "ImageUrl",
        "RawContent",
        "SmallImageIconUrl",
        "Sound",
        "Title",
        "Url",
    ),
}
_PUSH_FIELDS["GCM"] = _PUSH_FIELDS["Baidu"] = _PUSH_FIELDS["ADM"]
PUSH_ACTIONS: tuple[str, ...] = ("OPEN_APP", "DEEP_LINK", "URL")
ALIGNMENTS: tuple[str, ...] = ("LEFT", "CENTER", "RIGHT")
BUTTON_ACTIONS: tuple[str, ...] = ("LINK", "DEEP_LINK", "CLOSE")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


# Errors -----------------------------------------------------------------------------------------


class TemplateError(BadRequest):
    """Bad template input (BadRequestException); ``field`` names the member at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class TemplateSyntaxError(TemplateError):
    """A part is not valid Handlebars; ``field`` names the part (``HtmlPart``, ``GCM.Body``)."""


class TemplateRenderError(TemplateError):
    """A part could not be rendered (an unknown helper, a helper given bad values)."""


class TemplateNotFoundError(NotFound):
    """No such template, or no such version of it (NotFoundException)."""

    def __init__(self, name: str, template_type: str, version: int | str | None = None) -> None:
        what = f"Template {name!r} of type {template_type}"
        if version is not None:
            what = f"Version {version} of template {name!r} of type {template_type}"
        super().__init__(f"{what} does not exist")
        self.name, self.template_type, self.version = name, template_type, version


# Versions and templates -------------------------------------------------------------------------


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


def check_name(name: str) -> str:
    """Returns ``name`` if it is a valid template name; raises TemplateError naming the rule."""
    limit = facts.MAX_TEMPLATE_NAME_CHARS.value
    if not isinstance(name, str) or not name:
        raise TemplateError("TemplateName is required", "TemplateName")
    if len(name) > limit or not _NAME.fullmatch(name):
        raise TemplateError(
            f"TemplateName {name!r} is not valid: it must start with a letter or digit and hold "
            f"at most {limit} letters, digits, underscores (_) or hyphens (-)",
            "TemplateName",
        )
    return name


def check_type(template_type: str) -> str:
    """Returns the template type in upper case; raises TemplateError listing the allowed ones."""
    upper = str(template_type).upper()
    if upper not in TEMPLATE_TYPES:
        raise TemplateError(
            f"TemplateType {template_type!r} is not valid; allowed: {', '.join(TEMPLATE_TYPES)}",
            "TemplateType",
        )
    return upper


def _version_number(version: int | str, field_name: str = "Version") -> int:
    try:
        number = int(str(version))
    except ValueError:
        raise TemplateError(
            f"{field_name} {version!r} is not valid; it must be a whole number", field_name
        ) from None
    if number < 1:
        raise TemplateError(f"{field_name} must be 1 or more, got {number}", field_name)
    return number


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
    ) -> tuple[list[TemplateVersion], str | None]:
        """Returns one page of a template's versions, newest first, and the next page's token."""
        with self._lock:
            template = self._find(name, template_type)
            found = [template.versions[n] for n in sorted(template.versions, reverse=True)]
        return _page(found, page_size, next_token)


def _page(items: list[Any], page_size: int | str | None, next_token: str | None):  # type: ignore[no-untyped-def]
    start = 0
    if next_token:
        try:
            start = int(next_token)
        except ValueError:
            raise TemplateError(f"NextToken {next_token!r} is not valid", "NextToken") from None
    size = len(items) if page_size in (None, "") else _version_number(page_size, "PageSize")
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


# Validation -------------------------------------------------------------------------------------


def _require_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TemplateError(f"{where} must be a string, got {type(value).__name__}", where)
    return value


def _require_one_of(value: Any, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise TemplateError(f"{where} {value!r} is not valid; allowed: {', '.join(allowed)}", where)
    return value


def _check_struct(value: Any, where: str, members: Iterable[str], required: Iterable[str] = ()):  # type: ignore[no-untyped-def]
    if not isinstance(value, Mapping):
        raise TemplateError(f"{where} must be an object", where)
    members = tuple(members)
    for key in value:
        if key not in members:
            raise TemplateError(
                f"{where}.{key} is not a member of {where}; allowed: {', '.join(members)}",
                f"{where}.{key}",
            )
    for key in required:
        if value.get(key) in (None, ""):
            raise TemplateError(f"{where}.{key} is required", f"{where}.{key}")
    return value


def _check_size(type_key: str, parts: Mapping[str, str], where: str) -> None:
    limit = facts.TEMPLATE_MAX_CHARS.value[type_key]
    size = sum(len(part) for part in parts.values())
    if size > limit:
        raise TemplateError(
            f"{where} holds {size} characters; a {type_key} template allows at most {limit}",
            where,
        )


def validate_content(template_type: str, content: Mapping[str, Any]) -> dict[str, Any]:
    """Checks a ``<Type>TemplateRequest`` body and returns its stored members.

    Raises TemplateError (or TemplateSyntaxError for a part that is not valid Handlebars)
    naming the field and what is allowed; ``tags`` are kept out of the returned content.
    """
    template_type = check_type(template_type)
    if not isinstance(content, Mapping):
        raise TemplateError(f"{template_type} template content must be an object", "body")
    allowed = CONTENT_MEMBERS[template_type] + COMMON_MEMBERS
    for key in content:
        if key not in allowed:
            raise TemplateError(
                f"{key} is not a member of a {template_type} template; allowed: "
                f"{', '.join(allowed)}",
                key,
            )
    cleaned = {k: deepcopy(v) for k, v in content.items() if k != "tags" and v is not None}
    for key in ("TemplateDescription", "RecommenderId", "LanguageCode", "VoiceId"):
        if key in cleaned:
            _require_str(cleaned[key], key)
    if "DefaultSubstitutions" in cleaned:
        raw = _require_str(cleaned["DefaultSubstitutions"], "DefaultSubstitutions")
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError as error:
            raise TemplateError(
                f"DefaultSubstitutions must be a JSON object string: {error.msg}",
                "DefaultSubstitutions",
            ) from None
        if not isinstance(parsed, dict):
            raise TemplateError(
                "DefaultSubstitutions must be a JSON object of variable -> default value",
                "DefaultSubstitutions",
            )
    parts = template_parts(template_type, cleaned)
    for where, source in parts.items():
        _require_str(source, where)
    if template_type == "EMAIL":
        headers = cleaned.get("Headers", [])
        if not isinstance(headers, list):
            raise TemplateError("Headers must be a list of {Name, Value}", "Headers")
        if len(headers) > facts.MAX_EMAIL_HEADERS.value:
            raise TemplateError(
                f"Headers holds {len(headers)} headers; at most "
                f"{facts.MAX_EMAIL_HEADERS.value} are allowed",
                "Headers",
            )
        for i, header in enumerate(headers):
            _check_struct(header, f"Headers[{i}]", ("Name", "Value"), ("Name",))
        _check_size("EMAIL", parts, "EmailTemplateRequest")
    elif template_type in ("SMS", "VOICE"):
        _check_size(template_type, parts, "Body")
    elif template_type == "PUSH":
        for service in PUSH_SERVICES:
            if service in cleaned:
                body = _check_struct(cleaned[service], service, _PUSH_FIELDS[service])
                if "Action" in body:
                    _require_one_of(body["Action"], PUSH_ACTIONS, f"{service}.Action")
                mine = {k: v for k, v in parts.items() if k.startswith(f"{service}.")}
                _check_size("ADM" if service == "ADM" else "PUSH", mine, service)
    elif template_type == "INAPP":
        _check_in_app(cleaned)
    for where, source in parts.items():
        check_syntax(source, where)
    return cleaned


def _check_in_app(cleaned: Mapping[str, Any]) -> None:
    if "Layout" in cleaned:
        _require_one_of(cleaned["Layout"], facts.IN_APP_LAYOUTS.value, "Layout")
    if "CustomConfig" in cleaned:
        config = cleaned["CustomConfig"]
        if not isinstance(config, Mapping) or not all(isinstance(v, str) for v in config.values()):
            raise TemplateError("CustomConfig must be a map of strings", "CustomConfig")
    modals = cleaned.get("Content", [])
    if not isinstance(modals, list):
        raise TemplateError("Content must be a list of in-app message modals", "Content")
    limit = facts.MAX_IN_APP_MODALS.value
    if len(modals) > limit:
        raise TemplateError(
            f"Content holds {len(modals)} messages; an in-app template allows at most {limit}",
            "Content",
        )
    members = ("BackgroundColor", "BodyConfig", "HeaderConfig", "ImageUrl")
    for i, modal in enumerate(modals):
        where = f"Content[{i}]"
        _check_struct(modal, where, (*members, "PrimaryBtn", "SecondaryBtn"))
        for config, text_key in (("BodyConfig", "Body"), ("HeaderConfig", "Header")):
            if config in modal:
                part = _check_struct(
                    modal[config],
                    f"{where}.{config}",
                    ("Alignment", text_key, "TextColor"),
                    ("Alignment", text_key, "TextColor"),
                )
                _require_one_of(part["Alignment"], ALIGNMENTS, f"{where}.{config}.Alignment")
        for button in ("PrimaryBtn", "SecondaryBtn"):
            if button in modal:
                _check_button(modal[button], f"{where}.{button}")
    _check_size("INAPP", {"Content": json.dumps(modals)}, "Content")


def _check_button(button: Any, where: str) -> None:
    _check_struct(button, where, ("Android", "DefaultConfig", "IOS", "Web"))
    for platform, config in button.items():
        members = ("ButtonAction", "Link")
        required: tuple[str, ...] = ("ButtonAction",)
        if platform == "DefaultConfig":
            members += ("BackgroundColor", "BorderRadius", "Text", "TextColor")
            required += ("Text",)
        _check_struct(config, f"{where}.{platform}", members, required)
        _require_one_of(config["ButtonAction"], BUTTON_ACTIONS, f"{where}.{platform}.ButtonAction")


def template_parts(template_type: str, content: Mapping[str, Any]) -> dict[str, str]:
    """Returns the renderable text parts of a content body, keyed by where they sit.

    EMAIL: ``Subject``, ``TextPart``, ``HtmlPart``, ``Headers[i].Value``; SMS and VOICE:
    ``Body``; PUSH: ``<Service>.<Field>`` for every text field but Action. In-app templates do
    not support variables, so they have no renderable parts.
    """
    parts: dict[str, str] = {}
    if template_type == "EMAIL":
        for key in ("Subject", "TextPart", "HtmlPart"):
            if content.get(key) is not None:
                parts[key] = content[key]
        for i, header in enumerate(content.get("Headers") or []):
            if isinstance(header, Mapping) and header.get("Value") is not None:
                parts[f"Headers[{i}].Value"] = header["Value"]
    elif template_type in ("SMS", "VOICE"):
        if content.get("Body") is not None:
            parts["Body"] = content["Body"]
    elif template_type == "PUSH":
        for service in PUSH_SERVICES:
            body = content.get(service)
            if isinstance(body, Mapping):
                for key, value in body.items():
                    if key != "Action" and value is not None:
                        parts[f"{service}.{key}"] = value
    return parts


# Handlebars -------------------------------------------------------------------------------------


def _compiled(source: str, part: str) -> handlebars.Template:
    try:
        return handlebars.compile_template(source)
    except handlebars.TemplateSyntaxError as error:
        raise TemplateSyntaxError(f"{part}: {error.message}", part) from None


def check_syntax(source: str, part: str = "Body") -> None:
    """Raises TemplateSyntaxError naming ``part`` unless ``source`` is valid Handlebars."""
    _compiled(source, part)


def render(
    source: str,
    context: Mapping[str, Any],
    *,
    part: str = "Body",
    html: bool = False,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> str:
    """Renders one template part against a context built by `endpoint_context`.

    ``now`` is the time the ``now`` helper shows (pass the simulated clock's time); ``rng``
    feeds ``uuid``. ``html`` escapes values as Handlebars does for HTML. Raises
    TemplateSyntaxError or TemplateRenderError (an unknown helper, a helper given bad values,
    output, work or nesting past the engine's bounds) naming ``part``.
    """
    template = _compiled(source, part)
    env = RenderEnv(now or DEFAULT_EPOCH, rng if rng is not None else np.random.default_rng(0))
    try:
        return template.render(dict(context), helpers=HELPERS, escape=html, env=env)
    except handlebars.UnknownHelper as error:
        message = f"{error.name!r} is not a helper Pinpoint templates have"
        raise TemplateRenderError(f"{part}: {message}", part) from None
    except handlebars.RenderError as error:
        raise TemplateRenderError(f"{part}: {error.message}", part) from None


# Contexts ---------------------------------------------------------------------------------------

_SEGMENT = re.compile(r"\[([^\]]+)\]|([^.\[\]]+)")
_LIST_MAPS = (("Attributes",), ("User", "UserAttributes"))


def _segments(path: str) -> list[str]:
    return [a or b for a, b in _SEGMENT.findall(path)]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _lookup(context: Mapping[str, Any], segments: list[str]) -> Any:
    value: Any = context
    for segment in segments:
        if not isinstance(value, Mapping):
            return None
        value = value.get(segment)
    return value


def _assign(context: dict[str, Any], segments: list[str], value: Any) -> None:
    here = context
    for segment in segments[:-1]:
        child = here.get(segment)
        if not isinstance(child, dict):
            child = here[segment] = {}
        here = child
    here[segments[-1]] = value


def _as_values(segments: list[str], value: Any) -> Any:
    listed = any(tuple(segments[: len(m)]) == m and len(segments) > len(m) for m in _LIST_MAPS)
    if isinstance(value, list):
        return Values(value)
    return Values([value]) if listed else value


def endpoint_context(
    endpoint: Mapping[str, Any] | None = None,
    default_substitutions: Mapping[str, Any] | str | None = None,
    substitutions: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Builds the data a template sees: the endpoint, then defaults, then substitutions.

    ``endpoint`` is an ``EndpointResponse``-shaped dict (``Address``, ``Attributes``,
    ``ChannelType``, ``Demographic``, ``Id``, ``Location``, ``Metrics``, ``User`` ...). Keys of
    ``default_substitutions`` (a dict or its JSON string) and ``substitutions`` (name -> list
    of strings) are variable paths such as ``User.UserAttributes.FirstName``.
    """
    context: dict[str, Any] = deepcopy(dict(endpoint or {}))
    for path in _LIST_MAPS:
        values = _lookup(context, list(path))
        if isinstance(values, Mapping):
            _assign(context, list(path), {k: Values(v) for k, v in values.items()})
    metrics = context.get("Metrics")
    if isinstance(metrics, Mapping):
        context["Metrics"] = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in metrics.items()
        }
    if isinstance(default_substitutions, str):
        default_substitutions = json.loads(default_substitutions) if default_substitutions else {}
    for path, value in (default_substitutions or {}).items():
        segments = _segments(path)
        if segments and _is_empty(_lookup(context, segments)):
            _assign(context, segments, _as_values(segments, value))
    for path, values in (substitutions or {}).items():
        segments = _segments(path)
        if segments:
            _assign(context, segments, Values(list(values)))
    return context


def render_content(
    template_type: str,
    content: Mapping[str, Any],
    context: Mapping[str, Any],
    *,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Returns ``content`` with every renderable part rendered (same shape as stored)."""
    template_type = check_type(template_type)
    rendered: dict[str, Any] = deepcopy(
        {k: v for k, v in content.items() if k in CONTENT_MEMBERS[template_type]}
    )
    rendered.pop("DefaultSubstitutions", None)
    for where, source in template_parts(template_type, content).items():
        html = where == "HtmlPart"
        value = render(source, context, part=where, html=html, now=now, rng=rng)
        if where.startswith("Headers["):
            rendered["Headers"][int(where[8 : where.index("]")])]["Value"] = value
        elif "." in where:
            service, key = where.split(".", 1)
            rendered[service][key] = value
        else:
            rendered[where] = value
    return rendered


def preview(
    template: TemplateVersion,
    endpoint: Mapping[str, Any] | None = None,
    substitutions: Mapping[str, Iterable[str]] | None = None,
    *,
    now: datetime | None = None,
    rng: np.random.Generator | None = None,
) -> dict[str, Any]:
    """Renders a template version for one endpoint: the parts a recipient would get."""
    context = endpoint_context(endpoint, template.default_substitutions, substitutions)
    return render_content(template.type, template.content, context, now=now, rng=rng)


__all__ = [
    "TEMPLATE_TYPES",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateRenderError",
    "TemplateStore",
    "TemplateSyntaxError",
    "TemplateVersion",
    "Values",
    "check_name",
    "check_syntax",
    "endpoint_context",
    "preview",
    "render",
    "render_content",
    "template_parts",
    "validate_content",
    "zone",
]
