"""The course's metadata check: nbgrader's verdict on every notebook, the schema checked once."""

from __future__ import annotations

import copy
from pathlib import Path
from unittest import mock

import nbformat
import pytest
from grading_helpers import ROOT, copy_course
from jsonschema.validators import validator_for
from nbgrader.nbgraderformat import MetadataValidator as NbgraderValidator
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheck

from ovop_course.grading.metadata import CheckCellMetadata, MetadataValidator

NOTEBOOKS = sorted([*ROOT.glob("solutions/*/*.ipynb"), *ROOT.glob("exercises/*/*.ipynb")])


def graded_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _set(key, value):
    def damage(nb):
        graded_cells(nb)[0].metadata.nbgrader[key] = value
    return damage


def _drop(key):
    def damage(nb):
        del graded_cells(nb)[0].metadata.nbgrader[key]
    return damage


def _duplicate_id(nb):
    first, second = graded_cells(nb)[:2]
    second.metadata.nbgrader.grade_id = first.metadata.nbgrader.grade_id


def _markdown_grade_cell(nb):
    cell = graded_cells(nb)[0]
    cell.cell_type = "markdown"
    cell.metadata.nbgrader.solution = False


def _not_a_dict(nb):
    graded_cells(nb)[0].metadata.nbgrader = 5


DAMAGE = {
    "points as text": _set("points", "два"),
    "negative points": _set("points", -1),
    "locked as text": _set("locked", "yes"),
    "empty grade id": _set("grade_id", ""),
    "grade id a number": _set("grade_id", 7),
    "older schema": _set("schema_version", 2),
    "newer schema": _set("schema_version", 4),
    "no grade id": _drop("grade_id"),
    "no points": _drop("points"),
    "no solution flag": _drop("solution"),
    "duplicate grade id": _duplicate_id,
    "markdown grade cell without solution": _markdown_grade_cell,
    "metadata not an object": _not_a_dict,
}


def verdict(validator_class, nb):
    """None if ``nb`` passes, else the exception's type and text."""
    try:
        validator_class().validate_nb(copy.deepcopy(nb))
    except Exception as error:  # noqa: BLE001 (any verdict is compared, whatever its type)
        return type(error).__name__, str(error)
    return None


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(ROOT / "solutions" / "m01_concept" / "m01_concept.ipynb", as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_course_notebooks_pass_both_checks(path):
    nb = nbformat.read(path, as_version=4)
    assert verdict(NbgraderValidator, nb) is None
    assert verdict(MetadataValidator, nb) is None


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_metadata_gets_nbgraders_verdict(notebook, damage):
    nb = copy.deepcopy(notebook)
    damage(nb)
    expected = verdict(NbgraderValidator, nb)
    assert expected is not None, "the damage must be one nbgrader rejects"
    assert verdict(MetadataValidator, nb) == expected


def test_the_schema_is_checked_once_not_once_per_cell(notebook):
    schema_class = validator_for(NbgraderValidator().schema)
    cells = sum("nbgrader" in c.metadata for c in notebook.cells)
    calls = {}
    for validator in (NbgraderValidator, MetadataValidator):
        with mock.patch.object(schema_class, "check_schema",
                               wraps=schema_class.check_schema) as check:
            validator().validate_nb(copy.deepcopy(notebook))
        calls[validator] = check.call_count
    assert cells > 10
    assert calls == {NbgraderValidator: cells, MetadataValidator: 1}


def test_the_preprocessor_rejects_what_nbgraders_rejects(notebook):
    nb = copy.deepcopy(notebook)
    _duplicate_id(nb)
    errors = []
    for check in (NbgraderCheck(), CheckCellMetadata()):
        with pytest.raises(Exception) as caught:
            check.preprocess(copy.deepcopy(nb), {})
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]
    assert CheckCellMetadata().preprocess(notebook, {})[0] is notebook


def test_autograde_uses_the_course_check_unless_the_settings_name_their_own(tmp_path: Path):
    from nbgrader.converters import Autograde

    from ovop_course.grading.metadata import autograde_preprocessors

    course = copy_course(tmp_path / "course")
    defaults = {"Autograde": autograde_preprocessors()}
    steps = Autograde(config=course.config(defaults=defaults)).sanitize_preprocessors
    assert CheckCellMetadata in steps and NbgraderCheck not in steps
    assert len(steps) == len(Autograde().sanitize_preprocessors)

    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as settings:
        settings.write("\nc.Autograde.sanitize_preprocessors = "
                       "['nbgrader.preprocessors.ClearOutput']\n")
    steps = Autograde(config=course.config(defaults=defaults)).sanitize_preprocessors
    assert steps == ["nbgrader.preprocessors.ClearOutput"]
