"""Amazon SES (v1, ``ses``) on moto: sandbox, quotas, mailbox simulator, events, suppression.

The sending rules live in ``policy`` and serve SES v2 (``simlab.aws.services.sesv2``) as well.
"""

from simlab.aws import registry
from simlab.aws.services.ses.control import SesControl
from simlab.aws.services.ses.mail import MailControl
from simlab.aws.services.ses.models import SimlabSESBackend


def register() -> None:
    registry.extend("ses", SimlabSESBackend)
    registry.facade("ses", lambda aws: SesControl(aws.region))
    registry.facade("mail", lambda aws: MailControl(aws.region))
