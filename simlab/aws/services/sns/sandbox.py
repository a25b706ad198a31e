"""SNS's SMS sandbox, origination numbers and data protection policies.

The SMS sandbox is the account's one sandbox, shared with End User Messaging SMS (and
Pinpoint): a number verified through SNS is verified there, and leaving the sandbox there
(``aws.sms.leave_sandbox()``) leaves it for SNS. While in it, SNS sends SMS only to verified
numbers, at most 10, and a number can be deleted only 24 hours after its verification or last
attempt (https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html). Origination numbers
are the numbers the account leases in End User Messaging. A data protection policy is a JSON
document on a topic (https://docs.aws.amazon.com/sns/latest/dg/sns-message-data-protection-policies.html).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sns.exceptions import ResourceNotFoundError, SNSException, SNSInvalidParameter

from simlab.aws.services.smsvoicev2.models import engine
from simlab.aws.services.sns import sms
from simlab.aws.state import state
from simlab.engage.sms import NotFoundError, SmsError, SmsVoiceEngine, ValidationError
from simlab.primitives import paging

if TYPE_CHECKING:
    from simlab.aws.services.sns.models import SimlabSNSBackend

#: How long a sandbox number stays after its verification or last attempt.
DELETE_AFTER = timedelta(hours=24)
#: The data protection policy language version SNS accepts.
POLICY_VERSION = "2021-06-01"
_ROUTES = {"TRANSACTIONAL": "Transactional", "PROMOTIONAL": "Promotional"}


def sandbox_allows(region: str, account_id: str, number: str) -> bool:
    """Whether the account's SMS sandbox (shared with End User Messaging) lets it text."""
    shared = engine(region, account_id)
    if shared.tier != "SANDBOXED":
        return True
    return any(r.status == "VERIFIED" for r in shared.describe_verified_numbers(numbers=[number]))


class VerificationException(SNSException):
    code = "VerificationException"


class UserError(SNSException):
    code = "UserError"


def _sns_error(error: SmsError) -> SNSException:
    if isinstance(error, NotFoundError):
        return ResourceNotFoundError("No sandbox phone number matches the PhoneNumber given.")
    if isinstance(error, ValidationError):
        return VerificationException(f"Invalid parameter: OneTimePassword Reason: {error}")
    return UserError(str(error))


def _page(items: list[Any], token: str | None, size: Any) -> tuple[list[Any], str | None]:
    """One page of ``items`` and the next token; raises SNSInvalidParameter for a bad token or
    a MaxResults outside 1-100."""
    try:
        count = int(size or 100)
    except ValueError:
        raise SNSInvalidParameter("Invalid parameter: NextToken or MaxResults") from None
    if not 1 <= count <= 100:
        raise SNSInvalidParameter("Invalid parameter: MaxResults Reason: must be 1 to 100")
    try:
        return paging.page(items, token, count)
    except paging.PageTokenError:
        raise SNSInvalidParameter("Invalid parameter: NextToken or MaxResults") from None


class SandboxHandlers:
    """Mixed into ``SimlabSNSResponse``."""

    region: str
    current_account: str
    _get_param: Callable[..., Any]

    if TYPE_CHECKING:  # provided by the response class

        @property
        def backend(self) -> SimlabSNSBackend:
            """The account's SNS backend in the request's Region."""

    @property
    def _engine(self) -> SmsVoiceEngine:
        return engine(self.region, self.current_account)

    def _number(self) -> str:
        try:
            return sms.phone_number(self._get_param("PhoneNumber"))
        except sms.SmsRuleError as error:
            raise SNSInvalidParameter(str(error)) from None

    def _record(self, number: str) -> Any:
        found = self._engine.describe_verified_numbers(numbers=[number])
        if not found:
            raise ResourceNotFoundError(f"{number} is not a phone number of the SMS sandbox.")
        return found[0]

    def get_sms_sandbox_account_status(self) -> ActionResult:
        return ActionResult({"IsInSandbox": self._engine.tier == "SANDBOXED"})

    def create_sms_sandbox_phone_number(self) -> EmptyResult:
        """Adds a number and texts it a one-time password (see the outbox)."""
        number = self._number()
        try:
            record = self._engine.create_verified_destination_number(number)
            self._engine.send_verification_code(record.verified_id)
        except SmsError as error:
            raise _sns_error(error) from None
        self.backend.sandbox_attempts[number] = state().clock.now()
        return EmptyResult()

    def verify_sms_sandbox_phone_number(self) -> EmptyResult:
        number = self._number()
        record = self._record(number)
        self.backend.sandbox_attempts[number] = state().clock.now()
        try:
            self._engine.verify_destination_number(
                record.verified_id, str(self._get_param("OneTimePassword") or "")
            )
        except SmsError as error:
            raise _sns_error(error) from None
        return EmptyResult()

    def list_sms_sandbox_phone_numbers(self) -> ActionResult:
        numbers = [
            {"PhoneNumber": r.number, "Status": "Verified" if r.status == "VERIFIED" else "Pending"}
            for r in self._engine.describe_verified_numbers()
        ]
        page, token = _page(numbers, self._get_param("NextToken"), self._get_param("MaxResults"))
        result: dict[str, Any] = {"PhoneNumbers": page}
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    def delete_sms_sandbox_phone_number(self) -> EmptyResult:
        """Deletes a number 24 hours after its verification or last attempt, not sooner."""
        number = self._number()
        record = self._record(number)
        since = self.backend.sandbox_attempts.get(number, record.created)
        if state().clock.now() - since < DELETE_AFTER:
            raise UserError(
                f"{number} can be deleted 24 hours after its verification or last "
                "verification attempt."
            )
        self._engine.delete_verified_number(record.verified_id)
        self.backend.sandbox_attempts.pop(number, None)
        return EmptyResult()

    def list_origination_numbers(self) -> ActionResult:
        numbers = []
        for leased in self._engine.describe_phone_numbers():
            info = leased.describe()
            numbers.append(
                {
                    "CreatedAt": info.get("CreatedTimestamp"),
                    "PhoneNumber": info["PhoneNumber"],
                    "Status": info["Status"],
                    "Iso2CountryCode": info["IsoCountryCode"],
                    "RouteType": _ROUTES.get(info["MessageType"], "Transactional"),
                    "NumberCapabilities": info["NumberCapabilities"],
                }
            )
        page, token = _page(numbers, self._get_param("NextToken"), self._get_param("MaxResults"))
        result: dict[str, Any] = {"PhoneNumbers": page}
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    # -- data protection policies ----------------------------------------------------------

    def put_data_protection_policy(self) -> EmptyResult:
        arn = self._get_param("ResourceArn")
        self.backend.get_topic(arn)  # NotFound names the topic
        text = self._get_param("DataProtectionPolicy") or ""
        check_policy(text)
        self.backend.data_protection_policies[arn] = text
        return EmptyResult()

    def get_data_protection_policy(self) -> ActionResult:
        arn = self._get_param("ResourceArn")
        self.backend.get_topic(arn)
        return ActionResult(
            {"DataProtectionPolicy": self.backend.data_protection_policies.get(arn, "")}
        )


def check_policy(text: str) -> None:
    """Raises ``InvalidParameter`` naming what a data protection policy lacks."""
    try:
        document = json.loads(text)
    except ValueError:
        raise SNSInvalidParameter(
            "Invalid parameter: DataProtectionPolicy Reason: not valid JSON"
        ) from None
    if not isinstance(document, dict):
        raise SNSInvalidParameter("Invalid parameter: DataProtectionPolicy Reason: not an object")
    for key in ("Name", "Version", "Statement"):
        if key not in document:
            raise SNSInvalidParameter(
                f"Invalid parameter: DataProtectionPolicy Reason: {key} is required"
            )
    if document["Version"] != POLICY_VERSION:
        raise SNSInvalidParameter(
            f"Invalid parameter: DataProtectionPolicy Reason: Version must be {POLICY_VERSION}"
        )
    statements = document["Statement"]
    if not isinstance(statements, list) or not all(
        isinstance(s, dict) and s.get("DataIdentifier") and s.get("Operation") for s in statements
    ):
        raise SNSInvalidParameter(
            "Invalid parameter: DataProtectionPolicy Reason: each Statement needs a "
            "DataIdentifier and an Operation"
        )
