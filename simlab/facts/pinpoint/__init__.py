"""Amazon Pinpoint (legacy): resource enums, per-resource limits and API rate quotas.

Read as one namespace, ``facts.pinpoint.NAME``; the figures live by topic in `audience`
(endpoints, segments), `campaigns` (campaigns, journeys), `messages` (templates, direct sends,
OTP, phone validation) and `quotas` (PutEvents, event streams, API rates and payloads). Email sent
through Pinpoint shares the SES quotas of its Region; see `simlab.facts.ses` and
`EMAIL_SENDING_QUOTAS`. Event-stream names live in `simlab.facts.events`.
"""

# Every public name of the four topics, in their order, so `facts.all_facts()` keys stay
# "pinpoint.NAME" and list the figures in definition order.
from .audience import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .messages import *  # noqa: F403
from .quotas import *  # noqa: F403
