"""Requests to ``sms-voice.<region>.amazonaws.com`` reach ``SmsVoiceV2Response`` (v1 paths, v1)."""

from typing import Any

from simlab.aws.services.smsvoicev2.responses import SmsVoiceV2Response

url_bases = [r"https?://sms-voice\.(.+)\.amazonaws\.com"]

url_paths = {"{0}/$": SmsVoiceV2Response.dispatch}


def _v1(*args: Any, **kwargs: Any) -> Any:
    """v1 requests signed for ``sms-voice`` reach this host in server mode: v1 answers them."""
    from simlab.aws.services.smsvoicev1.responses import SmsVoiceV1Response

    return SmsVoiceV1Response.dispatch(*args, **kwargs)


url_paths["{0}/v1/sms-voice/(?P<v1_path>.*)$"] = _v1
