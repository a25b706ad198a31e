"""Endpoints: where a message can go (an address on a channel), stored column by column.

An ``EndpointStore`` holds one app's endpoints as numpy columns, one per field, so that a segment
over a million endpoints is a handful of vectorised comparisons. Requests and answers use
Pinpoint's own shapes (``EndpointRequest`` in, ``EndpointResponse`` out) and rules: attribute
limits, at most 15 endpoints per user, and an Address re-registered elsewhere making the older
endpoint INACTIVE.
"""

from __future__ import annotations

import fnmatch
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from simlab.engage.faults import BadRequest, NotFound
from simlab.facts import pinpoint as facts
from simlab.primitives import times

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
#: Channels whose Address is a device token (a 16th endpoint of a user evicts the oldest).
PUSH_TOKEN_CHANNELS = frozenset(facts.ENDPOINT_LIMIT_EVICT_CHANNELS.value)
PUSH_CHANNELS = PUSH_TOKEN_CHANNELS | {"PUSH"}

_GROWTH = 1024


#: Unix seconds as Pinpoint writes dates: ``2026-01-05T09:00:00.000Z``.
iso = times.iso_seconds


def parse_instant(value: str, field: str) -> float:
    """Returns Unix seconds of an ISO 8601 time; BadRequest naming ``field`` if it is not one."""
    try:
        return times.parse_instant(str(value)).timestamp()
    except ValueError:
        raise BadRequest(f"{field} must be an ISO 8601 date and time, got {value!r}") from None


class TextColumn:
    """A string column stored as integer codes into a vocabulary; -1 means absent."""

    def __init__(self) -> None:
        self.codes = np.full(_GROWTH, -1, dtype=np.int32)
        self.vocab: dict[str, int] = {}
        self.labels: list[str] = []

    def code(self, value: str) -> int:
        found = self.vocab.get(value)
        if found is None:
            found = self.vocab[value] = len(self.labels)
            self.labels.append(value)
        return found

    def grow(self, size: int) -> None:
        if size > len(self.codes):
            bigger = np.full(max(size, 2 * len(self.codes)), -1, dtype=np.int32)
            bigger[: len(self.codes)] = self.codes
            self.codes = bigger

    def set(self, row: int, value: str | None) -> None:
        self.codes[row] = -1 if value is None else self.code(value)

    def get(self, row: int) -> str | None:
        code = int(self.codes[row])
        return None if code < 0 else self.labels[code]

    def extend(self, start: int, values: Sequence[str | None]) -> None:
        """Sets rows ``start..start+len(values)`` at once."""
        array = np.asarray(values, dtype=object)
        present = np.array([v is not None for v in array], dtype=bool)
        codes = np.full(len(array), -1, dtype=np.int32)
        if present.any():
            uniques, inverse = np.unique(array[present].astype(str), return_inverse=True)
            mapping = np.array([self.code(str(u)) for u in uniques], dtype=np.int32)
            codes[present] = mapping[inverse]
        self.codes[start : start + len(array)] = codes

    def matches(self, size: int, values: Iterable[str]) -> np.ndarray:
        """True where the row's value is one of ``values``."""
        wanted = [self.vocab[v] for v in values if v in self.vocab]
        if not wanted:
            return np.zeros(size, dtype=bool)
        return np.isin(self.codes[:size], np.array(wanted, dtype=np.int32))


class ListColumn:
    """A multi-valued string attribute: row -> tuple of values, with a vectorised view."""

    def __init__(self) -> None:
        self.values: dict[int, tuple[str, ...]] = {}
        self._view: tuple[np.ndarray, np.ndarray, list[str]] | None = None

    def set(self, row: int, values: Sequence[str] | None) -> None:
        if values:
            self.values[row] = tuple(values)
        else:
            self.values.pop(row, None)
        self._view = None

    def view(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Returns (rows, codes, labels): one (row, value) pair per stored value."""
        if self._view is None:
            vocab: dict[str, int] = {}
            rows: list[int] = []
            codes: list[int] = []
            for row, values in self.values.items():
                for value in values:
                    rows.append(row)
                    codes.append(vocab.setdefault(value, len(vocab)))
            self._view = (
                np.array(rows, dtype=np.int64),
                np.array(codes, dtype=np.int64),
                list(vocab),
            )
        return self._view

    def rows_where(self, size: int, label_test: np.ndarray | None = None) -> np.ndarray:
        """True for rows with at least one value whose label passes ``label_test``."""
        rows, codes, labels = self.view()
        out = np.zeros(size, dtype=bool)
        if label_test is None:
            out[rows] = True
        elif len(labels):
            out[rows[label_test[codes]]] = True
        return out


class EndpointStore:
    """One app's endpoints, column by column."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.alive = np.zeros(_GROWTH, dtype=bool)
        self.text = {name: TextColumn() for name in TEXT_FIELDS}
        self.numbers = {name: np.full(_GROWTH, np.nan) for name in NUMBER_FIELDS}
        self.attributes: dict[str, ListColumn] = {}
        self.user_attributes: dict[str, ListColumn] = {}
        self.metrics: dict[str, np.ndarray] = {}
        self._users: dict[str, set[int]] = {}
        self._addresses: dict[str, int] = {}

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
            self.numbers[name] = _pad(column, capacity)
        for name, column in self.metrics.items():
            self.metrics[name] = _pad(column, capacity)
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

    def upsert(self, endpoint_id: str, request: Mapping[str, Any], now: float) -> str:
        """Creates or updates an endpoint from an ``EndpointRequest``; returns its id.

        Given fields replace stored ones; attributes merge by name (an empty list removes one).
        """
        if not endpoint_id:
            raise BadRequest("EndpointId must not be empty")
        request = dict(request)
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

    def _write(self, row: int, request: Mapping[str, Any], now: float) -> None:
        for key in ("ChannelType", "OptOut", "RequestId"):
            if request.get(key) is not None:
                self.text[key].set(row, str(request[key]))
        if request.get("Address") is not None:
            self._set_address(row, str(request["Address"]))
        for part in ("Demographic", "Location"):
            for key, value in (request.get(part) or {}).items():
                if f"{part}.{key}" in self.text:
                    self.text[f"{part}.{key}"].set(row, None if value is None else str(value))
                elif f"{part}.{key}" in self.numbers:
                    self.numbers[f"{part}.{key}"][row] = np.nan if value is None else float(value)
        for name, values in (request.get("Attributes") or {}).items():
            self.attributes.setdefault(name, ListColumn()).set(row, values)
        for name, value in (request.get("Metrics") or {}).items():
            if name not in self.metrics:
                self.metrics[name] = np.full(len(self.alive), np.nan)
            self.metrics[name][row] = np.nan if value is None else float(value)
        user = request.get("User") or {}
        if "UserId" in user:
            self._set_user(row, user["UserId"])
        for name, values in (user.get("UserAttributes") or {}).items():
            self.user_attributes.setdefault(name, ListColumn()).set(row, values)
        effective = request.get("EffectiveDate")
        self.numbers["EffectiveDate"][row] = (
            parse_instant(effective, "EffectiveDate") if effective else now
        )
        self.text["EndpointStatus"].set(row, request.get("EndpointStatus") or "ACTIVE")

    def _set_address(self, row: int, address: str) -> None:
        old = self.text["Address"].get(row)
        if old is not None and self._addresses.get(old) == row:
            del self._addresses[old]
        other = self._addresses.get(address)
        if other is not None and other != row and self.alive[other]:
            self.text["EndpointStatus"].set(other, "INACTIVE")
        self._addresses[address] = row
        self.text["Address"].set(row, address)

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
        address = self.text["Address"].get(row)
        if address is not None and self._addresses.get(address) == row:
            del self._addresses[address]
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
        for i in range(count):
            address = self.text["Address"].get(start + i)
            if address is not None:
                self._addresses[address] = start + i
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

    def to_json(self, row: int) -> dict[str, Any]:
        data: dict[str, Any] = {"Id": self.ids[row]}
        for name, column in self.text.items():
            value = column.get(row)
            if value is not None:
                _put(data, name, value)
        for name in ("Location.Latitude", "Location.Longitude"):
            if not np.isnan(self.numbers[name][row]):
                _put(data, name, float(self.numbers[name][row]))
        for name in ("EffectiveDate", "CreationDate"):
            data[name] = iso(float(self.numbers[name][row]))
        attributes = {n: list(c.values[row]) for n, c in self.attributes.items() if row in c.values}
        if attributes:
            data["Attributes"] = attributes
        metrics = {n: float(c[row]) for n, c in self.metrics.items() if not np.isnan(c[row])}
        if metrics:
            data["Metrics"] = metrics
        user_attributes = {
            n: list(c.values[row]) for n, c in self.user_attributes.items() if row in c.values
        }
        if user_attributes:
            data.setdefault("User", {})["UserAttributes"] = user_attributes
        return data

    def to_json_many(self, rows: Sequence[int]) -> list[dict[str, Any]]:
        """``to_json`` of each row, built column by column: equal dicts, keys in the same order."""
        picked = np.asarray(rows, dtype=np.intp)
        ids = self.ids
        found: list[dict[str, Any]] = [{"Id": ids[row]} for row in picked.tolist()]
        for name, column in self.text.items():
            labels = column.labels
            *parents, leaf = name.split(".")
            for data, code in zip(found, column.codes[picked].tolist(), strict=True):
                if code < 0:
                    continue
                for parent in parents:
                    data = data.setdefault(parent, {})
                data[leaf] = labels[code]
        for name in ("Location.Latitude", "Location.Longitude"):
            for data, number in zip(found, self.numbers[name][picked].tolist(), strict=True):
                if number == number:  # not NaN
                    _put(data, name, number)
        for name in ("EffectiveDate", "CreationDate"):
            written: dict[float, str] = {}  # endpoints written together share their dates
            for data, number in zip(found, self.numbers[name][picked].tolist(), strict=True):
                text = written.get(number)
                if text is None:
                    text = written[number] = iso(number)
                data[name] = text
        metric_columns = [(n, c[picked].tolist()) for n, c in self.metrics.items()]
        for index, (data, row) in enumerate(zip(found, picked.tolist(), strict=True)):
            attributes = {
                n: list(c.values[row]) for n, c in self.attributes.items() if row in c.values
            }
            if attributes:
                data["Attributes"] = attributes
            metrics = {
                n: values[index] for n, values in metric_columns if values[index] == values[index]
            }
            if metrics:
                data["Metrics"] = metrics
            user_attributes = {
                n: list(c.values[row]) for n, c in self.user_attributes.items() if row in c.values
            }
            if user_attributes:
                data.setdefault("User", {})["UserAttributes"] = user_attributes
        return found

    def rows(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Row numbers of live endpoints (where ``mask`` is True, if given)."""
        live = self.alive[: self.size]
        return np.flatnonzero(live if mask is None else live & mask[: self.size])

    def attribute_names(self) -> set[str]:
        """Every custom attribute, metric and user attribute name in use."""
        return set(self.attributes) | set(self.metrics) | set(self.user_attributes)

    # -- validation ------------------------------------------------------------------------

    def _validate(self, endpoint_id: str, request: dict[str, Any]) -> None:
        where = f"endpoint {endpoint_id!r}"
        _one_of(request.get("ChannelType"), facts.CHANNEL_TYPES.value, "ChannelType", where)
        _one_of(request.get("OptOut"), facts.OPT_OUT_VALUES.value, "OptOut", where)
        _one_of(
            request.get("EndpointStatus"), facts.ENDPOINT_STATUSES.value, "EndpointStatus", where
        )
        if endpoint_id not in self.index and not request.get("ChannelType"):
            raise BadRequest(f"ChannelType is required to create {where}")
        if request.get("EffectiveDate"):
            parse_instant(request["EffectiveDate"], "EffectiveDate")
        location = request.get("Location") or {}
        for key, bound in (("Latitude", 90.0), ("Longitude", 180.0)):
            value = location.get(key)
            if value is not None and not -bound <= float(value) <= bound:
                raise BadRequest(f"Location.{key} must be within ±{bound:g}, got {value}")
        new_names: set[str] = set()
        user = request.get("User") or {}
        for label, attributes in (
            ("Attributes", request.get("Attributes") or {}),
            ("User.UserAttributes", user.get("UserAttributes") or {}),
        ):
            for name, values in attributes.items():
                _check_attribute(label, name, values)
                new_names.add(name)
        for name in request.get("Metrics") or {}:
            _check_name("Metrics", name)
            new_names.add(name)
        total = len(self.attribute_names() | new_names)
        limit = facts.MAX_CUSTOM_ATTRIBUTES.value
        if total > limit:
            raise BadRequest(
                f"an app can have at most {limit} Attributes, Metrics and UserAttributes names "
                f"together; this request would make {total}"
            )
        size = len(json.dumps(request, separators=(",", ":")).encode())
        if size > facts.MAX_ENDPOINT_BYTES.value:
            raise BadRequest(
                f"{where} is {size} bytes; an endpoint can be at most "
                f"{facts.MAX_ENDPOINT_BYTES.value} bytes"
            )


def _one_of(value: Any, allowed: Sequence[str], field: str, where: str) -> None:
    if value is not None and value not in allowed:
        raise BadRequest(f"{field} of {where} must be one of {', '.join(allowed)}, got {value!r}")


def _check_name(label: str, name: str) -> None:
    limit = facts.MAX_ATTRIBUTE_NAME_CHARS.value
    if not name or len(name) > limit:
        raise BadRequest(f"{label} name {name!r} must be 1 to {limit} characters")


def _check_attribute(label: str, name: str, values: Sequence[str]) -> None:
    _check_name(label, name)
    if len(values) > facts.MAX_VALUES_PER_ATTRIBUTE.value:
        raise BadRequest(
            f"{label}.{name} has {len(values)} values; at most "
            f"{facts.MAX_VALUES_PER_ATTRIBUTE.value} are allowed"
        )
    limit = facts.MAX_ATTRIBUTE_VALUE_CHARS.value
    for value in values:
        if len(value) > limit:
            raise BadRequest(f"{label}.{name} value {value[:20]!r}... exceeds {limit} characters")


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[leaf] = value


def _pad(column: np.ndarray, capacity: int) -> np.ndarray:
    return np.concatenate([column, np.full(capacity - len(column), np.nan)])


def _cohort(endpoint_id: str) -> int:
    """A stable cohort 0-99 for an endpoint id (Pinpoint assigns ~1% of endpoints to each)."""
    return zlib.crc32(endpoint_id.encode()) % 100
