"""SMS delivery status logs: what SNS writes to CloudWatch Logs once ``DeliveryStatusIAMRole``
is set (``SetSMSAttributes``).

Successes go to ``sns/<region>/<account>/DirectPublishToPhoneNumber`` (sampled at
``DeliveryStatusSuccessSamplingRate`` percent), everything else to the same name plus
``/Failure``; SNS creates the groups. The record follows AWS's documented examples (re:Post
knowledge center "monitor-sns-texts-cloudwatch"): ``notification`` {messageId, timestamp},
``delivery`` {destination, priceInUSD, smsType, numberOfMessageParts, providerResponse,
dwellTimeMs ...} and ``status`` SUCCESS or FAILURE. The two provider responses of those
examples are used as written; the others are simlab's wording.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import phonenumbers
from moto.backends import get_backend
from phonenumbers import carrier

from simlab.aws.delivery import deliver

#: ``providerResponse`` per outbox status.
PROVIDER_RESPONSES = {
    "DELIVERED": "Message has been accepted by phone carrier",
    "FAILED": "Unknown error attempting to reach phone",
    "UNREACHABLE": "Invalid phone number",
    "OPTED_OUT": "Phone is currently opted out",
    "MAX_PRICE": "Message price exceeds the maximum price set for it",
    "SPEND_LIMIT_EXCEEDED": "No quota left for account",
}
LOG_GROUP = "sns/{region}/{account}/DirectPublishToPhoneNumber"


def record(
    *,
    message_id: str,
    at: datetime,
    number: str,
    detail: dict[str, Any],
    response: str,
    success: bool,
) -> dict[str, Any]:
    """Returns one delivery status record."""
    delivery: dict[str, Any] = {
        "destination": number,
        "priceInUSD": detail["price_usd"],
        "smsType": detail["sms_type"],
        "numberOfMessageParts": detail["parts"],
        "providerResponse": PROVIDER_RESPONSES[response],
        "dwellTimeMs": 0,  # the simulated clock does not move during a publish
    }
    name = carrier.name_for_number(phonenumbers.parse(number, None), "en")
    if name:
        delivery["phoneCarrier"] = name
    return {
        "notification": {
            "messageId": message_id,
            "timestamp": f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d}",
        },
        "delivery": delivery,
        "status": "SUCCESS" if success else "FAILURE",
    }


def write(region: str, account: str, entry: dict[str, Any]) -> None:
    """Writes ``entry`` to the success or failure log group, creating the group if needed."""
    group = LOG_GROUP.format(region=region, account=account)
    if entry["status"] == "FAILURE":
        group += "/Failure"
    get_backend("logs")[account][region].ensure_log_group(group)
    deliver(f"arn:aws:logs:{region}:{account}:log-group:{group}", entry)
