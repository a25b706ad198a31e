"""Every SES v2 path reaches ``SimlabSESV2Response``; it finds the operation from the model."""

from moto.sesv2.urls import url_bases

from simlab.aws.services.sesv2.responses import SimlabSESV2Response

url_paths = {"{0}/v2/(?P<path>.+)$": SimlabSESV2Response.dispatch}

__all__ = ["url_bases", "url_paths"]
