"""Approach (a), do it yourself: SNS sends the texts, SES the email, your code does the rest.

The audience is a list in Python, the content SES templates and string formatting, the schedule
a loop that waits for each customer's 09:00, the one-time codes drawn and checked here, and the
replies read from an SQS queue. SNS cannot receive a text, so the number the texts come from is
leased from AWS End User Messaging, whose two-way SMS forwards replies to an SNS topic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from simlab import facts
from simlab.compare import common
from simlab.compare.common import Codes, offer_plan, read_stops, two_way_number
from simlab.compare.gaps import Gap
from simlab.compare.need import SENDER, Customer

TITLE = "SNS + SES, your code"
TEXTS_PER_SECOND = facts.sms.TOLL_FREE_MPS.value
OFFER_TEXT = "Hi {name}, 20% off all week with code WEEKLY20. Reply STOP to opt out"
TEMPLATES = {
    "welcome": ("Welcome to ExampleShop, {{name}}", "Hi {{name}}, thanks for joining us."),
    "offer": ("Your weekly offer", "Hi {{name}}, 20% off all week with code WEEKLY20."),
}


@dataclass
class Shop:
    """What the shop's code keeps: clients, its number, the queue, codes and the audience."""

    sesv2: Any
    sns: Any
    sqs: Any
    number: str
    replies: str
    codes: Codes
    emails_per_second: int
    audience: list[Customer] = field(default_factory=list)
    stopped: set[str] = field(default_factory=set)


def open_shop(
    sesv2: Any, sns: Any, sqs: Any, sms: Any, *, rng: Any, now: Callable[[], datetime]
) -> Shop:
    """Verifies the domain, stores the email templates and leases a two-way number."""
    sesv2.create_email_identity(EmailIdentity=SENDER.split("@")[1])
    for name, (subject, text) in TEMPLATES.items():
        sesv2.create_email_template(
            TemplateName=name, TemplateContent={"Subject": subject, "Text": text}
        )
    number, replies = two_way_number(sms, sns, sqs, "shop-replies")
    rate = int(sesv2.get_account()["SendQuota"]["MaxSendRate"])
    return Shop(sesv2, sns, sqs, number, replies, Codes(rng, now), rate)


def email(shop: Shop, customer: Customer, template: str) -> None:
    """Sends one templated email to ``customer``."""
    data = json.dumps({"name": customer.name})
    shop.sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [customer.email]},
        Content={"Template": {"TemplateName": template, "TemplateData": data}},
    )


def text(shop: Shop, phone: str, body: str, sms_type: str) -> None:
    """Texts ``body`` to ``phone`` from the shop's number through SNS."""
    shop.sns.publish(
        PhoneNumber=phone,
        Message=body,
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": sms_type},
            "AWS.MM.SMS.OriginationNumber": {"DataType": "String", "StringValue": shop.number},
        },
    )


def sign_up(shop: Shop, customer: Customer) -> None:
    """Adds the customer to the audience and welcomes them."""
    shop.audience.append(customer)
    email(shop, customer, "welcome")


def send_code(shop: Shop, customer: Customer) -> None:
    """Texts a fresh one-time code."""
    code = shop.codes.new(customer.phone)
    text(shop, customer.phone, f"Your ExampleShop sign-in code is {code}", "Transactional")


def check_code(shop: Shop, customer: Customer, code: str) -> bool:
    """Whether the code the customer typed is right."""
    return shop.codes.check(customer.phone, code)


def promote(shop: Shop, days: Sequence[date], wait_until: Callable[[datetime], object]) -> None:
    """Each day, sends the offer at 09:00 local to every subscriber, checking for STOP first."""
    rates = {"EMAIL": shop.emails_per_second, "SMS": TEXTS_PER_SECOND}
    for day in days:
        subscribers = [c for c in shop.audience if c.offers]
        for moment, customer in offer_plan(subscribers, day, rates):
            wait_until(moment)
            if customer.offer_channel == "EMAIL":
                email(shop, customer, "offer")
                continue
            shop.stopped |= read_stops(shop.sqs, shop.replies)
            if customer.phone not in shop.stopped:
                text(shop, customer.phone, OFFER_TEXT.format(name=customer.name), "Promotional")


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
        "no OTP operation: your code draws, stores and checks the codes",
        ("no-operation", "sns", "OTP"),
    ),
    Gap(
        "replies (STOP)",
        "SNS cannot receive a text: a two-way number of End User Messaging forwards replies to "
        "a topic, and your code reads STOP from the queue and drops the customer",
        ("no-member", "sns", "TwoWayEnabled,TwoWayChannelArn"),
    ),
)

#: The learner's code, counted in the comparison: this module's and the shared helpers'.
CODE = (Shop, open_shop, email, text, sign_up, send_code, check_code, promote, *common.CODE)
