"""A customer's STOP reaches Pinpoint too: their SMS endpoints get ``OptOut=ALL``.

Registered as an opt-out hook; it finds the live SMS endpoints with that address in every
Pinpoint project of the account and Region and updates them through the endpoint store, and a
project that had texted the number streams ``_SMS.OPTOUT`` for that message.
"""

from __future__ import annotations

from typing import Any

from moto.backends import get_backend

from simlab.aws.state import state


def opt_out_pinpoint_endpoints(account_id: str, region: str, phone_number: str) -> list[str]:
    """Marks every SMS endpoint addressed to ``phone_number`` OptOut=ALL; returns their ids."""
    backend: Any = get_backend("pinpoint")[account_id][region]
    from simlab.aws.services.pinpoint.channels import report_opt_out

    changed = []
    for project in getattr(backend, "projects", {}).values():
        report_opt_out(project, phone_number)
        store = project.audience.endpoints
        for row in store.rows():
            address = store.text["Address"].get(row)
            channel = store.text["ChannelType"].get(row)
            if address == phone_number and channel == "SMS":
                endpoint_id = store.ids[row]
                store.upsert(endpoint_id, {"OptOut": "ALL"}, state().clock.timestamp())
                changed.append(endpoint_id)
    return changed
