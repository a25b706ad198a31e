"""Hostile templates and data through boto3: AWS-shaped errors or plain text, never the host.

The payloads are the ones a fuzz of the earlier engine found: format strings that read
``os.environ`` through attribute lookups, a 60-byte value that became 20 MB, a padding helper
asked for 10^8 characters, 300 nested ``{{#if}}`` and a partial that calls itself.
"""

from __future__ import annotations

import json
import os

import pytest
from botocore.config import Config

from simlab.aws import LocalAWS
from tests.aws.errors import error_of
from tests.aws.pinpoint_project import email_project

NO_RETRY = Config(retries={"max_attempts": 0})
SENDER = "shop@example.com"
ENV_LEAK = "{0.__class__.__init__.__globals__[sys].modules[os].environ}"
DEEP_IFS = "{{#if a}}" * 300 + "deep" + "{{/if}}" * 300
LOOPING_PARTIAL = '{{#*inline "loop"}}x{{> loop}}{{/inline}}{{> loop}}'


@pytest.fixture
def ses(aws: LocalAWS):
    client = aws.client("ses", config=NO_RETRY)
    client.verify_domain_identity(Domain="example.com")
    aws.ses.grant_production_access()
    return client


@pytest.fixture
def sesv2(aws: LocalAWS, ses):
    return aws.client("sesv2", config=NO_RETRY)


def v1_template(ses, name: str, text: str) -> None:
    ses.create_template(Template={"TemplateName": name, "SubjectPart": "s", "TextPart": text})


# SES v1 TestRenderTemplate ---------------------------------------------------------------------


def test_v1_format_strings_in_data_render_as_text(ses):
    ses.create_template(
        Template={"TemplateName": "t", "SubjectPart": "{{x.format}}", "TextPart": "[{{x}}]"}
    )
    rendered = ses.test_render_template(TemplateName="t", TemplateData=json.dumps({"x": ENV_LEAK}))[
        "RenderedTemplate"
    ]
    assert f"[{ENV_LEAK}]" in rendered
    assert "Subject: \n" in rendered or "Subject:\n" in rendered
    assert os.environ.get("PATH", "/usr/bin") not in rendered


def test_v1_a_short_format_spec_stays_short(ses):
    v1_template(ses, "t", "{{x}}")
    rendered = ses.test_render_template(TemplateName="t", TemplateData='{"x": "{0!s:>20000000}"}')
    assert "{0!s:>20000000}" in rendered["RenderedTemplate"]
    assert len(rendered["RenderedTemplate"]) < 1_000


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (DEEP_IFS, "nest more than 64 deep"),
        (LOOPING_PARTIAL, "nest more than 64 deep"),
        ("{{rjust x size=100000000}}", "'rjust', which is not a helper"),
        ("{{#if x}}", "never closed"),
    ],
)
def test_v1_templates_that_cannot_render_are_invalid_rendering_parameters(ses, text, words):
    v1_template(ses, "t", text)
    code, message = error_of(ses.test_render_template, TemplateName="t", TemplateData='{"a": 1}')
    assert code == "InvalidRenderingParameter"
    assert words in message


def test_v1_a_send_whose_template_cannot_render_is_a_rendering_failure(aws, ses):
    v1_template(ses, "loop", LOOPING_PARTIAL)
    ses.send_templated_email(
        Source=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Template="loop",
        TemplateData="{}",
    )
    sent = aws.outbox.last(to="ann@example.org")
    assert sent.status == "RENDERING_FAILED"
    assert "nest more than 64 deep" in sent.detail["error"]


# SES v2 -----------------------------------------------------------------------------------------


def test_v2_refuses_a_template_nested_too_deep_when_it_is_created(sesv2):
    code, message = error_of(
        sesv2.create_email_template,
        TemplateName="deep",
        TemplateContent={"Subject": "s", "Text": DEEP_IFS},
    )
    assert code == "BadRequestException"
    assert "TemplateContent is not valid" in message and "64 deep" in message


def test_v2_test_render_of_a_looping_partial_is_a_bad_request(sesv2):
    sesv2.create_email_template(
        TemplateName="loop", TemplateContent={"Subject": "s", "Text": LOOPING_PARTIAL}
    )
    code, message = error_of(
        sesv2.test_render_email_template, TemplateName="loop", TemplateData="{}"
    )
    assert (code, "nest more than 64 deep" in message) == ("BadRequestException", True)


def test_v2_test_render_shows_hostile_data_as_text(sesv2):
    sesv2.create_email_template(
        TemplateName="t",
        TemplateContent={"Subject": "{{x.format}}|{{x.__class__}}", "Text": "{{x}}"},
    )
    rendered = sesv2.test_render_email_template(
        TemplateName="t", TemplateData=json.dumps({"x": ENV_LEAK})
    )["RenderedTemplate"]
    assert "Subject: |\n" in rendered and ENV_LEAK in rendered


def test_v2_an_inline_template_that_cannot_render_is_a_rendering_failure(aws, sesv2):
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        Content={
            "Template": {
                "TemplateContent": {"Subject": "Hi", "Text": "{{shout name}}"},
                "TemplateData": '{"name": "Bob"}',
            }
        },
    )
    sent = aws.outbox.last(to="bob@example.org")
    assert (sent.status, sent.detail["error"]) == (
        "RENDERING_FAILED",
        "the template calls 'shout', which is not a helper",
    )


# Pinpoint ---------------------------------------------------------------------------------------


@pytest.fixture
def pinpoint_app(aws: LocalAWS):
    return email_project(aws, "safety", stream=False)


def send_with_template(pinpoint, app_id: str, name: str):
    return pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {"ann@example.org": {"ChannelType": "EMAIL"}},
            "MessageConfiguration": {"EmailMessage": {}},
            "TemplateConfiguration": {"EmailTemplate": {"Name": name}},
        },
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (LOOPING_PARTIAL, "nest more than 64 deep"),
        ("{{rjust 'x' size=100000000 pad='0123456789'}}", "rjust allows at most 10000000"),
        ("{{replace (rjust 'a' size=5000000 pad='a') 'a' 'bbbbbbbbbb'}}", "replace would build"),
    ],
)
def test_pinpoint_a_template_that_cannot_render_is_a_bad_request(aws, pinpoint_app, text, words):
    pinpoint, app_id = pinpoint_app
    pinpoint.create_email_template(
        TemplateName="bad", EmailTemplateRequest={"Subject": "Hi", "TextPart": text}
    )
    code, message = error_of(send_with_template, pinpoint=pinpoint, app_id=app_id, name="bad")
    assert code == "BadRequestException" and words in message
    assert aws.outbox.filter(service="pinpoint") == []


def test_pinpoint_refuses_a_template_nested_too_deep(pinpoint_app):
    pinpoint, _ = pinpoint_app
    code, message = error_of(
        pinpoint.create_email_template,
        TemplateName="deep",
        EmailTemplateRequest={"Subject": "Hi", "TextPart": DEEP_IFS},
    )
    assert code == "BadRequestException" and "TextPart" in message and "64 deep" in message


def test_pinpoint_hostile_substitutions_are_text(aws, pinpoint_app):
    pinpoint, app_id = pinpoint_app
    pinpoint.create_email_template(
        TemplateName="hi",
        EmailTemplateRequest={
            "Subject": "Hi {{User.UserAttributes.Name.format}}.",
            "TextPart": "[{{rjust User.UserAttributes.Name size=70 pad='*'}}]",
        },
    )
    pinpoint.send_messages(
        ApplicationId=app_id,
        MessageRequest={
            "Addresses": {
                "ann@example.org": {
                    "ChannelType": "EMAIL",
                    "Substitutions": {"User.UserAttributes.Name": [ENV_LEAK]},
                }
            },
            "MessageConfiguration": {"EmailMessage": {}},
            "TemplateConfiguration": {"EmailTemplate": {"Name": "hi"}},
        },
    )
    sent = aws.outbox.last(to="ann@example.org")
    assert sent.subject == "Hi ."
    assert sent.body == "[" + "*" * (70 - len(ENV_LEAK)) + ENV_LEAK + "]"
