"""Mobile push through SNS: platform applications with the credentials each platform needs, and
a message pushed to a platform endpoint with the payload ``MessageStructure=json`` picks."""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.moto_api._internal import mock_random
from moto.sns.exceptions import (
    InvalidParameterValue,
    SnsEndpointDisabled,
    SNSException,
    SNSInvalidParameter,
)
from moto.sns.models import PlatformApplication, PlatformEndpoint, SNSBackend, Subscription

from simlab.aws.state import state
from simlab.engage.outbox_messages import OutboxMessage

#: Platforms ``CreatePlatformApplication`` accepts, and the attributes each one needs.
PLATFORM_CREDENTIALS: dict[str, tuple[str, ...]] = {
    "ADM": ("PlatformPrincipal", "PlatformCredential"),
    "APNS": ("PlatformPrincipal", "PlatformCredential"),
    "APNS_SANDBOX": ("PlatformPrincipal", "PlatformCredential"),
    "BAIDU": ("PlatformPrincipal", "PlatformCredential"),
    "GCM": ("PlatformCredential",),
    "MPNS": ("PlatformPrincipal", "PlatformCredential"),
    "WNS": ("PlatformPrincipal", "PlatformCredential"),
}


class PlatformApplicationDisabled(SNSException):
    code = "PlatformApplicationDisabled"


def structured(message: str) -> dict[str, Any]:
    """Parses a ``MessageStructure=json`` message; it must hold a string ``default``."""
    try:
        payloads = json.loads(message)
    except json.JSONDecodeError:
        raise InvalidParameterValue(
            "Invalid parameter: Message Structure - JSON message body failed to parse"
        ) from None
    if not isinstance(payloads, dict) or not isinstance(payloads.get("default"), str):
        raise InvalidParameterValue(
            "Invalid parameter: Message Structure - No default entry in JSON message body"
        )
    return payloads


class Push(SNSBackend):
    """Platform applications and pushes to their endpoints."""

    _lock: threading.RLock

    def _check_endpoint(self, arn: str) -> None:
        """Raises the error SNS gives for a disabled application or endpoint."""
        endpoint: PlatformEndpoint = self.get_endpoint(arn)
        if str(endpoint.application.attributes.get("Enabled", "true")).lower() == "false":
            raise PlatformApplicationDisabled("Platform application is disabled.")
        if not endpoint.enabled:
            raise SnsEndpointDisabled("Endpoint is disabled")

    def send_push(
        self,
        endpoint_arn: str,
        message: str,
        message_structure: str | None,
        *,
        message_id: str | None = None,
        via: Subscription | None = None,
    ) -> str:
        """Pushes to a platform endpoint; returns the new message ID, or the outbox status.

        Published directly, a disabled endpoint or application is refused with SNS's error;
        through a topic, the delivery fails and the outbox records it.
        """
        endpoint: PlatformEndpoint = self.get_endpoint(endpoint_arn)
        application: PlatformApplication = endpoint.application
        platform = application.platform
        key = "default"
        text = message
        if message_structure == "json":
            payloads = structured(message)
            key = platform if isinstance(payloads.get(platform), str) else "default"
            text = payloads[key]
        reason = ""
        if str(application.attributes.get("Enabled", "true")).lower() == "false":
            reason = "PlatformApplicationDisabled: Platform application is disabled."
            if via is None:
                raise PlatformApplicationDisabled("Platform application is disabled.")
        elif not endpoint.enabled:
            reason = "EndpointDisabled: Endpoint is disabled"
            if via is None:
                raise SnsEndpointDisabled("Endpoint is disabled")
        new_id = message_id or str(mock_random.uuid4())
        if not reason:
            endpoint.messages[new_id] = text  # moto's own record
        detail: dict[str, Any] = {
            "platform": platform,
            "token": endpoint.token,
            "endpoint_arn": endpoint.arn,
            "application_arn": application.arn,
            "payload_key": key,
        }
        if reason:
            detail["reason"] = reason
        if via is not None:
            detail.update(topic_arn=via.topic.arn, subscription_arn=via.arn)
        status = "FAILED" if reason else "DELIVERED"
        state().outbox.add(
            OutboxMessage(
                channel="PUSH",
                service="sns",
                origin=application.name,
                destination=endpoint.token,
                body=text,
                message_id=new_id,
                sent_at=state().clock.now(),
                status=status,
                detail=detail,
            )
        )
        return new_id if via is None else status

    def create_platform_application(
        self, name: str, platform: str, attributes: dict[str, str]
    ) -> PlatformApplication:
        """Creates an application for a supported platform with the credentials it needs."""
        if platform not in PLATFORM_CREDENTIALS:
            raise SNSInvalidParameter(
                f"Invalid parameter: Platform Reason: {platform!r} is not supported; "
                f"use one of {', '.join(PLATFORM_CREDENTIALS)}"
            )
        missing = [a for a in PLATFORM_CREDENTIALS[platform] if not attributes.get(a)]
        if missing:
            raise SNSInvalidParameter(
                f"Invalid parameter: Attributes Reason: {platform} needs {' and '.join(missing)}"
            )
        with self._lock:
            return super().create_platform_application(name, platform, attributes)
