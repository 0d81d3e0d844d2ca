"""Checks of what a trainee enters, shared by every step: one rule, one Russian message style.

- :func:`number` — a finite number, optionally whole, within limits;
- :func:`share` — a share from 0 to 1 (0.4 means 40 %);
- :func:`numbers` — a list or Series of such numbers (e.g. 12 months);
- :func:`columns` — the few columns of a table that a calculation reads, each checked by
  its field in the row model;
- :func:`table` — a trainee's own table, checked row by row against the same pydantic row
  model that checks the course's data files (``schemas.py``), so a trainee's table and a
  data file obey one set of rules and give the same messages (table, row from 1, column).

>>> share(0.25, "доля покупателей")
0.25
>>> number(-3, "цена, сом", low=0)
Traceback (most recent call last):
...
ovop_course.errors.OvopError: «цена, сом»: значение -3 должно быть не меньше 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from .data import describe, raise_problems, validate_rows
from .errors import OvopError
from .i18n import t

__all__ = ["number", "share", "numbers", "columns", "table"]


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number(value: object, field: str, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False, whole: bool = False) -> float:
    """``value`` as a float if it is a finite number within [low, high] (an open end excludes
    the limit itself); with ``whole`` it must be a whole number. Otherwise OvopError."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise OvopError(t("error.not_a_number", field=field, value=value))
    number = float(value)
    if not math.isfinite(number):
        raise OvopError(t("error.not_finite", field=field))
    if whole and not (isinstance(value, Integral) or number.is_integer()):
        raise OvopError(t("checks.not_whole", field=field, value=_show(number)))
    if low is not None and (number < low or (low_open and number == low)):
        key = "checks.above" if low_open else "checks.at_least"
        raise OvopError(t(key, field=field, value=_show(number), limit=_show(low)))
    if high is not None and (number > high or (high_open and number == high)):
        key = "checks.below" if high_open else "checks.at_most"
        raise OvopError(t(key, field=field, value=_show(number), limit=_show(high)))
    return number


def share(value: object, field: str, *, high_open: bool = False) -> float:
    """A share from 0 to 1 (with ``high_open``, strictly below 1)."""
    return number(value, field, low=0, high=1, high_open=high_open)


def numbers(values: object, field: str, *, length: int | None = None, low: float | None = None,
            high: float | None = None) -> pd.Series:
    """A list or Series of numbers, each checked by :func:`number`, as a float Series (a
    Series keeps its index). ``length`` demands exactly that many values (12 for months)."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise OvopError(t("checks.not_numbers", field=field))
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if series.empty or (length is not None and len(series) != length):
        raise OvopError(t("checks.count", field=field, count=len(series),
                          length=length if length is not None else "≥ 1"))
    checked = [number(_plain(v), field, low=low, high=high) for v in series]
    return pd.Series(checked, index=series.index, dtype=float)


def _plain(value: object) -> object:
    """A pandas/numpy cell as a plain Python value (NaN and None → None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _shape(frame: object, required: list[str], name: str) -> pd.DataFrame:
    """A non-empty DataFrame with the ``required`` columns, else OvopError."""
    if not isinstance(frame, pd.DataFrame):
        raise OvopError(t("checks.not_a_table", table=name))
    if frame.empty:
        raise OvopError(t("checks.empty_table", table=name))
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise OvopError(t("checks.missing_columns", table=name, columns=", ".join(missing)))
    return frame


def columns(frame: object, model: type[BaseModel], names: Sequence[str],
            name: str) -> pd.DataFrame:
    """Only the columns ``names`` of a table, each cell checked by its field in ``model`` (the
    same rule as in the data files); other columns are left as they are. Returns a copy with
    the checked values. For calculations that read a few columns of a bigger table."""
    _shape(frame, list(names), name)
    clean = frame.copy()
    problems = []
    for column in names:
        field = model.model_fields[column]
        rule = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
        adapter = TypeAdapter(rule)
        values = []
        for row, value in enumerate(clean[column], start=1):
            try:
                values.append(adapter.validate_python(_plain(value)))
            except ValidationError as e:
                what = describe(e.errors()[0])
                problems.append(t("data.problem", row=row, column=column, what=what))
        if not problems:
            clean[column] = values
    raise_problems(problems, t("data.where_table", table=name))
    return clean


def table(frame: object, model: type[BaseModel], name: str,
          defaults: dict | None = None) -> pd.DataFrame:
    """A trainee's table checked against ``model``; returns a clean copy with the model's columns.

    Columns the trainee may leave out are filled from ``defaults`` (the ``source`` column is
    always optional: «данные слушателя»). Every problem is reported with the table's ``name``,
    the row (1 = first row) and the column.
    """
    filled = {"source": t("checks.own_source"), **(defaults or {})}
    _shape(frame, [c for c, f in model.model_fields.items()
                   if f.is_required() and c not in filled], name)
    rows = [{**filled, **{k: _plain(v) for k, v in row.items() if k in model.model_fields}}
            for row in frame.to_dict("records")]
    good = validate_rows(rows, model, t("data.where_table", table=name), first_row=1)
    return pd.DataFrame.from_records([m.model_dump() for m in good],
                                     columns=list(model.model_fields))
