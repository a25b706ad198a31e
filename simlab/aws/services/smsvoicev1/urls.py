"""Every request to ``sms-voice.pinpoint.<region>.amazonaws.com`` reaches ``SmsVoiceV1Response``."""

from simlab.aws.services.smsvoicev1.responses import SmsVoiceV1Response

url_bases = [r"https?://sms-voice\.pinpoint\.(.+)\.amazonaws\.com"]

url_paths = {"{0}/v1/sms-voice/(?P<v1_path>.*)$": SmsVoiceV1Response.dispatch}
