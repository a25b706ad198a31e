"""Amazon Pinpoint (``pinpoint``, 2016-12-01) served by simlab's engagement engine."""

from simlab.aws import registry
from simlab.aws.services.pinpoint.models import PinpointEngineBackend


def register() -> None:
    registry.extend("pinpoint", PinpointEngineBackend)
