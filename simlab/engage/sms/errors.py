"""The errors the engine raises: each names the modeled exception of the v2 API.

They derive from ``simlab.engage.faults.EngageError``, so ``code`` is the AWS error code and
``members()`` the modeled members besides the message; the API layers render them without
translating by hand.
"""

from __future__ import annotations

from typing import Any

from simlab.engage.faults import EngageError


class SmsError(EngageError):
    """A rejected request; ``code`` is the modeled exception of the v2 API."""

    code = "ValidationException"

    def members(self) -> dict[str, Any]:
        """The modeled members of the exception besides Message."""
        return {}


class ValidationError(SmsError):
    code = "ValidationException"

    def __init__(self, message: str, *, reason: str = "FIELD_VALIDATION_FAILED", field: str = ""):
        super().__init__(message)
        self.reason, self.field = reason, field

    def members(self) -> dict[str, Any]:
        fields = [{"Name": self.field, "Message": self.message}] if self.field else []
        return {"Reason": self.reason, "Fields": fields}


class ConflictError(SmsError):
    code = "ConflictException"

    def __init__(self, message: str, *, reason: str, resource_type: str, resource_id: str):
        super().__init__(message)
        self.reason, self.resource_type, self.resource_id = reason, resource_type, resource_id

    def members(self) -> dict[str, Any]:
        return {
            "Reason": self.reason,
            "ResourceType": self.resource_type,
            "ResourceId": self.resource_id,
        }


class ProductionAccessRequired(ConflictError):
    """An OTP send from an account still in the SMS sandbox, or without an active identity.

    AWS: "To use this feature, your account must have production access and an active
    origination identity"
    (https://docs.aws.amazon.com/pinpoint/latest/developerguide/send-validate-otp.html).
    Pinpoint answers it as ``BadRequestException``, ``endusermessaging`` as
    ``ConflictException`` naming the account (AWS documents the rule, not the error: these are
    simlab's choice of the modeled errors each API has for a request its account state refuses).
    """

    def __init__(self, message: str, *, account_id: str, reason: str = "RESOURCE_NOT_ACTIVE"):
        super().__init__(message, reason=reason, resource_type="account", resource_id=account_id)


class NotFoundError(SmsError):
    code = "ResourceNotFoundException"

    def __init__(self, resource_type: str, resource_id: str, hint: str = ""):
        super().__init__(f"no {resource_type} {resource_id!r} in this account{hint}")
        self.resource_type, self.resource_id = resource_type, resource_id

    def members(self) -> dict[str, Any]:
        return {"ResourceType": self.resource_type, "ResourceId": self.resource_id}


class QuotaError(SmsError):
    code = "ServiceQuotaExceededException"

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason

    def members(self) -> dict[str, Any]:
        return {"Reason": self.reason}


class ThrottledError(SmsError):
    code = "ThrottlingException"
