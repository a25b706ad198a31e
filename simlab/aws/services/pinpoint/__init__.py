"""Amazon Pinpoint (``pinpoint``, 2016-12-01) served by simlab's engagement engine."""

from simlab.aws import registry
from simlab.aws.services.pinpoint.channels import opt_out_sms_endpoints
from simlab.aws.services.pinpoint.engagement import Engagement, engines_for
from simlab.aws.services.pinpoint.models import PinpointEngineBackend
from simlab.aws.services.smsvoicev2.models import on_opt_out

__all__ = ["Engagement", "PinpointEngineBackend", "engines_for", "register"]


def register() -> None:
    """Makes moto build ``PinpointEngineBackend`` for ``pinpoint``."""
    registry.extend("pinpoint", PinpointEngineBackend)
    on_opt_out(opt_out_sms_endpoints)  # a customer's STOP reaches Pinpoint's endpoints
