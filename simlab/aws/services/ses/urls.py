"""SES v1 keeps moto's URLs; its requests reach ``SimlabEmailResponse``."""

from moto.ses.urls import url_bases

from simlab.aws.services.ses.responses import SimlabEmailResponse

url_paths = {"{0}/$": SimlabEmailResponse.dispatch}

__all__ = ["url_bases", "url_paths"]
