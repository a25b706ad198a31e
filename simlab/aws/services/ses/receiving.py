"""Receiving email: IP filters, rule ordering, and a local inbound delivery through the rules.

SES receives mail for verified domains and addresses. An inbound message first meets the
account's IP address filters (an ``Allow`` filter that matches lets mail through even when a
``Block`` filter also matches), then the *active* receipt rule set: each enabled rule whose
recipient conditions match runs its actions in order (S3, SNS, Lambda, Bounce, Stop,
AddHeader, WorkMail), until a Stop action, or a Lambda function answering ``STOP_RULE`` /
``STOP_RULE_SET``, ends the rule or the set. A recipient no rule matches is refused. See
https://docs.aws.amazon.com/ses/latest/dg/receiving-email-concepts.html and
https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-lambda-event.html for the
notification and event shapes built in ``simlab.aws.services.ses.inbound``.
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any

from moto.ses.models import ReceiptRuleSet

from simlab.aws.services.ses import exceptions as errors

#: SES receiving quotas (https://docs.aws.amazon.com/ses/latest/dg/quotas.html).
MAX_IP_FILTERS = 100
MAX_RULES_PER_SET = 200
_FILTER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]|[A-Za-z0-9]")


def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        raise errors.InvalidParameterValue(
            f"Value for parameter Filter.IpFilter.Cidr {cidr!r} is not an IP address or range."
        ) from None


if TYPE_CHECKING:  # the mixin's methods build on moto's backend
    from moto.ses.models import SESBackend as _Base
else:
    _Base = object


class ReceivingMixin(_Base):
    """Receipt filters and rule ordering for ``SimlabSESBackend``."""

    receipt_rule_set: dict[str, ReceiptRuleSet]
    receipt_filters: dict[str, dict[str, Any]]

    # -- IP address filters --------------------------------------------------------------

    def create_receipt_filter(self, receipt_filter: dict[str, Any]) -> None:
        """Adds an IP filter; raises AlreadyExists, LimitExceeded or InvalidParameterValue."""
        name = str(receipt_filter.get("Name") or "")
        ip = receipt_filter.get("IpFilter") or {}
        if not _FILTER_NAME.fullmatch(name):
            raise errors.InvalidParameterValue(
                "Value for parameter Filter.Name must be 1-64 letters, digits, periods, "
                "underscores or dashes, starting and ending with a letter or digit."
            )
        if ip.get("Policy") not in ("Block", "Allow"):
            raise errors.InvalidParameterValue(
                "Value for parameter Filter.IpFilter.Policy must be Block or Allow."
            )
        _network(str(ip.get("Cidr") or ""))
        if name in self.receipt_filters:
            raise errors.AlreadyExists(f"Filter already exists: {name}")
        if len(self.receipt_filters) >= MAX_IP_FILTERS:
            raise errors.LimitExceeded(f"An account can have at most {MAX_IP_FILTERS} IP filters.")
        self.receipt_filters[name] = {
            "Name": name,
            "IpFilter": {"Policy": ip["Policy"], "Cidr": ip["Cidr"]},
        }

    def delete_receipt_filter(self, name: str) -> None:
        """Deletes a filter; deleting one that does not exist changes nothing."""
        self.receipt_filters.pop(name, None)

    def list_receipt_filters(self) -> list[dict[str, Any]]:
        return [self.receipt_filters[name] for name in sorted(self.receipt_filters)]

    def ip_allowed(self, source_ip: str) -> tuple[bool, str]:
        """Whether mail from ``source_ip`` passes the filters, and the filter that decided."""
        address = ipaddress.ip_address(source_ip)
        blocked = ""
        for item in self.receipt_filters.values():
            ip = item["IpFilter"]
            if address in _network(ip["Cidr"]):
                if ip["Policy"] == "Allow":
                    return True, item["Name"]
                blocked = blocked or item["Name"]
        return not blocked, blocked

    # -- rule ordering -------------------------------------------------------------------

    def _rule_set(self, name: str) -> ReceiptRuleSet:
        found = self.receipt_rule_set.get(name)
        if found is None:
            raise errors.RuleSetDoesNotExist(f"Rule set does not exist: {name}")
        return found

    @staticmethod
    def _index(rule_set: ReceiptRuleSet, rule_name: str) -> int:
        for index, rule in enumerate(rule_set.rules):
            if rule["Name"] == rule_name:
                return index
        raise errors.RuleDoesNotExist(f"Rule does not exist: {rule_name}")

    def create_receipt_rule(
        self, rule_set_name: str, rule: dict[str, Any], after: str | None
    ) -> None:
        """Adds a rule first, or after ``after``; refuses a second rule of the same name."""
        self._validate_name_param("ruleSetName", rule_set_name)
        self._validate_name_param("rule.name", str(rule.get("Name") or ""))
        rule_set = self._rule_set(rule_set_name)
        if any(r["Name"] == rule.get("Name") for r in rule_set.rules):
            raise errors.AlreadyExists(f"Rule already exists: {rule.get('Name')}")
        if len(rule_set.rules) >= MAX_RULES_PER_SET:
            raise errors.LimitExceeded(f"A rule set can have at most {MAX_RULES_PER_SET} rules.")
        super().create_receipt_rule(rule_set_name, rule, after)

    def delete_receipt_rule(self, rule_set_name: str, rule_name: str) -> None:
        """Deletes a rule; deleting one that does not exist changes nothing."""
        rule_set = self._rule_set(rule_set_name)
        rule_set.rules[:] = [r for r in rule_set.rules if r["Name"] != rule_name]

    def set_receipt_rule_position(
        self, rule_set_name: str, rule_name: str, after: str | None
    ) -> None:
        """Moves a rule first, or right after ``after``."""
        rule_set = self._rule_set(rule_set_name)
        index = self._index(rule_set, rule_name)
        if after:
            self._index(rule_set, after)  # refuses before anything moves
        rule = rule_set.rules.pop(index)
        target = self._index(rule_set, after) + 1 if after else 0
        rule_set.rules.insert(target, rule)

    def reorder_receipt_rule_set(self, rule_set_name: str, rule_names: list[str]) -> None:
        """Puts the rules in the order given, which must name every rule of the set once."""
        rule_set = self._rule_set(rule_set_name)
        by_name = {r["Name"]: r for r in rule_set.rules}
        for name in rule_names:
            if name not in by_name:
                raise errors.RuleDoesNotExist(f"Rule does not exist: {name}")
        if len(rule_names) != len(by_name) or set(rule_names) != set(by_name):
            raise errors.InvalidParameterValue(
                "Value for parameter RuleNames must name every rule of the rule set exactly once."
            )
        rule_set.rules[:] = [by_name[name] for name in rule_names]
