"""Approach (a), do it yourself: SNS sends the texts, SES the email, your code does the rest.

The audience is a list in Python, the content SES templates and string formatting, the schedule
a loop that waits for each customer's 09:00, the one-time codes drawn and checked here, and the
replies read from an SQS queue (`own` holds what this shares with approach (c)). SNS cannot
receive a text, so the number the texts come from is leased from AWS End User Messaging, whose
two-way SMS forwards replies to an SNS topic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from simlab.compare import own
from simlab.compare.common import Codes
from simlab.compare.gaps import Gap
from simlab.compare.need import Customer
from simlab.compare.own import Shop, promote, sign_up

TITLE = "SNS + SES, your code"
__all__ = ["CODE", "GAPS", "TITLE", "check_code", "open_shop", "promote", "send_code", "sign_up"]


def text(shop: Shop, phone: str, body: str, kind: str) -> None:
    """Texts ``body`` to ``phone`` from the shop's number through SNS."""
    shop.texter.publish(
        PhoneNumber=phone,
        Message=body,
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": kind.title()},
            "AWS.MM.SMS.OriginationNumber": {"DataType": "String", "StringValue": shop.number},
        },
    )


def open_shop(
    sesv2: Any, sns: Any, sqs: Any, sms: Any, *, rng: Any, now: Callable[[], datetime]
) -> Shop:
    """Opens the shop with SNS as the texter and codes kept in Python."""
    return own.open_shop(sesv2, sns, sqs, sms, sns, text, Codes(rng, now))


def send_code(shop: Shop, customer: Customer) -> None:
    """Texts a fresh one-time code."""
    code = shop.codes.new(customer.phone)
    text(shop, customer.phone, f"Your ExampleShop sign-in code is {code}", "transactional")


def check_code(shop: Shop, customer: Customer, code: str) -> bool:
    """Whether the code the customer typed is right."""
    return bool(shop.codes.check(customer.phone, code))


#: What SNS and SES cannot do for this need; `simlab.compare.gaps` checks each against botocore.
GAPS = (
    Gap(
        "audience and segments",
        "no audience store: the customers are a Python list your code filters",
        ("no-operation", "sns", "Segment"),
    ),
    Gap(
        "09:00 in each customer's time zone",
        "Publish and SendEmail send now: your code computes each 09:00 and waits for it",
        ("no-member", "sns:Publish,sesv2:SendEmail", "Schedule,IsLocalTime,SendAt,Timezone"),
    ),
    Gap(
        "one-time codes",
        "SNS has no code operation: your code draws, stores and checks the codes (End User "
        "Messaging Notify would do it; approach (c) uses it)",
        ("no-operation", "sns", "OTP,Code"),
    ),
    Gap(
        "replies (STOP)",
        "SNS cannot receive a text: a two-way number of End User Messaging forwards replies to "
        "a topic, and your code reads STOP from the queue and drops the customer",
        ("no-member", "sns", "TwoWayEnabled,TwoWayChannelArn"),
    ),
)

#: The learner's code, counted in the comparison: this module's and the shared helpers'.
CODE = (open_shop, text, send_code, check_code, *own.CODE)
