"""The ``pinpoint-sms-voice-v2`` JSON 1.0 API: each handler turns a request into an engine call.

Requests are parsed and responses serialized by moto from botocore's model; ``EngineResponse``
checks each against its input shape and renders engine errors as the modeled exceptions with
their ``Reason``/``Fields``/``ResourceType`` members; an operation of the model that simlab does
not emulate answers ``ValidationException`` (``UNKNOWN_OPERATION``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.request import Request
from moto.core.responses import ActionResult

from simlab.aws.services.request_types import PARSE_ERRORS
from simlab.aws.services.smsvoicev2.extras import Extras, extras
from simlab.aws.services.smsvoicev2.identities_api import IdentityHandlers
from simlab.aws.services.smsvoicev2.json_api import EngineException, EngineResponse
from simlab.aws.services.smsvoicev2.misc_api import MiscHandlers
from simlab.aws.services.smsvoicev2.models import pinpointsmsvoicev2_backends
from simlab.aws.services.smsvoicev2.notify_api import NotifyHandlers
from simlab.aws.services.smsvoicev2.protect_api import ProtectHandlers
from simlab.aws.services.smsvoicev2.rcs_api import RcsHandlers
from simlab.aws.services.smsvoicev2.registrations_api import RegistrationHandlers
from simlab.engage.protect import REQUESTED
from simlab.engage.sms import SmsError, SmsVoiceEngine

SERVICE_NAME = "pinpoint-sms-voice-v2"


def as_service_exception(error: SmsError) -> ServiceException:
    """The moto exception that serializes as ``error``'s modeled exception (v2 member names)."""
    exception = EngineException(error.code, error.message)
    for name, value in error.members().items():
        setattr(exception, name, value)
    return exception


class SmsVoiceV2Response(
    IdentityHandlers,
    RegistrationHandlers,
    ProtectHandlers,
    NotifyHandlers,
    RcsHandlers,
    MiscHandlers,
    EngineResponse,
):
    """Answers ``PinpointSMSVoiceV2.<Operation>`` requests."""

    SERVICE_NAME = SERVICE_NAME

    @property
    def engine(self) -> SmsVoiceEngine:
        return pinpointsmsvoicev2_backends[self.current_account][self.region].engine

    @property
    def extras(self) -> Extras:
        return extras(pinpointsmsvoicev2_backends[self.current_account][self.region])

    def render(self, error: SmsError) -> ServiceException:
        return as_service_exception(error)

    def parse_parameters(self, request: Request) -> None:
        """Parses per the model; a body moto's parser cannot type is kept raw for ``validate``."""
        try:
            super().parse_parameters(request)
        except PARSE_ERRORS:
            try:
                self.params = json.loads(request.data or b"{}")
            except ValueError:
                self.params = {"": None}

    def run_action(self) -> Any:
        token = REQUESTED.set(self.params.get("ProtectConfigurationId"))
        try:
            return super().run_action()
        finally:
            REQUESTED.reset(token)

    def _paged(self, key: str, items: Sequence[Any], **extra: Any) -> ActionResult:
        return self.listed(key, items, lambda i: i.describe(), **extra)

    def _rows(self, key: str, rows: list[dict[str, Any]], **extra: Any) -> ActionResult:
        return self.listed(key, rows, **extra)

    # -- configuration sets ----------------------------------------------------------------

    def create_configuration_set(self) -> ActionResult:
        record = self.engine.create_configuration_set(
            self._param("ConfigurationSetName"), self._param("Tags")
        )
        return ActionResult(
            {
                "ConfigurationSetArn": record.arn,
                "ConfigurationSetName": record.name,
                "Tags": record.tags,
                "CreatedTimestamp": record.created,
            }
        )

    def describe_configuration_sets(self) -> ActionResult:
        records = self.engine.describe_configuration_sets(
            self._param("ConfigurationSetNames"), self._param("Filters")
        )
        return self._paged("ConfigurationSets", records)

    def delete_configuration_set(self) -> ActionResult:
        return ActionResult(
            self.engine.delete_configuration_set(self._param("ConfigurationSetName")).describe()
        )

    def set_default_sender_id(self) -> ActionResult:
        record = self.engine.set_default_sender_id(
            self._param("ConfigurationSetName"), self._param("SenderId")
        )
        return ActionResult(
            {
                "ConfigurationSetArn": record.arn,
                "ConfigurationSetName": record.name,
                "SenderId": record.default_sender_id,
            }
        )

    def set_default_message_type(self) -> ActionResult:
        record = self.engine.set_default_message_type(
            self._param("ConfigurationSetName"), self._param("MessageType")
        )
        return ActionResult(
            {
                "ConfigurationSetArn": record.arn,
                "ConfigurationSetName": record.name,
                "MessageType": record.default_message_type,
            }
        )

    def _destination_result(self, record: Any, destination: Any) -> ActionResult:
        return ActionResult(
            {
                "ConfigurationSetArn": record.arn,
                "ConfigurationSetName": record.name,
                "EventDestination": destination.describe(),
            }
        )

    def create_event_destination(self) -> ActionResult:
        record, destination = self.engine.create_event_destination(
            self._param("ConfigurationSetName"),
            self._param("EventDestinationName"),
            self._param("MatchingEventTypes"),
            cloudwatch_logs=self._param("CloudWatchLogsDestination"),
            firehose=self._param("KinesisFirehoseDestination"),
            sns_topic=self._param("SnsDestination"),
        )
        return self._destination_result(record, destination)

    def update_event_destination(self) -> ActionResult:
        record, destination = self.engine.update_event_destination(
            self._param("ConfigurationSetName"),
            self._param("EventDestinationName"),
            enabled=self._param("Enabled"),
            matching=self._param("MatchingEventTypes"),
            cloudwatch_logs=self._param("CloudWatchLogsDestination"),
            firehose=self._param("KinesisFirehoseDestination"),
            sns_topic=self._param("SnsDestination"),
        )
        return self._destination_result(record, destination)

    def delete_event_destination(self) -> ActionResult:
        record, destination = self.engine.delete_event_destination(
            self._param("ConfigurationSetName"), self._param("EventDestinationName")
        )
        return self._destination_result(record, destination)

    # -- keywords --------------------------------------------------------------------------

    @staticmethod
    def _owner(owner: Any) -> dict[str, str]:
        identity = getattr(owner, "phone_number_id", None) or owner.pool_id
        return {"OriginationIdentityArn": owner.arn, "OriginationIdentity": identity}

    def put_keyword(self) -> ActionResult:
        owner, keyword = self.engine.put_keyword(
            self._param("OriginationIdentity"),
            self._param("Keyword"),
            self._param("KeywordMessage"),
            self._param("KeywordAction"),
        )
        return ActionResult({**self._owner(owner), **keyword.describe()})

    def describe_keywords(self) -> ActionResult:
        owner, keywords = self.engine.describe_keywords(
            self._param("OriginationIdentity"), self._param("Keywords"), self._param("Filters")
        )
        return self._paged("Keywords", keywords, **self._owner(owner))

    def delete_keyword(self) -> ActionResult:
        owner, keyword = self.engine.delete_keyword(
            self._param("OriginationIdentity"), self._param("Keyword")
        )
        return ActionResult({**self._owner(owner), **keyword.describe()})

    # -- opt-out lists ---------------------------------------------------------------------

    def create_opt_out_list(self) -> ActionResult:
        record = self.engine.create_opt_out_list(self._param("OptOutListName"))
        return ActionResult({**record.describe(), "Tags": self._param("Tags", [])})

    def describe_opt_out_lists(self) -> ActionResult:
        records = self.engine.describe_opt_out_lists(self._param("OptOutListNames"))
        return self._paged("OptOutLists", records)

    def delete_opt_out_list(self) -> ActionResult:
        return ActionResult(
            self.engine.delete_opt_out_list(self._param("OptOutListName")).describe()
        )

    def _opted_out(self, record: Any, entry: Any) -> ActionResult:
        return ActionResult(
            {"OptOutListArn": record.arn, "OptOutListName": record.name, **entry.describe()}
        )

    def put_opted_out_number(self) -> ActionResult:
        record, entry = self.engine.put_opted_out_number(
            self._param("OptOutListName"), self._param("OptedOutNumber")
        )
        return self._opted_out(record, entry)

    def describe_opted_out_numbers(self) -> ActionResult:
        record, entries = self.engine.describe_opted_out_numbers(
            self._param("OptOutListName"), self._param("OptedOutNumbers"), self._param("Filters")
        )
        return self._paged(
            "OptedOutNumbers", entries, OptOutListArn=record.arn, OptOutListName=record.name
        )

    def delete_opted_out_number(self) -> ActionResult:
        record, entry = self.engine.delete_opted_out_number(
            self._param("OptOutListName"), self._param("OptedOutNumber")
        )
        return self._opted_out(record, entry)

    # -- sending ---------------------------------------------------------------------------

    def send_text_message(self) -> ActionResult:
        message_id = self.engine.send_text_message(
            self._param("DestinationPhoneNumber"),
            self._param("MessageBody", ""),
            origination_identity=self._param("OriginationIdentity"),
            message_type=self._param("MessageType"),
            configuration_set=self._param("ConfigurationSetName"),
            max_price=self._param("MaxPrice"),
            ttl=self._param("TimeToLive"),
            context=self._param("Context"),
            dry_run=self._param("DryRun", False),
            keyword=self._param("Keyword"),
        )
        return ActionResult({"MessageId": message_id})

    def send_voice_message(self) -> ActionResult:
        message_id = self.engine.send_voice_message(
            self._param("DestinationPhoneNumber"),
            self._param("OriginationIdentity"),
            self._param("MessageBody", ""),
            body_type=self._param("MessageBodyTextType", "TEXT"),
            voice_id=self._param("VoiceId"),
            configuration_set=self._param("ConfigurationSetName"),
            max_price_per_minute=self._param("MaxPricePerMinute"),
            ttl=self._param("TimeToLive"),
            context=self._param("Context"),
            dry_run=self._param("DryRun", False),
        )
        return ActionResult({"MessageId": message_id})

    # -- account, spend limits, sandbox ----------------------------------------------------

    def describe_account_attributes(self) -> ActionResult:
        attributes = [{"Name": "ACCOUNT_TIER", "Value": self.engine.tier}]
        return ActionResult({"AccountAttributes": attributes})

    def describe_account_limits(self) -> ActionResult:
        return ActionResult({"AccountLimits": self.engine.account_limits()})

    def describe_spend_limits(self) -> ActionResult:
        return ActionResult({"SpendLimits": self.engine.describe_spend_limits()})

    def set_text_message_spend_limit_override(self) -> ActionResult:
        limit = self.engine.set_spend_limit_override("TEXT", self._param("MonthlyLimit"))
        return ActionResult({"MonthlyLimit": limit})

    def delete_text_message_spend_limit_override(self) -> ActionResult:
        return ActionResult({"MonthlyLimit": self.engine.delete_spend_limit_override("TEXT")})

    def set_voice_message_spend_limit_override(self) -> ActionResult:
        limit = self.engine.set_spend_limit_override("VOICE", self._param("MonthlyLimit"))
        return ActionResult({"MonthlyLimit": limit})

    def delete_voice_message_spend_limit_override(self) -> ActionResult:
        return ActionResult({"MonthlyLimit": self.engine.delete_spend_limit_override("VOICE")})

    def create_verified_destination_number(self) -> ActionResult:
        record = self.engine.create_verified_destination_number(
            self._param("DestinationPhoneNumber")
        )
        return ActionResult({**record.describe(), "Tags": self._param("Tags", [])})

    def send_destination_number_verification_code(self) -> ActionResult:
        message_id = self.engine.send_verification_code(
            self._param("VerifiedDestinationNumberId"),
            self._param("VerificationChannel"),
            self._param("OriginationIdentity"),
            self._param("ConfigurationSetName"),
            self._param("Context"),
        )
        return ActionResult({"MessageId": message_id})

    def verify_destination_number(self) -> ActionResult:
        record = self.engine.verify_destination_number(
            self._param("VerifiedDestinationNumberId"), self._param("VerificationCode")
        )
        return ActionResult(record.describe())

    def describe_verified_destination_numbers(self) -> ActionResult:
        records = self.engine.describe_verified_numbers(
            self._param("VerifiedDestinationNumberIds"),
            self._param("DestinationPhoneNumbers"),
            self._param("Filters"),
        )
        return self._paged("VerifiedDestinationNumbers", records)

    def delete_verified_destination_number(self) -> ActionResult:
        record = self.engine.delete_verified_number(self._param("VerifiedDestinationNumberId"))
        return ActionResult(record.describe())


def emulated_operations() -> list[str]:
    """The model's operations that have a handler here."""
    return SmsVoiceV2Response.emulated_operations()
