"""Handlers of SendOTPMessage and VerifyOTPMessage.

Codes are kept by ``simlab.engage.otp`` (on the End User Messaging backend, where OTP lives
now) and the text goes out through the SMS and voice engine, so it obeys origination
identities, the sandbox, opt-outs, spend and MPS, and lands in the outbox (service
"sms-voice") and in the configuration set's events.
"""

from __future__ import annotations

from typing import Any

from moto.moto_api._internal import mock_random

from simlab.aws.services.smsvoicev2.models import backend as sms_backend
from simlab.engage.faults import BadRequest
from simlab.engage.otp import OtpRequest
from simlab.engage.sms import (
    ConflictError,
    NotFoundError,
    ProductionAccessRequired,
    SmsError,
    ThrottledError,
    ValidationError,
)


def _result(error: SmsError) -> dict[str, Any]:
    """The MessageResult of a send the SMS engine refused."""
    if isinstance(error, ConflictError) and error.reason == "DESTINATION_PHONE_NUMBER_OPTED_OUT":
        return {"DeliveryStatus": "OPT_OUT", "StatusCode": 400, "StatusMessage": error.message}
    if isinstance(error, ThrottledError):
        return {"DeliveryStatus": "THROTTLED", "StatusCode": 429, "StatusMessage": error.message}
    return {
        "DeliveryStatus": "PERMANENT_FAILURE",
        "StatusCode": 400,
        "StatusMessage": error.message,
    }


class OtpHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""

    params: Any
    region: str
    current_account: str
    pinpoint_backend: Any

    def reply(self, body: dict[str, Any]) -> Any:  # provided by PinpointResponse
        raise NotImplementedError

    def send_otp_message(self) -> Any:
        app_id = self.params["ApplicationId"]
        self.pinpoint_backend.get_app(app_id)
        request = OtpRequest.parse(self.params.get("SendOTPMessageRequestParameters") or {})
        sms = sms_backend(self.region, self.current_account)
        try:  # production access and an active identity first (send-validate-otp.html)
            sms.engine.check_otp_ready("SendOTPMessage", request.origination, request.destination)
        except ProductionAccessRequired as error:
            raise BadRequest(error.message) from error
        except SmsError as error:
            raise BadRequest(f"SendOTPMessageRequestParameters: {error.message}") from error
        code = sms.otp.issue(app_id, request)
        try:
            message_id = sms.engine.send_text_message(
                request.destination,
                request.message(code),
                origination_identity=request.origination,
                message_type="TRANSACTIONAL",
                context={"application_id": app_id, "reference_id": request.reference_id},
            )
        except (ValidationError, NotFoundError) as error:
            sms.otp.discard(app_id, request)
            raise BadRequest(f"SendOTPMessageRequestParameters: {error.message}") from error
        except SmsError as error:
            sms.otp.discard(app_id, request)
            result = _result(error)
        else:
            result = {
                "DeliveryStatus": "SUCCESSFUL",
                "StatusCode": 200,
                "StatusMessage": "OTP sent",
                "MessageId": message_id,
            }
        return self.reply(
            {
                "ApplicationId": app_id,
                "RequestId": str(mock_random.uuid4()),
                "Result": {request.destination: result},
            }
        )

    def verify_otp_message(self) -> Any:
        app_id = self.params["ApplicationId"]
        self.pinpoint_backend.get_app(app_id)
        parameters = self.params.get("VerifyOTPMessageRequestParameters") or {}
        for key in ("ReferenceId", "Otp", "DestinationIdentity"):
            if not parameters.get(key):
                raise BadRequest(f"VerifyOTPMessageRequestParameters.{key} is required")
        valid = sms_backend(self.region, self.current_account).otp.verify(
            app_id, parameters["ReferenceId"], parameters["DestinationIdentity"], parameters["Otp"]
        )
        return self.reply({"Valid": valid})
