"""What an approach cannot do for the need, declared as data and checked where a check exists.

A `Gap` names the need, says what is missing, and may carry a check the runner can make
against botocore's service models (the authority on what each API offers) or the local AWS:

* ``("no-operation", "sns", "OTP")``: no operation of ``sns`` has ``OTP`` in its name;
* ``("no-member", "sns:Publish,sesv2:SendEmail", "Schedule,SendAt")``: no request of those
  operations (``"sns"`` alone: of any operation) has a member of those names, at any depth;
* ``("not-emulated", "connectcampaignsv2", "")``: botocore knows the service and the local
  AWS has no backend for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape
from moto.backends import list_of_moto_modules

from simlab.aws import registry

CHECKS: tuple[str, ...] = ("no-operation", "no-member", "not-emulated")


@dataclass(frozen=True, slots=True)
class Gap:
    """Something the need asks that the approach's services do not do for you."""

    need: str
    note: str
    check: tuple[str, str, str] | None = None

    def __post_init__(self) -> None:
        if self.check is not None and (len(self.check) != 3 or self.check[0] not in CHECKS):
            raise ValueError(f"check must be (kind, where, what) with kind one of {CHECKS}")


@dataclass(frozen=True, slots=True)
class CheckedGap:
    """A gap and what its check found: True (confirmed), False (refuted), None (no check)."""

    need: str
    note: str
    check: str
    confirmed: bool | None


@cache
def _model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def _member_names(shape: Shape | None, seen: set[str] | None = None) -> set[str]:
    """Every member name in ``shape`` and the structures, lists and maps below it."""
    seen = set() if seen is None else seen
    if shape is None or shape.name in seen:
        return set()
    seen.add(shape.name)
    names: set[str] = set()
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            names.add(name)
            names |= _member_names(member, seen)
    for attribute in ("member", "key", "value"):
        child = getattr(shape, attribute, None)
        if isinstance(child, Shape):
            names |= _member_names(child, seen)
    return names


def _operations(where: str) -> list[OperationModel]:
    found = []
    for part in where.split(","):
        service, _, operation = part.strip().partition(":")
        model = _model(service)
        names = [operation] if operation else model.operation_names
        found += [model.operation_model(name) for name in names]
    return found


def verify(gap: Gap) -> bool | None:
    """Runs the gap's check: True if the gap is real, False if not, None if it has no check."""
    if gap.check is None:
        return None
    kind, where, what = gap.check
    words = [w.strip() for w in what.split(",") if w.strip()]
    if kind == "no-operation":
        names = [op.name.lower() for op in _operations(where)]
        return not any(word.lower() in name for word in words for name in names)
    if kind == "no-member":
        members = set().union(*(_member_names(op.input_shape) for op in _operations(where)))
        return not members & set(words)
    known = where in botocore.session.get_session().get_available_services()
    registry.install()
    local = where.replace("-", "") in list_of_moto_modules() or where in registry.ADDED_SERVICES
    return known and not local


def checked(gaps: tuple[Gap, ...]) -> tuple[CheckedGap, ...]:
    """Each gap with the result of its check."""
    return tuple(
        CheckedGap(g.need, g.note, " ".join(g.check) if g.check else "", verify(g)) for g in gaps
    )
