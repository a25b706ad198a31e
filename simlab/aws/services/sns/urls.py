"""SNS keeps moto's URLs; its requests reach simlab's response class."""

from moto.sns.responses import SNSResponse
from moto.sns.urls import url_bases

from simlab.aws.services.sns.responses import SimlabSNSResponse

url_paths = {
    "{0}/$": SimlabSNSResponse.dispatch,
    "{0}/SimpleNotificationService-(?P<pem_id>[^/]+).pem": SNSResponse.serve_pem,
}

__all__ = ["url_bases", "url_paths"]
