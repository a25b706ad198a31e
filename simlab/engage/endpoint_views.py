"""JSON views of stored endpoints: the ``EndpointResponse`` shape, one row or many at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[leaf] = value
