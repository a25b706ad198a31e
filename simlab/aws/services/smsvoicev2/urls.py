"""Every request to ``sms-voice.<region>.amazonaws.com`` reaches ``SmsVoiceV2Response``."""

from simlab.aws.services.smsvoicev2.responses import SmsVoiceV2Response

url_bases = [r"https?://sms-voice\.(.+)\.amazonaws\.com"]

url_paths = {"{0}/$": SmsVoiceV2Response.dispatch}
