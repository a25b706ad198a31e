"""Approach (c), what AWS recommends after Pinpoint: End User Messaging for texts, SES for email.

Texts go out with ``SendTextMessage`` of AWS End User Messaging SMS (``pinpoint-sms-voice-v2``)
from a two-way number, email with SES templates. One-time codes are End User Messaging
**Notify**'s (``endusermessaging`` ``SendNotifyCodeVerification`` and
``ValidateNotifyCodeVerification``): it draws, texts and checks them. End User Messaging keeps
the opt-out list and refuses a text to a number that said STOP, but the audience, content and
schedule are still your code's (`own` holds what this shares with approach (a)). The managed
successor for segments and campaigns is Amazon Connect outbound campaigns, which the local AWS
does not emulate.
"""

from __future__ import annotations

from typing import Any

from simlab.compare import own
from simlab.compare.gaps import Gap
from simlab.compare.need import Customer
from simlab.compare.own import Shop, promote, sign_up

TITLE = "End User Messaging + SES"
__all__ = ["CODE", "GAPS", "TITLE", "check_code", "open_shop", "promote", "send_code", "sign_up"]


def text(shop: Shop, phone: str, body: str, kind: str) -> None:
    """Texts ``body`` to ``phone`` from the shop's number."""
    shop.texter.send_text_message(
        DestinationPhoneNumber=phone,
        OriginationIdentity=shop.number,
        MessageBody=body,
        MessageType=kind.upper(),
    )


def open_shop(sesv2: Any, sms: Any, sns: Any, sqs: Any, eum: Any) -> Shop:
    """Opens the shop with End User Messaging as the texter and Notify keeping the codes."""
    config = eum.create_notify_code_configuration(
        notifyCodeConfigurationName="sign-in",
        codeConfigurationParameters={"codeLength": 6, "validityPeriodMinutes": 10},
        channelParameters={"text": {"inlineTemplateBody": "Your ExampleShop code is {{code}}"}},
    )["notifyCodeConfiguration"]
    return own.open_shop(
        sesv2, sms, sqs, sms, sns, text, (eum, config["notifyCodeConfigurationId"])
    )


def send_code(shop: Shop, customer: Customer) -> None:
    """Asks Notify to draw a code and text it from the shop's number."""
    eum, config_id = shop.codes
    eum.send_notify_code_verification(
        channel="TEXT",
        destinationIdentity=customer.phone,
        originationIdentity=shop.number,
        notifyCodeConfiguration=config_id,
        referenceId=f"sign-in-{customer.id}",
    )


def check_code(shop: Shop, customer: Customer, code: str) -> bool:
    """Asks Notify whether the code the customer typed is right."""
    eum, _ = shop.codes
    answer = eum.validate_notify_code_verification(
        destinationIdentity=customer.phone, referenceId=f"sign-in-{customer.id}", code=code
    )
    return bool(answer["status"] == "VALID")


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
)

#: The learner's code, counted in the comparison: this module's and the shared helpers'.
CODE = (open_shop, text, send_code, check_code, *own.CODE)
