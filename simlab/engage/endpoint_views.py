"""JSON views of stored endpoints: the ``EndpointResponse`` shape, one row or many at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

from simlab.engage.endpoint_columns import ListColumn, TextColumn, iso


class EndpointViews:
    """Writes an ``EndpointStore``'s rows as ``EndpointResponse`` dicts."""

    ids: list[str]
    text: dict[str, TextColumn]
    numbers: dict[str, np.ndarray]
    attributes: dict[str, ListColumn]
    user_attributes: dict[str, ListColumn]
    metrics: dict[str, np.ndarray]

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
        self._put_text(found, picked, self.text)
        for name in ("Location.Latitude", "Location.Longitude"):
            numbers = self.numbers[name][picked]
            if np.isnan(numbers).all():  # none of these endpoints has one
                continue
            for data, number in zip(found, numbers.tolist(), strict=True):
                if number == number:  # not NaN
                    _put(data, name, number)
        for name in _DATES:
            numbers = self.numbers[name][picked]
            if len(numbers) and (numbers == numbers[0]).all():  # written at once: one date
                date = iso(float(numbers[0]))
                for data in found:
                    data[name] = date
                continue
            written: dict[float, str] = {}  # endpoints written together share their dates
            for data, number in zip(found, numbers.tolist(), strict=True):
                text = written.get(number)
                if text is None:
                    text = written[number] = iso(number)
                data[name] = text
        if not (self.attributes or self.metrics or self.user_attributes):
            return found  # no endpoint of the store has any
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

    def brief_many(self, rows: Sequence[int]) -> list[dict[str, Any]]:
        """Each row's Id and the fields ``BRIEF_FIELDS`` name, shaped as in ``to_json``."""
        picked = np.asarray(rows, dtype=np.intp)
        ids = self.ids
        found: list[dict[str, Any]] = [{"Id": ids[row]} for row in picked.tolist()]
        self._put_text(found, picked, BRIEF_FIELDS)
        return found

    def _put_text(
        self, found: list[dict[str, Any]], picked: np.ndarray, names: Iterable[str]
    ) -> None:
        """Writes the text fields ``names`` of the rows ``picked`` into their dicts ``found``."""
        for name in names:
            column = self.text[name]
            labels = column.labels
            if not labels:  # no endpoint has this field
                continue
            *parents, leaf = name.split(".")
            codes = column.codes[picked]
            if not parents and (codes >= 0).all():  # a top-level field every row has
                for data, value in zip(found, map(labels.__getitem__, codes.tolist()), strict=True):
                    data[leaf] = value
                continue
            for data, code in zip(found, codes.tolist(), strict=True):
                if code < 0:
                    continue
                for parent in parents:
                    data = data.setdefault(parent, {})
                data[leaf] = labels[code]


#: What a campaign run reads of each endpoint before it sends (channel, address, status, zone).
BRIEF_FIELDS = ("ChannelType", "Address", "EndpointStatus", "Demographic.Timezone")
#: Rows written to dicts at a time when a whole ``EndpointRows`` is read in order.
_BLOCK = 1024


class EndpointRows(Sequence[dict[str, Any]]):
    """Endpoints of a store picked by row, each written as an ``EndpointResponse`` when read.

    It holds one integer per endpoint instead of a dict, so a resolved audience of a million
    endpoints stays a few megabytes; an endpoint reads as it is stored when it is read.
    """

    def __init__(self, store: EndpointViews, rows: np.ndarray) -> None:
        self.store = store
        self.rows = np.asarray(rows, dtype=np.intp)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> EndpointRows: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | EndpointRows:
        if isinstance(index, slice):
            return EndpointRows(self.store, self.rows[index])
        return self.store.to_json(int(self.rows[index]))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for start in range(0, len(self.rows), _BLOCK):
            yield from self.store.to_json_many(self.rows[start : start + _BLOCK].tolist())

    def pick(self, positions: Sequence[int]) -> list[dict[str, Any]]:
        """The endpoints at ``positions`` (indexes into this sequence), in that order."""
        return self.store.to_json_many(self.rows[np.asarray(positions, dtype=np.intp)].tolist())

    def brief(self) -> Iterator[dict[str, Any]]:
        """Each endpoint's Id and ``BRIEF_FIELDS`` only, in order (cheaper than iterating)."""
        for start in range(0, len(self.rows), _BLOCK):
            yield from self.store.brief_many(self.rows[start : start + _BLOCK].tolist())


#: The dates every row has.
_DATES = ("EffectiveDate", "CreationDate")


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[leaf] = value
