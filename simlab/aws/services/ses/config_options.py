"""Configuration set options both APIs set: tracking, delivery and sending.

Tracking options name a custom redirect domain for open and click links, which must be a
verified identity (SES API reference, CreateConfigurationSetTrackingOptions:
https://docs.aws.amazon.com/ses/latest/APIReference/API_CreateConfigurationSetTrackingOptions.html);
delivery options choose the TLS policy (``Require`` or ``Optional``) and, in SES v2, the
dedicated IP pool and how long SES keeps retrying (300 to 50,400 seconds).
"""

from __future__ import annotations

from typing import Any

from moto.ses.models import ConfigurationSet, EmailIdentity

from simlab.aws.services.ses import exceptions as errors

TLS_POLICIES = ("REQUIRE", "OPTIONAL")
HTTPS_POLICIES = ("REQUIRE", "REQUIRE_OPEN_ONLY", "OPTIONAL")
MAX_DELIVERY_SECONDS = (300, 50_400)


class ConfigSetOptionsMixin:
    """Option setters for ``SimlabSESBackend``; v1 errors, which SES v2 maps to its own."""

    config_sets: dict[str, ConfigurationSet]
    email_identities: dict[str, EmailIdentity]
    dedicated_ip_pools: dict[str, Any]

    def config_set(self, name: str) -> ConfigurationSet:
        """The configuration set ``name``; raises ``ConfigurationSetDoesNotExist``."""
        found = self.config_sets.get(name)
        if found is None:
            raise errors.ConfigurationSetDoesNotExist(f"Configuration set <{name}> does not exist.")
        return found

    def _tracking(self, options: dict[str, Any]) -> dict[str, Any]:
        domain = options.get("CustomRedirectDomain")
        if not domain or domain.lower() not in self.email_identities:
            raise errors.InvalidTrackingOptions(
                f"CustomRedirectDomain {domain!r} is not a verified domain of this account."
            )
        policy = options.get("HttpsPolicy")
        if policy is not None and policy not in HTTPS_POLICIES:
            raise errors.InvalidTrackingOptions(
                f"HttpsPolicy must be one of {', '.join(HTTPS_POLICIES)}."
            )
        return {k: v for k, v in options.items() if v is not None}

    def create_tracking_options(self, name: str, options: dict[str, Any]) -> None:
        config_set = self.config_set(name)
        if config_set.tracking_options:
            raise errors.TrackingOptionsAlreadyExists(
                f"Configuration set <{name}> already has tracking options."
            )
        config_set.tracking_options = self._tracking(options)

    def update_tracking_options(self, name: str, options: dict[str, Any]) -> None:
        config_set = self.config_set(name)
        if not config_set.tracking_options:
            raise errors.TrackingOptionsDoesNotExist(
                f"Configuration set <{name}> has no tracking options."
            )
        config_set.tracking_options = self._tracking(options)

    def put_tracking_options(self, name: str, options: dict[str, Any]) -> None:
        """Sets or (with no domain) clears tracking options, as SES v2 does."""
        config_set = self.config_set(name)
        config_set.tracking_options = self._tracking(options) if options else {}

    def delete_tracking_options(self, name: str) -> None:
        config_set = self.config_set(name)
        if not config_set.tracking_options:
            raise errors.TrackingOptionsDoesNotExist(
                f"Configuration set <{name}> has no tracking options."
            )
        config_set.tracking_options = {}

    def put_delivery_options(self, name: str, options: dict[str, Any]) -> None:
        """Sets TLS policy, sending pool and retry time; raises ``InvalidDeliveryOptions``."""
        config_set = self.config_set(name)
        checked = {k: v for k, v in (options or {}).items() if v is not None}
        policy = str(checked.get("TlsPolicy", "Optional")).upper()
        if policy not in TLS_POLICIES:
            raise errors.InvalidDeliveryOptions("TlsPolicy must be Require or Optional.")
        pool = checked.get("SendingPoolName")
        if pool and pool not in self.dedicated_ip_pools:
            raise errors.InvalidDeliveryOptions(
                f"SendingPoolName {pool} is not a dedicated IP pool."
            )
        seconds = checked.get("MaxDeliverySeconds")
        low, high = MAX_DELIVERY_SECONDS
        if seconds is not None and not low <= int(seconds) <= high:
            raise errors.InvalidDeliveryOptions(
                f"MaxDeliverySeconds must be between {low} and {high}."
            )
        config_set.delivery_options = checked

    def set_sending_enabled(self, name: str, enabled: bool) -> None:
        """Pauses or resumes sending through one configuration set."""
        config_set = self.config_set(name)
        sending = config_set.enabled if isinstance(config_set.enabled, dict) else {}
        config_set.enabled = {**sending, "SendingEnabled": bool(enabled)}
