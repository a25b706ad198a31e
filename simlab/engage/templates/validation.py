"""What a template may hold: names, types, content members per type, sizes and valid Handlebars.

Every refusal is a ``TemplateError`` (BadRequestException) naming the member at fault; the limits
come from ``simlab.facts.pinpoint``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from copy import deepcopy
from typing import Any

from simlab.engage.templates.errors import TemplateError
from simlab.engage.templates.rendering import check_syntax
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


def _require_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TemplateError(f"{where} must be a string, got {type(value).__name__}", where)
    return value


def _require_one_of(value: Any, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise TemplateError(f"{where} {value!r} is not valid; allowed: {', '.join(allowed)}", where)
    return str(value)


def _check_struct(
    value: Any, where: str, members: Iterable[str], required: Iterable[str] = ()
) -> Mapping[str, Any]:
    """Returns ``value``; raises TemplateError unless it is an object of ``members`` holding
    every ``required`` one."""
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
        members: tuple[str, ...] = ("ButtonAction", "Link")
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
