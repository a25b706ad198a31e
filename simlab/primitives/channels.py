"""Pinpoint's channels and the request members that carry a message to each."""

from __future__ import annotations

#: The ``DirectMessageConfiguration`` member that carries each channel's message
#: (SendMessages, SendUsersMessages); ``DefaultMessage`` for any other.
DIRECT_MESSAGE_KEYS: dict[str, str] = {
    "EMAIL": "EmailMessage",
    "SMS": "SMSMessage",
    "VOICE": "VoiceMessage",
    "GCM": "GCMMessage",
    "APNS": "APNSMessage",
    "APNS_SANDBOX": "APNSMessage",
    "APNS_VOIP": "APNSMessage",
    "APNS_VOIP_SANDBOX": "APNSMessage",
    "ADM": "ADMMessage",
    "BAIDU": "BaiduMessage",
    "PUSH": "DefaultPushNotificationMessage",
    "CUSTOM": "DefaultMessage",
}

#: The campaign ``MessageConfiguration`` member for each channel a campaign sends on
#: (push channels use ``DefaultMessage`` or their own ``*Message`` member).
CAMPAIGN_MESSAGE_KEYS: dict[str, str] = {
    "EMAIL": "EmailMessage",
    "SMS": "SMSMessage",
    "CUSTOM": "CustomMessage",
}


def message_key(channel: str) -> str:
    """Returns the direct-message member for ``channel`` (``DefaultMessage`` if it has none)."""
    return DIRECT_MESSAGE_KEYS.get(channel, "DefaultMessage")
