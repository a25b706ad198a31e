"""What every channel of a project's gateway shares: the project, its backends, the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moto.backends import get_backend
from moto.moto_api._internal import mock_random

from simlab.aws.services.pinpoint.channel_events import ChannelEvents
from simlab.aws.services.smsvoicev2.models import engine
from simlab.aws.state import state
from simlab.engage.deliverability import Model
from simlab.engage.outbox import Acting
from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.sends import PUSH_CHANNELS, Outgoing, Result
from simlab.engage.sms import SmsVoiceEngine

if TYPE_CHECKING:
    from simlab.aws.services.pinpoint.models import Project


@dataclass
class GatewayCore:
    """One project's send: its backends, looked up once, and its outbox entries."""

    project: Project
    model: Model
    context: dict[str, str] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)  # ids of recipients in the outbox

    def __post_init__(self) -> None:
        self.state = state()  # looked up once per request: moto's backend lookups are not free
        self.stream = ChannelEvents(self.project, self.state)
        self._sms_engine: SmsVoiceEngine | None = None
        self._ses: Any = None
        self._origins: dict[tuple[str, str | None, str | None], Any] = {}

    @property
    def sms(self) -> SmsVoiceEngine:
        """The End User Messaging engine of the project's account and Region."""
        if self._sms_engine is None:
            self._sms_engine = engine(self.project.region, self.project.account_id)
        return self._sms_engine

    @property
    def ses(self) -> Any:
        """The SES backend of the project's account and Region."""
        if self._ses is None:
            self._ses = get_backend("ses")[self.project.account_id][self.project.region]
        return self._ses

    # -- outbox and stream -----------------------------------------------------------------

    def _detail(self, message: Outgoing) -> dict[str, Any]:
        return {
            "app_id": self.project.app_id,
            "endpoint_id": message.recipient.endpoint_id,
            "channel_type": message.channel,
            "context": dict(message.context),
        }

    def _acting(self, message: Outgoing) -> Any:
        """Lets the carrier's outbox entry stand for this Pinpoint message."""
        self.recorded.add(id(message.recipient))
        return self.state.outbox.acting_for("pinpoint", **self._detail(message))

    def _refused(
        self, acting: Acting, message: Outgoing, status: str, origin: str, reason: str, carrier: str
    ) -> None:
        """Records a message its carrier refused: the carrier's entry if it wrote one."""
        if acting.messages:
            old = acting.messages[0]
            acting.update(
                status=status,
                message_id=f"rejected-{mock_random.uuid4()}",
                detail={**old.detail, "carrier_status": old.status, "reason": reason},
            )
        else:
            self._record(message, "", status, origin, {"reason": reason, "carrier": carrier})

    def _failed(
        self, message: Outgoing, reason: str, origin: str = "", carrier: str = ""
    ) -> Result:
        detail = {"reason": reason, **({"carrier": carrier} if carrier else {})}
        self._record(message, "", "FAILED", origin, detail)
        return Result(message.recipient, "PERMANENT_FAILURE", 400, reason)

    def _record(
        self,
        message: Outgoing,
        message_id: str,
        status: str,
        origin: str,
        detail: dict[str, Any],
    ) -> None:
        channel = "PUSH" if message.channel in PUSH_CHANNELS else message.channel
        self.recorded.add(id(message.recipient))
        self.state.outbox.add(
            OutboxMessage(
                channel=channel,
                service="pinpoint",
                origin=origin,
                destination=message.address,
                body=message.body if message.raw_content is None else message.raw_content,
                message_id=message_id or f"rejected-{mock_random.uuid4()}",
                sent_at=self.state.clock.now(),
                status=status,
                subject=message.title,
                detail={"carrier": "pinpoint", **self._detail(message), **detail},
            )
        )
