"""Which channel an endpoint is reached on, and which message member reaches it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simlab.primitives.channels import CAMPAIGN_MESSAGE_KEYS

PUSH_TYPES = (
    "GCM",
    "APNS",
    "APNS_SANDBOX",
    "APNS_VOIP",
    "APNS_VOIP_SANDBOX",
    "ADM",
    "BAIDU",
    "PUSH",
)

_PUSH_MESSAGE = {
    "GCM": "GCMMessage",
    "APNS": "APNSMessage",
    "APNS_SANDBOX": "APNSMessage",
    "APNS_VOIP": "APNSMessage",
    "APNS_VOIP_SANDBOX": "APNSMessage",
    "ADM": "ADMMessage",
    "BAIDU": "BaiduMessage",
}
#: The MessageConfiguration / TemplateConfiguration member that reaches each channel.
MESSAGE_KEYS = CAMPAIGN_MESSAGE_KEYS
TEMPLATE_KEYS = {"EMAIL": "EmailTemplate", "SMS": "SMSTemplate", "PUSH": "PushTemplate"}


def channel_of(endpoint: Mapping[str, Any]) -> str:
    """Returns the channel an endpoint is reached on: EMAIL, SMS, PUSH, CUSTOM, IN_APP or VOICE."""
    kind = str(endpoint.get("ChannelType", ""))
    return "PUSH" if kind in PUSH_TYPES else kind


def message_for(
    endpoint: Mapping[str, Any], messages: Mapping[str, Any], templates: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Returns the message and template configuration for the endpoint's channel, or None."""
    channel = channel_of(endpoint)
    if channel == "PUSH":
        key = _PUSH_MESSAGE.get(str(endpoint.get("ChannelType")), "DefaultMessage")
        message = messages.get(key) or messages.get("DefaultMessage")
        config = {key: message} if message else {}
    else:
        key = MESSAGE_KEYS.get(channel, "")
        config = {key: messages[key]} if key and messages.get(key) else {}
    template_key = TEMPLATE_KEYS.get(channel, "")
    template = {template_key: templates[template_key]} if templates.get(template_key) else {}
    if not config and not template:
        return None
    return config, template
