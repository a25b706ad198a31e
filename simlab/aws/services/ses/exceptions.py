"""SES errors as botocore's models name them, and how each API words a refused send.

The sending rules (``policy``) raise one ``Refusal`` whatever the API; ``v1_error`` and
``v2_error`` turn it into the exception that API answers with, and ``v1_bulk_status`` /
``v2_bulk_status`` into the per-destination status of a bulk send.
"""

from __future__ import annotations

from moto.core.exceptions import ServiceException


class SesError(ServiceException):
    """An SES error; ``code`` is the error shape's code in botocore's model."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


# -- SES v1 (query protocol, ``ses`` 2010-12-01) ------------------------------------------------


class MessageRejected(SesError):
    code = "MessageRejected"


class Throttling(SesError):
    """Not a modeled shape: SES answers quota breaches with the common code ``Throttling`` (400).

    Seen on the wire as ``<Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message>``
    (github.com/awsdocs/amazon-ses-developer-guide/issues/60); the two messages are listed in
    https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html
    """

    code = "Throttling"


class AccountSendingPaused(SesError):
    code = "AccountSendingPausedException"


class ConfigurationSetSendingPaused(SesError):
    code = "ConfigurationSetSendingPausedException"


class ConfigurationSetDoesNotExist(SesError):
    code = "ConfigurationSetDoesNotExist"


class EventDestinationAlreadyExists(SesError):
    code = "EventDestinationAlreadyExists"


class EventDestinationDoesNotExist(SesError):
    code = "EventDestinationDoesNotExist"


class InvalidSNSDestination(SesError):
    code = "InvalidSNSDestination"


class InvalidFirehoseDestination(SesError):
    code = "InvalidFirehoseDestination"


class InvalidCloudWatchDestination(SesError):
    code = "InvalidCloudWatchDestination"


class TemplateDoesNotExist(SesError):
    code = "TemplateDoesNotExist"


class InvalidRenderingParameter(SesError):
    code = "InvalidRenderingParameter"


class MissingRenderingAttribute(SesError):
    code = "MissingRenderingAttribute"


class InvalidParameterValue(SesError):
    code = "InvalidParameterValue"


class InvalidConfigurationSet(SesError):
    code = "InvalidConfigurationSet"


class InvalidPolicy(SesError):
    code = "InvalidPolicy"


class LimitExceeded(SesError):
    code = "LimitExceeded"


class AlreadyExists(SesError):
    code = "AlreadyExists"


class RuleSetDoesNotExist(SesError):
    code = "RuleSetDoesNotExist"


class RuleDoesNotExist(SesError):
    code = "RuleDoesNotExist"


class TrackingOptionsAlreadyExists(SesError):
    code = "TrackingOptionsAlreadyExistsException"


class TrackingOptionsDoesNotExist(SesError):
    code = "TrackingOptionsDoesNotExistException"


class InvalidTrackingOptions(SesError):
    code = "InvalidTrackingOptions"


class InvalidDeliveryOptions(SesError):
    code = "InvalidDeliveryOptions"


class CustomVerificationTemplateAlreadyExists(SesError):
    code = "CustomVerificationEmailTemplateAlreadyExists"


class CustomVerificationTemplateDoesNotExist(SesError):
    code = "CustomVerificationEmailTemplateDoesNotExist"


class CustomVerificationInvalidContent(SesError):
    code = "CustomVerificationEmailInvalidContent"


class FromEmailAddressNotVerified(SesError):
    code = "FromEmailAddressNotVerified"


class ProductionAccessNotGranted(SesError):
    code = "ProductionAccessNotGranted"


class InvalidAction(SesError):
    """SES's common error for an action it does not offer; here, one not emulated yet."""

    code = "InvalidAction"


# -- SES v2 (REST-JSON, ``sesv2`` 2019-09-27) ---------------------------------------------------


class BadRequestException(SesError):
    code = "BadRequestException"


class NotFoundException(SesError):
    code = "NotFoundException"


class AlreadyExistsException(SesError):
    code = "AlreadyExistsException"


class ConflictException(SesError):
    code = "ConflictException"


class MessageRejectedV2(SesError):
    code = "MessageRejected"


class TooManyRequestsException(SesError):
    """HTTP 429; SES v2 answers a breached sending rate with it.

    Seen on the wire: ``429 Too Many Requests {"message":"Maximum sending rate exceeded."}``
    from ``POST /v2/email/outbound-emails`` (github.com/pm-pmaas/etailors_amazon_ses/issues/117).
    """

    code = "TooManyRequestsException"


class LimitExceededException(SesError):
    """SES v2's modeled error for a daily quota spent (BulkEmailStatus has its own
    ACCOUNT_DAILY_QUOTA_EXCEEDED, apart from ACCOUNT_THROTTLED)."""

    code = "LimitExceededException"


class SendingPausedException(SesError):
    code = "SendingPausedException"


# -- refusals shared by both APIs ---------------------------------------------------------------

NOT_VERIFIED = "NOT_VERIFIED"
THROTTLED = "THROTTLED"
DAILY_QUOTA = "DAILY_QUOTA"
PAUSED = "PAUSED"
CONFIGURATION_SET = "CONFIGURATION_SET"
TEMPLATE = "TEMPLATE"
INVALID = "INVALID"
REJECTED = "REJECTED"
CONFIGURATION_SET_PAUSED = "CONFIGURATION_SET_PAUSED"

#: Outbox status of the recipients of a send refused for each reason (bad input is not a send).
REFUSED_STATUS = {THROTTLED: "THROTTLED", DAILY_QUOTA: "THROTTLED", NOT_VERIFIED: "REJECTED"}


class Refusal(Exception):
    """A send SES refuses at the API: nothing is accepted, nothing is counted."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


_V1 = {
    REJECTED: MessageRejected,
    CONFIGURATION_SET_PAUSED: ConfigurationSetSendingPaused,
    NOT_VERIFIED: MessageRejected,
    THROTTLED: Throttling,
    DAILY_QUOTA: Throttling,
    PAUSED: AccountSendingPaused,
    CONFIGURATION_SET: ConfigurationSetDoesNotExist,
    TEMPLATE: TemplateDoesNotExist,
    INVALID: InvalidParameterValue,
}
_V2 = {
    REJECTED: MessageRejectedV2,
    CONFIGURATION_SET_PAUSED: SendingPausedException,
    NOT_VERIFIED: MessageRejectedV2,
    THROTTLED: TooManyRequestsException,
    DAILY_QUOTA: LimitExceededException,
    PAUSED: SendingPausedException,
    CONFIGURATION_SET: NotFoundException,
    TEMPLATE: NotFoundException,
    INVALID: BadRequestException,
}
_V1_BULK = {
    REJECTED: "MessageRejected",
    CONFIGURATION_SET_PAUSED: "ConfigurationSetSendingPaused",
    NOT_VERIFIED: "MessageRejected",
    THROTTLED: "AccountThrottled",
    DAILY_QUOTA: "AccountDailyQuotaExceeded",
    PAUSED: "AccountSendingPaused",
    CONFIGURATION_SET: "ConfigurationSetDoesNotExist",
    TEMPLATE: "TemplateDoesNotExist",
    INVALID: "InvalidParameterValue",
}
_V2_BULK = {
    REJECTED: "MESSAGE_REJECTED",
    CONFIGURATION_SET_PAUSED: "CONFIGURATION_SET_SENDING_PAUSED",
    NOT_VERIFIED: "MESSAGE_REJECTED",
    THROTTLED: "ACCOUNT_THROTTLED",
    DAILY_QUOTA: "ACCOUNT_DAILY_QUOTA_EXCEEDED",
    PAUSED: "ACCOUNT_SENDING_PAUSED",
    CONFIGURATION_SET: "CONFIGURATION_SET_NOT_FOUND",
    TEMPLATE: "TEMPLATE_NOT_FOUND",
    INVALID: "INVALID_PARAMETER",
}


def v1_error(refusal: Refusal) -> SesError:
    """Returns the SES v1 exception for ``refusal``."""
    return _V1[refusal.reason](refusal.message)


def v2_error(refusal: Refusal) -> SesError:
    """Returns the SES v2 exception for ``refusal``."""
    return _V2[refusal.reason](refusal.message)


def v1_bulk_status(refusal: Refusal) -> str:
    """Returns the v1 ``BulkEmailStatus`` for a destination refused with ``refusal``."""
    return _V1_BULK[refusal.reason]


def v2_bulk_status(refusal: Refusal) -> str:
    """Returns the v2 ``BulkEmailStatus`` for an entry refused with ``refusal``."""
    return _V2_BULK[refusal.reason]
