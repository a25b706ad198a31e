"""SES v2 email templates: CRUD, Handlebars rendering, templated and bulk sends."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRY = Config(retries={"max_attempts": 0})
SENDER = "shop@example.com"
CONTENT = {
    "Subject": "Your order, {{name}}",
    "Text": "Hello {{name}}, {{#each items}}{{title}};{{/each}}",
    "Html": "<p>Hello {{name}}</p>{{#if vip}}<b>VIP</b>{{/if}}",
}


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2", config=NO_RETRY)
    client.create_email_identity(EmailIdentity="example.com")
    client.create_email_template(TemplateName="order", TemplateContent=CONTENT)
    aws.ses.grant_production_access()
    return client


def test_templates_are_created_read_updated_listed_and_deleted(aws, sesv2):
    got = sesv2.get_email_template(TemplateName="order")
    assert got["TemplateName"] == "order"
    assert got["TemplateContent"] == CONTENT
    sesv2.update_email_template(
        TemplateName="order", TemplateContent={**CONTENT, "Subject": "Order for {{name}}"}
    )
    assert sesv2.get_email_template(TemplateName="order")["TemplateContent"]["Subject"] == (
        "Order for {{name}}"
    )
    listed = sesv2.list_email_templates()["TemplatesMetadata"]
    assert [t["TemplateName"] for t in listed] == ["order"]
    assert listed[0]["CreatedTimestamp"] == aws.clock.now()
    sesv2.delete_email_template(TemplateName="order")
    with pytest.raises(ClientError) as raised:
        sesv2.get_email_template(TemplateName="order")
    assert raised.value.response["Error"]["Code"] == "NotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_duplicate_template_name_is_refused(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.create_email_template(TemplateName="order", TemplateContent=CONTENT)
    assert raised.value.response["Error"]["Code"] == "AlreadyExistsException"


def test_list_email_templates_pages(sesv2):
    for n in range(3):
        sesv2.create_email_template(TemplateName=f"t{n}", TemplateContent=CONTENT)
    first = sesv2.list_email_templates(PageSize=2)
    second = sesv2.list_email_templates(PageSize=2, NextToken=first["NextToken"])
    names = [t["TemplateName"] for t in first["TemplatesMetadata"] + second["TemplatesMetadata"]]
    assert names == ["order", "t0", "t1", "t2"]
    assert "NextToken" not in second


def test_test_render_uses_handlebars(sesv2):
    data = json.dumps({"name": "Ann", "items": [{"title": "pen"}, {"title": "ink"}], "vip": True})
    rendered = sesv2.test_render_email_template(TemplateName="order", TemplateData=data)
    text = rendered["RenderedTemplate"]
    assert "Subject: Your order, Ann" in text
    assert "Hello Ann, pen;ink;" in text
    assert "<b>VIP</b>" in text


def test_test_render_names_a_missing_attribute(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.test_render_email_template(TemplateName="order", TemplateData="{}")
    error = raised.value.response["Error"]
    assert error["Code"] == "BadRequestException"
    assert error["Message"] == "Attribute 'name' is not present in the rendering data."


def test_a_templated_send_reaches_the_outbox_rendered(aws, sesv2):
    message_id = sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Content={"Template": {"TemplateName": "order", "TemplateData": '{"name": "Ann"}'}},
    )["MessageId"]
    sent = aws.outbox.last(to="ann@example.org")
    assert (sent.message_id, sent.subject, sent.body) == (
        message_id,
        "Your order, Ann",
        "Hello Ann, ",
    )
    assert sent.detail["template"] == "order"


def test_a_template_arn_and_inline_content_work_too(aws, sesv2):
    arn = "arn:aws:ses:us-east-1:123456789012:template/order"
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Content={"Template": {"TemplateArn": arn, "TemplateData": '{"name": "Ann"}'}},
    )
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["bob@example.org"]},
        Content={
            "Template": {
                "TemplateContent": {"Subject": "Hi {{who}}", "Text": "x"},
                "TemplateData": '{"who": "Bob"}',
            }
        },
    )
    assert aws.outbox.last(to="bob@example.org").subject == "Hi Bob"


def test_missing_template_data_is_a_rendering_failure_event_not_a_delivery(aws, sesv2):
    aws.client("s3").create_bucket(Bucket="ses-failures")
    arn = aws.client("firehose").create_delivery_stream(
        DeliveryStreamName="failures",
        ExtendedS3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/r",
            "BucketARN": "arn:aws:s3:::ses-failures",
            "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1},
        },
    )["DeliveryStreamARN"]
    sesv2.create_configuration_set(ConfigurationSetName="tracked")
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="tracked",
        EventDestinationName="archive",
        EventDestination={
            "Enabled": True,
            "MatchingEventTypes": ["SEND", "RENDERING_FAILURE", "DELIVERY"],
            "KinesisFirehoseDestination": {
                "IamRoleArn": "arn:aws:iam::123456789012:role/r",
                "DeliveryStreamArn": arn,
            },
        },
    )
    message_id = sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Content={"Template": {"TemplateName": "order", "TemplateData": "{}"}},
        ConfigurationSetName="tracked",
    )["MessageId"]
    aws.clock.advance(3600)
    s3 = aws.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="ses-failures")["Contents"]]
    body = s3.get_object(Bucket="ses-failures", Key=keys[0])["Body"].read().decode()
    records = [json.loads(line) for line in body.splitlines()]
    assert [r["eventType"] for r in records] == ["Rendering Failure"]
    assert records[0]["failure"] == {
        "templateName": "order",
        "errorMessage": "Attribute 'name' is not present in the rendering data.",
    }
    assert records[0]["mail"]["messageId"] == message_id
    assert aws.outbox.last(to="ann@example.org").status == "RENDERING_FAILED"


def test_template_data_that_is_not_json_is_a_bad_request(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.send_email(
            FromEmailAddress=SENDER,
            Destination={"ToAddresses": ["ann@example.org"]},
            Content={"Template": {"TemplateName": "order", "TemplateData": "{name"}},
        )
    assert raised.value.response["Error"]["Code"] == "BadRequestException"
    assert "TemplateData" in raised.value.response["Error"]["Message"]


def test_sending_with_an_unknown_template_is_not_found(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.send_email(
            FromEmailAddress=SENDER,
            Destination={"ToAddresses": ["ann@example.org"]},
            Content={"Template": {"TemplateName": "nope", "TemplateData": "{}"}},
        )
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_bulk_email_reports_each_entry_and_merges_replacement_data(aws, sesv2):
    aws.ses.set_production_quota(max_24_hour_send=2)
    result = sesv2.send_bulk_email(
        FromEmailAddress=SENDER,
        DefaultContent={
            "Template": {"TemplateName": "order", "TemplateData": '{"name": "friend"}'}
        },
        BulkEmailEntries=[
            {
                "Destination": {"ToAddresses": ["ann@example.org"]},
                "ReplacementEmailContent": {
                    "ReplacementTemplate": {"ReplacementTemplateData": '{"name": "Ann"}'}
                },
            },
            {"Destination": {"ToAddresses": ["bob@example.org"]}},
            {"Destination": {"ToAddresses": ["cy@example.org"]}},
        ],
    )["BulkEmailEntryResults"]
    assert [r["Status"] for r in result] == ["SUCCESS", "SUCCESS", "ACCOUNT_DAILY_QUOTA_EXCEEDED"]
    assert result[2]["Error"] == "Daily message quota exceeded."
    assert "MessageId" not in result[2]
    assert aws.outbox.last(to="ann@example.org").subject == "Your order, Ann"
    assert aws.outbox.last(to="bob@example.org").subject == "Your order, friend"
    assert aws.outbox.last(to="cy@example.org").status == "THROTTLED"


def test_bulk_email_from_an_unverified_sender_is_rejected_whole(sesv2):
    with pytest.raises(ClientError) as raised:
        sesv2.send_bulk_email(
            FromEmailAddress="someone@else.net",
            DefaultContent={"Template": {"TemplateName": "order", "TemplateData": "{}"}},
            BulkEmailEntries=[{"Destination": {"ToAddresses": ["ann@example.org"]}}],
        )
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def test_v1_templates_share_the_store_and_render_with_handlebars(aws, sesv2):
    ses = aws.client("ses", config=NO_RETRY)
    assert [t["Name"] for t in ses.list_templates()["TemplatesMetadata"]] == ["order"]
    ses.create_template(
        Template={"TemplateName": "hello", "SubjectPart": "Hi {{name}}", "TextPart": "x"}
    )
    assert sesv2.get_email_template(TemplateName="hello")["TemplateContent"]["Subject"] == (
        "Hi {{name}}"
    )
    with pytest.raises(ClientError) as raised:
        ses.test_render_template(TemplateName="hello", TemplateData="{}")
    assert raised.value.response["Error"]["Code"] == "MissingRenderingAttribute"
    ses.send_templated_email(
        Source=SENDER,
        Destination={"ToAddresses": ["ann@example.org"]},
        Template="hello",
        TemplateData='{"name": "Ann"}',
    )
    assert aws.outbox.last(to="ann@example.org").subject == "Hi Ann"


def test_v1_bulk_templated_email_reports_per_destination(aws, sesv2):
    ses = aws.client("ses", config=NO_RETRY)
    aws.ses.set_production_quota(max_24_hour_send=1)
    statuses = ses.send_bulk_templated_email(
        Source=SENDER,
        Template="order",
        DefaultTemplateData='{"name": "x"}',
        Destinations=[
            {"Destination": {"ToAddresses": ["a@example.org"]}},
            {"Destination": {"ToAddresses": ["b@example.org"]}},
        ],
    )["Status"]
    assert [s["Status"] for s in statuses] == ["Success", "AccountDailyQuotaExceeded"]


def test_values_are_not_html_escaped_as_the_ses_guide_says(sesv2):
    sesv2.create_email_template(
        TemplateName="raw", TemplateContent={"Subject": "{{who}}", "Html": "<p>{{who}}</p>"}
    )
    rendered = sesv2.test_render_email_template(
        TemplateName="raw", TemplateData=json.dumps({"who": "Tom & <Jerry>"})
    )["RenderedTemplate"]
    assert "Subject: Tom & <Jerry>" in rendered
    assert "<p>Tom & <Jerry></p>" in rendered


def test_documented_handlebars_features_render(sesv2):
    sesv2.create_email_template(
        TemplateName="advanced",
        TemplateContent={
            "Subject": "{{#if contact.firstName}}Hi {{contact.firstName}}{{else}}Hi{{/if}}",
            "Text": (
                '{{#*inline "city"}}{{contact.city}}, {{contact.country}}{{/inline}}'
                "{{> city}}:{{#each subscription}} {{interest}}{{/each}}"
            ),
        },
    )
    data = {
        "contact": {"firstName": "Anaya", "city": "Bengaluru", "country": "India"},
        "subscription": [{"interest": "Sports"}, {"interest": "Travel"}],
    }
    rendered = sesv2.test_render_email_template(
        TemplateName="advanced", TemplateData=json.dumps(data)
    )["RenderedTemplate"]
    assert "Subject: Hi Anaya" in rendered
    assert "Bengaluru, India: Sports Travel" in rendered
