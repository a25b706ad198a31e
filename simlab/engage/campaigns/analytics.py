"""What a campaign did, as learners read it: a stable text table of runs and fates per treatment.

The KPIs (``Get*DateRangeKpi``) are computed from the event stream by
``simlab.engage.engine.Analytics``, shared with journeys.
"""

from __future__ import annotations

from collections import Counter

from simlab.engage.campaigns.model import Campaign


def summary(campaign: Campaign) -> str:
    """Returns a stable text table of the campaign's activities, no ids or dates."""
    lines = [
        f"campaign {campaign.name or '(unnamed)'}: {campaign.status}, version {campaign.version}",
        f"  {'run':>3} {'treatment':<9} {'state':<10} {'sent':>7} {'delivered':>9} "
        f"{'failed':>6} {'opt-out':>7} {'throttled':>9} {'pending':>7}  suppressed",
    ]
    runs: Counter[str] = Counter()
    for activity in campaign.activities:
        runs[activity.treatment_id] += 1
        t = activity.tally
        held = {
            k: v
            for k, v in sorted(activity.metrics.items())
            if k in ("QUIET_TIME", "DAILY_CAP", "TOTAL_CAP", "HOLDOUT", "FILTERED_OUT_BY_HOOK")
            and v
        }
        lines.append(
            f"  {runs[activity.treatment_id]:>3} {activity.treatment_id:<9} "
            f"{activity.state:<10} {t.sent:>7} {t.delivered:>9} {t.failed:>6} "
            f"{t.opted_out:>7} {t.throttled:>9} {t.pending:>7}  "
            + (", ".join(f"{k}={v}" for k, v in held.items()) or "-")
        )
    t = campaign.tally
    lines.append(
        f"  total: sent {t.sent} = delivered {t.delivered} + failed {t.failed} + opted out "
        f"{t.opted_out} + throttled {t.throttled} + pending {t.pending}"
    )
    return "\n".join(lines)
