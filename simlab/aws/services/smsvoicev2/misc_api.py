"""Handlers of the smaller v2 operations: tags, resource policies, spend limits, defaults,
message feedback, carrier lookup, sender ID updates and MMS (``SendMediaMessage``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

import phonenumbers
from moto.core.responses import ActionResult, EmptyResult
from phonenumbers import carrier

from simlab.aws.services.smsvoicev2.handlers import Handlers
from simlab.engage.sms import (
    MCC,
    NotFoundError,
    OptOutList,
    PhoneNumber,
    Pool,
    SenderId,
    ValidationError,
    parse_e164,
)

#: MMS media a send may attach (the MMS guide lists up to 10 files per message).
MAX_MEDIA_FILES = 10
_NUMBER_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "MOBILE",
    phonenumbers.PhoneNumberType.FIXED_LINE: "LANDLINE",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "MOBILE",
    phonenumbers.PhoneNumberType.VOIP: "VOIP",
}


class Tagged(Protocol):
    """A resource that holds tags: phone numbers, pools, registrations, agents and the rest."""

    arn: str
    tags: list[dict[str, str]]


class MiscHandlers(Handlers):
    """Mixed into ``SmsVoiceV2Response``; one method per operation."""

    # -- tags ------------------------------------------------------------------------------

    def _tagged(self, arn: str) -> Tagged:
        engine, extras = self.engine, self.extras
        candidates: list[Tagged] = [
            *engine.numbers.values(),
            *engine.sender_ids.values(),
            *engine.pools.values(),
            *engine.configuration_sets.values(),
            *extras.registrations.records.values(),
            *extras.registrations.attachments.values(),
            *extras.protect.records.values(),
            *extras.rcs_agents.values(),
            *extras.notify_configurations.values(),
        ]
        for record in candidates:
            if record.arn == arn:
                return record
        if not arn.startswith("arn:"):
            raise ValidationError(
                "ResourceArn must be an ARN", reason="INVALID_ARN", field="ResourceArn"
            )
        raise NotFoundError("resource", arn)

    def list_tags_for_resource(self) -> ActionResult:
        record = self._tagged(self._param("ResourceArn"))
        return ActionResult({"ResourceArn": record.arn, "Tags": list(record.tags)})

    def tag_resource(self) -> ActionResult:
        record = self._tagged(self._param("ResourceArn"))
        merged = {t["Key"]: t["Value"] for t in record.tags}
        merged.update({t["Key"]: t["Value"] for t in self._param("Tags")})
        record.tags = [{"Key": k, "Value": v} for k, v in merged.items()]
        return EmptyResult()

    def untag_resource(self) -> ActionResult:
        record = self._tagged(self._param("ResourceArn"))
        keys = set(self._param("TagKeys"))
        record.tags = [t for t in record.tags if t["Key"] not in keys]
        return EmptyResult()

    # -- resource policies -----------------------------------------------------------------

    def _policy_target(self) -> str:
        arn: str = self._param("ResourceArn")
        engine = self.engine
        shareable: list[PhoneNumber | SenderId | Pool | OptOutList] = [
            *engine.numbers.values(),
            *engine.sender_ids.values(),
            *engine.pools.values(),
        ]
        shareable += list(engine.opt_out_lists.values())
        if not any(r.arn == arn for r in shareable):
            raise NotFoundError(
                "resource",
                arn,
                " (policies attach to phone numbers, sender IDs, pools and opt-out lists)",
            )
        return arn

    def put_resource_policy(self) -> ActionResult:
        arn = self._policy_target()
        policy = self._param("Policy")
        try:
            parsed = json.loads(policy)
        except ValueError:
            raise ValidationError("Policy must be a JSON policy document", field="Policy") from None
        if not isinstance(parsed, dict) or "Statement" not in parsed:
            raise ValidationError("Policy needs a Statement", field="Policy")
        self.extras.policies[arn] = (policy, self.engine.clock.now())
        return ActionResult(
            {"ResourceArn": arn, "Policy": policy, "CreatedTimestamp": self.engine.clock.now()}
        )

    def get_resource_policy(self) -> ActionResult:
        arn = self._policy_target()
        if arn not in self.extras.policies:
            return ActionResult({"ResourceArn": arn})
        policy, created = self.extras.policies[arn]
        return ActionResult({"ResourceArn": arn, "Policy": policy, "CreatedTimestamp": created})

    def delete_resource_policy(self) -> ActionResult:
        arn = self._policy_target()
        if arn not in self.extras.policies:
            raise NotFoundError("policy", arn)
        policy, created = self.extras.policies.pop(arn)
        return ActionResult({"ResourceArn": arn, "Policy": policy, "CreatedTimestamp": created})

    # -- spend limits of the other channels ------------------------------------------------

    def _set_limit(self, kind: str) -> ActionResult:
        return ActionResult(
            {
                "MonthlyLimit": self.engine.set_spend_limit_override(
                    kind, self._param("MonthlyLimit")
                )
            }
        )

    def _delete_limit(self, kind: str) -> ActionResult:
        return ActionResult({"MonthlyLimit": self.engine.delete_spend_limit_override(kind)})

    def set_media_message_spend_limit_override(self) -> ActionResult:
        return self._set_limit("MEDIA")

    def delete_media_message_spend_limit_override(self) -> ActionResult:
        return self._delete_limit("MEDIA")

    def set_notify_message_spend_limit_override(self) -> ActionResult:
        return self._set_limit("NOTIFY")

    def delete_notify_message_spend_limit_override(self) -> ActionResult:
        return self._delete_limit("NOTIFY")

    def set_rcs_message_spend_limit_override(self) -> ActionResult:
        return self._set_limit("RCS")

    def delete_rcs_message_spend_limit_override(self) -> ActionResult:
        return self._delete_limit("RCS")

    # -- configuration set defaults and feedback -------------------------------------------

    def delete_default_sender_id(self) -> ActionResult:
        config = self.engine.configuration_set(self._param("ConfigurationSetName"))
        previous, config.default_sender_id = config.default_sender_id, None
        result = {"ConfigurationSetArn": config.arn, "ConfigurationSetName": config.name}
        return ActionResult({**result, **({"SenderId": previous} if previous else {})})

    def delete_default_message_type(self) -> ActionResult:
        config = self.engine.configuration_set(self._param("ConfigurationSetName"))
        previous, config.default_message_type = config.default_message_type, None
        result = {"ConfigurationSetArn": config.arn, "ConfigurationSetName": config.name}
        return ActionResult({**result, **({"MessageType": previous} if previous else {})})

    def set_default_message_feedback_enabled(self) -> ActionResult:
        config = self.engine.configuration_set(self._param("ConfigurationSetName"))
        enabled = bool(self._param("MessageFeedbackEnabled"))
        self.extras.feedback_enabled[config.name] = enabled
        return ActionResult(
            {
                "ConfigurationSetArn": config.arn,
                "ConfigurationSetName": config.name,
                "MessageFeedbackEnabled": enabled,
            }
        )

    def put_message_feedback(self) -> ActionResult:
        """Records whether the customer got the message (e.g. entered the code sent)."""
        message_id = self._param("MessageId")
        if message_id not in self.engine.messages:
            raise NotFoundError("message", message_id)
        status = self._param("MessageFeedbackStatus")
        self.extras.feedback[message_id] = status
        self.engine.outbox.update_status(
            message_id, self.engine.messages[message_id].status, feedback=status
        )
        return ActionResult({"MessageId": message_id, "MessageFeedbackStatus": status})

    # -- carrier lookup and sender IDs -----------------------------------------------------

    def carrier_lookup(self) -> ActionResult:
        original = self._param("PhoneNumber")
        number, country = parse_e164(original, "PhoneNumber")
        parsed = phonenumbers.parse(number, None)
        valid = phonenumbers.is_valid_number(parsed)
        kind = _NUMBER_TYPES.get(phonenumbers.number_type(parsed), "OTHER") if valid else "INVALID"
        result: dict[str, Any] = {
            "E164PhoneNumber": number,
            "DialingCountryCode": str(parsed.country_code),
            "IsoCountryCode": country,
            "PhoneNumberType": kind,
            "OriginalPhoneNumber": original,
        }
        name = carrier.name_for_number(parsed, "en")
        if name:
            result["Carrier"] = name
        if country in MCC:
            result["MCC"] = MCC[country]
        return ActionResult(result)

    def update_sender_id(self) -> ActionResult:
        record = self.engine.sender_id(self._param("SenderId"), self._param("IsoCountryCode"))
        if self._param("DeletionProtectionEnabled") is not None:
            record.deletion_protection = bool(self._param("DeletionProtectionEnabled"))
        return ActionResult(record.describe())

    def list_available_phone_numbers(self) -> ActionResult:
        """Numbers the account could lease (10DLC), filtered by the number preference."""
        country = self._param("IsoCountryCode")
        if country != "US":
            raise ValidationError(
                "TEN_DLC numbers are offered in US only",
                reason="COUNTRY_NOT_ENABLED",
                field="IsoCountryCode",
            )
        if self._param("RegistrationId"):
            self.extras.registrations.get(self._param("RegistrationId"))
        rng = self.engine.rng("sms.available.TEN_DLC.US")
        wanted = int(self._param("MaxResults") or 10)
        preference = (self._param("NumberPreference") or [{}])[0]
        kind = (preference.get("PreferenceType") or ["Contains"])[0]
        texts = preference.get("Filter") or []
        matchers: dict[str, Callable[[str, str], bool]] = {
            "StartsWith": lambda n, t: n.removeprefix("+1").startswith(t),
            "EndsWith": str.endswith,
            "Contains": lambda n, t: t in n,
            "ExactMatch": lambda n, t: n == t,
        }
        tests = matchers[kind]
        found: list[str] = []
        for _ in range(2000):
            candidate = self.engine._candidate(rng, "TEN_DLC", "US")
            taken = candidate in self.engine._allocated or candidate in found
            if not taken and (not texts or any(tests(candidate, t) for t in texts)):
                found.append(candidate)
            if len(found) >= wanted:
                break
        return ActionResult({"AvailablePhoneNumbers": found})

    # -- MMS -------------------------------------------------------------------------------

    def send_media_message(self) -> ActionResult:
        from moto.backends import get_backend

        urls = list(self._param("MediaUrls", []))
        body = self._param("MessageBody")
        if not urls and not body:
            raise ValidationError(
                "give MessageBody, MediaUrls or both", reason="MISSING_PARAMETER", field="MediaUrls"
            )
        if len(urls) > MAX_MEDIA_FILES:
            raise ValidationError(
                f"MediaUrls holds at most {MAX_MEDIA_FILES} files", field="MediaUrls"
            )
        s3: Any = get_backend("s3")[self.current_account]["global"]
        media = []
        for index, url in enumerate(urls):
            bucket, _, key = url.removeprefix("s3://").partition("/")
            if not url.startswith("s3://") or not key:
                raise ValidationError(
                    f"MediaUrls[{index}] must be s3://bucket/key", field=f"MediaUrls[{index}]"
                )
            try:
                item = s3.get_object(bucket, key)
            except Exception:
                item = None
            if item is None:
                raise ValidationError(
                    f"MediaUrls[{index}]: {url} cannot be read (no such bucket or object)",
                    reason="RESOURCE_NOT_ACCESSIBLE",
                    field=f"MediaUrls[{index}]",
                )
            media.append(
                {
                    "url": url,
                    "bytes": len(item.value),
                    "content_type": item.metadata.get("Content-Type"),
                }
            )
        chosen = self.engine.origination(self._param("OriginationIdentity"))
        members = getattr(chosen, "members", [chosen])
        if not any("MMS" in getattr(m, "capabilities", ()) for m in members):
            raise ValidationError(
                "OriginationIdentity has no MMS capability; request a number with MMS",
                reason="CHANNEL_NOT_ENABLED",
                field="OriginationIdentity",
            )
        mms = [m for m in members if "MMS" in getattr(m, "capabilities", ())]
        message_id = self.engine.send_text_message(
            self._param("DestinationPhoneNumber"),
            body or " ".join(m["url"].rsplit("/", 1)[-1] for m in media),
            route=mms[0],
            configuration_set=self._param("ConfigurationSetName"),
            max_price=self._param("MaxPrice"),
            ttl=self._param("TimeToLive"),
            context=self._param("Context"),
            dry_run=bool(self._param("DryRun", False)),
        )
        if not self._param("DryRun", False):
            status = self.engine.messages[message_id].status
            self.engine.outbox.update_status(message_id, status, media=media, mms=True)
        return ActionResult({"MessageId": message_id})
