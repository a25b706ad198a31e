"""SES v2 list management with working unsubscribe links, and attachments in the outbox."""

from __future__ import annotations

import base64

import pytest
from botocore.exceptions import ClientError

SENDER = "news@school.example"
PARENT = "parent@school.example"


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2")
    client.create_email_identity(EmailIdentity="school.example")
    client.create_contact_list(
        ContactListName="parents",
        Topics=[
            {
                "TopicName": "news",
                "DisplayName": "School news",
                "DefaultSubscriptionStatus": "OPT_IN",
            }
        ],
    )
    client.create_contact(ContactListName="parents", EmailAddress=PARENT)
    return client


def _newsletter(sesv2, body: str = "Read more. Unsubscribe: {{amazonSESUnsubscribeUrl}}"):
    return sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [PARENT]},
        Content={"Simple": {"Subject": {"Data": "News"}, "Body": {"Text": {"Data": body}}}},
        ListManagementOptions={"ContactListName": "parents", "TopicName": "news"},
    )


def test_the_unsubscribe_link_is_filled_and_unsubscribes_the_contact(aws, sesv2):
    _newsletter(sesv2)
    email = aws.outbox.last(to=PARENT)
    link = email.body.split("Unsubscribe: ")[1]
    assert link.startswith("https://unsubscribe.us-east-1.amazonses.com/")
    assert aws.mail.follow(link) == f"{PARENT} unsubscribed from news of parents"
    contact = sesv2.get_contact(ContactListName="parents", EmailAddress=PARENT)
    assert contact["TopicPreferences"] == [{"TopicName": "news", "SubscriptionStatus": "OPT_OUT"}]
    aws.clock.advance(1)
    _newsletter(sesv2)
    assert aws.outbox.last(to=PARENT).status == "OPTED_OUT"


def test_a_template_can_use_the_unsubscribe_url(aws, sesv2):
    sesv2.create_email_template(
        TemplateName="news",
        TemplateContent={
            "Subject": "News for {{name}}",
            "Text": "Bye: {{amazonSESUnsubscribeUrl}}",
        },
    )
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [PARENT]},
        Content={"Template": {"TemplateName": "news", "TemplateData": '{"name": "Ana"}'}},
        ListManagementOptions={"ContactListName": "parents", "TopicName": "news"},
    )
    email = aws.outbox.last(to=PARENT)
    assert email.status == "SENT"
    assert email.body.startswith("Bye: https://unsubscribe.")


def test_a_forged_link_and_a_missing_list_are_refused(aws, sesv2):
    _newsletter(sesv2)
    link = aws.outbox.last(to=PARENT).body.split("Unsubscribe: ")[1]
    with pytest.raises(ValueError, match="not an unsubscribe link"):
        aws.mail.follow(link.replace("parent%40", "other%40"))
    with pytest.raises(ClientError) as raised:
        sesv2.send_email(
            FromEmailAddress=SENDER,
            Destination={"ToAddresses": [PARENT]},
            Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}}},
            ListManagementOptions={"ContactListName": "nobody"},
        )
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_attachments_reach_the_outbox(aws, sesv2):
    sesv2.send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": [PARENT]},
        Content={
            "Simple": {
                "Subject": {"Data": "Report"},
                "Body": {"Text": {"Data": "Attached."}},
                "Attachments": [
                    {
                        "FileName": "report.csv",
                        "ContentType": "text/csv",
                        "RawContent": b"a,b\n1,2\n",
                    }
                ],
            }
        },
    )
    (attachment,) = aws.outbox.last(to=PARENT).detail["attachments"]
    assert (attachment["file_name"], attachment["content_type"], attachment["size"]) == (
        "report.csv",
        "text/csv",
        8,
    )
    assert base64.b64decode(attachment["content_base64"]) == b"a,b\n1,2\n"


def test_attachments_of_a_raw_message_reach_the_outbox(aws, sesv2):
    raw = (
        f"From: {SENDER}\nTo: {PARENT}\nSubject: Raw\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nSee attached.\n"
        '--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="a.pdf"\n'
        "Content-Transfer-Encoding: base64\n\nJVBERi0=\n--b--\n"
    )
    aws.client("ses").send_raw_email(RawMessage={"Data": raw})
    email = aws.outbox.last(to=PARENT)
    assert email.body.strip() == "See attached."
    assert [(a["file_name"], a["size"]) for a in email.detail["attachments"]] == [("a.pdf", 5)]
