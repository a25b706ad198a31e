"""Identities as SES reports them: distinct seeded tokens, DKIM, policies, notification settings.

Each identity gets its own verification token and (for a domain) its own three DKIM tokens,
derived from the local AWS's seed and the identity's name, so a rerun prints the same tokens
and two domains never share them. An identity the account has verified is verified for sending.
Identity policies are the sending-authorization policies of the SES Developer Guide
(https://docs.aws.amazon.com/ses/latest/dg/sending-authorization-policies.html): JSON
documents of at most 4 KB, at most 20 per identity.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

from moto.ses.models import EmailIdentity

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.state import state

#: Sending-authorization limits (SES Developer Guide, sending authorization policies).
MAX_POLICIES_PER_IDENTITY = 20
MAX_POLICY_BYTES = 4096
NOTIFICATION_TYPES = ("Bounce", "Complaint", "Delivery")


def _digest(*parts: str) -> bytes:
    text = "\x1f".join((str(state().seed), *parts))
    return hashlib.sha256(text.encode()).digest()


def verification_token(identity: str) -> str:
    """The TXT-record token of ``identity``: 44 base64 characters, as SES issues them."""
    return base64.b64encode(_digest("verification", identity.lower())).decode()


def dkim_tokens(domain: str) -> list[str]:
    """The three Easy DKIM CNAME tokens of ``domain``, 32 lowercase base32 characters each."""
    return [
        base64.b32encode(_digest("dkim", domain.lower(), str(i))[:20]).decode().lower()
        for i in range(3)
    ]


if TYPE_CHECKING:  # the mixin's methods build on moto's backend
    from moto.ses.models import SESBackend as _Base
else:
    _Base = object


class IdentityMixin(_Base):
    """Identity reporting and settings for ``SimlabSESBackend`` (moto's fields, filled in)."""

    email_identities: dict[str, EmailIdentity]
    sns_topics: dict[str, dict[str, Any]]
    dkim_tokens: dict[str, list[str]]

    def create_email_identity_v2(
        self,
        email_identity: str,
        tags: list[dict[str, str]] | None,
        dkim_signing_attributes: object | None,
        configuration_set_name: str | None,
    ) -> EmailIdentity:
        """Creates an identity verified for sending, with its own DKIM tokens if a domain."""
        identity: EmailIdentity = super().create_email_identity_v2(
            email_identity, tags, dkim_signing_attributes, configuration_set_name
        )
        identity.verified_for_sending_status = identity.verification_status == "SUCCESS"
        if identity.identity_type == "DOMAIN":
            tokens = dkim_tokens(email_identity)
            self.dkim_tokens[email_identity] = tokens
            if not isinstance(dkim_signing_attributes, dict):  # Easy DKIM, not BYODKIM
                identity.dkim_attributes.update(
                    SigningEnabled=True, Status="SUCCESS", Tokens=tokens
                )
        return identity

    def identity(self, name: str) -> EmailIdentity:
        """The identity ``name``; raises ``InvalidParameterValue`` naming it if absent."""
        found = self.email_identities.get(name)
        if found is None:
            raise errors.InvalidParameterValue(f"Identity {name} does not exist.")
        return found

    def get_identity_verification_attributes(
        self, identities: list[str] | None = None
    ) -> dict[str, dict[str, str]]:
        result = {}
        for name in identities or []:
            identity = self.email_identities.get(name)
            if identity is None:
                continue
            status = {"SUCCESS": "Success", "PENDING": "Pending", "FAILED": "Failed"}.get(
                identity.verification_status, "NotStarted"
            )
            entry = {"VerificationStatus": status}
            if identity.identity_type == "DOMAIN":
                entry["VerificationToken"] = verification_token(name)
            result[name] = entry
        return result

    def get_identity_dkim_attributes(self, identities: list[str]) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for name in identities:
            identity = self.email_identities.get(name)
            if identity is None:
                result[name] = {"DkimEnabled": True, "DkimVerificationStatus": "NotStarted"}
                continue
            entry: dict[str, Any] = {
                "DkimEnabled": bool(getattr(identity, "dkim_enabled", True)),
                "DkimVerificationStatus": "Success",
            }
            if identity.identity_type == "DOMAIN":
                entry["DkimTokens"] = self.dkim_tokens.setdefault(name, dkim_tokens(name))
            result[name] = entry
        return result

    def set_identity_dkim_enabled(self, name: str, enabled: bool) -> None:
        """Turns DKIM signing on or off; raises ``InvalidParameterValue`` for no identity."""
        identity = self.identity(name)
        identity.dkim_enabled = bool(enabled)  # type: ignore[attr-defined]
        identity.dkim_attributes["SigningEnabled"] = bool(enabled)

    def get_identity_notification_attributes(
        self, identities: list[str]
    ) -> dict[str, dict[str, Any]]:
        """Topics, forwarding and header settings of each identity, as set."""
        result = {}
        for name in identities:
            config = self.sns_topics.get(name, {})
            entry: dict[str, Any] = {
                "ForwardingEnabled": config.get("feedback_forwarding_enabled", True),
            }
            for kind in NOTIFICATION_TYPES:
                if config.get(kind):
                    entry[f"{kind}Topic"] = config[kind]
                entry[f"HeadersIn{kind}NotificationsEnabled"] = bool(
                    config.get(f"headers_{kind}", False)
                )
            result[name] = entry
        return result

    def set_identity_headers_in_notifications_enabled(
        self, name: str, kind: str, enabled: bool
    ) -> None:
        """Includes (or not) the original headers in one type of notification."""
        self.identity(name)
        if kind not in NOTIFICATION_TYPES:
            raise errors.InvalidParameterValue(
                f"NotificationType must be one of {', '.join(NOTIFICATION_TYPES)}."
            )
        self.sns_topics.setdefault(name, {})[f"headers_{kind}"] = bool(enabled)

    # -- sending-authorization policies ------------------------------------------------------

    def put_identity_policy(self, name: str, policy_name: str, policy: str) -> None:
        """Stores a policy; raises ``InvalidPolicy`` for one that is not a policy document."""
        identity = self.identity(name)
        if len(policy.encode()) > MAX_POLICY_BYTES:
            raise errors.InvalidPolicy(f"Policy exceeds {MAX_POLICY_BYTES} bytes.")
        try:
            document = json.loads(policy)
        except ValueError:
            raise errors.InvalidPolicy("Policy is not valid JSON.") from None
        if not isinstance(document, dict) or not document.get("Statement"):
            raise errors.InvalidPolicy("Policy must be a JSON object with a Statement.")
        if policy_name not in identity.policies and len(identity.policies) >= (
            MAX_POLICIES_PER_IDENTITY
        ):
            raise errors.InvalidPolicy(
                f"An identity can have at most {MAX_POLICIES_PER_IDENTITY} policies."
            )
        identity.policies[policy_name] = policy

    def get_identity_policies(self, name: str, policy_names: list[str]) -> dict[str, str]:
        identity = self.identity(name)
        return {p: identity.policies[p] for p in policy_names if p in identity.policies}

    def list_identity_policies(self, name: str) -> list[str]:
        return sorted(self.identity(name).policies)

    def delete_identity_policy(self, name: str, policy_name: str) -> None:
        self.identity(name).policies.pop(policy_name, None)

    def delete_verified_email_address(self, address: str) -> None:
        """Deletes an email identity; deleting one that does not exist changes nothing."""
        identity = self.email_identities.get(address)
        if identity is not None and identity.identity_type == "EMAIL_ADDRESS":
            del self.email_identities[address]
