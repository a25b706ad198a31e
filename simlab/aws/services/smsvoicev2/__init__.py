"""AWS End User Messaging SMS and voice (``pinpoint-sms-voice-v2``), which moto lacks.

Served in-process and in server mode; the engine is ``simlab.engage.sms``. Learners reach the
customer's side through ``aws.sms`` (``reply``, ``leave_sandbox`` ...) and, in server mode,
``POST /simlab/sms/inbound``.
"""

from simlab.aws import registry
from simlab.aws.services.smsvoicev2 import facade, models, routes
from simlab.aws.services.smsvoicev2.models import engine

__all__ = ["engine", "register"]

URL_BASES = [r"https?://sms-voice\.(.+)\.amazonaws\.com"]


def register() -> None:
    registry.add_service("pinpoint-sms-voice-v2", models, URL_BASES)
    registry.facade("sms", facade.SmsFacade)
    routes.install()
