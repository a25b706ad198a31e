"""What approaches (a) and (c) share: your code keeps the audience, the content and the schedule.

Both send email with SES templates, keep the customers in a Python list, wait for each
customer's 09:00 and read STOP replies from the SQS queue a two-way End User Messaging number
forwards them to. They differ only in how a text leaves and who keeps the one-time codes, so
each passes its own ``text`` function in (`diy`: SNS ``Publish``; `successors`: End User
Messaging ``SendTextMessage``) and sends its own codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from simlab import facts
from simlab.compare import common
from simlab.compare.common import offer_plan, read_stops, two_way_number
from simlab.compare.need import SENDER, Customer

TEXTS_PER_SECOND = facts.sms.TOLL_FREE_MPS.value
OFFER_TEXT = "Hi {name}, 20% off all week with code WEEKLY20. Reply STOP to opt out"
TEMPLATES = {
    "welcome": ("Welcome to ExampleShop, {{name}}", "Hi {{name}}, thanks for joining us."),
    "offer": ("Your weekly offer", "Hi {{name}}, 20% off all week with code WEEKLY20."),
}
#: ``text(shop, phone, body, kind)``, ``kind`` being "transactional" or "promotional".
Texter = Callable[["Shop", str, str, str], None]


@dataclass
class Shop:
    """What the shop's code keeps: clients, its number, the queue, codes and the audience."""

    sesv2: Any
    texter: Any  # the client texts leave through
    sqs: Any
    number: str
    replies: str
    text: Texter
    codes: Any  # whatever keeps the one-time codes
    emails_per_second: int
    audience: list[Customer] = field(default_factory=list)
    stopped: set[str] = field(default_factory=set)


def open_shop(
    sesv2: Any, texter: Any, sqs: Any, sms: Any, sns: Any, text: Texter, codes: Any
) -> Shop:
    """Verifies the domain, stores the email templates and leases a two-way number."""
    sesv2.create_email_identity(EmailIdentity=SENDER.split("@")[1])
    for name, (subject, body) in TEMPLATES.items():
        sesv2.create_email_template(
            TemplateName=name, TemplateContent={"Subject": subject, "Text": body}
        )
    number, replies = two_way_number(sms, sns, sqs, "shop-replies")
    rate = int(sesv2.get_account()["SendQuota"]["MaxSendRate"])
    return Shop(sesv2, texter, sqs, number, replies, text, codes, rate)


def email(shop: Shop, customer: Customer, template: str) -> None:
    """Sends one templated email to ``customer``."""
    data = json.dumps({"name": customer.name})
    shop.sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [customer.email]},
        Content={"Template": {"TemplateName": template, "TemplateData": data}},
    )


def sign_up(shop: Shop, customer: Customer) -> None:
    """Adds the customer to the audience and welcomes them."""
    shop.audience.append(customer)
    email(shop, customer, "welcome")


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
                offer = OFFER_TEXT.format(name=customer.name)
                shop.text(shop, customer.phone, offer, "promotional")


#: The shared code, counted in each approach that uses it.
CODE = (Shop, open_shop, email, sign_up, promote, *common.CODE)
