"""The steps of the course: their pure calculations, and the index of where every part lives.

================== ===== ============== ============== ===================== ================
notebook           step  room           tool           workbook section      assignment
================== ===== ============== ============== ===================== ================
00_start           —     —              start          —                     —
01_concept         —     —              concept_quiz   quizzes               m01_concept
02_territory       1     territory      territory      step01_territory      m02_territory
03_raw_materials   2     raw_materials  raw_materials  step02_raw_materials  m03_raw_materials
04_ideas           3     ideas          ideas          step03_ideas          m04_ideas
05_market          4     market         market         step04_market         m05_market
06_product         5     product        product        step05_product        m06_product
07_technology      6     technology     technology     step06_technology     m07_technology
08_producers *     7     producers      producers      step07_producers      m08_producers
09_training *      8     training       training       step08_training       m09_training
10_test_batches *  9     batches        batches        step09_batches        m10_test_batches
11_quality *       10    quality        quality        step10_quality        m11_quality
12_sales *         11    sales          sales          step11_sales          m12_sales
13_product_plan *  —     product_plan   —              —                     —
================== ===== ============== ============== ===================== ================

``*`` — planned, not built yet (its workbook section exists, empty); ``+`` — planned, its
calculations built (``steps/<room>.py`` with its tests and formulas; the tool, the charts, the
notebook and the assignment are not yet). A *room* is a step's name in
every layer: ``steps/<room>.py`` (pure calculations, formulas in docs/formulas.md),
``charts/<room>.py`` (figures), ``ui/<room>.py`` (the tool registered under that name),
``tests/test_<room>.py``. Calculations shared by several steps live in modules without a
notebook of their own (:data:`SHARED`: ``costing``). A step reads an earlier
step only through a function of the earlier step's module (which returns the saved workbook
section or, when there is none, the lesson case), never through ``ui/`` or ``charts/``.

:data:`COURSE` holds this table as data; ``tests/test_course_index.py`` checks that each part it
names exists, that nothing exists that it does not name, and that this table is :data:`COURSE`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    """A module of the course (one notebook) and the places its parts live; None: it has none."""

    notebook: str                  # notebooks/<notebook>.ipynb
    step: int | None = None        # the methodology's step, 1–11
    room: str | None = None        # steps/<room>.py, charts/<room>.py, ui/<room>.py
    tool: str | None = None        # the tool's registered name (ui/<tool>.py)
    section: str | None = None     # the workbook field its tool saves to
    assignment: str | None = None  # solutions/<assignment>/ and exercises/<assignment>/
    built: bool = True             # False: planned (only its workbook section exists)
    calculations: bool = False     # planned, but steps/<room>.py is built (see the table)


def _step(notebook: str, step: int, room: str, built: bool = True,
          calculations: bool = False) -> Module:
    """A methodology step: its room names its tool, and its section and assignment follow."""
    return Module(notebook, step, room, tool=room, section=f"step{step:02d}_{room}",
                  assignment=f"m{notebook}", built=built, calculations=calculations)


COURSE: tuple[Module, ...] = (
    Module("00_start", tool="start"),
    Module("01_concept", tool="concept_quiz", section="quizzes", assignment="m01_concept"),
    _step("02_territory", 1, "territory"),
    _step("03_raw_materials", 2, "raw_materials"),
    _step("04_ideas", 3, "ideas"),
    _step("05_market", 4, "market"),
    _step("06_product", 5, "product"),
    _step("07_technology", 6, "technology"),
    _step("08_producers", 7, "producers", built=False),
    _step("09_training", 8, "training", built=False),
    _step("10_test_batches", 9, "batches", built=False),
    _step("11_quality", 10, "quality", built=False),
    _step("12_sales", 11, "sales", built=False),
    Module("13_product_plan", room="product_plan", built=False),
)

SHARED: tuple[str, ...] = ("costing",)
"""Calculation modules in ``steps/`` that several steps share: ``costing``, the finance
functions of steps 6, 9 and 11."""


def built() -> list[Module]:
    """The modules that exist, in course order."""
    return [m for m in COURSE if m.built]


def rooms() -> list[str]:
    """The rooms whose calculations are built (built steps, and planned ones marked ``+``), in
    course order: ``territory``, ``raw_materials``, …"""
    return [m.room for m in COURSE if m.room and (m.built or m.calculations)]
