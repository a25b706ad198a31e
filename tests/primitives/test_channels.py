import pytest

from simlab.primitives import DIRECT_MESSAGE_KEYS, message_key


@pytest.mark.parametrize(
    ("channel", "key"),
    [
        ("EMAIL", "EmailMessage"),
        ("SMS", "SMSMessage"),
        ("VOICE", "VoiceMessage"),
        ("APNS_VOIP_SANDBOX", "APNSMessage"),
        ("PUSH", "DefaultPushNotificationMessage"),
        ("IN_APP", "DefaultMessage"),
    ],
)
def test_each_channel_reads_its_direct_message_member(channel, key):
    assert message_key(channel) == key


def test_every_member_is_one_botocore_models():
    from botocore.session import Session

    shape = Session().get_service_model("pinpoint").shape_for("DirectMessageConfiguration")
    assert set(DIRECT_MESSAGE_KEYS.values()) <= set(shape.members)
