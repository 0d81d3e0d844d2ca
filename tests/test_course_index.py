"""The index of the course (ovop_course.steps.COURSE) is the truth about where each part lives.

Every part it names exists in its place; nothing exists in those places that it does not name;
a planned module has nothing yet but its (empty) workbook section; the table that opens
``ovop_course/steps/__init__.py`` is the index; and a step's calculations import only earlier
steps and the shared modules, never the widgets or the charts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ovop_course import steps
from ovop_course.steps import COURSE, SHARED, built, rooms
from ovop_course.ui import tool_names
from ovop_course.workbook import Workbook

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ovop_course"
PLANNED = [m for m in COURSE if not m.built]


def modules_in(folder: str) -> set[str]:
    """Public module names of a package folder (no ``__init__``, no ``_private``)."""
    return {p.stem for p in (PACKAGE / folder).glob("*.py") if not p.stem.startswith("_")}


def folders(parent: str) -> set[str]:
    return {p.name for p in (ROOT / parent).iterdir() if p.is_dir() and not p.name.startswith(".")}


def test_every_place_holds_what_the_index_names_and_nothing_else():
    tools = [m.tool for m in built() if m.tool]
    assert modules_in("steps") == set(rooms()) | set(SHARED)
    assert modules_in("charts") == {m.room for m in built() if m.room and m.tool}
    assert modules_in("ui") == set(tools)
    assert tool_names() == sorted(tools)
    assert {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")} == {m.notebook for m in built()}
    assignments = {m.assignment for m in built() if m.assignment}
    assert folders("solutions") == folders("exercises") == assignments
    for room in rooms():
        assert (ROOT / "tests" / f"test_{room}.py").is_file(), f"tests/test_{room}.py"


def test_every_built_step_has_its_formulas_documented():
    """docs/formulas.md has a section «## Шаг N.» for every step whose calculations are built,
    naming its functions."""
    text = (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8")
    for m in COURSE:
        if m.step and (m.built or m.calculations):
            section = text.split(f"\n## Шаг {m.step}.")[1].split("\n## ")[0]
            assert f"`{m.room}." in section, f"docs/formulas.md, step {m.step}: no {m.room}.…"


def test_every_workbook_section_is_a_module_of_the_index():
    sections = {name for name in Workbook.model_fields if name.startswith("step")}
    named = {m.section for m in COURSE if m.section}
    assert sections | {"quizzes"} == named
    steps_in_order = [m.step for m in COURSE if m.step]
    assert steps_in_order == list(range(1, 12))
    for m in COURSE:
        if m.step:
            assert m.section == f"step{m.step:02d}_{m.room}"


@pytest.mark.parametrize("module", PLANNED, ids=lambda m: m.notebook)
def test_a_planned_module_has_nothing_but_its_section(module):
    assert not (ROOT / "notebooks" / f"{module.notebook}.ipynb").exists()
    if module.room:
        for layer in ("charts", "ui") if module.calculations else ("steps", "charts", "ui"):
            assert not (PACKAGE / layer / f"{module.room}.py").exists(), (layer, module.room)
    if module.assignment:
        assert not (ROOT / "solutions" / module.assignment).exists()


def test_names_do_not_collide_with_test_discovery():
    """pytest collects ``test_*`` modules: no room, tool or assignment may be named so."""
    for m in COURSE:
        for name in (m.room, m.tool, m.assignment):
            assert name is None or not name.startswith("test"), name


def index_table() -> list[list[str]]:
    """The rows of the table in the docstring of ovop_course.steps, cells split on 2+ spaces."""
    lines = steps.__doc__.split("\n")
    rules = [i for i, line in enumerate(lines) if line.startswith("====")]
    return [re.split(r"\s{2,}", line.strip()) for line in lines[rules[1] + 1:rules[2]]]


def test_the_docstring_table_is_the_index():
    expected = []
    for m in COURSE:
        mark = "" if m.built else " +" if m.calculations else " *"
        expected.append([m.notebook + mark, str(m.step or "—"),
                         m.room or "—", m.tool or "—", m.section or "—", m.assignment or "—"])
    assert index_table() == expected


def step_imports(path: Path) -> set[str]:
    """The modules of ovop_course a file in steps/ imports, dotted below the package
    (``from .. import checks`` → ``checks``, ``from . import ideas`` → ``steps.ideas``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            prefix = ".".join(["steps"][:2 - node.level] + [node.module or ""]).strip(".")
            found |= ({prefix} if node.module else
                      {".".join(filter(None, [prefix, a.name])) for a in node.names})
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = ([node.module] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names])
            found |= {n.removeprefix("ovop_course.") for n in names if n.startswith("ovop_course.")}
    return found


@pytest.mark.parametrize("room", rooms())
def test_a_step_imports_only_earlier_steps_and_shared_modules(room):
    order = rooms()
    earlier = {f"steps.{r}" for r in order[:order.index(room)]} | {f"steps.{s}" for s in SHARED}
    imported = step_imports(PACKAGE / "steps" / f"{room}.py")
    for name in imported:
        top = name.split(".")[0]
        assert top not in {"ui", "charts", "grading", "cli"}, f"steps/{room}.py imports {name}"
        if top == "steps":
            assert name in earlier, f"steps/{room}.py imports {name}, not an earlier step"
