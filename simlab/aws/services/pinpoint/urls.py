"""Every Pinpoint path reaches ``PinpointResponse``; it finds the operation from the model."""

from moto.pinpoint.urls import url_bases

from simlab.aws.services.pinpoint.responses import PinpointResponse

url_paths = {
    "{0}/v1/(?P<path>.*)$": PinpointResponse.dispatch,
}

__all__ = ["url_bases", "url_paths"]
