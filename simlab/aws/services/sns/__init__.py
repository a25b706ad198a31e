"""Amazon SNS as a learner meets it: SMS rules, topic fan-out, mobile push, Python functions."""

from simlab.aws import registry
from simlab.aws.services.sns import routes  # noqa: F401  (registers /simlab/sns/...)
from simlab.aws.services.sns.facade import SnsFacade
from simlab.aws.services.sns.models import SimlabSNSBackend


def register() -> None:
    registry.extend("sns", SimlabSNSBackend)
    registry.facade("sns", SnsFacade)
