"""A Pinpoint project for the panel tests: two email endpoints and a ``welcome`` template with
two email versions and an SMS one."""

from __future__ import annotations

import json

WELCOME = {
    "Subject": "Welcome, {{User.UserAttributes.FirstName}}!",
    "TextPart": "Your {{Attributes.plan}} plan starts today.",
    "HtmlPart": "<p>Hi {{User.UserAttributes.FirstName}}</p>",
    "DefaultSubstitutions": json.dumps({"User.UserAttributes.FirstName": "friend"}),
}


def setup(aws):
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "news"})["ApplicationResponse"][
        "Id"
    ]
    pinpoint.update_endpoints_batch(
        ApplicationId=app_id,
        EndpointBatchRequest={
            "Item": [
                {
                    "Id": "ana",
                    "ChannelType": "EMAIL",
                    "Address": "ana@example.com",
                    "Attributes": {"plan": ["plus"]},
                    "User": {"UserAttributes": {"FirstName": ["Ana & Co"]}},
                },
                {"Id": "guest", "ChannelType": "EMAIL", "Address": "guest@example.com"},
            ]
        },
    )
    pinpoint.create_email_template(TemplateName="welcome", EmailTemplateRequest=WELCOME)
    pinpoint.update_email_template(
        TemplateName="welcome",
        CreateNewVersion=True,
        EmailTemplateRequest={**WELCOME, "Subject": "{{User.UserAttributes.FirstName}}, hello"},
    )
    pinpoint.create_sms_template(
        TemplateName="welcome", SMSTemplateRequest={"Body": "Hi {{User.UserId}}"}
    )
    return pinpoint, app_id
