"""Loading the course data in ``data/`` with schema checks.

Tables are UTF-8 CSV files, documents are YAML files. Each has a pydantic model in
:mod:`ovop_course.schemas` (a row model for a table, a document model for YAML). A file that
does not fit is reported in the UI language with its name, row and column and what to fix,
never as a pandas traceback: a missing column, a value of the wrong type, a file saved as
cp1251, an empty file.

Where the data is found, first match wins:
1. the folder named by the environment variable ``OVOP_DATA_DIR``;
2. ``ovop_course/_data`` inside an installed wheel (the build copies ``data/`` there);
3. ``data/`` beside the package in a clone of the repository (editable install).

>>> df = load_table("course/methodology_steps")
>>> int(df["step"].max())
11
"""

from __future__ import annotations

import contextlib
import copy
import csv
import inspect
import io
import os
import pickle
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from . import user_cache
from .errors import OvopError
from .heap import settle_imports
from .i18n import DEFAULT_LANGUAGE, SafeLoader, catalogue, get_language, t

settle_imports()  # pandas, pydantic and PyYAML are loaded (see heap)

T = TypeVar("T")


def data_dir() -> Path:
    """The folder that holds the course data (see the module docstring for the order)."""
    env = os.environ.get("OVOP_DATA_DIR")
    candidates = [Path(env)] if env else []
    package = Path(__file__).resolve().parent
    candidates += [package / "_data", package.parent / "data"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise OvopError(t("data.no_data_dir", places=", ".join(str(c) for c in candidates)))


def _read_text(path: Path) -> str:
    """Read a data file as UTF-8 (a BOM is allowed); say clearly when it is something else."""
    if not path.is_file():
        raise OvopError(t("data.missing_file", file=path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise OvopError(t("data.bad_encoding", file=path, row=line)) from None
    if not text.strip():
        raise OvopError(t("data.empty_file", file=path))
    return text


def describe(error: dict) -> str:
    """Turn one pydantic error into a short phrase in the current UI language.

    An error type that is itself a catalogue key (a row rule of :mod:`ovop_course.schemas`,
    raised by ``schemas.rule_error``) is that key; pydantic's own types are
    ``data.rule.<type>``. Either is translated with the error's context when it is shown.
    """
    if error.get("input", "") is None:  # an empty cell
        return t("data.rule.missing")
    ctx = {k: _plain(v) for k, v in error.get("ctx", {}).items()}
    if "expected" in ctx:  # pydantic lists allowed values as "'a', 'b' or 'c'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", t("data.or"))
    key = error["type"]
    if key not in catalogue(DEFAULT_LANGUAGE):
        key = f"data.rule.{key}"
    try:
        return t(key, **ctx, input=error.get("input"))
    except KeyError:
        return t("data.rule.other", detail=error["msg"])


def _plain(value):
    """Show 0.0 as 0 in messages (limits of float fields)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def validate_rows(rows: list[dict], model: type[BaseModel], where: str, first_row: int = 2):
    """Validate dict rows against ``model``; collect every problem with its row and column.

    ``where`` names the place for the message (``t("data.where_file", file=…)`` or
    ``t("data.where_table", table=…)``); ``first_row`` is the number of the first row (2 in a
    CSV file with a header, 1 in a trainee's table). Returns the validated models; raises one
    OvopError listing up to ten problems.
    """
    good, problems = [], []
    for number, row in enumerate(rows, start=first_row):
        try:
            good.append(model.model_validate(row))
        except ValidationError as e:
            for err in e.errors():
                column = ".".join(str(p) for p in err["loc"]) or "—"
                problems.append(t("data.problem", row=number, column=column, what=describe(err)))
    raise_problems(problems, where)
    return good


def raise_problems(problems: list[str], where: str) -> None:
    """One OvopError listing the first ten ``problems`` (and how many more), if there are any."""
    if problems:
        shown = problems[:10]
        if len(problems) > 10:
            shown.append(t("data.more_problems", count=len(problems) - 10))
        raise OvopError(t("data.invalid", where=where, problems="\n".join(shown)))


def _check_header(header: list[str], model: type[BaseModel], path: Path) -> None:
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    missing = [n for n in required if n not in header]
    if missing:
        raise OvopError(t("data.missing_columns", file=path, columns=", ".join(missing)))
    unknown = [h for h in header if h not in model.model_fields]
    if unknown:
        raise OvopError(t("data.unknown_columns", file=path, columns=", ".join(unknown)))


def _csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    """Header and rows of a CSV file; quoting problems become a message with the line."""
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except csv.Error as e:
        raise OvopError(t("data.bad_csv", file=path, row=reader.line_num, detail=e)) from None
    return header, rows


def read_rows(path: Path, model: type[BaseModel]) -> list[BaseModel]:
    """Read one CSV file and validate every row against ``model``; return the rows' models."""
    header, raw_rows = _csv_rows(path)
    _check_header(header, model, path)
    rows = []
    for number, row in enumerate(raw_rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise OvopError(t("data.ragged_row", file=path, row=number))
        rows.append({k.strip(): (v if v.strip() != "" else None) for k, v in row.items()})
    if not rows:
        raise OvopError(t("data.no_rows", file=path))
    return validate_rows(rows, model, t("data.where_file", file=path))


def read_table(path: Path, model: type[BaseModel]) -> pd.DataFrame:
    """:func:`read_rows` as a DataFrame with the model's columns."""
    records = [m.model_dump() for m in read_rows(path, model)]
    return pd.DataFrame.from_records(records, columns=list(model.model_fields))


def read_document(path: Path, model: type[BaseModel]) -> BaseModel:
    """Read one YAML file and validate it against ``model``."""
    try:
        content = yaml.load(_read_text(path), Loader=SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        row = mark.line + 1 if mark else "?"
        raise OvopError(t("data.bad_yaml", file=path, row=row)) from None
    return validate_rows([content], model, t("data.where_file", file=path), first_row=1)[0]


@cache
def _load_table_cached(name: str, folder: Path) -> pd.DataFrame:
    from .schemas import TABLES

    return _kept(folder, ("table", name), lambda: read_table(folder / f"{name}.csv", TABLES[name]))


def lesson_case(compute: Callable[..., T]) -> Callable[..., T]:
    """Decorator of a step's lesson-case result (its tables, their checked and combined form;
    arguments, if any, are plain values: a product code, a unit): computed once per data
    folder, UI language and arguments, like :func:`load_table`'s tables, and every call
    returns a deep copy, so a caller that changes it changes nothing for the next one.

    The result is also kept in the user's cache folder (:mod:`~ovop_course.user_cache`, as a
    pickle) under the course's code stamp and the data folder's: the next kernel — a lesson
    run again — reads it instead of computing it; an edited file of the course or of the data
    computes it anew."""
    once = cache(lambda folder, language, *args: _kept(
        folder, (compute.__module__, compute.__qualname__, language, args),
        lambda: compute(*args)))
    signature = inspect.signature(compute)

    @wraps(compute)
    def fresh(*args, **kwargs) -> T:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        values = tuple(bound.arguments.values())
        try:
            hash(values)
        except TypeError:   # not plain values: computed (and refused there), not kept
            return compute(*values)
        return copy.deepcopy(once(data_dir(), get_language(), *values))

    return fresh


def _kept(folder: Path, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its copy kept in the user's cache folder by an earlier kernel under
    ``key``, the course's code stamp and the stamp of the data ``folder`` (a copy that cannot
    be read is computed again; a result that cannot be kept is just returned)."""
    path = user_cache.kept_file("results", user_cache.code_stamp(),
                                user_cache.folder_stamp(folder), *key, suffix=".pickle")
    kept = user_cache.read(path)
    if kept is not None:
        with contextlib.suppress(Exception):   # damaged, or of objects that are no more
            return pickle.loads(kept)
    result = compute()
    with contextlib.suppress(Exception):
        user_cache.write(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
                         limit=user_cache.MAX_FILES)
    return result


def load_table(name: str) -> pd.DataFrame:
    """Load the table ``data/<name>.csv`` (e.g. ``"lesson/raw_materials"``), validated.

    The file is read once per session (and kept checked in the user's cache folder for the
    next kernel, like :func:`lesson_case`'s results); each call returns a fresh copy, so a
    trainee who edits the returned table does not change what the next call returns.
    """
    from .schemas import TABLES

    if name not in TABLES:
        raise OvopError(t("data.unknown_table", name=name, known=", ".join(sorted(TABLES))))
    table = _load_table_cached(name, data_dir()).copy()
    table.attrs[FILE_TABLE] = name   # where it came from (see :func:`file_table`)
    return table


FILE_TABLE = "ovop_table"  # the key in ``DataFrame.attrs`` of the data file a table came from


def file_table(frame: pd.DataFrame, model: type[BaseModel]) -> pd.DataFrame | None:
    """A copy of the data file's table ``frame`` is, when it is one unchanged (what
    :func:`load_table` returned, the same columns, rows and values) and the file's model is
    ``model``: checked already, it need not be validated again (the first validation with a
    model builds its validator, ~5 ms). None for any other table."""
    from .schemas import TABLES

    name = frame.attrs.get(FILE_TABLE)
    if not isinstance(name, str) or TABLES.get(name) is not model:
        return None
    original = _load_table_cached(name, data_dir())
    if not frame.equals(original):
        return None
    table = original.copy()
    table.attrs[FILE_TABLE] = name
    return table


def load_document(name: str) -> BaseModel:
    """Load the YAML document ``data/<name>.yaml`` as its validated pydantic model."""
    from .schemas import DOCUMENTS

    if name not in DOCUMENTS:
        raise OvopError(t("data.unknown_table", name=name, known=", ".join(sorted(DOCUMENTS))))
    return read_document(data_dir() / f"{name}.yaml", DOCUMENTS[name])
