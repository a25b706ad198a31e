"""Every request to ``end-user-messaging.<region>.amazonaws.com`` reaches the response class."""

from simlab.aws.services.endusermessaging.responses import EndUserMessagingResponse

url_bases = [r"https?://end-user-messaging\.(.+)\.amazonaws\.com"]

url_paths = {"{0}/.*$": EndUserMessagingResponse.dispatch}
