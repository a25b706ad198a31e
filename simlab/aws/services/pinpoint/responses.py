"""The Pinpoint REST API: moto's handlers for apps and settings, simlab's for the rest."""

from __future__ import annotations

from moto.pinpoint.responses import PinpointResponse as MotoPinpointResponse

from simlab.aws.services.pinpoint.otp_api import OtpHandlers
from simlab.aws.services.pinpoint.templates_api import TemplateHandlers


class PinpointResponse(TemplateHandlers, OtpHandlers, MotoPinpointResponse):
    """Answers every ``/v1/...`` request; the operation comes from botocore's model."""
