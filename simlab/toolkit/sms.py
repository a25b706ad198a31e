"""Sending many texts through ``pinpoint-sms-voice-v2`` and counting every attempt.

``send_texts`` sends one text to each number with the boto3 client you pass in, at the pace
you choose, and counts what AWS refused (opted out, throttled) so that every attempt adds up.
``text_costs`` shows what a text costs before you send it: encoding, parts and price.
``register`` fills and submits a US toll-free or 10DLC registration, which a US number needs
before its first send (https://docs.aws.amazon.com/sms-voice/latest/userguide/registrations.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from simlab.facts import prices
from simlab.primitives.scale import default_scale
from simlab.primitives.sms_parts import count_parts

#: How many customers a batch reaches at each scale (``SIMLAB_SCALE``).
BATCH_SIZES: Mapping[str, int] = {"ci": 40, "workshop": 300, "full": 3_000}

#: The refusals ``send_texts`` counts, by the error AWS answers.
REFUSALS: Mapping[tuple[str, str], str] = {
    ("ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT"): "opted_out",
    ("ThrottlingException", ""): "throttled",
}


def batch_size(scale: str | None = None) -> int:
    """The number of customers a batch reaches at ``scale`` (default: ``SIMLAB_SCALE``)."""
    scale = scale or default_scale()
    if scale not in BATCH_SIZES:
        raise ValueError(f"scale must be one of {', '.join(BATCH_SIZES)}; got {scale!r}")
    return BATCH_SIZES[scale]


def customer_numbers(count: int, *, area: str = "206", first: int = 100) -> list[str]:
    """``count`` US numbers in the 555 exchange kept for fiction: +1 206 555 0100, 0101, ..."""
    if not 0 <= count <= 10_000 - first:
        raise ValueError(f"count must be from 0 to {10_000 - first}; got {count}")
    return [f"+1{area}555{n:04d}" for n in range(first, first + count)]


@dataclass(frozen=True)
class Batch:
    """What a batch send did: the messages AWS accepted and the attempts it refused."""

    message_ids: tuple[str, ...]
    refused: Mapping[str, int] = field(default_factory=dict)

    @property
    def attempted(self) -> int:
        """Every send tried: accepted plus refused."""
        return len(self.message_ids) + sum(self.refused.values())

    def summary(self) -> str:
        refused = ", ".join(f"{k.replace('_', '-')} {v}" for k, v in sorted(self.refused.items()))
        return (
            f"attempted {self.attempted}: accepted {len(self.message_ids)}, "
            f"refused {sum(self.refused.values())}" + (f" ({refused})" if refused else "")
        )


def refusal_of(error: ClientError) -> str | None:
    """``opted_out`` or ``throttled`` for a refusal ``send_texts`` counts; None otherwise."""
    code = error.response.get("Error", {}).get("Code", "")
    reason = error.response.get("Reason", "") if code == "ConflictException" else ""
    return REFUSALS.get((code, reason))


def send_texts(
    client: Any,
    destinations: Iterable[str],
    body: str,
    *,
    origination: str,
    per_second: float | None = None,
    wait: Callable[[float], None] | None = None,
    **send: Any,
) -> Batch:
    """Sends ``body`` to each destination; returns the accepted ids and the refusals.

    With ``per_second`` and ``wait`` (e.g. ``aws.clock.advance``) it waits ``1/per_second``
    seconds between sends, so a number's MPS is respected. Opt-outs and throttling are counted
    (as AWS refuses them, nothing is sent); any other error is raised, since it means the
    request itself is wrong. ``send`` passes more ``SendTextMessage`` members, e.g.
    ``ConfigurationSetName``.
    """
    if per_second is not None and (per_second <= 0 or wait is None):
        raise ValueError("per_second must be positive and needs wait (e.g. aws.clock.advance)")
    accepted: list[str] = []
    refused: dict[str, int] = {}
    for index, destination in enumerate(destinations):
        if index and per_second is not None and wait is not None:
            wait(1.0 / per_second)
        try:
            response = client.send_text_message(
                DestinationPhoneNumber=destination,
                OriginationIdentity=origination,
                MessageBody=body,
                **send,
            )
        except ClientError as error:
            kind = refusal_of(error)
            if kind is None:
                raise
            refused[kind] = refused.get(kind, 0) + 1
        else:
            accepted.append(response["MessageId"])
    return Batch(tuple(accepted), dict(sorted(refused.items())))


@dataclass(frozen=True)
class TextCost:
    """How a text is encoded, how many parts it needs and what they cost."""

    label: str
    encoding: str
    characters: int
    parts: int
    price: float

    def line(self) -> str:
        return (
            f"{self.label:<14} {self.encoding:<6} {self.characters:>4} chars  "
            f"{self.parts} part{'s' if self.parts != 1 else ' '}  {self.price:.5f} USD"
        )


def text_costs(
    texts: Mapping[str, str], price_per_part: float = prices.SMS_EXAMPLE_PRICE_US_2019.value
) -> list[TextCost]:
    """The encoding, part count and price of each labelled text, in order.

    The default price per part is the documentation's US example (``facts.prices``), which
    the local AWS charges too; a real price depends on the country and origination type.
    """
    costs = []
    for label, text in texts.items():
        parts = count_parts(text)
        price = round(parts.parts * price_per_part, 5)
        costs.append(TextCost(label, parts.encoding, len(text), parts.parts, price))
    return costs


def cost_table(texts: Mapping[str, str], **kwargs: Any) -> str:
    """``text_costs`` as stable text, one line per text."""
    return "\n".join(cost.line() for cost in text_costs(texts, **kwargs))


#: What a small shop writes on a registration form, by field name (the last part of its path).
EXAMPLE_ANSWERS: Mapping[str, str] = {
    "website": "https://example.com",
    "privacyPolicyUrl": "https://example.com/privacy",
    "termsAndConditionsUrl": "https://example.com/terms",
    "supportEmail": "support@example.com",
    "taxId": "12-3456789",
    "messageSample1": "ExampleShop: your sign-in code is 123456. Reply STOP to opt out.",
    "optInDescription": "Customers tick a box to receive texts when they create an account.",
    "campaignDescription": "Sign-in codes and order updates for ExampleShop customers.",
}


def register(
    client: Any,
    registration_type: str,
    *,
    company: str = "ExampleShop",
    answers: Mapping[str, str] | None = None,
    choices: Mapping[str, str] | None = None,
    phone_number_id: str | None = None,
) -> str:
    """Creates a registration, fills every required field and submits it; returns its id.

    The fields come from ``DescribeRegistrationFieldDefinitions``: a text field takes
    ``answers`` (by field name, then ``EXAMPLE_ANSWERS``, then ``company``), a select field
    ``choices`` (by field name, else its first option). ``phone_number_id`` is associated
    before submitting (a toll-free registration needs its number). Raises ClientError with
    what AWS answers, e.g. a required field left empty.
    """
    texts = {**EXAMPLE_ANSWERS, **(answers or {})}
    registration_id: str = client.create_registration(RegistrationType=registration_type)[
        "RegistrationId"
    ]
    definitions = client.describe_registration_field_definitions(
        RegistrationType=registration_type
    )["RegistrationFieldDefinitions"]
    for definition in definitions:
        path, name = definition["FieldPath"], definition["FieldPath"].rsplit(".", 1)[-1]
        if definition["FieldRequirement"] != "REQUIRED":
            continue
        if definition["FieldType"] == "SELECT":
            options = definition["SelectValidation"]["Options"]
            choice = (choices or {}).get(name, options[0])
            client.put_registration_field_value(
                RegistrationId=registration_id, FieldPath=path, SelectChoices=[choice]
            )
        else:
            client.put_registration_field_value(
                RegistrationId=registration_id, FieldPath=path, TextValue=texts.get(name, company)
            )
    if phone_number_id is not None:
        client.create_registration_association(
            RegistrationId=registration_id, ResourceId=phone_number_id
        )
    client.submit_registration_version(RegistrationId=registration_id)
    return registration_id


def registration_status(client: Any, registration_id: str) -> str:
    """The registration's status (``SUBMITTED``, ``REVIEWING``, ``COMPLETE`` ...)."""
    found = client.describe_registrations(RegistrationIds=[registration_id])["Registrations"]
    return str(found[0]["RegistrationStatus"])
