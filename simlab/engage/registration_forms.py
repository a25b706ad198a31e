"""The registration forms served here: types, sections, fields, and what the reviewer checks.

A subset of AWS's US forms (toll-free, 10DLC brand and campaign), enough to teach what a
registration asks for and why a review denies it; field paths are ``section.field``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from simlab.engage.sms import ValidationError

TOLL_FREE = "US_TOLL_FREE_REGISTRATION"
TEN_DLC_BRAND = "US_TEN_DLC_BRAND_REGISTRATION"
TEN_DLC_CAMPAIGN = "US_TEN_DLC_CAMPAIGN_REGISTRATION"
DOCS = "https://docs.aws.amazon.com/sms-voice/latest/userguide/registrations.html"

#: Fields the reviewer reads as web addresses or an email address. Toll-free registrations
#: need public privacy policy and terms URLs (End User Messaging guide, toll-free registration:
#: https://docs.aws.amazon.com/end-user-messaging/latest/userguide/nx-reg-type-tollfree.html).
_URL = re.compile(r"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?")
_EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_CHECKS = {
    "website": (_URL, "INVALID_WEBSITE", "The website is not a web address"),
    "privacyPolicyUrl": (
        _URL,
        "INVALID_PRIVACY_POLICY",
        "The privacy policy URL is not a web address",
    ),
    "termsAndConditionsUrl": (
        _URL,
        "INVALID_TERMS",
        "The terms and conditions URL is not a web address",
    ),
    "supportEmail": (_EMAIL, "INVALID_EMAIL", "The support email is not an email address"),
}

# (section, field, type, required, title) per registration type.
FIELDS: dict[str, list[tuple[str, str, str, bool, str]]] = {
    TOLL_FREE: [
        ("companyInfo", "companyName", "TEXT", True, "Company name"),
        ("companyInfo", "website", "TEXT", True, "Company website"),
        ("companyInfo", "privacyPolicyUrl", "TEXT", True, "Privacy policy URL"),
        ("companyInfo", "termsAndConditionsUrl", "TEXT", True, "Terms and conditions URL"),
        ("contactInfo", "supportEmail", "TEXT", True, "Support email"),
        ("messagingUseCase", "useCaseCategory", "SELECT", True, "Use case category"),
        ("messagingUseCase", "monthlyMessageVolume", "SELECT", True, "Monthly message volume"),
        ("messageSamples", "messageSample1", "TEXT", True, "Message sample 1"),
        ("messageSamples", "optInDescription", "TEXT", True, "How recipients opt in"),
        ("messageSamples", "optInImage", "ATTACHMENT", False, "Opt-in screenshot"),
    ],
    TEN_DLC_BRAND: [
        ("companyInfo", "companyName", "TEXT", True, "Legal company name"),
        ("companyInfo", "taxIdIssuingCountry", "SELECT", True, "Tax ID issuing country"),
        ("companyInfo", "taxId", "TEXT", True, "Tax ID (EIN)"),
        ("companyInfo", "website", "TEXT", True, "Company website"),
        ("contactInfo", "supportEmail", "TEXT", True, "Support email"),
    ],
    TEN_DLC_CAMPAIGN: [
        ("campaignInfo", "brandRegistrationId", "TEXT", True, "Approved brand registration"),
        ("campaignInfo", "campaignDescription", "TEXT", True, "Campaign description"),
        ("campaignUseCase", "useCase", "SELECT", True, "Use case"),
        ("messageSamples", "messageSample1", "TEXT", True, "Message sample 1"),
        ("messageSamples", "optInDescription", "TEXT", True, "How recipients opt in"),
    ],
}
OPTIONS = {
    "useCaseCategory": ["TWO_FACTOR_AUTHENTICATION", "ACCOUNT_NOTIFICATION", "MARKETING"],
    "useCase": ["TWO_FACTOR_AUTHENTICATION", "ACCOUNT_NOTIFICATION", "MARKETING", "MIXED"],
    "monthlyMessageVolume": ["10", "100", "1,000", "10,000", "100,000", "1,000,000"],
    "taxIdIssuingCountry": ["US", "CA", "OTHER"],
}
#: Which resources each type registers, and when the association is made.
ASSOCIATIONS = {
    TOLL_FREE: ("phone-number", "TOLL_FREE", "ASSOCIATE_BEFORE_SUBMIT"),
    TEN_DLC_CAMPAIGN: ("phone-number", "TEN_DLC", "ASSOCIATE_AFTER_COMPLETE"),
}
_TITLES = {
    TOLL_FREE: "United States toll-free number registration",
    TEN_DLC_BRAND: "United States 10DLC brand registration",
    TEN_DLC_CAMPAIGN: "United States 10DLC campaign registration",
}


def field_definitions(kind: str) -> list[dict[str, Any]]:
    """The field definitions of a registration type, as DescribeRegistrationFieldDefinitions."""
    result = []
    for section, name, field_type, required, title in FIELDS[kind]:
        entry: dict[str, Any] = {
            "SectionPath": section,
            "FieldPath": f"{section}.{name}",
            "FieldType": field_type,
            "FieldRequirement": "REQUIRED" if required else "OPTIONAL",
            "DisplayHints": {"Title": title, "ShortDescription": title},
        }
        if field_type == "SELECT":
            entry["SelectValidation"] = {
                "MinChoices": 1,
                "MaxChoices": 1,
                "Options": OPTIONS[name],
            }
        elif field_type == "TEXT":
            entry["TextValidation"] = {"MinLength": 1, "MaxLength": 2048, "Pattern": ".+"}
        result.append(entry)
    return result


def type_definition(kind: str) -> dict[str, Any]:
    """One entry of DescribeRegistrationTypeDefinitions."""
    entry: dict[str, Any] = {
        "RegistrationType": kind,
        "DisplayHints": {"Title": _TITLES[kind], "DocumentationLink": DOCS},
    }
    if kind in ASSOCIATIONS:
        resource, _, behaviour = ASSOCIATIONS[kind]
        entry["SupportedAssociations"] = [
            {
                "ResourceType": resource,
                "IsoCountryCode": "US",
                "AssociationBehavior": behaviour,
                "DisassociationBehavior": "DISASSOCIATE_ALL_CLOSES_REGISTRATION",
            }
        ]
    return entry


def review(values: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """What a reviewer denies in a version's values (empty when it passes)."""
    reasons = []
    for path, value in sorted(values.items()):
        check = _CHECKS.get(path.rsplit(".", 1)[-1])
        text = value.get("TextValue")
        if check is not None and text is not None and not check[0].fullmatch(text):
            reasons.append(
                {
                    "Reason": check[1],
                    "ShortDescription": f"{check[2]}: {path}",
                    "LongDescription": f"{path} is {text!r}; give a public address and resubmit "
                    "a new version (CreateRegistrationVersion)",
                    "DocumentationLink": DOCS,
                }
            )
    return reasons


def check_type(kind: str, field_name: str = "RegistrationType") -> None:
    """Raises ValidationError unless ``kind`` is a registration type served here."""
    if kind not in FIELDS:
        raise ValidationError(
            f"{field_name} must be one of {', '.join(FIELDS)}; got {kind!r}",
            reason="UNKNOWN_REGISTRATION_TYPE",
            field=field_name,
        )
