"""Source strings and as-of dates shared by the fact modules.

Dates follow `reference/aws-facts.md`: archived AWS doc repositories use the commit date the
reference names, botocore/moto figures use the botocore 1.44.8 baseline (2026-11-01), and live
pages the reference cites without a date use that same baseline. Pages looked up for simlab
with the search tool carry the date they were read.
"""

# Dates -----------------------------------------------------------------------------------------
PINPOINT_DEV_2019 = "2019-05-23"  # awsdocs/amazon-pinpoint-developer-guide @86d72134
PINPOINT_DEV_2023 = "2023-04-28"  # awsdocs/amazon-pinpoint-developer-guide @929dbc4
PINPOINT_USER_2023 = "2023-05-24"  # awsdocs/amazon-pinpoint-user-guide @0459028
SNS_DEV_2023 = "2023-03-28"  # awsdocs/amazon-sns-developer-guide @f704d8c
SES_DEV_2023 = "2023-06-15"  # awsdocs/amazon-ses-developer-guide @5b3d642
BASELINE = "2026-11-01"  # botocore 1.44.8 / moto 5.2.5 baseline of the reference
API_EVANGELIST_READ = "2026-08-13"  # "read 2026-08-13" in the api-evangelist YAML files
PRICE_LIST_READ = "2026-07-22"  # AWS Price List as read by api-evangelist
SES_PLANS_LAUNCH = "2026-07-21"
JUNE_2026 = "2026-06-01"  # sources dated only "June 2026"
LOOKED_UP = "2026-11-28"  # pages read with the search tool for simlab

# Sources ---------------------------------------------------------------------------------------
BOTOCORE = "BC botocore 1.44.8"
MOTO = "moto 5.2.5"

SES_QUOTAS = "AWS-doc https://docs.aws.amazon.com/ses/latest/dg/quotas.html"
SES_REPUTATION = "AWS-doc SES Developer Guide reputationdashboardmessages.md, faqs-enforcement.md"
SES_RECEIVING = "AWS-doc SES Developer Guide receiving-email-action.md"
SES_SIMULATOR = (
    "AWS-doc https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html"
    " (Using the mailbox simulator manually)"
)
SES_FIREHOSE_CONTENTS = "AWS-doc https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-firehose-contents.html"

PINPOINT_QUOTAS_2023 = "AWS-doc Pinpoint Developer Guide quotas.md @929dbc4"
PINPOINT_QUOTAS_NOW = (
    "AWS-doc https://docs.aws.amazon.com/pinpoint/latest/developerguide/quotas.html"
    " (current ja_jp copy); 2nd api-evangelist amazon-pinpoint, read 2026-08-13; re:Post"
)
PINPOINT_AUTO_INACTIVE = (
    "AWS-doc https://docs.aws.amazon.com/pinpoint/latest/developerguide/"
    "audience-define-auto-inactive.html"
)
PINPOINT_MIGRATE = "AWS-doc https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html"
PINPOINT_STREAMS = "AWS-doc Pinpoint Developer Guide event-streams-data-*.md"

SMS_MPS = "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-mps.html"
SMS_CHARACTERS = (
    "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/sms-limitations-character.html"
)
SMS_QUOTAS_2023 = "AWS-doc Pinpoint Developer Guide quotas.md @929dbc4 (SMS and voice)"
SMS_EVENT_FORMAT = "AWS-doc https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html"

SNS_FEATURES = "AWS-doc https://aws.amazon.com/sns/features/"
