"""Amazon Pinpoint (``pinpoint``, 2016-12-01) served by simlab's engagement engine."""

from simlab.aws import registry
from simlab.aws.services.pinpoint.engagement import Engagement, engines_for
from simlab.aws.services.pinpoint.models import PinpointEngineBackend

__all__ = ["Engagement", "PinpointEngineBackend", "engines_for", "register"]


def register() -> None:
    """Makes moto build ``PinpointEngineBackend`` for ``pinpoint``."""
    registry.extend("pinpoint", PinpointEngineBackend)
