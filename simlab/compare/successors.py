"""Approach (c), what AWS recommends after Pinpoint: End User Messaging for texts, SES for email.

Texts go out with ``SendTextMessage`` of AWS End User Messaging SMS (``pinpoint-sms-voice-v2``)
from a two-way number, email with SES templates. The v2 API has no one-time-password operation
(its ``SendDestinationNumberVerificationCode`` only verifies numbers for the SMS sandbox), so
your code draws and checks the codes; ``SendOTPMessage`` lives on in the ``pinpoint`` API.
End User Messaging keeps the opt-out list and refuses a text to a number that said STOP, but
the audience, content and schedule are still your code's. The managed successor for segments
and campaigns is Amazon Connect outbound campaigns, which the local AWS does not emulate.
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

TITLE = "End User Messaging + SES"
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
    sms: Any
    sqs: Any
    number: str
    replies: str
    codes: Codes
    emails_per_second: int
    audience: list[Customer] = field(default_factory=list)
    stopped: set[str] = field(default_factory=set)


def open_shop(
    sesv2: Any, sms: Any, sns: Any, sqs: Any, *, rng: Any, now: Callable[[], datetime]
) -> Shop:
    """Verifies the domain, stores the email templates and leases a two-way number."""
    sesv2.create_email_identity(EmailIdentity=SENDER.split("@")[1])
    for name, (subject, text) in TEMPLATES.items():
        sesv2.create_email_template(
            TemplateName=name, TemplateContent={"Subject": subject, "Text": text}
        )
    number, replies = two_way_number(sms, sns, sqs, "shop-replies")
    rate = int(sesv2.get_account()["SendQuota"]["MaxSendRate"])
    return Shop(sesv2, sms, sqs, number, replies, Codes(rng, now), rate)


def email(shop: Shop, customer: Customer, template: str) -> None:
    """Sends one templated email to ``customer``."""
    data = json.dumps({"name": customer.name})
    shop.sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [customer.email]},
        Content={"Template": {"TemplateName": template, "TemplateData": data}},
    )


def text(shop: Shop, phone: str, body: str, message_type: str) -> None:
    """Texts ``body`` to ``phone`` from the shop's number."""
    shop.sms.send_text_message(
        DestinationPhoneNumber=phone,
        OriginationIdentity=shop.number,
        MessageBody=body,
        MessageType=message_type,
    )


def sign_up(shop: Shop, customer: Customer) -> None:
    """Adds the customer to the audience and welcomes them."""
    shop.audience.append(customer)
    email(shop, customer, "welcome")


def send_code(shop: Shop, customer: Customer) -> None:
    """Texts a fresh one-time code."""
    code = shop.codes.new(customer.phone)
    text(shop, customer.phone, f"Your ExampleShop sign-in code is {code}", "TRANSACTIONAL")


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
                text(shop, customer.phone, OFFER_TEXT.format(name=customer.name), "PROMOTIONAL")


#: What End User Messaging and SES leave to you for this need, checked against botocore.
GAPS = (
    Gap(
        "audience, segments and campaigns",
        "neither API keeps an audience or runs campaigns; the managed successor, Amazon Connect "
        "outbound campaigns (with Customer Profiles), is not emulated by the local AWS",
        ("not-emulated", "connectcampaignsv2", ""),
    ),
    Gap(
        "09:00 in each customer's time zone",
        "SendTextMessage and SendEmail send now: your code computes each 09:00 and waits for it",
        (
            "no-member",
            "pinpoint-sms-voice-v2:SendTextMessage,sesv2:SendEmail",
            "Schedule,IsLocalTime,SendAt,Timezone",
        ),
    ),
    Gap(
        "one-time codes",
        "the v2 API has no OTP operation: your code draws, stores and checks the codes "
        "(SendOTPMessage continues in the pinpoint API)",
        ("no-operation", "pinpoint-sms-voice-v2", "OTP"),
    ),
)

#: The learner's code, counted in the comparison: this module's and the shared helpers'.
CODE = (Shop, open_shop, email, text, sign_up, send_code, check_code, promote, *common.CODE)
