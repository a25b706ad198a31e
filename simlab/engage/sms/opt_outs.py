"""Keywords on numbers and pools, and the opt-out lists STOP writes to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simlab.engage.sms.common import flag, parse_e164
from simlab.engage.sms.constants import DEFAULT_KEYWORD_ACTIONS, DEFAULT_OPT_OUT_LIST
from simlab.engage.sms.core import EngineCore
from simlab.engage.sms.errors import ConflictError, NotFoundError, QuotaError
from simlab.engage.sms.records import Keyword, OptedOutNumber, OptOutList, PhoneNumber, Pool
from simlab.facts import sms


class KeywordsAndOptOuts(EngineCore):
    """Keywords a customer can text, and the lists of numbers that opted out."""

    def put_keyword(
        self, owner_ref: str, keyword: str, message: str, action: str | None = None
    ) -> tuple[PhoneNumber | Pool, Keyword]:
        """Adds or changes a keyword of a number or pool.

        Raises ConflictError when STOP or HELP would change action, or when the owner is a US
        toll-free number and the keyword is STOP or an opt-out (its carrier handles those);
        QuotaError past the keywords quota.
        """
        owner = self.keyword_owner(owner_ref)
        word = keyword.strip().upper()
        fixed = DEFAULT_KEYWORD_ACTIONS.get(word)
        if fixed is not None and action is not None and action != fixed:
            raise ConflictError(
                f"the action of {word} is {fixed} and cannot change; only its message can",
                reason="KEYWORD_MISMATCH",
                resource_type="keyword",
                resource_id=word,
            )
        if self.carrier_handles_opt_out(owner) and (word == "STOP" or (action or "") == "OPT_OUT"):
            raise ConflictError(
                f"{owner_ref} is a US toll-free number: its carrier handles opt-outs, STOP is "
                "the only opt-out keyword and its reply cannot be changed, and no other opt-out "
                "keyword can be added (https://docs.aws.amazon.com/sms-voice/latest/userguide/"
                "keywords-required.html)",
                reason="RESOURCE_MODIFICATION_NOT_ALLOWED",
                resource_type="keyword",
                resource_id=word,
            )
        if word not in owner.keywords and len(owner.keywords) >= sms.MAX_KEYWORDS_PER_NUMBER.value:
            raise QuotaError(
                f"{owner_ref} already has {sms.MAX_KEYWORDS_PER_NUMBER.value} keywords",
                reason="KEYWORDS_PER_POOL"
                if isinstance(owner, Pool)
                else "KEYWORDS_PER_PHONE_NUMBER",
            )
        record = Keyword(word, message, action or fixed or "AUTOMATIC_RESPONSE")
        owner.keywords[word] = record
        return owner, record

    def describe_keywords(
        self,
        owner_ref: str,
        keywords: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> tuple[PhoneNumber | Pool, list[Keyword]]:
        owner = self.keyword_owner(owner_ref)
        records = list(owner.keywords.values())
        if keywords:
            wanted = {k.upper() for k in keywords}
            records = [r for r in records if r.keyword in wanted]
        for item in filters or ():
            records = [r for r in records if r.action in item["Values"]]
        return owner, records

    def delete_keyword(self, owner_ref: str, keyword: str) -> tuple[PhoneNumber | Pool, Keyword]:
        owner = self.keyword_owner(owner_ref)
        word = keyword.strip().upper()
        if word in DEFAULT_KEYWORD_ACTIONS:
            raise ConflictError(
                f"{word} is required on every number and cannot be deleted",
                reason="RESOURCE_DELETION_NOT_ALLOWED",
                resource_type="keyword",
                resource_id=word,
            )
        if word not in owner.keywords:
            raise NotFoundError("keyword", word)
        return owner, owner.keywords.pop(word)

    def create_opt_out_list(self, name: str) -> OptOutList:
        if name in self.opt_out_lists:
            raise ConflictError(
                f"opt-out list {name} already exists",
                reason="RESOURCE_ALREADY_EXISTS",
                resource_type="opt-out-list",
                resource_id=name,
            )
        if len(self.opt_out_lists) >= sms.MAX_OPT_OUT_LISTS.value:
            raise QuotaError(
                f"the account already has {sms.MAX_OPT_OUT_LISTS.value} opt-out lists "
                "(Default included)",
                reason="OPT_OUT_LISTS_PER_ACCOUNT",
            )
        record = OptOutList(name, self._arn("opt-out-list", name), self.clock.now())
        self.opt_out_lists[name] = record
        return record

    def describe_opt_out_lists(self, names: Iterable[str] | None = None) -> list[OptOutList]:
        return [self.opt_out_list(n) for n in names] if names else list(self.opt_out_lists.values())

    def delete_opt_out_list(self, ref: str) -> OptOutList:
        record = self.opt_out_list(ref)
        users = [
            n.phone_number_id for n in self.numbers.values() if n.opt_out_list_name == record.name
        ]
        users += [p.pool_id for p in self.pools.values() if p.opt_out_list_name == record.name]
        if record.name == DEFAULT_OPT_OUT_LIST or users:
            why = "it is the account's Default list" if not users else f"{users[0]} uses it"
            raise ConflictError(
                f"opt-out list {record.name} cannot be deleted: {why}",
                reason="RESOURCE_DELETION_NOT_ALLOWED",
                resource_type="opt-out-list",
                resource_id=record.name,
            )
        return self.opt_out_lists.pop(record.name)

    def put_opted_out_number(
        self, list_ref: str, number: str, *, end_user: bool = False
    ) -> tuple[OptOutList, OptedOutNumber]:
        record = self.opt_out_list(list_ref)
        number, _ = parse_e164(number, "OptedOutNumber")
        entry = record.numbers.get(number)
        if entry is None or (end_user and not entry.end_user):
            entry = OptedOutNumber(number, self.clock.now(), end_user)
            record.numbers[number] = entry
        return record, entry

    def describe_opted_out_numbers(
        self,
        list_ref: str,
        numbers: Iterable[str] | None = None,
        filters: Iterable[Mapping[str, Any]] | None = None,
    ) -> tuple[OptOutList, list[OptedOutNumber]]:
        record = self.opt_out_list(list_ref)
        entries = list(record.numbers.values())
        if numbers:
            entries = [e for e in entries if e.number in set(numbers)]
        for item in filters or ():
            entries = [e for e in entries if flag(e.end_user) in item["Values"]]
        return record, entries

    def delete_opted_out_number(
        self, list_ref: str, number: str
    ) -> tuple[OptOutList, OptedOutNumber]:
        record = self.opt_out_list(list_ref)
        if number not in record.numbers:
            raise NotFoundError("opted-out-number", number)
        return record, record.numbers.pop(number)

    def is_opted_out(self, list_name: str, number: str) -> bool:
        record = self.opt_out_lists.get(list_name)
        return record is not None and number in record.numbers
