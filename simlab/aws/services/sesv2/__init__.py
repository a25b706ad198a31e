"""Amazon SES v2 (``sesv2``) on moto, sending under the rules of ``simlab.aws.services.ses``."""

from simlab.aws import registry
from simlab.aws.services.sesv2.models import SimlabSESV2Backend


def register() -> None:
    registry.extend("sesv2", SimlabSESV2Backend)
