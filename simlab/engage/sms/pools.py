"""Pools: origination identities that send as one, with shared settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from simlab.engage.sms.common import matches_filters
from simlab.engage.sms.core import EngineCore
from simlab.engage.sms.errors import ConflictError, NotFoundError, QuotaError, ValidationError
from simlab.engage.sms.records import PhoneNumber, Pool, SenderId
from simlab.facts import sms


class Pools(EngineCore):
    """Creates, fills, updates and deletes pools."""

    if TYPE_CHECKING:  # the engine's identities (``Identities``) answer this

        def _update_settings(
            self, record: PhoneNumber | Pool, changes: Mapping[str, Any]
        ) -> None: ...

    def _member(self, ref: str, iso_country: str | None) -> PhoneNumber | SenderId:
        if ref.startswith("arn:") and ":sender-id/" in ref:
            return self.sender_id(ref)
        try:
            return self.phone_number(ref, "OriginationIdentity")
        except NotFoundError:
            if iso_country is None and any(n == ref for n, _ in self.sender_ids):
                raise ValidationError(
                    "IsoCountryCode is required to name a sender ID",
                    reason="MISSING_PARAMETER",
                    field="IsoCountryCode",
                ) from None
            return self.sender_id(ref, iso_country)

    def create_pool(
        self,
        origination_identity: str,
        message_type: str,
        iso_country: str | None = None,
        deletion_protection: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> Pool:
        if len(self.pools) >= sms.MAX_POOLS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_POOLS.value} pools, its quota",
                reason="POOLS_PER_ACCOUNT",
            )
        member = self._member(origination_identity, iso_country)
        pool_id = self._id("pool")
        pool = Pool(
            pool_id=pool_id,
            arn=self._arn("pool", pool_id),
            message_type=message_type,
            created=self.clock.now(),
            deletion_protection=deletion_protection,
            tags=list(tags or []),
        )
        self._check_joinable(pool, member)
        self.pools[pool_id] = pool
        self._join(pool, member)
        return pool

    def _check_joinable(self, pool: Pool, member: PhoneNumber | SenderId) -> None:
        if member.pool_id is not None:
            reason = (
                "PHONE_NUMBER_ASSOCIATED_TO_POOL"
                if isinstance(member, PhoneNumber)
                else "SENDER_ID_ASSOCIATED_TO_POOL"
            )
            raise ConflictError(
                f"{member.identity} already belongs to pool {member.pool_id}",
                reason=reason,
                resource_type=member.kind,
                resource_id=member.identity,
            )
        types = (member.message_type,) if isinstance(member, PhoneNumber) else member.message_types
        if pool.message_type not in types:
            raise ConflictError(
                f"{member.identity} sends {'/'.join(types)} messages; the pool sends "
                f"{pool.message_type}",
                reason="MESSAGE_TYPE_MISMATCH",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        if len(pool.members) >= sms.MAX_IDENTITIES_PER_POOL.value:
            raise QuotaError(
                f"pool {pool.pool_id} already has {sms.MAX_IDENTITIES_PER_POOL.value} identities",
                reason="ORIGINATION_IDENTITIES_PER_POOL",
            )

    def _join(self, pool: Pool, member: PhoneNumber | SenderId) -> None:
        pool.members.append(member)
        member.pool_id = pool.pool_id

    def associate(
        self, pool_id: str, origination_identity: str, iso_country: str | None = None
    ) -> tuple[Pool, PhoneNumber | SenderId]:
        pool = self.pool(pool_id)
        member = self._member(origination_identity, iso_country)
        if member.pool_id == pool.pool_id:
            raise ConflictError(
                f"{member.identity} is already in pool {pool.pool_id}",
                reason="RESOURCE_ALREADY_ASSOCIATED",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        self._check_joinable(pool, member)
        self._join(pool, member)
        return pool, member

    def disassociate(
        self, pool_id: str, origination_identity: str, iso_country: str | None = None
    ) -> tuple[Pool, PhoneNumber | SenderId]:
        pool = self.pool(pool_id)
        member = self._member(origination_identity, iso_country)
        if member.pool_id != pool.pool_id:
            raise ConflictError(
                f"{member.identity} is not in pool {pool.pool_id}",
                reason="PHONE_NUMBER_NOT_ASSOCIATED_TO_POOL",
                resource_type=member.kind,
                resource_id=member.identity,
            )
        if len(pool.members) == 1:
            raise ConflictError(
                f"{member.identity} is the last identity of pool {pool.pool_id}; delete the pool",
                reason="LAST_PHONE_NUMBER",
                resource_type="pool",
                resource_id=pool.pool_id,
            )
        pool.members.remove(member)
        member.pool_id = None
        return pool, member

    def pool_members(
        self, pool_id: str, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> tuple[Pool, list[PhoneNumber | SenderId]]:
        pool = self.pool(pool_id)
        wanted = []
        for member in pool.members:
            values = {
                "iso-country-code": [member.iso_country],
                "number-capability": list(member.capabilities),
            }
            if all(set(values[f["Name"]]).intersection(f["Values"]) for f in filters or ()):
                wanted.append(member)
        return pool, wanted

    def describe_pools(
        self, ids: Iterable[str] | None = None, filters: Iterable[Mapping[str, Any]] | None = None
    ) -> list[Pool]:
        records = [self.pool(i) for i in ids] if ids else list(self.pools.values())
        return [r for r in records if matches_filters(r, filters)]

    def update_pool(self, ref: str, **changes: Any) -> Pool:
        pool = self.pool(ref)
        self._update_settings(pool, changes)
        return pool

    def delete_pool(self, ref: str) -> Pool:
        pool = self.pool(ref)
        if pool.deletion_protection:
            raise ConflictError(
                f"pool {pool.pool_id} has deletion protection; turn it off with UpdatePool",
                reason="DELETION_PROTECTION_ENABLED",
                resource_type="pool",
                resource_id=pool.pool_id,
            )
        for member in pool.members:
            member.pool_id = None
        del self.pools[pool.pool_id]
        pool.status = "DELETING"
        return pool
