"""AWS certification exams: which messaging services each guide lists, and exam cues."""

from collections.abc import Mapping
from dataclasses import dataclass

from . import _sources as s
from ._fact import Fact

_GUIDES = "2nd copies of the official exam guides"


@dataclass(frozen=True, slots=True)
class ServiceScope:
    """Whether an exam guide lists a service, under which domain, and how sure we are."""

    listed: bool | None
    domain: str = ""
    confirmed: bool = True


_IN = ServiceScope
_UNKNOWN = ServiceScope(None, confirmed=False)

EXAM_SERVICES: Fact[Mapping[str, Mapping[str, ServiceScope]]] = Fact(
    {
        "SAP-C02": {
            "SNS": _IN(True, "Application Integration"),
            "SES": _IN(True, "Business Applications"),
            "Pinpoint": _IN(True, "Frontend Web and Mobile"),
        },
        "SAA-C03": {
            "SNS": _IN(True, "Application Integration"),
            "SES": ServiceScope(False, confirmed=False),
            "Pinpoint": _IN(True, "Front-End Web and Mobile"),
        },
        "CLF-C02": {
            "SNS": _IN(True, "Application Integration"),
            "SQS": _IN(True, "Application Integration"),
            "EventBridge": _IN(True, "Application Integration"),
            "Step Functions": _IN(True, "Application Integration"),
            "Amazon Connect": _IN(True, "Business Applications"),
            "SES": _IN(True, "Business Applications"),
            "Pinpoint": _IN(False),
        },
        "DVA-C02": {
            "SNS": _IN(True, "Application Integration"),
            "SES": _IN(False),
            "Pinpoint": _IN(False),
        },
        "SOA-C03": {"SNS": _UNKNOWN, "SES": _UNKNOWN},
    },
    "",
    _GUIDES,
    s.BASELINE,
    "7.1",
    confirmed=False,
    note="listed=False means absent from the copy found; None means unknown. Unconfirmed "
    "entries: SES in SAA-C03 (copy only) and everything in SOA-C03.",
)
SOA_C02_REPLACED_BY: Fact[str] = Fact(
    "SOA-C03",
    "",
    "2nd exam news",
    s.BASELINE,
    "7.1",
    note="SysOps Administrator SOA-C02 gave way to 'CloudOps Engineer - Associate' on 2025-09-29.",
)
EXAM_CUES: Fact[Mapping[str, str]] = Fact(
    {
        "segment users and send personalised campaigns over email, SMS and push, "
        "then measure engagement": "Pinpoint",
        "just send transactional email": "SES",
        "broadcast an event to many systems or alarms": "SNS",
        "decouple producers from consumers with fan-out to queues": "SNS",
    },
    "",
    "2nd study notes; AWS-doc sns-common-scenarios.md for the fan-out cue",
    s.BASELINE,
    "7.4",
    note="Typical wording in a question, mapped to the service the answer expects (7.2-7.4).",
)
