"""Checks of what a trainee enters, shared by every step: one rule, one Russian message style.

Every public calculation of the course checks each argument with one of these, so a bad value
is refused with a message that says what to fix, never read as something else:

- :func:`number` — a finite number, optionally whole, within limits, and never larger than
  :data:`LIMIT` (larger numbers are typing mistakes and overflow to infinity in a product);
- :func:`share` — a share from 0 to 1 (0.4 means 40 %);
- :func:`numbers` — a list or Series of such numbers (in order: not a set or a dict);
- :func:`by_month` — the 12 values of a year: a dict month → value (read by its months 1–12,
  never as its keys) or 12 values in order (a list, tuple, array or Series), January first;
- :func:`months` — month numbers 1–12 (production months): a list, tuple, set or range;
- :func:`category` — one of the allowed values of a category (``"дикорос"``), so a typo
  («Дикорос») is refused instead of silently matching no rule;
- :func:`boolean` — True or False, never the text «нет» (which Python reads as true);
- :func:`text` — a non-empty text (a name);
- :func:`bounded` — a computed result that stayed a finite number within :data:`LIMIT`
  (a division by 1e-320 does not);
- :func:`unique` — each key of a table once (a row listed twice is counted twice);
- :func:`columns` — the few columns of a table that a calculation reads, each checked by
  its field in the row model;
- :func:`table` — a trainee's own table, checked row by row against the same pydantic row
  model that checks the course's data files (``schemas.py``), so a trainee's table and a
  data file obey one set of rules and give the same messages (table, row from 1, column).
  In a table, a number cell is refused when it is yes/no (True) or larger than :data:`LIMIT`.

:func:`round_significant` (not a check) rounds results to 9 significant digits before they
are compared, so that ties are decided by the documented tie rule and not by floating-point
noise (0.1 + 0.2 ≠ 0.3).

>>> share(0.25, "доля покупателей")
0.25
>>> number(-3, "цена, сом", low=0)
Traceback (most recent call last):
...
ovop_course.errors.OvopError: «цена, сом»: значение -3 должно быть не меньше 0.
>>> by_month({m: 10 * m for m in range(1, 13)}, "объём")[:3]
[10.0, 20.0, 30.0]
>>> boolean("нет", "считать незанятых")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ovop_course.errors.OvopError: «считать незанятых»: нужно True (да) или False (нет), а указано...
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence, Set
from decimal import Decimal
from functools import cache
from numbers import Integral, Real
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError

from .data import describe, file_table, raise_problems, validate_rows
from .errors import OvopError
from .i18n import t

__all__ = ["number", "share", "numbers", "by_month", "months", "category", "boolean", "text",
           "bounded", "unique", "columns", "table"]

LIMIT = 1e15
"""The largest magnitude of a number the course takes or gives (as ``fmt.LIMIT``): larger
numbers are typing mistakes, and a product of a few of them overflows to infinity."""

SIGNIFICANT_DIGITS = 9
"""Results equal to this many significant digits are equal (ties, peaks): floating-point noise
is about 16 digits down, any real difference a trainee could mean is far above."""

MONTHS = tuple(range(1, 13))


def _show(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < LIMIT else f"{value:g}"


def _limit() -> str:
    """:data:`LIMIT` as people read it: 10¹⁵."""
    power = math.log10(LIMIT)
    if power.is_integer():
        return "10" + str(int(power)).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return _show(LIMIT)


def number(value: object, field: str, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False, whole: bool = False) -> float:
    """``value`` as a float if it is a finite number within [low, high] (an open end excludes
    the limit itself) and within ±:data:`LIMIT`; with ``whole`` it must be a whole number.
    Otherwise OvopError. A bool (numpy's too) is not a number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise OvopError(t("error.not_a_number", field=field, value=value))
    try:
        number = float(value)
    except OverflowError:  # a whole number too long for a float
        raise OvopError(t("checks.too_large", field=field, value=f"{Decimal(value):.3e}",
                          limit=_limit())) from None
    if not math.isfinite(number):
        raise OvopError(t("error.not_finite", field=field))
    if abs(number) > LIMIT:
        raise OvopError(t("checks.too_large", field=field, value=_show(number), limit=_limit()))
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


def _in_order(values: object) -> bool:
    """A container whose order means something: a list, tuple, range, array or Series (not a
    set, a dict, a text or a table)."""
    if isinstance(values, (str, bytes, bytearray, Mapping, Set, pd.DataFrame)):
        return False
    if isinstance(values, np.ndarray):
        return values.ndim == 1
    return isinstance(values, (Sequence, pd.Series, pd.Index))


def numbers(values: object, field: str, *, length: int | None = None, low: float | None = None,
            high: float | None = None) -> pd.Series:
    """A list or Series of numbers, each checked by :func:`number`, as a float Series (a
    Series keeps its index). ``length`` demands exactly that many values (12 for months).
    A set, a dict, a text or a nested list is refused: their order is not the trainee's."""
    if not _in_order(values):
        raise OvopError(t("checks.not_numbers", field=field))
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if series.empty or (length is not None and len(series) != length):
        raise OvopError(t("checks.count", field=field, count=len(series),
                          length=length if length is not None else "≥ 1"))
    checked = [number(_plain(v), field, low=low, high=high) for v in series]
    return pd.Series(checked, index=series.index, dtype=float)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _month_key(key: object) -> int | None:
    """A dict key or Series label as a month number 1–12, or None."""
    if isinstance(key, (bool, np.bool_)) or not isinstance(key, Integral):
        return None
    return int(key) if 1 <= int(key) <= 12 else None


def by_month(values: object, field: str, *, low: float | None = None,
             high: float | None = None, missing_ok: bool = False) -> list[float | None]:
    """The 12 values of a year as a list, January to December, each checked by :func:`number`.

    Written as a dict (or a Series indexed by month) month → value with each month 1–12 once,
    in any order; or as 12 values in order — a list, tuple, array or a Series with the default
    index 0…11 — January first. Anything else is refused: a dict is never read as its keys, a
    set has no order, 11 or 13 values are not a year. With ``missing_ok`` a month may have no
    value (None or NaN, kept as None).

    >>> by_month([5] * 12, "объём")[0]
    5.0
    >>> by_month({1: 5, 2: 6}, "объём")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ovop_course.errors.OvopError: «объём»: нужно значение на каждый месяц 1–12, ... 3, 4, 5, ...
    """
    if isinstance(values, pd.Series) and list(values.index) != list(range(len(values))):
        values = _month_dict(list(values.index), values.to_numpy(dtype=object), field)
    elif isinstance(values, Mapping):
        values = _month_dict(list(values.keys()), list(values.values()), field)
    elif _in_order(values):
        values = list(values)
        if len(values) != 12:
            raise OvopError(t("checks.need_12", field=field, count=len(values)))
    else:
        raise OvopError(t("checks.not_by_month", field=field))
    checked = []
    for month, value in zip(MONTHS, values):
        value = value.item() if isinstance(value, np.generic) else value
        if missing_ok and _missing(value):
            checked.append(None)
        else:
            checked.append(number(value, t("checks.month_of", field=field, month=month),
                                  low=low, high=high))
    return checked


def _month_dict(keys, values, field: str) -> list:
    """Values ordered by their month keys 1–12 (each once)."""
    months = [_month_key(k) for k in keys]
    wrong = [str(k) for k, m in zip(keys, months) if m is None]
    twice = sorted({m for m in months if m is not None and months.count(m) > 1})
    absent = [m for m in MONTHS if m not in months]
    if wrong or twice or absent:
        parts = []
        if absent:
            parts.append(t("checks.months_absent", months=", ".join(map(str, absent))))
        if twice:
            parts.append(t("checks.months_twice", months=", ".join(map(str, twice))))
        if wrong:
            parts.append(t("checks.months_wrong", keys=", ".join(wrong[:5])))
        raise OvopError(t("checks.month_keys", field=field, problems="; ".join(parts)))
    by_key = dict(zip(months, values))
    return [by_key[m] for m in MONTHS]


def months(values: object, field: str) -> tuple[int, ...]:
    """Month numbers as sorted whole numbers 1…12, at least one (a month given twice is one
    month). A list, tuple, set, range, array or Series; a dict is refused (a dict month → yes/no
    would be read by its keys)."""
    if isinstance(values, (str, bytes, bytearray, Mapping, pd.DataFrame)) or not isinstance(
            values, Iterable) or (isinstance(values, np.ndarray) and values.ndim != 1):
        raise OvopError(t("checks.not_months", field=field))
    chosen = {int(number(_plain(m), field, low=1, high=12, whole=True)) for m in values}
    if not chosen:
        raise OvopError(t("checks.no_months", field=field))
    return tuple(sorted(chosen))


def category(value: object, allowed: Iterable[Hashable], field: str) -> str:
    """``value`` if it is exactly one of ``allowed`` (text compared as written: «Дикорос» is
    not «дикорос»); otherwise OvopError listing the allowed values (and the closest one).

    >>> category("фермы", ("дикорос", "фермы"), "источник")
    'фермы'
    """
    if isinstance(allowed, (str, bytes)) or not isinstance(allowed, Iterable):
        raise OvopError(t("checks.no_allowed", field=field))
    allowed = [a for a in allowed if isinstance(a, str)]
    if not allowed:
        raise OvopError(t("checks.no_allowed", field=field))
    if isinstance(value, str) and value in allowed:
        return str(value)
    shown = ", ".join(f"«{a}»" for a in allowed)
    close = difflib.get_close_matches(str(value).strip().lower(),
                                      [a.lower() for a in allowed], n=1, cutoff=0.6)
    if close:
        hint = next(a for a in allowed if a.lower() == close[0])
        raise OvopError(t("checks.not_allowed_hint", field=field, value=value, allowed=shown,
                          hint=hint))
    raise OvopError(t("checks.not_allowed", field=field, value=value, allowed=shown))


def boolean(value: object, field: str) -> bool:
    """True or False (numpy's too). Text — «нет», «да», "False" — and numbers are refused:
    Python reads any non-empty text, even «нет», as true."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise OvopError(t("checks.not_boolean", field=field, value=value))


def text(value: object, field: str) -> str:
    """A non-empty text (a name), without its surrounding spaces."""
    if not isinstance(value, str) or not value.strip():
        raise OvopError(t("checks.not_text", field=field, value=value))
    return value.strip()


def bounded(value: object, field: str) -> object:
    """A computed result — a number, or a list, tuple, array, Series or table of numbers —
    that is finite and within ±:data:`LIMIT`: huge inputs multiplied, or a division by a tiny
    number (1e-320), give infinity. A number, list or tuple may not hold NaN; an array, Series
    or table may (an empty cell). Returns it with plain Python numbers (a list or tuple of
    floats; an array, Series or table as it is); otherwise OvopError."""
    if isinstance(value, pd.DataFrame):
        cells = value.select_dtypes("number").to_numpy(dtype=float).ravel()
    elif isinstance(value, (pd.Series, np.ndarray)):
        if not pd.api.types.is_numeric_dtype(value.dtype) or value.dtype == bool:
            raise OvopError(t("checks.not_numbers", field=field))
        cells = np.asarray(value, dtype=float).ravel()
    else:
        items = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(v, (bool, np.bool_)) or not isinstance(v, Real) for v in items):
            raise OvopError(t("error.not_a_number", field=field, value=value))
        try:
            cells = np.array([float(v) for v in items], dtype=float)
        except OverflowError:  # a whole number too long for a float
            cells = np.array([math.inf])
        else:
            value = (type(value)(float(v) for v in value) if isinstance(value, (list, tuple))
                     else float(value))
        if np.isnan(cells).any():  # a plain result is a number (a table may have gaps)
            raise OvopError(t("error.not_finite", field=field))
    cells = cells[~np.isnan(cells)]
    if cells.size and not (np.isfinite(cells).all() and np.abs(cells).max() <= LIMIT):
        shown = _show(np.abs(cells).max()) if np.isfinite(cells).all() else "∞"
        raise OvopError(t("checks.result_too_large", field=field, value=shown, limit=_limit()))
    return value


def round_significant(values, digits: int = SIGNIFICANT_DIGITS):
    """``values`` (a number, array or Series) rounded to ``digits`` significant digits, to be
    compared: 3.0000000000000004 and 3.0 become equal; NaN, ±∞ and 0 stay as they are.

    >>> round_significant(0.1 + 0.2) == round_significant(0.3) == 0.3
    True
    """
    array = np.array(values, dtype=float)
    shown = np.isfinite(array) & (array != 0)
    if shown.any():
        power = digits - 1 - np.floor(np.log10(np.abs(array[shown])))
        half = np.floor(power / 2)  # 10**power in two factors: neither overflows
        array[shown] = (np.round(array[shown] * 10.0 ** half * 10.0 ** (power - half))
                        / 10.0 ** half / 10.0 ** (power - half))
    if isinstance(values, pd.Series):
        return pd.Series(array, index=values.index, name=values.name)
    return array if array.ndim else float(array)


def unique(frame: object, key: Sequence[str] | None, name: str) -> None:
    """Each ``key`` (a column or several) of a table once; ``key`` None: each index label
    once. A key whose columns are not all in the table is not checked (nothing to compare)."""
    if not isinstance(frame, (pd.DataFrame, pd.Series)):
        raise OvopError(t("checks.not_a_table", table=name))
    if key is None:
        labels = frame.index
        twice = labels[labels.duplicated()]
        shown = [str(k) for k in dict.fromkeys(twice)]
        what = t("checks.index")
    else:
        if not isinstance(key, (str, Iterable)):
            raise OvopError(t("checks.not_columns", table=name))
        key = [key] if isinstance(key, str) else list(key)
        if not isinstance(frame, pd.DataFrame) or not key or any(
                not isinstance(k, str) or k not in frame.columns for k in key):
            return
        try:
            again = frame.duplicated(subset=key).to_numpy()
        except TypeError:  # cells that cannot be hashed (lists): compare their texts
            again = frame[key].astype(str).duplicated().to_numpy()
        if not again.any():
            return
        twice = frame.loc[again, key].astype(str)
        shown = list(dict.fromkeys(" / ".join(r) for r in twice.itertuples(index=False)))
        what = ", ".join(key)
    if shown:
        raise OvopError(t("checks.duplicate_rows", table=name, columns=what,
                          ids=", ".join(shown[:10])))


def _plain(value: object) -> object:
    """A pandas/numpy cell as a plain Python value (NaN and None → None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _model(model: object) -> type[BaseModel]:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise OvopError(t("checks.not_a_model", model=model))
    return model


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


def _number_problem(given: object, checked: object) -> str | None:
    """What is wrong with a number cell that its field's rule let through: a yes/no written
    where a number is wanted (pydantic reads True as 1), or a number beyond :data:`LIMIT`."""
    if isinstance(checked, bool) or not isinstance(checked, (int, float)):
        return None
    if isinstance(given, (bool, np.bool_)):
        return t("checks.cell_bool", value=given)
    if not math.isfinite(checked) or abs(checked) > LIMIT:
        return t("checks.cell_too_large", value=_show(checked) if math.isfinite(checked)
                 else checked, limit=_limit())
    return None


@cache
def field_rule(model: type[BaseModel], column: str) -> TypeAdapter:
    """The rule of one field of ``model`` (its type and limits) for checking single values;
    built once per field (building a TypeAdapter costs about a millisecond)."""
    field = model.model_fields[column]
    rule = Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation
    return TypeAdapter(rule)


def columns(frame: object, model: type[BaseModel], names: Sequence[str], name: str, *,
            key: Sequence[str] | None = ()) -> pd.DataFrame:
    """Only the columns ``names`` of a table, each cell checked by its field in ``model`` (the
    same rule as in the data files); other columns are left as they are. Returns a copy with
    the checked values. For calculations that read a few columns of a bigger table. ``key``:
    columns whose values must not repeat (checked when the table has them; None: the index)."""
    model = _model(model)
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise OvopError(t("checks.not_columns", table=name))
    names = list(names)
    unknown = [str(c) for c in names if c not in model.model_fields]
    if unknown:
        raise OvopError(t("checks.unknown_columns", table=name, columns=", ".join(unknown)))
    _shape(frame, names, name)
    clean = frame.copy()
    problems = []
    for column in names:
        adapter = field_rule(model, column)
        values = []
        for row, value in enumerate(clean[column], start=1):
            given = _plain(value)
            try:
                checked = adapter.validate_python(given)
            except ValidationError as e:
                what = describe(e.errors()[0])
                problems.append(t("data.problem", row=row, column=column, what=what))
                continue
            wrong = _number_problem(given, checked)
            if wrong:
                problems.append(t("data.problem", row=row, column=column, what=wrong))
            values.append(checked)
        if not problems:
            clean[column] = values
    raise_problems(problems, t("data.where_table", table=name))
    if key != ():
        unique(clean, key, name)
    return clean


def table(frame: object, model: type[BaseModel], name: str,
          defaults: dict | None = None, *, key: Sequence[str] = ()) -> pd.DataFrame:
    """A trainee's table checked against ``model``; returns a clean copy with the model's columns.

    Columns the trainee may leave out are filled from ``defaults`` (the ``source`` column is
    always optional: «данные слушателя»). Every problem is reported with the table's ``name``,
    the row (1 = first row) and the column. ``key``: columns whose values must not repeat.
    """
    model = _model(model)
    if defaults is not None and not isinstance(defaults, Mapping):
        raise OvopError(t("checks.not_defaults", table=name))
    if isinstance(frame, pd.DataFrame):   # a data file's table as it was read: checked
        kept = file_table(frame, model)
        if kept is not None:
            if key:
                unique(kept, key, name)
            return kept
    filled = {"source": t("checks.own_source"), **(defaults or {})}
    _shape(frame, [c for c, f in model.model_fields.items()
                   if f.is_required() and c not in filled], name)
    rows = [{**filled, **{k: _plain(v) for k, v in row.items() if k in model.model_fields}}
            for row in frame.to_dict("records")]
    good = validate_rows(rows, model, t("data.where_table", table=name), first_row=1)
    problems = []
    for number, (given, checked) in enumerate(zip(rows, good), start=1):
        for column, value in checked:
            wrong = _number_problem(given.get(column), value)
            if wrong:
                problems.append(t("data.problem", row=number, column=column, what=wrong))
    raise_problems(problems, t("data.where_table", table=name))
    clean = pd.DataFrame.from_records([m.model_dump() for m in good],
                                      columns=list(model.model_fields))
    if key:
        unique(clean, key, name)
    return clean
