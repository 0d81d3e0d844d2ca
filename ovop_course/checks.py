"""Checks of what a trainee enters, shared by every step: one rule, one Russian message style.

- :func:`number` — a finite number, optionally whole, within limits;
- :func:`share` — a share from 0 to 1 (0.4 means 40 %);
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
from numbers import Integral, Real

import numpy as np
import pandas as pd
from pydantic import BaseModel

from .data import validate_rows
from .errors import OvopError
from .i18n import t

__all__ = ["number", "share", "table"]


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
        raise OvopError(t("check.not_whole", field=field, value=_show(number)))
    if low is not None and (number < low or (low_open and number == low)):
        key = "check.above" if low_open else "check.at_least"
        raise OvopError(t(key, field=field, value=_show(number), limit=_show(low)))
    if high is not None and (number > high or (high_open and number == high)):
        key = "check.below" if high_open else "check.at_most"
        raise OvopError(t(key, field=field, value=_show(number), limit=_show(high)))
    return number


def share(value: object, field: str, *, high_open: bool = False) -> float:
    """A share from 0 to 1 (with ``high_open``, strictly below 1)."""
    return number(value, field, low=0, high=1, high_open=high_open)


def _plain(value: object) -> object:
    """A pandas/numpy cell as a plain Python value (NaN and None → None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def table(frame: object, model: type[BaseModel], name: str,
          defaults: dict | None = None) -> pd.DataFrame:
    """A trainee's table checked against ``model``; returns a clean copy with the model's columns.

    Columns the trainee may leave out are filled from ``defaults`` (the ``source`` column is
    always optional: «данные слушателя»). Every problem is reported with the table's ``name``,
    the row (1 = first row) and the column.
    """
    if not isinstance(frame, pd.DataFrame):
        raise OvopError(t("check.not_a_table", table=name))
    if frame.empty:
        raise OvopError(t("check.empty_table", table=name))
    filled = {"source": t("check.own_source"), **(defaults or {})}
    missing = [c for c, f in model.model_fields.items()
               if f.is_required() and c not in frame.columns and c not in filled]
    if missing:
        raise OvopError(t("check.missing_columns", table=name, columns=", ".join(missing)))
    rows = [{**filled, **{k: _plain(v) for k, v in row.items() if k in model.model_fields}}
            for row in frame.to_dict("records")]
    good = validate_rows(rows, model, t("data.where_table", table=name), first_row=1)
    return pd.DataFrame.from_records([m.model_dump() for m in good],
                                     columns=list(model.model_fields))
