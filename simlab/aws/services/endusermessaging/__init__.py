"""AWS End User Messaging (``endusermessaging``): brand profiles, jobs and Notify code verification.

Served in-process and in server mode. Codes go out through the SMS and voice engine of
``pinpoint-sms-voice-v2`` and land in the outbox like any other text or call.
"""

from simlab.aws import registry
from simlab.aws.services.endusermessaging import models
from simlab.aws.services.endusermessaging.models import backend

__all__ = ["backend", "register"]

URL_BASES = [r"https?://end-user-messaging\.(.+)\.amazonaws\.com"]


def register() -> None:
    registry.add_service("endusermessaging", models, URL_BASES)
