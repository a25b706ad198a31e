"""Source strings, as-of dates and public URLs shared by the fact modules.

Dates follow `reference/aws-facts.md`: archived AWS doc repositories use the commit date the
reference names, botocore/moto figures use the botocore 1.44.8 baseline (2026-11-01), and live
pages the reference cites without a date use that same baseline. Pages read for simlab carry
the date they were read.
"""

import re

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
LOOKED_UP = "2026-11-28"  # pages read for simlab
LOOKED_UP_DEC = "2026-12-06"  # pages read again for the corrected notebooks and quiz

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

# Public URLs -----------------------------------------------------------------------------------
# Every fact carries a URL a learner can open. A source that names an https page links there;
# a botocore or moto figure links the file at the pinned version; an archived AWS guide page
# links the same page on docs.aws.amazon.com; a second-hand figure links the AWS page it quotes.

BOTOCORE_TAG = "1.44.8"
MOTO_TAG = "5.2.5"
_BOTOCORE_MODELS = {
    "pinpoint": "2016-12-01",
    "pinpoint-sms-voice-v2": "2022-03-31",
    "pinpoint-sms-voice": "2018-09-05",
    "sesv2": "2019-09-27",
    "ses": "2010-12-01",
    "sns": "2010-03-31",
    "firehose": "2015-08-04",
    "kinesis": "2013-12-02",
    "logs": "2014-03-28",
    "connectcampaignsv2": "2024-04-23",
    "endusermessaging": "2026-09-21",
}
_DOCS = "https://docs.aws.amazon.com"
_PINPOINT_DEV = f"{_DOCS}/pinpoint/latest/developerguide"
_PINPOINT_USER = f"{_DOCS}/pinpoint/latest/userguide"
_SNS_DG = f"{_DOCS}/sns/latest/dg"
_SES_DG = f"{_DOCS}/ses/latest/dg"
_SMS_UG = f"{_DOCS}/sms-voice/latest/userguide"

#: Sources without a URL of their own, mapped to the public page that holds the figure.
SOURCE_URLS: dict[str, str] = {
    "2nd widely reported first production grant; AWS says only that it varies by use case": (
        f"{_SES_DG}/request-production-access.html"
    ),
    "AWS-doc Pinpoint Developer Guide quotas.md @929dbc4": f"{_PINPOINT_DEV}/quotas.html",
    "AWS-doc Pinpoint Developer Guide quotas.md @929dbc4 (SMS and voice)": (
        f"{_PINPOINT_DEV}/quotas.html"
    ),
    "AWS-doc SES Developer Guide reputationdashboardmessages.md, faqs-enforcement.md": (
        f"{_SES_DG}/reputationdashboardmessages.html"
    ),
    "AWS-doc SES Developer Guide receiving-email-action.md": (
        f"{_SES_DG}/receiving-email-action.html"
    ),
    "AWS-doc SNS Developer Guide large-message-payloads.md": (
        f"{_SNS_DG}/large-message-payloads.html"
    ),
    "AWS-doc CDK aws_sns FifoThroughputScope": (
        f"{_DOCS}/cdk/api/v2/docs/aws-cdk-lib.aws_sns.FifoThroughputScope.html"
    ),
    "2nd third-party notes quoting the SNS quotas page": f"{_DOCS}/general/latest/gr/sns.html",
    "AWS-doc SNS Developer Guide sns-message-delivery-retries.md": (
        f"{_SNS_DG}/sns-message-delivery-retries.html"
    ),
    "AWS-doc SNS Developer Guide sms_manage.md": f"{_SNS_DG}/sms_manage.html",
    "AWS-doc SNS Developer Guide sms_preferences.md, sns-sms-sandbox.md": (
        f"{_SNS_DG}/sms_preferences.html"
    ),
    "AWS-doc Pinpoint User Guide message-template-helpers.md": (
        f"{_PINPOINT_USER}/message-template-helpers.html"
    ),
    "AWS-doc Pinpoint Developer Guide audience-define-user.md": (
        f"{_PINPOINT_DEV}/audience-define-user.html"
    ),
    "AWS-doc Pinpoint Developer Guide validate-phone-numbers.html": (
        f"{_PINPOINT_DEV}/validate-phone-numbers.html"
    ),
    "AWS-doc Pinpoint Developer Guide event-streams.md": f"{_PINPOINT_DEV}/event-streams.html",
    "2nd AWS Support answer on re:Post": f"{_PINPOINT_DEV}/quotas.html",
    "AWS-doc Pinpoint Developer Guide channels-sms-limitations-mps.md @929dbc4": (
        f"{_SMS_UG}/sms-limitations-mps.html"
    ),
    "AWS-doc Pinpoint channels-sms-sandbox.md; channels-sms-awssupport-sandbox.html": (
        f"{_SMS_UG}/sandbox.html"
    ),
    "AWS-doc AWS End User Messaging SMS quotas": f"{_SMS_UG}/quotas.html",
    "2nd AWS blog '10DLC Campaign Types and Quotas' (exact numbers second-hand)": (
        f"{_SMS_UG}/registrations-10dlc.html"
    ),
    "AWS-doc Pinpoint channels-sms-limitations-opt-out.md": f"{_SMS_UG}/opt-out-list.html",
    "AWS-doc Pinpoint User Guide channels-sms-two-way.md": (
        f"{_PINPOINT_USER}/channels-sms-two-way.html"
    ),
    "AWS-doc sms-voice User Guide two-way-sms-payload.html": f"{_SMS_UG}/two-way-sms-payload.html",
    "AWS-doc Pinpoint Developer Guide event-streams-data-sms.md": (
        f"{_PINPOINT_DEV}/event-streams-data-sms.html"
    ),
    "AWS-doc Kinesis Data Streams Developer Guide working-with-streams": (
        f"{_DOCS}/streams/latest/dev/service-sizes-and-limits.html"
    ),
    "AWS-doc Kinesis large-records.html": f"{_DOCS}/streams/latest/dev/large-records.html",
    "AWS-doc Pinpoint Developer Guide event-streams-data-*.md": (
        f"{_PINPOINT_DEV}/event-streams-data.html"
    ),
    "AWS-doc awsdocs/amazon-pinpoint-developer-guide @86d72134 "
    "doc-source/analytics-streaming.html": (
        "https://github.com/awsdocs/amazon-pinpoint-developer-guide/blob/86d72134/"
        "doc-source/analytics-streaming.html"
    ),
    "AWS-doc awsdocs/amazon-pinpoint-developer-guide @86d72134 doc-source/analytics-streaming.html;"
    " Pinpoint User Guide 'Troubleshooting the email channel'": (
        "https://github.com/awsdocs/amazon-pinpoint-developer-guide/blob/86d72134/"
        "doc-source/analytics-streaming.html"
    ),
    "AWS-doc Pinpoint event-streams-data-sms.md (example shows _SMS.SUCCESS); 2nd "
    "department-of-veterans-affairs/notification-api tests": (
        f"{_PINPOINT_DEV}/event-streams-data-sms.html"
    ),
    "2nd third-party code only": f"{_PINPOINT_DEV}/event-streams-data-sms.html",
    "2nd department-of-veterans-affairs/notification-api tests (official table elided)": (
        f"{_PINPOINT_DEV}/event-streams-data-sms.html"
    ),
    "2nd api-evangelist/amazon-pinpoint asyncapi/amazon-pinpoint-events.yml": (
        f"{_PINPOINT_DEV}/event-streams-data-campaign.html"
    ),
    "AWS-doc Pinpoint Developer Guide event-streams-data-journey.md": (
        f"{_PINPOINT_DEV}/event-streams-data-journey.html"
    ),
    "2nd api-evangelist amazon-ses/plans/amazon-ses-plans-pricing.yml (AWS Price List read "
    "2026-07-22); SES FAQ": "https://aws.amazon.com/ses/pricing/",
    "2nd reports of the SES free tier": "https://aws.amazon.com/ses/pricing/",
    "2nd api-evangelist amazon-pinpoint/plans (read 2026-08-13)": (
        "https://aws.amazon.com/pinpoint/pricing/"
    ),
    "AWS-doc Pinpoint event-streams-data-sms example (645 millicents)": (
        f"{_PINPOINT_DEV}/event-streams-data-sms.html"
    ),
    "2nd figure quoted for the Firehose pricing page; not verified against it": (
        "https://aws.amazon.com/firehose/pricing/"
    ),
    "2nd c3x.dev, June 2026": "https://aws.amazon.com/cloudwatch/pricing/",
    "2nd copies of the official exam guides": f"{_DOCS}/aws-certification/latest/userguide/",
    "2nd exam news": f"{_DOCS}/aws-certification/latest/userguide/",
    "2nd study notes; AWS-doc sns-common-scenarios.md for the fan-out cue": (
        f"{_SNS_DG}/sns-common-scenarios.html"
    ),
    "BC botocore 1.44.8": f"https://github.com/boto/botocore/tree/{BOTOCORE_TAG}/botocore/data",
    "BC botocore 1.44.8 service-2.json metadata": (
        f"https://github.com/boto/botocore/tree/{BOTOCORE_TAG}/botocore/data"
    ),
    "BC botocore 1.44.8 service-2.json operations": (
        f"https://github.com/boto/botocore/tree/{BOTOCORE_TAG}/botocore/data"
    ),
    "moto 5.2.5 moto/pinpoint/responses.py": (
        f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/pinpoint/responses.py"
    ),
    "moto 5.2.5 moto/backends": (
        f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/backend_index.py"
    ),
    "moto 5.2.5 moto/ses get_send_quota": (
        f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/ses/models.py"
    ),
    "moto 5.2.5 moto/ses RECIPIENT_LIMIT": (
        f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/ses/models.py"
    ),
    "moto 5.2.5 moto/sns": f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/sns/models.py",
    "moto 5.2.5 moto/firehose": (
        f"https://github.com/getmoto/moto/blob/{MOTO_TAG}/moto/firehose/models.py"
    ),
}

_URL = re.compile(r"https://[^\s;,()]+")
_BOTOCORE_SERVICE = re.compile(r"^BC botocore [\d.]+ (?P<service>[a-z0-9-]+)\b")


def url_for(source: str) -> str:
    """Return the public URL of a fact's source, or raise KeyError when none is known."""
    if source in SOURCE_URLS:
        return SOURCE_URLS[source]
    found = _URL.search(source)
    if found:
        return found.group(0).rstrip(".")
    service = _BOTOCORE_SERVICE.match(source)
    if service and service["service"] in _BOTOCORE_MODELS:
        name = service["service"]
        return (
            f"https://github.com/boto/botocore/blob/{BOTOCORE_TAG}/botocore/data/"
            f"{name}/{_BOTOCORE_MODELS[name]}/service-2.json"
        )
    raise KeyError(f"no public URL known for source {source!r}; add it to SOURCE_URLS")
