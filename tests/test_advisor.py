"""The advisor draws the lines the exam notes draw, and follows Pinpoint's lifecycle dates."""

from datetime import date, timedelta

import pytest

from simlab import facts
from simlab.advisor import Requirements, advise

EOS = facts.lifecycle.PINPOINT_END_OF_SUPPORT.value
CLOSED = facts.lifecycle.PINPOINT_NO_NEW_CUSTOMERS.value
BEFORE_EOS = EOS - timedelta(days=30)
CAMPAIGN = {
    "channels": {"email", "sms", "push"},
    "purpose": "marketing",
    "targeting": True,
    "scheduling": True,
    "analytics": True,
}


def test_broadcast_to_many_systems_is_sns_with_queues():
    advice = advise(channels={"systems"}, purpose="alerts")
    assert advice.services == ("Amazon SNS",)
    assert "Amazon SQS queue per consumer" in advice.summary()
    assert "sns.A2A_ENDPOINTS" in advice.facts


def test_transactional_email_only_is_ses_only():
    advice = advise(channels={"email"}, purpose="transactional", on=BEFORE_EOS, new_account=False)
    assert advice.services == ("Amazon SES",)
    assert advice.cautions == ()


def test_email_analytics_come_from_configuration_set_destinations():
    advice = advise(channels={"email"}, analytics=True)
    assert advice.services == ("Amazon SES",)
    for destination in facts.ses.EVENT_DESTINATIONS.value:
        assert destination in advice.summary()


def test_segmented_multichannel_marketing_is_pinpoint_for_an_existing_account_before_eos():
    advice = advise(**CAMPAIGN, new_account=False, on=BEFORE_EOS)
    assert advice.services[0] == "Amazon Pinpoint"
    assert f"end on {EOS}" in " ".join(advice.cautions)
    assert "lifecycle.PINPOINT_END_OF_SUPPORT" in advice.facts


@pytest.mark.parametrize(
    ("new_account", "on", "why"),
    [
        (True, BEFORE_EOS, f"no new customers since {CLOSED}"),
        (False, EOS, f"ended on {EOS}"),
        (False, EOS + timedelta(days=1), f"ended on {EOS}"),
    ],
)
def test_otherwise_it_is_connect_campaigns_with_ses_and_end_user_messaging(new_account, on, why):
    advice = advise(**CAMPAIGN, new_account=new_account, on=on)
    assert "Amazon Pinpoint" not in advice.services
    assert advice.services == (
        "Amazon Connect outbound campaigns",
        "Amazon SES",
        "AWS End User Messaging SMS",
        "AWS End User Messaging Push",
        "Amazon Kinesis",
    )
    assert why in advice.picks[0].reasons[0]
    assert any("do not send push" in caution for caution in advice.cautions)


def test_two_way_sms_is_end_user_messaging_with_an_sns_topic_for_replies():
    advice = advise(channels={"sms"}, two_way=True, new_account=False, on=BEFORE_EOS)
    assert advice.services == ("AWS End User Messaging SMS", "Amazon SNS")
    assert "pinpoint-sms-voice-v2" in advice.summary()


def test_operator_sms_alerts_are_sns_but_customer_sms_is_end_user_messaging():
    assert advise(channels={"sms"}, purpose="alerts").services == ("Amazon SNS",)
    assert advise(channels={"sms"}, purpose="transactional").services == (
        "AWS End User Messaging SMS",
    )


def test_voice_and_whatsapp_go_to_end_user_messaging():
    assert advise(channels={"voice", "whatsapp"}).services == (
        "AWS End User Messaging SMS",
        "AWS End User Messaging Social",
    )


def test_in_app_only_exists_in_pinpoint():
    legacy = advise(channels={"in_app"}, new_account=False, on=BEFORE_EOS)
    assert legacy.services == ("Amazon Pinpoint",)
    new = advise(channels={"in_app"}, new_account=True, on=BEFORE_EOS)
    assert new.services == ()
    assert "no AWS messaging service sends in-app messages" in new.cautions[0]


def test_volume_beyond_the_sandbox_and_one_10dlc_number_is_flagged_with_facts():
    advice = advise(channels={"email", "sms"}, purpose="transactional", volume_per_day=500_000)
    text = " ".join(advice.cautions)
    assert f"the sandbox allows {facts.ses.SANDBOX_MAX_24_HOUR_SEND.value} per 24 h" in text
    assert "500,000 texts a day is 5.8 message parts/s" in text
    assert f"a short code {facts.sms.SHORT_CODE_MPS.value}/s" in text
    assert {"ses.SANDBOX_MAX_24_HOUR_SEND", "sms.TEN_DLC_MPS"} <= set(advice.facts)
    assert advise(channels={"email"}, volume_per_day=100).cautions == ()


def test_every_fact_the_advice_cites_exists():
    advice = advise(**CAMPAIGN, volume_per_day=10_000_000)
    for key in advice.facts:
        facts.lookup(key)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"channels": {"fax"}}, "channels ['fax'] not allowed; choose from email, sms"),
        ({"channels": set()}, "channels [] not allowed"),
        ({"channels": {"email"}, "purpose": "spam"}, "purpose 'spam' not allowed"),
        ({"channels": {"email"}, "volume_per_day": -1}, "volume_per_day must be a whole number"),
        ({"channels": {"email"}, "on": "2026-01-01"}, "on must be a datetime.date"),
        ({}, "channels is required"),
    ],
)
def test_bad_requirements_name_the_field_and_the_allowed_values(fields, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        advise(**fields)


def test_requirements_accept_a_single_channel_name_and_freeze_it():
    requirements = Requirements(channels="email", on=date(2026, 1, 1))
    assert requirements.channels == frozenset({"email"})
    assert advise(requirements).services == ("Amazon SES",)
