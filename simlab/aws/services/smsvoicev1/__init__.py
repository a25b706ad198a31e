"""Amazon Pinpoint SMS and Voice v1 (``pinpoint-sms-voice``), still in AWS's voice examples.

Its eight operations are served in-process and in server mode: configuration sets with their
event destinations, and ``SendVoiceMessage``, which places the call through the same SMS and
voice engine as the v2 API (origination, opt-outs, sandbox, spend and call limits apply).
"""

from simlab.aws import registry
from simlab.aws.services.smsvoicev1 import models

__all__ = ["register"]

URL_BASES = [r"https?://sms-voice\.pinpoint\.(.+)\.amazonaws\.com"]


def register() -> None:
    # v2's URL base also matches v1's host, so v2 registers first and v1's base goes before it.
    from simlab.aws.services import smsvoicev2

    smsvoicev2.register()
    registry.add_service("pinpoint-sms-voice", models, URL_BASES)
