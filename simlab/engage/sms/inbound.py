"""Customer replies: keywords run, opt-outs are recorded, two-way numbers publish."""

from __future__ import annotations

import json
from typing import Any

from simlab.engage.outbox_messages import OutboxMessage
from simlab.engage.sms.common import parse_e164
from simlab.engage.sms.constants import (
    DEFAULT_KEYWORD_ACTIONS,
    SERVICE,
    TOLL_FREE_OPT_IN_KEYWORDS,
    TOLL_FREE_STOP_REPLY,
)
from simlab.engage.sms.core import pair
from simlab.engage.sms.errors import NotFoundError
from simlab.engage.sms.opt_outs import KeywordsAndOptOuts
from simlab.engage.sms.records import PhoneNumber, Pool
from simlab.facts import sms


class Inbound(KeywordsAndOptOuts):
    """Answers what customers text to the account's numbers."""

    def receive(self, from_number: str, to_number: str, body: str) -> dict[str, Any]:
        """A customer texts ``body`` to one of our numbers: keywords run, two-way publishes.

        On a US toll-free number the carrier handles opt-outs: STOP (only STOP) opts the
        customer out with the carrier's fixed reply, whatever the number's keywords say, and the
        number goes on the opt-out list as any STOP does; UNSTOP or START lift the carrier's
        block (https://docs.aws.amazon.com/sms-voice/latest/userguide/keywords-required.html).
        Returns the inbound payload as published to the two-way topic; raises NotFoundError
        when ``to_number`` is not one of the account's numbers.
        """
        customer, _ = parse_e164(from_number, "originationNumber")
        try:
            number = self.phone_number(to_number, "destinationNumber")
        except NotFoundError:
            raise NotFoundError(
                "phone-number", to_number, " (destinationNumber must be one of your numbers)"
            ) from None
        settings = self.settings_of(number)
        owner: PhoneNumber | Pool = self.pools.get(number.pool_id or "", number)
        word = (body.strip().split() or [""])[0].upper().strip(".,!?")
        keyword = owner.keywords.get(word)
        action = keyword.action if keyword else None
        by_carrier = self.carrier_handles_opt_out(number)
        if by_carrier and action == "OPT_OUT" and word != "STOP":
            keyword, action = None, None  # the carrier knows no other opt-out keyword
        carriers_words = (
            sms.TOLL_FREE_OPT_OUT_KEYWORDS.value if by_carrier else sms.OPT_OUT_KEYWORDS.value
        )
        if action is None and word in carriers_words:
            keyword, action = owner.keywords["STOP"], "OPT_OUT"
        payload = {
            "originationNumber": customer,
            "destinationNumber": number.number,
            "messageKeyword": keyword.keyword if keyword else "",
            "messageBody": body,
            "inboundMessageId": self.new_id(),
            "previousPublishedMessageId": self._last_outbound.get(
                pair(number.number, customer), ""
            ),
        }
        self.inbound.append(payload)
        if by_carrier:
            self._carrier_keyword(number, customer, word)
        # Self-managed opt-outs leave HELP, STOP and opting in or out to the learner's code.
        left_to_learner = settings.self_managed_opt_outs and (
            word in DEFAULT_KEYWORD_ACTIONS or action in ("OPT_OUT", "OPT_IN")
        )
        if keyword is not None and not left_to_learner:
            if action == "OPT_OUT":
                self.put_opted_out_number(settings.opt_out_list_name, customer, end_user=True)
                for listener in list(self.opt_out_listeners):
                    listener(customer)
            elif action == "OPT_IN":
                self.opt_out_lists[settings.opt_out_list_name].numbers.pop(customer, None)
            if not (by_carrier and action == "OPT_OUT"):  # the carrier has answered already
                self._auto_reply(number, customer, keyword.message, keyword.keyword)
        if settings.two_way_enabled and settings.two_way_channel_arn and self.publish is not None:
            self.publish(settings.two_way_channel_arn, json.dumps(payload))
        return payload

    def _carrier_keyword(self, number: PhoneNumber, customer: str, word: str) -> None:
        """The carrier's part of a reply to a US toll-free number: STOP blocks, UNSTOP lifts."""
        pair = (number.number, customer)
        if word in sms.TOLL_FREE_OPT_OUT_KEYWORDS.value:
            self.carrier_opt_outs.add(pair)
            self._auto_reply(number, customer, TOLL_FREE_STOP_REPLY, word, by="carrier")
        elif word in TOLL_FREE_OPT_IN_KEYWORDS:
            self.carrier_opt_outs.discard(pair)

    def _auto_reply(
        self, number: PhoneNumber, customer: str, text: str, keyword: str, by: str = "aws"
    ) -> None:
        detail = {"accepted": True, "automatic_response": keyword}
        if by != "aws":
            detail["answered_by"] = by
        self.outbox.add(
            OutboxMessage(
                channel="SMS",
                service=SERVICE,
                origin=number.number,
                destination=customer,
                body=text,
                message_id=self.new_id(),
                sent_at=self.clock.now(),
                status="DELIVERED",
                detail=detail,
            )
        )
