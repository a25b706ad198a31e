"""Pinpoint message templates and PhoneNumberValidate through boto3, as a learner calls them."""

from __future__ import annotations

import json

import pytest

from tests.aws.errors import refusal

EMAIL = {
    "Subject": "Hi {{User.UserAttributes.FirstName}}",
    "HtmlPart": "<p>Welcome to the {{Attributes.Plan}} plan</p>",
    "TextPart": "Welcome to the {{Attributes.Plan}} plan",
    "DefaultSubstitutions": json.dumps({"User.UserAttributes.FirstName": "friend"}),
    "TemplateDescription": "first try",
}


def test_create_answers_201_with_the_template_arn(pinpoint):
    created = pinpoint.create_email_template(
        TemplateName="welcome", EmailTemplateRequest={**EMAIL, "tags": {"team": "growth"}}
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    body = created["CreateTemplateMessageBody"]
    assert body["Arn"] == "arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/EMAIL"
    assert body["RequestID"]
    tags = pinpoint.list_tags_for_resource(ResourceArn=body["Arn"])["TagsModel"]["tags"]
    assert tags == {"team": "growth"}


def test_get_returns_the_active_version_dated_by_the_simulated_clock(aws, pinpoint):
    pinpoint.create_email_template(TemplateName="welcome", EmailTemplateRequest=EMAIL)
    got = pinpoint.get_email_template(TemplateName="welcome")["EmailTemplateResponse"]
    assert got == {
        **EMAIL,
        "Arn": "arn:aws:mobiletargeting:us-east-1:123456789012:templates/welcome/EMAIL",
        "CreationDate": "2026-01-05T09:00:00.000Z",
        "LastModifiedDate": "2026-01-05T09:00:00.000Z",
        "tags": {},
        "TemplateName": "welcome",
        "TemplateType": "EMAIL",
        "Version": "1",
    }


def test_versions_are_created_listed_activated_and_deleted(aws, pinpoint):
    pinpoint.create_email_template(TemplateName="welcome", EmailTemplateRequest=EMAIL)
    aws.clock.advance(3600)
    updated = pinpoint.update_email_template(
        TemplateName="welcome",
        CreateNewVersion=True,
        EmailTemplateRequest={**EMAIL, "Subject": "Hello again", "TemplateDescription": "v2"},
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["MessageBody"]["Message"] == "Accepted"
    assert (
        pinpoint.get_email_template(TemplateName="welcome")["EmailTemplateResponse"]["Version"]
        == "1"
    )

    versions = pinpoint.list_template_versions(TemplateName="welcome", TemplateType="EMAIL")
    items = versions["TemplateVersionsResponse"]["Item"]
    assert [(v["Version"], v["TemplateDescription"], v["CreationDate"]) for v in items] == [
        ("2", "v2", "2026-01-05T10:00:00.000Z"),
        ("1", "first try", "2026-01-05T09:00:00.000Z"),
    ]

    pinpoint.update_template_active_version(
        TemplateName="welcome",
        TemplateType="EMAIL",
        TemplateActiveVersionRequest={"Version": "latest"},
    )
    active = pinpoint.get_email_template(TemplateName="welcome")["EmailTemplateResponse"]
    assert (active["Version"], active["Subject"]) == ("2", "Hello again")
    first = pinpoint.get_email_template(TemplateName="welcome", Version="1")
    assert first["EmailTemplateResponse"]["Subject"] == EMAIL["Subject"]

    deleted = pinpoint.delete_email_template(TemplateName="welcome", Version="1")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    items = pinpoint.list_template_versions(TemplateName="welcome", TemplateType="EMAIL")
    assert [v["Version"] for v in items["TemplateVersionsResponse"]["Item"]] == ["2"]


def test_updating_without_a_new_version_overwrites_the_latest(aws, pinpoint):
    pinpoint.create_sms_template(TemplateName="otp", SMSTemplateRequest={"Body": "Code {{x}}"})
    aws.clock.advance(60)
    pinpoint.update_sms_template(TemplateName="otp", SMSTemplateRequest={"Body": "Your code"})
    got = pinpoint.get_sms_template(TemplateName="otp")["SMSTemplateResponse"]
    assert (got["Version"], got["Body"]) == ("1", "Your code")
    assert (got["CreationDate"], got["LastModifiedDate"]) == (
        "2026-01-05T09:00:00.000Z",
        "2026-01-05T09:01:00.000Z",
    )


def test_every_type_round_trips(pinpoint):
    pinpoint.create_sms_template(TemplateName="t", SMSTemplateRequest={"Body": "Hi"})
    pinpoint.create_voice_template(
        TemplateName="t",
        VoiceTemplateRequest={"Body": "Hello", "LanguageCode": "en-US", "VoiceId": "Joanna"},
    )
    pinpoint.create_push_template(
        TemplateName="t",
        PushNotificationTemplateRequest={
            "Default": {"Title": "Hi", "Body": "There", "Action": "OPEN_APP"},
            "GCM": {"Body": "Android", "ImageUrl": "https://example.com/a.png"},
        },
    )
    created = pinpoint.create_in_app_template(
        TemplateName="t",
        InAppTemplateRequest={
            "Layout": "TOP_BANNER",
            "Content": [
                {
                    "BackgroundColor": "#FFFFFF",
                    "BodyConfig": {"Alignment": "LEFT", "Body": "Sale", "TextColor": "#000000"},
                    "HeaderConfig": {"Alignment": "CENTER", "Header": "Hi", "TextColor": "#000"},
                }
            ],
            "CustomConfig": {"k": "v"},
        },
    )
    assert created["TemplateCreateMessageBody"]["Arn"].endswith("templates/t/INAPP")
    voice = pinpoint.get_voice_template(TemplateName="t")["VoiceTemplateResponse"]
    push = pinpoint.get_push_template(TemplateName="t")["PushNotificationTemplateResponse"]
    in_app = pinpoint.get_in_app_template(TemplateName="t")["InAppTemplateResponse"]
    assert (voice["VoiceId"], voice["TemplateType"]) == ("Joanna", "VOICE")
    assert push["GCM"] == {"Body": "Android", "ImageUrl": "https://example.com/a.png"}
    assert in_app["Content"][0]["HeaderConfig"]["Alignment"] == "CENTER"
    listed = pinpoint.list_templates()["TemplatesResponse"]["Item"]
    assert sorted(i["TemplateType"] for i in listed) == ["INAPP", "PUSH", "SMS", "VOICE"]


def test_list_templates_filters_by_type_and_prefix_and_pages(pinpoint):
    for name in ("promo-1", "promo-2", "promo-3", "receipt"):
        pinpoint.create_sms_template(TemplateName=name, SMSTemplateRequest={"Body": name})
    pinpoint.create_email_template(TemplateName="promo-mail", EmailTemplateRequest=EMAIL)
    page = pinpoint.list_templates(Prefix="promo", TemplateType="SMS", PageSize="2")
    first = page["TemplatesResponse"]
    assert [i["TemplateName"] for i in first["Item"]] == ["promo-1", "promo-2"]
    rest = pinpoint.list_templates(
        Prefix="promo", TemplateType="SMS", PageSize="2", NextToken=first["NextToken"]
    )["TemplatesResponse"]
    assert ([i["TemplateName"] for i in rest["Item"]], rest.get("NextToken")) == (["promo-3"], None)
    assert set(first["Item"][0]) == {
        "CreationDate",
        "LastModifiedDate",
        "TemplateName",
        "TemplateType",
        "Version",
    }


@pytest.mark.parametrize(
    "call, status, code, words",
    [
        (
            lambda p: p.get_sms_template(TemplateName="nope"),
            404,
            "NotFoundException",
            "'nope' of type SMS",
        ),
        (
            lambda p: p.get_email_template(TemplateName="welcome", Version="7"),
            404,
            "NotFoundException",
            "Version 7 of template 'welcome' of type EMAIL",
        ),
        (
            lambda p: p.create_email_template(TemplateName="welcome", EmailTemplateRequest=EMAIL),
            400,
            "BadRequestException",
            "already exists",
        ),
        (
            lambda p: p.create_sms_template(
                TemplateName="has space", SMSTemplateRequest={"Body": "x"}
            ),
            400,
            "BadRequestException",
            "TemplateName 'has space'",
        ),
        (
            lambda p: p.create_sms_template(
                TemplateName="s", SMSTemplateRequest={"Body": "x" * 1601}
            ),
            400,
            "BadRequestException",
            "at most 1600",
        ),
        (
            lambda p: p.create_email_template(
                TemplateName="broken", EmailTemplateRequest={"HtmlPart": "{{#if x}}"}
            ),
            400,
            "BadRequestException",
            "HtmlPart",
        ),
        (
            lambda p: p.update_email_template(
                TemplateName="welcome", Version="1", CreateNewVersion=True, EmailTemplateRequest={}
            ),
            400,
            "BadRequestException",
            "not both",
        ),
        (
            lambda p: p.delete_email_template(TemplateName="welcome", Version="3"),
            404,
            "NotFoundException",
            "Version 3",
        ),
        (
            lambda p: p.update_template_active_version(
                TemplateName="welcome",
                TemplateType="LETTER",
                TemplateActiveVersionRequest={"Version": "1"},
            ),
            400,
            "BadRequestException",
            "TemplateType 'LETTER'",
        ),
        (
            lambda p: p.list_templates(TemplateType="FAX"),
            400,
            "BadRequestException",
            "allowed: EMAIL, SMS, VOICE, PUSH, INAPP",
        ),
        (
            lambda p: p.create_in_app_template(
                TemplateName="i", InAppTemplateRequest={"Layout": "SIDEBAR"}
            ),
            400,
            "BadRequestException",
            "Layout 'SIDEBAR'",
        ),
    ],
)
def test_errors_are_modeled_and_name_what_is_wrong(pinpoint, call, status, code, words):
    pinpoint.create_email_template(TemplateName="welcome", EmailTemplateRequest=EMAIL)
    error = refusal(call, pinpoint)
    assert (error["Status"], error["Code"]) == (status, code)
    assert words in error["Message"]


def test_a_refused_update_loses_nothing(pinpoint):
    pinpoint.create_email_template(TemplateName="welcome", EmailTemplateRequest=EMAIL)
    refusal(
        lambda: pinpoint.update_email_template(
            TemplateName="welcome", EmailTemplateRequest={"HtmlPart": "{{/if}}"}
        )
    )
    got = pinpoint.get_email_template(TemplateName="welcome")["EmailTemplateResponse"]
    assert got["HtmlPart"] == EMAIL["HtmlPart"]


def test_deleting_a_template_removes_it_and_its_tags(pinpoint):
    arn = pinpoint.create_sms_template(
        TemplateName="bye", SMSTemplateRequest={"Body": "x", "tags": {"k": "v"}}
    )["CreateTemplateMessageBody"]["Arn"]
    pinpoint.delete_sms_template(TemplateName="bye")
    assert refusal(pinpoint.get_sms_template, TemplateName="bye")["Code"] == "NotFoundException"
    assert pinpoint.list_tags_for_resource(ResourceArn=arn)["TagsModel"]["tags"] == {}


# PhoneNumberValidate ----------------------------------------------------------------------------


def validate(pinpoint, number: str, country: str | None = None) -> dict:
    request = {"PhoneNumber": number, **({"IsoCountryCode": country} if country else {})}
    return pinpoint.phone_number_validate(NumberValidateRequest=request)["NumberValidateResponse"]


def test_validate_a_us_mobile(pinpoint):
    answer = validate(pinpoint, "+12065550142")
    assert answer == {
        "CleansedPhoneNumberE164": "+12065550142",
        "CleansedPhoneNumberNational": "2065550142",
        "Country": "United States",
        "CountryCodeIso2": "US",
        "CountryCodeNumeric": "1",
        "OriginalPhoneNumber": "+12065550142",
        "PhoneType": "MOBILE",
        "PhoneTypeCode": 0,
    }


def test_validate_a_uk_number(pinpoint):
    answer = validate(pinpoint, "020 7946 0958", "GB")
    assert answer["CleansedPhoneNumberE164"] == "+442079460958"
    assert (answer["PhoneType"], answer["City"], answer["Timezone"]) == (
        "LANDLINE",
        "London",
        "Europe/London",
    )
    assert answer["OriginalCountryCodeIso2"] == "GB"


def test_validate_a_vietnamese_mobile(pinpoint):
    answer = validate(pinpoint, "+84 912 345 678")
    assert answer["CleansedPhoneNumberE164"] == "+84912345678"
    assert (answer["CountryCodeIso2"], answer["CountryCodeNumeric"], answer["Carrier"]) == (
        "VN",
        "84",
        "Vinaphone",
    )
    assert (answer["PhoneType"], answer["Timezone"]) == ("MOBILE", "Asia/Ho_Chi_Minh")


def test_validate_garbage_is_invalid(pinpoint):
    assert validate(pinpoint, "not a number") == {
        "OriginalPhoneNumber": "not a number",
        "PhoneType": "INVALID",
        "PhoneTypeCode": 3,
    }


@pytest.mark.parametrize(
    "request_body, words",
    [
        ({"IsoCountryCode": "US"}, "PhoneNumber is required"),
        ({"PhoneNumber": "1", "IsoCountryCode": "QQ"}, "IsoCountryCode 'QQ'"),
    ],
)
def test_validate_refuses_a_missing_number_or_unknown_country(pinpoint, request_body, words):
    error = refusal(pinpoint.phone_number_validate, NumberValidateRequest=request_body)
    assert (error["Status"], error["Code"]) == (400, "BadRequestException")
    assert words in error["Message"]


# Server mode ------------------------------------------------------------------------------------


@pytest.mark.server
def test_templates_and_validation_over_http(server_aws):
    pinpoint = server_aws.client("pinpoint")
    assert server_aws.endpoint_url
    pinpoint.create_push_template(
        TemplateName="alert", PushNotificationTemplateRequest={"Default": {"Body": "Hi"}}
    )
    pinpoint.update_push_template(
        TemplateName="alert",
        CreateNewVersion=True,
        PushNotificationTemplateRequest={"Default": {"Body": "Hi again"}},
    )
    pinpoint.update_template_active_version(
        TemplateName="alert", TemplateType="PUSH", TemplateActiveVersionRequest={"Version": "2"}
    )
    got = pinpoint.get_push_template(TemplateName="alert")["PushNotificationTemplateResponse"]
    assert (got["Version"], got["Default"]) == ("2", {"Body": "Hi again"})
    error = refusal(pinpoint.get_voice_template, TemplateName="alert")
    assert (error["Status"], error["Code"]) == (404, "NotFoundException")
    assert validate(pinpoint, "+84912345678")["CountryCodeIso2"] == "VN"
