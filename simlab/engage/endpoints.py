"""Endpoints: where a message can go (an address on a channel), stored column by column.

An ``EndpointStore`` holds one app's endpoints as numpy columns, one per field, so that a segment
over a million endpoints is a handful of vectorised comparisons. Requests and answers use
Pinpoint's own shapes (``EndpointRequest`` in, ``EndpointResponse`` out) and rules: attribute
limits, at most 15 endpoints per user, and an Address re-registered elsewhere making the older
endpoint INACTIVE.
"""

from __future__ import annotations

import fnmatch
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from simlab.engage.endpoint_columns import GROWTH, ListColumn, TextColumn, pad, parse_instant
from simlab.engage.endpoint_validation import EndpointValidation
from simlab.engage.endpoint_views import EndpointViews
from simlab.engage.faults import BadRequest, NotFound
from simlab.facts import pinpoint as facts

#: String fields with one value per endpoint, by their dotted EndpointResponse path.
TEXT_FIELDS: tuple[str, ...] = (
    "ChannelType",
    "Address",
    "EndpointStatus",
    "OptOut",
    "RequestId",
    "CohortId",
    "User.UserId",
    "Demographic.AppVersion",
    "Demographic.Locale",
    "Demographic.Make",
    "Demographic.Model",
    "Demographic.ModelVersion",
    "Demographic.Platform",
    "Demographic.PlatformVersion",
    "Demographic.Timezone",
    "Location.City",
    "Location.Country",
    "Location.PostalCode",
    "Location.Region",
)
#: Number fields with one value per endpoint (NaN when absent); dates are Unix seconds.
NUMBER_FIELDS: tuple[str, ...] = (
    "Location.Latitude",
    "Location.Longitude",
    "EffectiveDate",
    "CreationDate",
    "LastActive",
)
#: The fields of an ``EndpointRequest`` that ``upsert_many`` stores column by column.
PLAIN_FIELDS = frozenset(("ChannelType", "Address", "EndpointStatus", "OptOut", "RequestId"))
_OPTIONAL = ("OptOut", "RequestId", "Address", "EndpointStatus")
#: Channels whose Address is a device token (a 16th endpoint of a user evicts the oldest).
PUSH_TOKEN_CHANNELS = frozenset(facts.ENDPOINT_LIMIT_EVICT_CHANNELS.value)
PUSH_CHANNELS = PUSH_TOKEN_CHANNELS | {"PUSH"}


class EndpointStore(EndpointViews, EndpointValidation):
    """One app's endpoints, column by column."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.alive = np.zeros(GROWTH, dtype=bool)
        self.text = {name: TextColumn() for name in TEXT_FIELDS}
        self.numbers = {name: np.full(GROWTH, np.nan) for name in NUMBER_FIELDS}
        self.attributes: dict[str, ListColumn] = {}
        self.user_attributes: dict[str, ListColumn] = {}
        self.metrics: dict[str, np.ndarray] = {}
        self._users: dict[str, set[int]] = {}
        # by the Address column's code: the row that registered the address last (-1: none)
        self._address_rows = np.full(GROWTH, -1, dtype=np.int64)

    # -- size ------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Rows in use (deleted endpoints keep their row, marked not alive)."""
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, endpoint_id: str) -> bool:
        return endpoint_id in self.index

    def _grow(self, size: int) -> None:
        if size <= len(self.alive):
            return
        capacity = max(size, 2 * len(self.alive))
        self.alive = np.concatenate([self.alive, np.zeros(capacity - len(self.alive), bool)])
        for name, column in self.numbers.items():
            self.numbers[name] = pad(column, capacity)
        for name, column in self.metrics.items():
            self.metrics[name] = pad(column, capacity)
        for text in self.text.values():
            text.grow(capacity)

    def _new_row(self, endpoint_id: str) -> int:
        row = len(self.ids)
        self._grow(row + 1)
        self.ids.append(endpoint_id)
        self.index[endpoint_id] = row
        self.alive[row] = True
        return row

    # -- writes ----------------------------------------------------------------------------

    def upsert(
        self, endpoint_id: str, request: Mapping[str, Any], now: float, *, checked: bool = False
    ) -> str:
        """Creates or updates an endpoint from an ``EndpointRequest``; returns its id.

        Given fields replace stored ones; attributes merge by name (an empty list removes one).
        ``checked``: the caller has run ``_validate`` on this request, so only the checks that
        depend on what was stored since are made again. Raises BadRequest naming the field.
        """
        if not endpoint_id:
            raise BadRequest("EndpointId must not be empty")
        request = dict(request)
        if checked:
            self._check_name_count(request)
        else:
            self._validate(endpoint_id, request)
        row = self.index.get(endpoint_id)
        created = row is None
        channel = request.get("ChannelType") or (
            None if created else self.text["ChannelType"].get(row)  # type: ignore[arg-type]
        )
        user = (request.get("User") or {}).get("UserId")
        if user is not None and (created or self.user_of(row) != user):  # type: ignore[arg-type]
            self._make_room_for(user, channel, endpoint_id)
        if created:
            row = self._new_row(endpoint_id)
            self.numbers["CreationDate"][row] = now
            self.text["OptOut"].set(row, "NONE")
            self.text["CohortId"].set(row, str(_cohort(endpoint_id)))
        assert row is not None
        self._write(row, request, now)
        return endpoint_id

    def upsert_many(self, items: Sequence[tuple[str, Mapping[str, Any]]], now: float) -> None:
        """``upsert(endpoint_id, request, now, checked=True)`` of each item, in order.

        A batch of new endpoints that give only plain fields (``PLAIN_FIELDS``), with addresses
        no endpoint had before, is stored column by column; any other batch item by item. The
        store ends the same either way. Raises BadRequest as ``upsert`` does.
        """
        if not self._append_plain(items, now):
            for endpoint_id, request in items:
                self.upsert(endpoint_id, request, now, checked=True)

    def _append_plain(self, items: Sequence[tuple[str, Mapping[str, Any]]], now: float) -> bool:
        """Stores ``items`` as ``upsert_many`` does, if each is a new endpoint with plain
        fields and a new address; returns False, having stored nothing, if one is not."""
        index, vocab = self.index, self.text["Address"].vocab
        ids: set[str] = set()
        addresses: set[str] = set()
        for endpoint_id, request in items:
            if (
                not endpoint_id
                or endpoint_id in index
                or endpoint_id in ids
                or not request.keys() <= PLAIN_FIELDS
                or not request.get("ChannelType")
            ):
                return False
            ids.add(endpoint_id)
            address = request.get("Address")
            if address is not None:
                address = str(address)
                if address in vocab or address in addresses:
                    return False
                addresses.add(address)
        if not items:
            return True
        start, count = self.size, len(items)
        self._grow(start + count)
        self.ids.extend(endpoint_id for endpoint_id, _ in items)
        index.update((endpoint_id, start + i) for i, (endpoint_id, _) in enumerate(items))
        self.alive[start : start + count] = True
        for name in ("CreationDate", "EffectiveDate"):
            self.numbers[name][start : start + count] = now
        given: dict[str, list[str | None]] = {n: [] for n in ("ChannelType", *_OPTIONAL)}
        for _, request in items:
            for name, found in given.items():
                value = request.get(name)
                found.append(None if value is None else str(value))
        # each column codes its new values in the order ``upsert`` would have set them: OptOut
        # NONE first, then the rest field by field as ``_write`` sets them
        text = self.text
        _fill(text["OptOut"], start, ["NONE"] * count)
        _fill(text["CohortId"], start, [str(_cohort(endpoint_id)) for endpoint_id, _ in items])
        for name in ("ChannelType", "OptOut", "RequestId"):
            _fill(text[name], start, given[name], keep_missing=True)
        codes = _fill(text["Address"], start, given["Address"], keep_missing=True)
        present = np.flatnonzero(codes >= 0)
        if len(present):  # each address is new, so its endpoint owns it
            self._owners_upto(int(codes[present].max()) + 1)[codes[present]] = start + present
        statuses = [status or "ACTIVE" for status in given["EndpointStatus"]]
        _fill(text["EndpointStatus"], start, statuses)
        return True

    def _write(self, row: int, request: Mapping[str, Any], now: float) -> None:
        text, numbers, get = self.text, self.numbers, request.get
        for key in ("ChannelType", "OptOut", "RequestId"):
            value = get(key)
            if value is not None:
                text[key].set(row, str(value))
        address = get("Address")
        if address is not None:
            self._set_address(row, str(address))
        for part in ("Demographic", "Location"):
            for key, value in (get(part) or {}).items():
                name = f"{part}.{key}"
                if name in text:
                    text[name].set(row, None if value is None else str(value))
                elif name in numbers:
                    numbers[name][row] = np.nan if value is None else float(value)
        for name, values in (get("Attributes") or {}).items():
            self.attributes.setdefault(name, ListColumn()).set(row, values)
        for name, value in (get("Metrics") or {}).items():
            if name not in self.metrics:
                self.metrics[name] = np.full(len(self.alive), np.nan)
            self.metrics[name][row] = np.nan if value is None else float(value)
        user = get("User")
        if user:
            if "UserId" in user:
                self._set_user(row, user["UserId"])
            for name, values in (user.get("UserAttributes") or {}).items():
                self.user_attributes.setdefault(name, ListColumn()).set(row, values)
        effective = get("EffectiveDate")
        numbers["EffectiveDate"][row] = (
            parse_instant(effective, "EffectiveDate") if effective else now
        )
        text["EndpointStatus"].set(row, get("EndpointStatus") or "ACTIVE")

    def _set_address(self, row: int, address: str) -> None:
        column, owners = self.text["Address"], self._address_rows
        old = column.get(row)
        if old is not None and owners[column.vocab[old]] == row:
            owners[column.vocab[old]] = -1
        code = column.code(address)
        owners = self._owners_upto(code + 1)
        other = int(owners[code])
        if other >= 0 and other != row and self.alive[other]:
            self.text["EndpointStatus"].set(other, "INACTIVE")
        owners[code] = row
        column.set(row, address)

    def _owners_upto(self, size: int) -> np.ndarray:
        """``_address_rows``, grown (with -1) to hold ``size`` address codes at least."""
        owners = self._address_rows
        if size > len(owners):
            bigger = np.full(max(size, 2 * len(owners)), -1, dtype=np.int64)
            bigger[: len(owners)] = owners
            owners = self._address_rows = bigger
        return owners

    def _set_user(self, row: int, user_id: str | None) -> None:
        old = self.user_of(row)
        if old is not None:
            self._users.get(old, set()).discard(row)
        self.text["User.UserId"].set(row, user_id)
        if user_id:
            self._users.setdefault(user_id, set()).add(row)

    def _make_room_for(self, user: str, channel: str | None, endpoint_id: str) -> None:
        limit = facts.MAX_ENDPOINTS_PER_USER.value
        rows = [r for r in self._users.get(user, ()) if self.ids[r] != endpoint_id]
        if len(rows) < limit:
            return
        if channel not in PUSH_TOKEN_CHANNELS:
            raise BadRequest(
                f"User.UserId {user!r} already has {limit} endpoints, the most a user can have; "
                f"a {channel or 'new'} endpoint is refused (push-token channels "
                f"{', '.join(sorted(PUSH_TOKEN_CHANNELS))} replace the oldest instead)"
            )
        oldest = min(rows, key=lambda r: (self.numbers["EffectiveDate"][r], r))
        self.text["EndpointStatus"].set(oldest, "INACTIVE")
        self._set_user(oldest, None)

    def delete(self, endpoint_id: str) -> dict[str, Any]:
        """Deletes an endpoint and returns it as it was."""
        gone = self.get(endpoint_id)
        row = self.index.pop(endpoint_id)
        self._set_user(row, None)
        code = int(self.text["Address"].codes[row]) if self.text["Address"].labels else -1
        if code >= 0 and self._address_rows[code] == row:
            self._address_rows[code] = -1
        self.alive[row] = False
        for columns in (self.attributes, self.user_attributes):
            for column in columns.values():
                column.set(row, None)
        return gone

    def remove_attributes(self, attribute_type: str, patterns: Sequence[str]) -> list[str]:
        """Removes attributes whose names match any pattern (exact or glob); returns them."""
        kinds: dict[str, Any] = {
            "endpoint-custom-attributes": self.attributes,
            "endpoint-metric-attributes": self.metrics,
            "endpoint-user-attributes": self.user_attributes,
        }
        if attribute_type not in kinds:
            raise BadRequest(
                f"AttributeType must be one of {', '.join(kinds)}, got {attribute_type!r}"
            )
        columns: dict[str, Any] = kinds[attribute_type]
        removed = [n for n in columns if any(fnmatch.fnmatchcase(n, p) for p in patterns)]
        for name in removed:
            del columns[name]
        return removed

    def touch(self, endpoint_id: str, seconds: float) -> None:
        """Records session activity of an endpoint at ``seconds`` (for recency segments)."""
        row = self.index.get(endpoint_id)
        if row is not None:
            current = self.numbers["LastActive"][row]
            if np.isnan(current) or seconds > current:
                self.numbers["LastActive"][row] = seconds

    def append_columns(
        self,
        ids: Sequence[str],
        text: Mapping[str, Sequence[str | None]] | None = None,
        numbers: Mapping[str, Sequence[float]] | None = None,
        attributes: Mapping[str, Sequence[Sequence[str] | None]] | None = None,
        metrics: Mapping[str, Sequence[float]] | None = None,
        *,
        now: float = 0.0,
    ) -> None:
        """Adds many new endpoints at once, column by column (for large synthetic audiences).

        It skips the per-endpoint rules of ``upsert``; ids must be new and unique.
        """
        if len(set(ids)) != len(ids) or any(i in self.index for i in ids):
            raise BadRequest("append_columns needs new, unique endpoint ids")
        start, count = self.size, len(ids)
        self._grow(start + count)
        self.ids.extend(ids)
        self.index.update({endpoint_id: start + i for i, endpoint_id in enumerate(ids)})
        self.alive[start : start + count] = True
        given = dict(text or {})
        given.setdefault("EndpointStatus", ["ACTIVE"] * count)
        given.setdefault("OptOut", ["NONE"] * count)
        given.setdefault("CohortId", [str(_cohort(i)) for i in ids])
        for name, values in given.items():
            self.text[name].extend(start, values)
        for name in ("EffectiveDate", "CreationDate"):
            self.numbers[name][start : start + count] = now
        for name, numbered in (numbers or {}).items():
            self.numbers[name][start : start + count] = np.asarray(numbered, dtype=float)
        for name, lists in (attributes or {}).items():
            column = self.attributes.setdefault(name, ListColumn())
            column.values.update({start + i: tuple(v) for i, v in enumerate(lists) if v})
            column._view = None
        for name, measured in (metrics or {}).items():
            if name not in self.metrics:
                self.metrics[name] = np.full(len(self.alive), np.nan)
            self.metrics[name][start : start + count] = np.asarray(measured, dtype=float)
        codes = self.text["Address"].upto(start + count)[start:]
        present = np.flatnonzero(codes >= 0)[::-1]  # the last row of an address owns it
        if len(present):
            owned, first = np.unique(codes[present], return_index=True)
            self._owners_upto(int(owned[-1]) + 1)[owned] = start + present[first]
        for i in range(count):
            user = self.text["User.UserId"].get(start + i)
            if user is not None:
                self._users.setdefault(user, set()).add(start + i)

    # -- reads -----------------------------------------------------------------------------

    def row_of(self, endpoint_id: str) -> int:
        """Returns the row of an endpoint; NotFound naming it if there is none."""
        row = self.index.get(endpoint_id)
        if row is None:
            raise NotFound(f"Endpoint {endpoint_id!r} not found")
        return row

    def user_of(self, row: int) -> str | None:
        return self.text["User.UserId"].get(row)

    def user_endpoint_ids(self, user_id: str) -> list[str]:
        """Ids of a user's endpoints, oldest first; NotFound if the user has none."""
        rows = sorted(self._users.get(user_id, ()))
        if not rows:
            raise NotFound(f"User {user_id!r} not found: no endpoint has this User.UserId")
        return [self.ids[r] for r in rows]

    def get(self, endpoint_id: str) -> dict[str, Any]:
        """Returns an endpoint in the ``EndpointResponse`` shape (without ApplicationId)."""
        return self.to_json(self.row_of(endpoint_id))

    def rows(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Row numbers of live endpoints (where ``mask`` is True, if given)."""
        live = self.alive[: self.size]
        return np.flatnonzero(live if mask is None else live & mask[: self.size])


def _cohort(endpoint_id: str) -> int:
    """A stable cohort 0-99 for an endpoint id (Pinpoint assigns ~1% of endpoints to each)."""
    return zlib.crc32(endpoint_id.encode()) % 100


def _fill(
    column: TextColumn, start: int, values: Sequence[str | None], *, keep_missing: bool = False
) -> np.ndarray:
    """Sets rows ``start..`` of ``column`` to ``values`` in order, coding new values in that
    order; returns their codes (-1 for None). ``keep_missing``: a None leaves its row as it is
    (a field the request does not give), else it clears the row."""
    vocab, labels = column.vocab, column.labels
    codes = np.full(len(values), -1, dtype=np.int32)
    nothing = all(value is None for value in values)
    if nothing and (keep_missing or not len(column.codes)):
        return codes  # nothing to set, or nothing stored to clear
    found: list[int] = []
    for value in values:
        if value is None:
            found.append(-1)
            continue
        code = vocab.get(value)
        if code is None:
            code = vocab[value] = len(labels)
            labels.append(value)
        found.append(code)
    codes[:] = found
    if not len(column.codes):
        column.codes = np.full(column.capacity, -1, dtype=np.int32)
    target = column.codes[start : start + len(values)]
    if keep_missing:
        given = codes >= 0
        target[given] = codes[given]
    else:
        target[:] = codes
    return codes
