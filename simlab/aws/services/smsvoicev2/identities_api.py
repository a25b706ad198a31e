"""Handlers of the origination identities: phone numbers, sender IDs and pools."""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult

from simlab.aws.services.smsvoicev2.handlers import Handlers


class IdentityHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation (snake_case name)."""

    # -- phone numbers ---------------------------------------------------------------------

    def request_phone_number(self) -> ActionResult:
        number = self.engine.request_phone_number(
            iso_country=self._param("IsoCountryCode"),
            message_type=self._param("MessageType"),
            capabilities=self._param("NumberCapabilities"),
            number_type=self._param("NumberType"),
            opt_out_list_name=self._param("OptOutListName"),
            pool_id=self._param("PoolId"),
            deletion_protection=self._param("DeletionProtectionEnabled", False),
            international_sending=self._param("InternationalSendingEnabled", False),
            tags=self._param("Tags"),
        )
        self.extras.bind(number, self._param("RegistrationId"))
        return ActionResult({**number.describe(), "Tags": number.tags})

    def describe_phone_numbers(self) -> ActionResult:
        numbers = self.engine.describe_phone_numbers(
            self._param("PhoneNumberIds"), self._param("Filters")
        )
        return self._paged("PhoneNumbers", numbers)

    def update_phone_number(self) -> ActionResult:
        number = self.engine.update_phone_number(
            self._param("PhoneNumberId"),
            two_way_enabled=self._param("TwoWayEnabled"),
            two_way_channel_arn=self._param("TwoWayChannelArn"),
            two_way_channel_role=self._param("TwoWayChannelRole"),
            self_managed_opt_outs=self._param("SelfManagedOptOutsEnabled"),
            opt_out_list_name=self._param("OptOutListName"),
            international_sending=self._param("InternationalSendingEnabled"),
            deletion_protection=self._param("DeletionProtectionEnabled"),
        )
        return ActionResult(number.describe())

    def release_phone_number(self) -> ActionResult:
        return ActionResult(
            self.engine.release_phone_number(self._param("PhoneNumberId")).describe()
        )

    # -- sender IDs ------------------------------------------------------------------------

    def request_sender_id(self) -> ActionResult:
        record = self.engine.request_sender_id(
            self._param("SenderId"),
            self._param("IsoCountryCode"),
            self._param("MessageTypes", ()),
            self._param("DeletionProtectionEnabled", False),
            self._param("Tags"),
        )
        return ActionResult({**record.describe(), "Tags": record.tags})

    def describe_sender_ids(self) -> ActionResult:
        records = self.engine.describe_sender_ids(self._param("SenderIds"), self._param("Filters"))
        return self._paged("SenderIds", records)

    def release_sender_id(self) -> ActionResult:
        record = self.engine.release_sender_id(
            self._param("SenderId"), self._param("IsoCountryCode")
        )
        return ActionResult(record.describe())

    # -- pools -----------------------------------------------------------------------------

    def create_pool(self) -> ActionResult:
        pool = self.engine.create_pool(
            self._param("OriginationIdentity"),
            self._param("MessageType"),
            self._param("IsoCountryCode"),
            self._param("DeletionProtectionEnabled", False),
            self._param("Tags"),
        )
        return ActionResult({**pool.describe(), "Tags": pool.tags})

    def describe_pools(self) -> ActionResult:
        return self._paged(
            "Pools", self.engine.describe_pools(self._param("PoolIds"), self._param("Filters"))
        )

    def _association(self, pool: Any, member: Any) -> ActionResult:
        return ActionResult(
            {
                "PoolArn": pool.arn,
                "PoolId": pool.pool_id,
                "OriginationIdentityArn": member.arn,
                "OriginationIdentity": member.identity,
                "IsoCountryCode": member.iso_country,
            }
        )

    def associate_origination_identity(self) -> ActionResult:
        pool, member = self.engine.associate(
            self._param("PoolId"), self._param("OriginationIdentity"), self._param("IsoCountryCode")
        )
        return self._association(pool, member)

    def disassociate_origination_identity(self) -> ActionResult:
        pool, member = self.engine.disassociate(
            self._param("PoolId"), self._param("OriginationIdentity"), self._param("IsoCountryCode")
        )
        return self._association(pool, member)

    def list_pool_origination_identities(self) -> ActionResult:
        pool, members = self.engine.pool_members(self._param("PoolId"), self._param("Filters"))
        page, token = self.page(members)
        identities = []
        for member in page:
            entry = {
                "OriginationIdentityArn": member.arn,
                "OriginationIdentity": member.identity,
                "IsoCountryCode": member.iso_country,
                "NumberCapabilities": list(member.capabilities),
            }
            if hasattr(member, "number"):
                entry["PhoneNumber"] = member.number
            identities.append(entry)
        result = {"PoolArn": pool.arn, "PoolId": pool.pool_id, "OriginationIdentities": identities}
        return ActionResult({**result, **({"NextToken": token} if token else {})})

    def update_pool(self) -> ActionResult:
        pool = self.engine.update_pool(
            self._param("PoolId"),
            two_way_enabled=self._param("TwoWayEnabled"),
            two_way_channel_arn=self._param("TwoWayChannelArn"),
            two_way_channel_role=self._param("TwoWayChannelRole"),
            self_managed_opt_outs=self._param("SelfManagedOptOutsEnabled"),
            opt_out_list_name=self._param("OptOutListName"),
            shared_routes=self._param("SharedRoutesEnabled"),
            deletion_protection=self._param("DeletionProtectionEnabled"),
        )
        return ActionResult(pool.describe())

    def delete_pool(self) -> ActionResult:
        return ActionResult(self.engine.delete_pool(self._param("PoolId")).describe())
