"""The advisor panel, driven headlessly: set requirements, click Advise, read the services."""

from datetime import date

from simlab.widgets.advisor import build_advisor_panel

BEFORE_EOS = date(2026, 6, 1)


def test_fan_out_to_systems_recommends_sns():
    panel = build_advisor_panel(on=BEFORE_EOS)
    panel.channels.value = ("systems",)
    panel.purpose.value = "alerts"
    panel.button.click()
    assert panel.output.value.startswith("<p><b>Amazon SNS</b> — fan-out to other systems</p>")


def test_segmented_campaign_follows_the_account_and_the_date():
    panel = build_advisor_panel(on=BEFORE_EOS)
    panel.channels.value = ("email", "sms")
    panel.purpose.value = "marketing"
    panel.targeting.value = True
    panel.scheduling.value = True
    panel.new_account.value = False
    panel.button.click()
    assert panel.output.value.startswith("<p><b>Amazon Pinpoint</b>")
    panel.new_account.value = True
    panel.button.click()
    assert panel.output.value.startswith("<p><b>Amazon Connect outbound campaigns</b>")
    assert "<b>Amazon SES</b>" in panel.output.value
    assert "<b>AWS End User Messaging SMS</b>" in panel.output.value


def test_two_way_sms_and_volume_caution():
    panel = build_advisor_panel(on=BEFORE_EOS)
    panel.channels.value = ("sms",)
    panel.two_way.value = True
    panel.volume.value = 1_000_000
    panel.button.click()
    assert panel.output.value.startswith("<p><b>AWS End User Messaging SMS</b>")
    assert "11.6 message parts/s" in panel.output.value


def test_a_bad_input_shows_the_error_instead_of_advice():
    panel = build_advisor_panel(on=BEFORE_EOS)
    panel.channels.value = ()
    panel.button.click()
    assert "channels [] not allowed; choose from email" in panel.output.value
