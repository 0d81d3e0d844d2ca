"""A trainee's answers as plain values: written down in the trainee's kernel, read back outside.

The tests of a graded notebook do not run in the trainee's kernel (see :mod:`.execute`): the
kernel only writes down the values a test reads, as JSON, and the test runs on them in the
grading process. Only plain data crosses: numbers, strings, booleans, None, lists, tuples,
sets and dictionaries of them, numpy numbers and arrays, pandas tables and series of such
values. A float subclass becomes the float it converts to, so a value whose ``__eq__`` says
True to everything is compared as the number it is; anything else (a function, a class, an
object of the trainee's own) arrives as :class:`NotPlain`, which equals nothing and is no
number, so the test's own message says what is wrong. The kernel can lie about its values,
but a lie is only another answer: it cannot change the tests, ``abs`` or ``sorted``.

>>> restore(export({"x": 1.5, "name": "мёд", "rows": [1, (2, 3)]}, ["x", "name", "rows", "y"]))
{'x': 1.5, 'name': 'мёд', 'rows': [1, (2, 3)]}
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

MAX_CHARACTERS = 20_000_000  # the JSON of one test's values (≈ a table of 200 000 cells)


def export(namespace: dict[str, Any], names: list[str]) -> str:
    """Kernel side: the JSON of ``names`` found in ``namespace`` (a missing name is left out,
    so the test meets a NameError as it would in the kernel)."""
    return json.dumps({name: _plain(namespace[name]) for name in names if name in namespace},
                      ensure_ascii=False)


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON data with its kind marked (see the module docstring); a subclass of
    a number or a string becomes the plain number or string it converts to."""
    if depth > 20:
        return {"__not_plain__": "слишком глубокая вложенность"}
    try:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return _number(float(value))
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, list | tuple | set | frozenset):
            items = [_plain(v, depth + 1) for v in value]
            return items if type(value) is list else {f"__{_sequence_kind(value)}__": items}
        if isinstance(value, dict):
            return {"__dict__": [[_plain(k, depth + 1), _plain(v, depth + 1)]
                                 for k, v in value.items()]}
        return _library_value(value, depth)
    except Exception as e:  # noqa: BLE001 (a trainee's object that fails to convert)
        return {"__not_plain__": f"{type(value).__name__} ({type(e).__name__})"}


def _sequence_kind(value) -> str:
    return "tuple" if isinstance(value, tuple) else "set"


def _number(value: bool | int | float) -> Any:
    """A number as JSON: NaN and infinities by name (JSON has none)."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    return value


def _library_value(value: Any, depth: int) -> Any:
    """numpy numbers and arrays, pandas series and tables; anything else is not plain."""
    numpy, pandas = sys.modules.get("numpy"), sys.modules.get("pandas")
    if numpy is not None and isinstance(value, numpy.generic):
        return _plain(value.item(), depth + 1)
    if numpy is not None and isinstance(value, numpy.ndarray):
        return {"__array__": _plain(value.tolist(), depth + 1)}
    if pandas is not None and isinstance(value, pandas.Series):
        return {"__series__": {"name": _plain(value.name, depth + 1),
                               "index": _plain(value.index.tolist(), depth + 1),
                               "values": _plain(value.tolist(), depth + 1),
                               "dtype": str(value.dtype)}}
    if pandas is not None and isinstance(value, pandas.DataFrame):
        return {"__frame__": {"columns": _plain(list(value.columns), depth + 1),
                              "index": _plain(value.index.tolist(), depth + 1),
                              "data": [_plain(value[c].tolist(), depth + 1)
                                       for c in value.columns],
                              "dtypes": [str(t) for t in value.dtypes]}}
    return {"__not_plain__": type(value).__name__}


class NotPlain:
    """What a value that is not plain data becomes: equal to nothing, no number."""

    def __init__(self, kind: str):
        self.kind = kind

    def __eq__(self, other) -> bool:
        return False

    __hash__ = object.__hash__  # a dictionary key it may be

    def __repr__(self) -> str:
        return f"<не данные: {self.kind}>"


def restore(text: str) -> dict[str, Any]:
    """Grading side: the values written by :func:`export` (ValueError for anything else)."""
    if not isinstance(text, str) or len(text) > MAX_CHARACTERS:
        raise ValueError("the values are not a JSON text of an allowed size")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the values are not a JSON object")
    return {str(name): _value(v) for name, v in data.items()}


def _value(data: Any) -> Any:
    """One value of :func:`restore`."""
    if isinstance(data, list):
        return [_value(v) for v in data]
    if not isinstance(data, dict):
        return data
    (kind, body), = data.items() if len(data) == 1 else (("", None),)
    builders = {"__tuple__": lambda b: tuple(_value(v) for v in b),
                "__set__": lambda b: {_value(v) for v in b},
                "__dict__": lambda b: {_value(k): _value(v) for k, v in b},
                "__float__": lambda b: float(b),
                "__array__": _array, "__series__": _series, "__frame__": _frame,
                "__not_plain__": lambda b: NotPlain(str(b))}
    if kind not in builders:
        raise ValueError(f"unknown kind of value: {kind!r}")
    return builders[kind](body)


def _array(body):
    import numpy

    return numpy.array(_value(body))


def _series(body):
    import pandas

    return pandas.Series(_value(body["values"]), index=_value(body["index"]),
                         name=_value(body["name"]), dtype=_dtype(body["dtype"]))


def _frame(body):
    import pandas

    columns = _value(body["columns"])
    data = {c: pandas.Series(_value(v), dtype=_dtype(t))
            for c, v, t in zip(columns, body["data"], body["dtypes"])}
    frame = pandas.DataFrame(data, columns=columns)
    frame.index = _value(body["index"]) if len(frame) else frame.index
    return frame


def _dtype(name: str) -> str | None:
    """A column's type as pandas knows it; an unusual one is left for pandas to infer."""
    known = {"int64", "int32", "float64", "float32", "bool", "object", "str", "string", "category"}
    return name if name in known else None
