"""The moto backend of ``pinpoint-sms-voice-v2``: one SMS and voice engine per account, Region.

When a customer opts out by keyword, the backend tells Pinpoint in the same account and Region,
whose endpoints keep an opt-out of their own: it finds that backend in moto's registry, as moto's
services find one another, and calls its ``sms_opted_out``.
"""

from __future__ import annotations

from typing import Any

from moto.backends import get_backend
from moto.core.base_backend import BackendDict, BaseBackend
from moto.moto_api._internal import mock_random

from simlab.aws.delivery import deliver
from simlab.aws.state import DEFAULT_REGION, current_account, state
from simlab.engage.otp import OtpStore
from simlab.engage.sms import SmsVoiceEngine


def _publish(topic_arn: str, text: str) -> None:
    deliver(topic_arn, text)


#: The bits ``uuid.UUID(int=..., version=4)`` clears, and those it sets (variant, version).
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)
#: moto's seeded random stream (one object for the life of the process; moto reseeds it).
_getrandbits = mock_random.getrandbits


def _new_id() -> str:
    """``str(mock_random.uuid4())``: the same 128 bits of moto's seeded stream, made a version
    4 UUID and written out as ``uuid.UUID`` writes it, without making one: its 32 hex digits,
    8-4-4-4-12. The first ten bytes are written a dash every two (``"aaaa-aaaa-bbbb-cccc-
    dddd"``) less the first dash, the last six after a dash: fewer strings made than a slice
    of the digits a group."""
    data = (_getrandbits(128) & _UUID4_CLEAR | _UUID4_SET).to_bytes(16)
    return data[:10].hex("-", 2).replace("-", "", 1) + "-" + data[10:].hex()


class SmsVoiceV2Backend(BaseBackend):
    """Holds the engine; the response class calls it."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        shared = state(account_id)
        self.engine = SmsVoiceEngine(
            clock=shared.clock,
            outbox=shared.outbox,
            rng=shared.rng,
            new_id=_new_id,
            account_id=account_id,
            region=region_name,
            deliver=deliver,
            publish=_publish,
        )
        self.engine.opt_out_listeners.append(self._opted_out)
        self.otp = OtpStore(shared.clock, shared.rng)

    def _opted_out(self, phone_number: str) -> None:
        """Passes a keyword opt-out to Pinpoint in the same account and Region, whose endpoints
        to that number turn OptOut=ALL (moto's own Pinpoint backend does not listen)."""
        pinpoint: Any = get_backend("pinpoint")[self.account_id][self.region_name]
        listener = getattr(pinpoint, "sms_opted_out", None)
        if listener is not None:
            listener(phone_number)


pinpointsmsvoicev2_backends = BackendDict(SmsVoiceV2Backend, "pinpoint-sms-voice-v2")


def backend(region: str = DEFAULT_REGION, account_id: str | None = None) -> SmsVoiceV2Backend:
    """The v2 backend of an account (the caller's by default) and Region in the open local AWS."""
    return pinpointsmsvoicev2_backends[account_id or current_account()][region]


def engine(region: str = DEFAULT_REGION, account_id: str | None = None) -> SmsVoiceEngine:
    """The SMS and voice engine of an account (the caller's by default) and Region."""
    found: SmsVoiceV2Backend = pinpointsmsvoicev2_backends[account_id or current_account()][region]
    return found.engine
