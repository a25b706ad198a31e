"""What the parts of the SES v2 backend share: the SES v1 backend they keep their state in, and
list pages."""

from __future__ import annotations

from typing import Any

from simlab.aws.services.ses import exceptions as errors
from simlab.aws.services.ses.models import SimlabSESBackend
from simlab.primitives import paging


class V1State:
    """A part of the SES v2 backend: SES v1 and v2 share identities, templates, configuration
    sets, the suppression list and quotas, kept in the SES v1 backend of the account and Region
    (moto's ``core_backend``)."""

    account_id: str
    region_name: str
    core_backend: Any

    @property
    def core(self) -> SimlabSESBackend:
        core: SimlabSESBackend = self.core_backend
        return core

    def _config_set(self, name: str) -> Any:
        """The configuration set named ``name``; NotFoundException if there is none."""
        config_set = self.core.config_sets.get(name)
        if config_set is None:
            raise errors.NotFoundException(f"Configuration set <{name}> does not exist.")
        return config_set


def page(items: list[Any], token: str | None, size: int | None) -> tuple[list[Any], str | None]:
    """One page of ``items`` from an offset token; the next token, or None at the end.

    Raises BadRequestException for a token no list call returned.
    """
    try:
        return paging.page(items, token, int(size or 100))
    except paging.PageTokenError:
        raise errors.BadRequestException(f"NextToken {token!r} is not valid.") from None
