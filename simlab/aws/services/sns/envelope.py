"""The JSON envelope SNS wraps a notification in, signed as SNS signs it (SignatureVersion 2).

Used for SQS (without raw delivery), HTTP/S, email-json and Lambda. The string to sign lists
Message, MessageId, Subject (when there is one), Timestamp, TopicArn and Type, each name and
value on its own line (SNS Developer Guide, "Verifying the signatures of Amazon SNS messages").
A ``SubscriptionConfirmation`` is signed over Message, MessageId, SubscribeURL, Timestamp,
Token, TopicArn and Type. The signing certificate is served at ``SigningCertURL`` by moto's
``.pem`` route in-process and by ``GET /simlab/sns/certificate`` over HTTP.
"""

from __future__ import annotations

import base64
import threading
from datetime import timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import cryptography.x509 as x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import iso_8601_datetime_with_milliseconds, utcnow
from moto.moto_api._internal import mock_random

SIGNATURE_VERSION = "2"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Signer:
    """Signs notifications for one Region; its certificate is published once, lazily."""

    def __init__(self, region: str) -> None:
        self.region = region
        self._key_name = ""

    def key_name(self) -> str:
        """The certificate's file name, publishing the certificate on first use."""
        with _lock:
            if not self._key_name:
                self._key_name = self._publish_certificate()
            return self._key_name

    def _publish_certificate(self) -> str:
        from moto.sns.models import sns_backends

        key = _private_key()
        issuer = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amazon"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Amazon RSA 2048 M01"),
        ]
        subject = [x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")]
        now = utcnow()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(subject))
            .issuer_name(x509.Name(issuer))
            .public_key(key.public_key())
            .serial_number(int(mock_random.uuid4().hex, 16))
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .sign(key, hashes.SHA256())
        )
        name = f"SimpleNotificationService-{mock_random.uuid4().hex}.pem"
        # moto serves /<name>.pem from the default account's backend of the Region.
        backend = sns_backends[DEFAULT_ACCOUNT_ID][self.region]
        backend._message_public_keys[name] = certificate.public_bytes(serialization.Encoding.PEM)
        return name

    def _signed(self, fields: list[tuple[str, str]]) -> dict[str, str]:
        """Signs ``fields`` (in SNS's order of names) and adds the signature fields."""
        text = "".join(f"{name}\n{value}\n" for name, value in fields)
        signature = _private_key().sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
        return {
            "SignatureVersion": SIGNATURE_VERSION,
            "Signature": base64.b64encode(signature).decode(),
            "SigningCertURL": f"{self.host}/{self.key_name()}",
        }

    @property
    def host(self) -> str:
        return f"https://sns.{self.region}.amazonaws.com"

    def notification(
        self,
        *,
        topic_arn: str,
        subscription_arn: str,
        message_id: str,
        message: str,
        subject: str | None,
        message_attributes: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Returns the signed ``Notification`` envelope as SNS delivers it."""
        timestamp = iso_8601_datetime_with_milliseconds()
        signed = [("Message", message), ("MessageId", message_id)]
        if subject:
            signed.append(("Subject", subject))
        signed += [("Timestamp", timestamp), ("TopicArn", topic_arn), ("Type", "Notification")]
        envelope: dict[str, Any] = {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": topic_arn,
            "Message": message,
            "Timestamp": timestamp,
            **self._signed(signed),
            "UnsubscribeURL": f"{self.host}/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
        }
        if subject:
            envelope["Subject"] = subject
        if message_attributes:
            envelope["MessageAttributes"] = message_attributes
        return envelope

    def subscription_confirmation(
        self, *, topic_arn: str, token: str, message_id: str, endpoint: str
    ) -> dict[str, Any]:
        """Returns the signed ``SubscriptionConfirmation`` message sent to a new endpoint."""
        timestamp = iso_8601_datetime_with_milliseconds()
        subscribe_url = confirmation_url(self.region, topic_arn, token, endpoint)
        message = (
            f"You have chosen to subscribe to the topic {topic_arn}.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message."
        )
        signed = [
            ("Message", message),
            ("MessageId", message_id),
            ("SubscribeURL", subscribe_url),
            ("Timestamp", timestamp),
            ("Token", token),
            ("TopicArn", topic_arn),
            ("Type", "SubscriptionConfirmation"),
        ]
        return {"Type": "SubscriptionConfirmation", **dict(signed), **self._signed(signed)}


def confirmation_url(region: str, topic_arn: str, token: str, endpoint: str) -> str:
    """The link that confirms a subscription (it calls ConfirmSubscription with the token)."""
    query = urlencode({"TopicArn": topic_arn, "Token": token, "Endpoint": endpoint})
    return f"https://sns.{region}.amazonaws.com/confirmation.html?{query}"


def confirmation_text(topic_arn: str, url: str) -> str:
    """The body of the email that asks an ``email`` subscriber to confirm."""
    return (
        f"You have chosen to subscribe to the topic:\n{topic_arn}\n\n"
        "To confirm this subscription, click or visit the link below "
        f"(If this was in error no action is necessary):\n{url}\n\n"
        "Please do not reply directly to this email."
    )


def email_text(message: str, *, subscription_arn: str, endpoint: str, region: str) -> str:
    """The body of an ``email`` notification: the message, then how to unsubscribe."""
    link = (
        f"https://sns.{region}.amazonaws.com/unsubscribe.html?"
        f"SubscriptionArn={subscription_arn}&Endpoint={endpoint}"
    )
    return (
        f"{message}\n\n--\n"
        "If you wish to stop receiving notifications from this topic, please click or visit "
        f"the link below to unsubscribe:\n{link}\n\n"
        "Please do not reply directly to this email."
    )
