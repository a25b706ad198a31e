"""Approach (b), Amazon Pinpoint (legacy): the service keeps the audience, content and schedule.

Each customer becomes two endpoints (email and SMS) with their time zone and whether they want
the offer; a segment selects those who do; templates hold the content; one weekly campaign with
``IsLocalTime`` sends at 09:00 in each endpoint's time zone; ``SendOTPMessage`` and
``VerifyOTPMessage`` keep the codes; and a STOP reply marks the customer's SMS endpoint
``OptOut=ALL`` so the campaign skips it. Pinpoint's engagement features reach end of support on
2026-10-30 and take no new customers since 2025-05-20 (`simlab.facts.lifecycle`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from simlab import facts
from simlab.compare.gaps import Gap
from simlab.compare.need import SENDER, Customer

TITLE = "Pinpoint (legacy)"
#: The campaign's pace: the toll-free number's rate, the slowest channel it sends on.
MESSAGES_PER_SECOND = facts.sms.TOLL_FREE_MPS.value
NAME = "{{User.UserAttributes.Name}}"
EMAIL_TEMPLATES = {
    "welcome": (f"Welcome to ExampleShop, {NAME}", f"Hi {NAME}, thanks for joining us."),
    "offer": ("Your weekly offer", f"Hi {NAME}, 20% off all week with code WEEKLY20."),
}
OFFER_TEXT = f"Hi {NAME}, 20% off all week with code WEEKLY20. Reply STOP to opt out"


@dataclass
class Shop:
    """What the shop's code keeps: the client, the project, its number and its segment."""

    pinpoint: Any
    app_id: str
    number: str
    segment_id: str


def open_shop(pinpoint: Any, sesv2: Any, sms: Any) -> Shop:
    """Verifies the domain, leases a number, and sets up the project, templates and segment."""
    domain = SENDER.split("@")[1]
    sesv2.create_email_identity(EmailIdentity=domain)
    number = sms.request_phone_number(
        IsoCountryCode="US",
        MessageType="TRANSACTIONAL",
        NumberCapabilities=["SMS"],
        NumberType="TOLL_FREE",
    )["PhoneNumber"]
    app = pinpoint.create_app(CreateApplicationRequest={"Name": "ExampleShop"})
    app_id, app_arn = app["ApplicationResponse"]["Id"], app["ApplicationResponse"]["Arn"]
    region, account = app_arn.split(":")[3:5]
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": SENDER,
            "Identity": f"arn:aws:ses:{region}:{account}:identity/{domain}",
            "Enabled": True,
        },
    )
    pinpoint.update_sms_channel(ApplicationId=app_id, SMSChannelRequest={"Enabled": True})
    for name, (subject, text) in EMAIL_TEMPLATES.items():
        pinpoint.create_email_template(
            TemplateName=name, EmailTemplateRequest={"Subject": subject, "TextPart": text}
        )
    pinpoint.create_sms_template(TemplateName="offer", SMSTemplateRequest={"Body": OFFER_TEXT})
    wants = {"offers": {"AttributeType": "INCLUSIVE", "Values": ["weekly"]}}
    segment = pinpoint.create_segment(
        ApplicationId=app_id,
        WriteSegmentRequest={"Name": "weekly-offer", "Dimensions": {"Attributes": wants}},
    )
    return Shop(pinpoint, app_id, number, segment["SegmentResponse"]["Id"])


def sign_up(shop: Shop, customer: Customer) -> None:
    """Stores the customer as two endpoints, then welcomes them with the email template."""

    def endpoint(channel: str, address: str) -> dict[str, Any]:
        wanted = customer.offers and customer.offer_channel == channel
        return {
            "Id": f"{customer.id}-{channel.lower()}",
            "ChannelType": channel,
            "Address": address,
            "User": {"UserId": customer.id, "UserAttributes": {"Name": [customer.name]}},
            "Demographic": {"Timezone": customer.timezone},
            "Attributes": {"offers": ["weekly" if wanted else "none"]},
        }

    batch = [endpoint("EMAIL", customer.email), endpoint("SMS", customer.phone)]
    shop.pinpoint.update_endpoints_batch(
        ApplicationId=shop.app_id, EndpointBatchRequest={"Item": batch}
    )
    shop.pinpoint.send_messages(
        ApplicationId=shop.app_id,
        MessageRequest={
            "Endpoints": {f"{customer.id}-email": {}},
            "MessageConfiguration": {"EmailMessage": {"FromAddress": SENDER}},
            "TemplateConfiguration": {"EmailTemplate": {"Name": "welcome"}},
        },
    )


def send_code(shop: Shop, customer: Customer) -> None:
    """Asks Pinpoint to text a one-time code and remember it."""
    shop.pinpoint.send_otp_message(
        ApplicationId=shop.app_id,
        SendOTPMessageRequestParameters={
            "BrandName": "ExampleShop",
            "Channel": "SMS",
            "DestinationIdentity": customer.phone,
            "OriginationIdentity": shop.number,
            "ReferenceId": f"sign-in-{customer.id}",
        },
    )


def check_code(shop: Shop, customer: Customer, code: str) -> bool:
    """Asks Pinpoint whether the code the customer typed is right."""
    answer = shop.pinpoint.verify_otp_message(
        ApplicationId=shop.app_id,
        VerifyOTPMessageRequestParameters={
            "DestinationIdentity": customer.phone,
            "Otp": code,
            "ReferenceId": f"sign-in-{customer.id}",
        },
    )
    return bool(answer["VerificationResponse"]["Valid"])


def promote(shop: Shop, days: Sequence[date], wait_until: Callable[[datetime], object]) -> None:
    """Creates one weekly campaign at 09:00 local time; Pinpoint runs it (nothing to wait for)."""
    shop.pinpoint.create_campaign(
        ApplicationId=shop.app_id,
        WriteCampaignRequest={
            "Name": "weekly-offer",
            "SegmentId": shop.segment_id,
            "MessageConfiguration": {
                "EmailMessage": {"FromAddress": SENDER},
                "SMSMessage": {"MessageType": "PROMOTIONAL", "OriginationNumber": shop.number},
            },
            "TemplateConfiguration": {
                "EmailTemplate": {"Name": "offer"},
                "SMSTemplate": {"Name": "offer"},
            },
            "Schedule": {
                "Frequency": "WEEKLY",
                "StartTime": f"{days[0]}T09:00:00Z",
                "EndTime": f"{days[-1] + timedelta(days=1)}T09:00:00Z",
                "IsLocalTime": True,
                "Timezone": "UTC",
            },
            "Limits": {"MessagesPerSecond": MESSAGES_PER_SECOND},
        },
    )


#: Nothing in the need is left to your code; what remains is the service's lifecycle.
GAPS = (
    Gap(
        "a future",
        "engagement features (endpoints, segments, campaigns, journeys) end on "
        f"{facts.lifecycle.PINPOINT_END_OF_SUPPORT.value}; accounts new since "
        f"{facts.lifecycle.PINPOINT_NO_NEW_CUSTOMERS.value} cannot use them",
    ),
)

#: The learner's code, counted in the comparison.
CODE = (Shop, open_shop, sign_up, send_code, check_code, promote)
