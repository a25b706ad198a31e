"""Stable text reports: counts that add up, a summary, one line per event."""

from __future__ import annotations

from simlab.engage.sms.account import Account
from simlab.engage.sms.events import Events


class Reports(Account, Events):
    """Counts and summaries of what the account sent."""

    def counts(self, channel: str = "SMS") -> dict[str, int]:
        """sent = delivered + failed + opted_out + throttled + pending, for one channel."""
        totals = {"delivered": 0, "failed": 0, "opted_out": 0, "throttled": 0, "pending": 0}
        for message in self.messages.values():
            if message.channel != channel:
                continue
            if not message.final:
                totals["pending"] += 1
            elif message.status in ("DELIVERED", "SUCCESSFUL", "COMPLETED"):
                totals["delivered"] += 1
            else:
                totals["failed"] += 1
        totals["opted_out"] = self.refused.get((channel, "OPTED_OUT"), 0)
        totals["throttled"] = self.refused.get((channel, "THROTTLED"), 0)
        return {"sent": sum(totals.values()), **totals}

    def summary(self) -> str:
        """A stable text report: identities, then message counts per channel, then spend."""
        lines = [f"account tier: {self.tier}"]
        for number in sorted(self.numbers.values(), key=lambda n: n.number):
            two_way = "two-way" if self.settings_of(number).two_way_enabled else "one-way"
            rate = self.mps.rate_of(number.number_type, number.iso_country)
            lines.append(
                f"number  {number.number:<16} {number.number_type:<10} {number.iso_country} "
                f"{rate:>5g} MPS  {two_way}"
            )
        for (name, country), _ in sorted(self.sender_ids.items()):
            lines.append(f"sender  {name:<16} SENDER_ID  {country}")
        for channel in ("SMS", "VOICE"):
            c = self.counts(channel)
            lines.append(
                f"{channel:<5}  sent {c['sent']:>4} = delivered {c['delivered']} + failed "
                f"{c['failed']} + opted-out {c['opted_out']} + throttled {c['throttled']} + "
                f"pending {c['pending']}"
            )
        opted = sum(len(o.numbers) for o in self.opt_out_lists.values())
        lines.append(f"opted-out numbers: {opted}")
        lines.append(
            f"text spend this month: {self.spent_this_month('TEXT'):.5f} of "
            f"{self.spend_limit('TEXT'):g} USD"
        )
        return "\n".join(lines)

    def events_summary(self) -> str:
        """One line per event record: time offset, type, destination, final flag."""
        start = self.clock.epoch.timestamp() * 1000
        lines = []
        for record in self.events:
            offset = (record["eventTimestamp"] - start) / 1000
            final = "final" if record["isFinal"] else ""
            to = record["destinationPhoneNumber"]
            lines.append(f"{offset:>10.1f}s  {record['eventType']:<22} {to:<16} {final}".rstrip())
        return "\n".join(lines)
