"""The trainee's workbook: their own aiyl aimak's data, carried from step to step.

A workbook is one JSON file (default ``~/ovop_workbook.json``; the environment variable
``OVOP_WORKBOOK`` names another). It is a typed, validated pydantic model with a section per
course step; each step's Tool saves its result into its section, and later steps read it
(step 2's stable supply → step 6's capacity, step 4's market → step 11's sales plan, step 6's
unit cost → steps 9 and 11). It also remembers the language of the tools the trainee chose in
module 0 (``language``), which every tool built by ``ovop_course.tool()`` follows
(:func:`saved_language`).

Rules that keep a trainee's work safe:
- saving is atomic: the new text goes to a temporary file in the same folder, is flushed to
  disk, then replaces the old file in one step (``os.replace``); a failure at any point leaves
  the previous file as it was;
- every file carries ``schema_version``; an older version is migrated on load, a newer one is
  refused with a message (update the course) and never overwritten;
- a file that cannot be read (damaged JSON, wrong fields) is reported in Russian, a copy is kept
  beside it (``<name>.damaged-<time>.json``), and it is never overwritten by a save.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "wb.json"
>>> _ = create_workbook(trainee="Айгуль", aiyl_aimak="Ак-Суу", region="Иссык-Кульская область",
...                     language="en", path=path)
>>> load_workbook(path).trainee, saved_language(path)
('Айгуль', 'en')
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import get_args

from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import OvopError
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, t

SCHEMA_VERSION = 3
LOCK_TIMEOUT = 30  # seconds to wait for another kernel's save of the same workbook


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


Cell = bool | int | float | str | None
"""A value of a trainee's own table as the course read it (a number, a text, yes/no, empty)."""


class OwnData(BaseModel):
    """The trainee's own tables of a step, entered in the tool's «Свои данные» panel.

    ``tables``: table name of the tool (``villages``) → its rows, each column → value, as
    they passed the checks; ``use``: the tool computes with them (False: the trainee chose
    the lesson case again, and the tables are kept for later). Added in schema version 3.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)
    tables: dict[str, list[dict[str, Cell]]] = {}
    use: bool = True


class Section(BaseModel):
    """Common part of every workbook section: when it was last saved, free notes, and the
    trainee's own tables (``own_data``, kept apart from the result like the notes).

    ``updated_at`` None: no result saved yet (the section holds only notes or own tables).
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)
    updated_at: datetime | None = None
    notes: str = ""
    own_data: OwnData | None = None


class QuizRecord(Section):
    """The best and the last score of one self-check quiz."""

    score: int = Field(ge=0)
    total: int = Field(ge=1)
    best: int = Field(ge=0)


# One section per step of the methodology. Later steps add their fields to these classes.
class TerritorySection(Section):
    """Step 1, territory analysis: the profile of the aiyl aimak and the labour available.

    Saved by the tool «territory» (module 2; formulas in ovop_course.steps.territory).
    ``labour_reserve``: people, R = U + s·M + c·N. ``person_days``: person-days available for
    a new activity in January … December (12 numbers, None until saved); multiply by
    ``hours_per_day`` for person-hours. Step 6 (capacity) will read them.
    ``peak_months`` / ``low_months``: months (1–12) with the most / fewest person-days.
    ``strengths`` / ``gaps``: the summary's findings, each with the numbers behind it.
    """

    villages: int = Field(default=0, ge=0)
    population: int = Field(default=0, ge=0)
    households: int = Field(default=0, ge=0)
    working_age: int = Field(default=0, ge=0)
    labour_reserve: float = Field(default=0, ge=0)
    hours_per_day: float = Field(default=8, ge=1, le=12)
    person_days: list[float] | None = Field(default=None, min_length=12, max_length=12)
    peak_months: list[int] = Field(default_factory=list, max_length=12)
    low_months: list[int] = Field(default_factory=list, max_length=12)
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)


class RawMaterialsSection(Section):
    """Step 2, local raw materials: stable monthly supply (feeds step 6, capacity).

    Saved by the tool «raw_materials» (module 3; formulas in ovop_course.steps.raw_materials).
    Amounts are in ``unit`` (кг or л) a month. ``stable_supply_no_storage``: min of the
    sustainable supply over the ``production_months``; ``stable_supply_with_storage``: the
    largest constant monthly use a FIFO stock of ``storage_life_days`` (loss
    ``storage_loss_share`` a month) serves in every production month; ``stable_supply``: the
    one of the chosen mode (``storage``). ``max_monthly_output``: whole units of ``product``
    (``product_unit`` each, ``material_per_unit`` of material in one) a month from
    ``stable_supply``. ``risks``: kind (one_month, over_harvest, wild_share, price_swing) →
    message with its numbers. Step 6 (capacity) reads ``stable_supply`` and
    ``max_monthly_output``.
    """

    material_id: str = ""
    material: str = ""
    unit: str = ""
    production_months: list[int] = Field(default_factory=list, max_length=12)
    storage: bool = False
    storage_life_days: int | None = Field(default=None, ge=1)
    storage_loss_share: float = Field(default=0, ge=0, lt=1)
    planned_use: float = Field(default=0, ge=0)
    stable_supply_no_storage: float = Field(default=0, ge=0)
    stable_supply_with_storage: float = Field(default=0, ge=0)
    stable_supply: float = Field(default=0, ge=0)
    product: str | None = None
    product_unit: str | None = None
    material_per_unit: float | None = Field(default=None, gt=0)
    max_monthly_output: int | None = Field(default=None, ge=0)
    risks: dict[str, str] = Field(default_factory=dict)
    mean_price_som: float | None = Field(default=None, ge=0)


class ShortlistedIdea(BaseModel):
    """An idea of step 3's shortlist: score 0–100, rank, and the share of weight draws
    (±spread on every weight) in which it stayed in the top N, with its best/worst rank."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    idea_id: str = Field(min_length=1)
    idea: str = Field(min_length=1)
    material_id: str = Field(min_length=1)
    score: float = Field(ge=0, le=100)
    rank: int = Field(ge=1)
    stability_share: float = Field(ge=0, le=1)
    rank_min: int = Field(ge=1)
    rank_max: int = Field(ge=1)


class RejectedIdea(BaseModel):
    """An idea rejected by step 3's knock-out rules, with the reasons shown to the trainee."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    idea_id: str = Field(min_length=1)
    idea: str = Field(min_length=1)
    score: float = Field(ge=0, le=100)
    reasons: list[str] = Field(min_length=1)


class ScoreOverride(BaseModel):
    """A score (1–5) the trainee put in place of the one computed from the data."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    idea_id: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    score: int = Field(ge=1, le=5)


class IdeasSection(Section):
    """Step 3, preliminary selection of ideas: the shortlist (step 4 analyses its market).

    Saved by the tool «ideas» (module 4); step 4 reads it through
    :func:`ovop_course.steps.ideas.saved_shortlist`. ``weights``: criterion key → weight 0–5
    (see ovop_course.steps.ideas.CRITERIA); ``top_n``: size of the shortlist asked for;
    ``rules_off``: knock-out rules the trainee switched off.
    """

    weights: dict[str, float] = {}
    top_n: int = Field(default=3, ge=1)
    shortlist: list[ShortlistedIdea] = []
    rejected: list[RejectedIdea] = []
    rules_off: list[str] = []
    overrides: list[ScoreOverride] = []


class MarketFunnelRecord(BaseModel):
    """TAM, SAM and SOM of one scenario: units a year and som a year at buyers' prices;
    ``som_producer_som`` is what the group receives for SOM at producer prices."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    tam_units: float = Field(ge=0)
    tam_som: float = Field(ge=0)
    sam_units: float = Field(ge=0)
    sam_som: float = Field(ge=0)
    som_units: float = Field(ge=0)
    som_som: float = Field(ge=0)
    som_producer_som: float = Field(ge=0)


class MarketSection(Section):
    """Step 4, market analysis: obtainable volume and price range (feeds steps 6 and 11).

    Saved by the tool «market» (module 5; formulas in ovop_course.steps.market).
    Volumes are in the product's selling ``unit`` (``unit_size`` ``unit_size_unit`` each);
    ``scenarios`` maps pessimistic/base/optimistic to the funnel; producer prices (after the
    channel's share) are som per unit; competitor prices are som per ``price_unit`` (кг or л).
    """

    product_id: str = ""
    product: str = ""
    unit: str = ""
    unit_size: float | None = Field(default=None, gt=0)
    unit_size_unit: str = Field(default="", pattern="^(г|кг|мл|л|)$")
    scenario: str = Field(default="base", pattern="^(pessimistic|base|optimistic)$")
    obtainable_share: float = Field(default=0, ge=0, le=1)
    reachable_segments: list[str] = []
    requirements_met: bool = False
    scenarios: dict[str, MarketFunnelRecord] = Field(default_factory=dict, max_length=3)
    price_min_som: float | None = Field(default=None, ge=0)
    price_base_som: float | None = Field(default=None, ge=0)
    price_max_som: float | None = Field(default=None, ge=0)
    price_unit: str = Field(default="", pattern="^(кг|л|)$")
    competitor_median_price: float | None = Field(default=None, gt=0)
    competitor_price_low: float | None = Field(default=None, gt=0)
    competitor_price_high: float | None = Field(default=None, gt=0)


class ProductSection(Section):
    """Step 5, product development: the concept, the recipe's yield and cost, the tasting
    panel and the design review (feeds step 6: units per batch, cost per unit, batches a month).

    Saved by the tool «product» (module 6; formulas in ovop_course.steps.product). The concept
    card: ``name``, ``customer``, step 4's ``segment_ids``, the selling unit (``unit_name``,
    ``unit_size`` ``unit_size_unit``) and the target price range, som per unit (``price_low``
    Q1, ``price_median``, ``price_high`` Q3 of competitors' prices per ``price_unit`` × the unit's
    size). The recipe: ``input_amount`` Q and ``yield_amount`` Y of one batch in ``yield_unit``
    (кг or л, 1 кг = 1 л), ``yield_share`` Y / Q, ``units_per_batch`` N of the batch table and
    ``units_possible`` ⌊Y / v⌋; material cost per unit at step 2's average prices: ``raw_som``
    + ``packaging_som`` = ``total_som``; ``batches_per_month`` that step 2's stable supply
    allows, set by ``binding_material``; the batch planned: ``factor`` × the recipe, ``units``
    made. The panel (on ``attribute``): ``test`` (friedman or wilcoxon), ``preferred`` variants
    (codes; several when tied) and their ``preferred_names``, ``panellists`` in the test,
    ``p_value`` and ``significant`` (p < 5 %); None when the product has no panel. The design
    review: ``design_score`` «yes» of ``design_total`` questions, ``design_missing`` the
    questions answered «no» or not answered (keys of steps.product.DESIGN_CHECKLIST).
    """

    product_id: str = ""
    name: str = ""
    customer: str = ""
    segment_ids: list[str] = []
    unit_name: str = ""
    unit_size: float | None = Field(default=None, gt=0)
    unit_size_unit: str = Field(default="", pattern="^(г|кг|мл|л|)$")
    price_unit: str = Field(default="", pattern="^(кг|л|)$")
    price_low: float | None = Field(default=None, ge=0)
    price_median: float | None = Field(default=None, ge=0)
    price_high: float | None = Field(default=None, ge=0)
    input_amount: float = Field(default=0, ge=0)
    yield_amount: float = Field(default=0, ge=0)
    yield_unit: str = Field(default="", pattern="^(кг|л|)$")
    yield_share: float = Field(default=0, ge=0, le=1)
    units_per_batch: int = Field(default=1, ge=1)
    units_possible: int = Field(default=0, ge=0)
    raw_som: float | None = Field(default=None, ge=0)
    packaging_som: float | None = Field(default=None, ge=0)
    total_som: float | None = Field(default=None, ge=0)
    batches_per_month: int | None = Field(default=None, ge=0)
    binding_material: str | None = None
    factor: float = Field(default=1, gt=0)
    units: int = Field(default=1, ge=1)
    attribute: str | None = None
    test: str | None = Field(default=None, pattern="^(friedman|wilcoxon)$")
    preferred: list[str] = []
    preferred_names: list[str] = []
    panellists: int | None = Field(default=None, ge=2)
    p_value: float | None = Field(default=None, ge=0, le=1)
    significant: bool | None = None
    design_score: int | None = Field(default=None, ge=0)
    design_total: int | None = Field(default=None, ge=1)
    design_missing: list[str] = []


class TechnologySection(Section):
    """Step 6, technology and the cost of the product (feeds steps 7, 9 and 11).

    Saved by the tool «technology» (module 7; formulas in ovop_course.steps.technology, the
    fields of its ``TechnologyResults``). Money in som, volumes in the product's units.
    ``product_id`` and ``scenario`` (simple: «начать просто, вручную»; equipped: «купить
    оборудование сейчас»); ``price_som`` the group receives a unit; ``unit_cost_som`` C = V +
    F / Q, ``variable_cost_som`` V a unit, ``fixed_cost_som_year`` F (overheads and
    depreciation), ``units_year`` Q sold in the first year; ``margin`` (P − C) / P and
    ``markup`` (P − C) / C, shares; break-even ``break_even_units`` Q* = F / (P − V),
    ``break_even_units_whole`` ⌈Q*⌉, ``break_even_revenue_som``, ``break_even_price_som`` (the
    price at which Q units just pay); ``working_capital_som`` — the largest cumulative deficit
    of the first year without the equipment, ``peak_deficit_som`` with it, ``peak_month``
    (1–12, None: never short); ``investment_som``, ``money_at_risk_som``, ``npv_som``, ``irr``
    (a share a year, None: none) and ``payback_years`` (None: never) over the equipment's life;
    ``capacity_units_month`` — 12 values, January first: what can be made each month
    (capacity, raw materials, labour); ``labour_minutes_per_unit`` (person-minutes);
    ``bottleneck`` — the equipment codes (``op<N>``: an operation without equipment) of the
    slowest station.
    """

    product_id: str = ""
    scenario: str = Field(default="simple", pattern="^(simple|equipped)$")
    price_som: float = Field(default=0, ge=0)
    unit_cost_som: float = Field(default=0, ge=0)
    variable_cost_som: float = Field(default=0, ge=0)
    fixed_cost_som_year: float = Field(default=0, ge=0)
    units_year: float = Field(default=0, ge=0)
    margin: float = Field(default=0, lt=1)
    markup: float = Field(default=0, gt=-1)
    break_even_units: float = Field(default=0, ge=0)
    break_even_units_whole: int = Field(default=0, ge=0)
    break_even_revenue_som: float = Field(default=0, ge=0)
    break_even_price_som: float = Field(default=0, ge=0)
    working_capital_som: float = Field(default=0, ge=0)
    peak_deficit_som: float = Field(default=0, ge=0)
    peak_month: int | None = Field(default=None, ge=1, le=12)
    investment_som: float = Field(default=0, ge=0)
    money_at_risk_som: float = Field(default=0, ge=0)
    npv_som: float = 0
    irr: float | None = Field(default=None, gt=-1)
    payback_years: float | None = Field(default=None, ge=0)
    capacity_units_month: list[float] | None = Field(default=None, min_length=12, max_length=12)
    labour_minutes_per_unit: float = Field(default=0, ge=0)
    bottleneck: list[str] = Field(default_factory=list)


class ProducersSection(Section):
    """Step 7, mobilizing producers: the group and its roles."""


class TrainingSection(Section):
    """Step 8, training: the training plan and skill levels."""


class BatchesSection(Section):
    """Step 9, test batches: batch records and first sales."""


class QualitySection(Section):
    """Step 10, quality control and certification: checks and documents."""


class SalesSection(Section):
    """Step 11, branding, sales and sustainability: channels and the sales plan."""


class Workbook(BaseModel):
    """A trainee's whole workbook (schema version :data:`SCHEMA_VERSION`).

    ``trainee``, ``aiyl_aimak``, ``region``: the names given in module 0; ``language``: the
    language of the tools chosen there (``ru``, ``en`` or ``ky``).
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)
    schema_version: int = SCHEMA_VERSION
    trainee: str = Field(min_length=1)
    aiyl_aimak: str = Field(min_length=1)
    region: str = Field(min_length=1)
    language: str = Field(default=DEFAULT_LANGUAGE, pattern=f"^({'|'.join(LANGUAGES)})$")
    created_at: datetime
    updated_at: datetime
    quizzes: dict[str, QuizRecord] = {}
    step01_territory: TerritorySection | None = None
    step02_raw_materials: RawMaterialsSection | None = None
    step03_ideas: IdeasSection | None = None
    step04_market: MarketSection | None = None
    step05_product: ProductSection | None = None
    step06_technology: TechnologySection | None = None
    step07_producers: ProducersSection | None = None
    step08_training: TrainingSection | None = None
    step09_batches: BatchesSection | None = None
    step10_quality: QualitySection | None = None
    step11_sales: SalesSection | None = None

    @classmethod
    def new(cls, trainee: str, aiyl_aimak: str, region: str,
            language: str = DEFAULT_LANGUAGE) -> Workbook:
        """A fresh workbook. The names are checked: spaces around them are dropped, and the
        fields left empty are named in the message as a trainee knows them («имя слушателя»).
        """
        if language not in LANGUAGES:
            raise OvopError(t("i18n.unknown_language", language=language,
                              known=", ".join(LANGUAGES)))
        names = {key: value.strip() if isinstance(value, str) else value for key, value in
                 {"trainee": trainee, "aiyl_aimak": aiyl_aimak, "region": region}.items()}
        now = _now()
        try:
            return cls(**names, language=language, created_at=now, updated_at=now)
        except ValidationError as e:
            empty = dict.fromkeys(str(err["loc"][0]) for err in e.errors())
            fields = ", ".join(f"«{t(f'workbook.field.{name}')}»" for name in empty)
            raise OvopError(t("workbook.bad_new", fields=fields)) from None

    def section(self, name: str) -> Section | None:
        """The section saved under ``name``: a step's field (``step01_territory``) or a quiz
        (``quizzes.concept_quiz``); None when nothing is saved there."""
        field, _, key = name.partition(".")
        saved = getattr(self, field)
        return saved.get(key) if key else saved

    def put_section(self, name: str, section: Section) -> Section:
        """Store ``section`` under ``name`` (see :meth:`section`) as a tool saves its result:
        with the notes and own tables of the section saved there before, and the time of
        saving."""
        saved = self.section(name)
        section = section.model_copy(update={"notes": saved.notes if saved else "",
                                             "own_data": saved.own_data if saved else None,
                                             "updated_at": _now()})
        self._store(name, section)
        return section

    def put_own_data(self, name: str, own_data: OwnData) -> Section:
        """Keep the trainee's own tables in the section ``name``, leaving its result, notes
        and time as they are; a step with no section yet gets an empty one (no result saved:
        ``updated_at`` stays None)."""
        saved = self.section(name)
        if saved is None:
            field = name.partition(".")[0]
            kind = next(a for a in get_args(Workbook.model_fields[field].annotation)
                        if isinstance(a, type) and issubclass(a, Section))
            saved = kind()
        section = saved.model_copy(update={"own_data": own_data})
        self._store(name, section)
        return section

    def _store(self, name: str, section: Section) -> None:
        field, _, key = name.partition(".")
        setattr(self, field, {**getattr(self, field), key: section} if key else section)


class NewerWorkbookError(OvopError):
    """The file was written by a newer version of the course: left untouched, no copy needed."""


def _batches_section_named_as_its_step(raw: dict) -> dict:
    """Version 1 → 2: the section of step 9 is named after its room, ``step09_batches``
    (it was ``step09_test_batches``; no tool wrote it yet, so only notes can be in it)."""
    if "step09_test_batches" in raw:
        raw["step09_batches"] = raw.pop("step09_test_batches")
    return raw


def _language_of_the_tools(raw: dict) -> dict:
    """Version 2 → 3: the workbook keeps the language of the tools chosen in module 0
    (``language``); a workbook made before had Russian, the default. (The sections' own
    tables, ``own_data``, also new in version 3, need nothing: a section without them has
    none.)"""
    raw.setdefault("language", DEFAULT_LANGUAGE)
    return raw


# Migrations: MIGRATIONS[n] turns the raw dict of version n into version n + 1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _batches_section_named_as_its_step,
                                                 2: _language_of_the_tools}


def workbook_path() -> Path:
    """Where the trainee's workbook lives: ``$OVOP_WORKBOOK`` or ``~/ovop_workbook.json``."""
    return Path(os.environ.get("OVOP_WORKBOOK") or Path.home() / "ovop_workbook.json")


def _keep_copy(path: Path) -> Path:
    copy = path.with_name(f"{path.stem}.damaged-{_now():%Y%m%d-%H%M%S}{path.suffix}")
    shutil.copy2(path, copy)
    return copy


def _migrate(raw: dict, path: Path) -> dict:
    version = raw.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise OvopError(t("workbook.no_version", file=path))
    if version > SCHEMA_VERSION:
        raise NewerWorkbookError(t("workbook.newer", file=path, version=version,
                                   ours=SCHEMA_VERSION))
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version = raw["schema_version"] = version + 1
    return raw


def read_workbook(path: str | Path | None = None) -> Workbook:
    """Read and validate a workbook file without side effects (migrated in memory, no copy kept,
    nothing written); OvopError if it cannot be read. :func:`load_workbook` adds the kept copy."""
    path = Path(path) if path else workbook_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise OvopError(t("workbook.damaged", file=path)) from None
    if not isinstance(raw, dict):
        raise OvopError(t("workbook.damaged", file=path))
    raw = _migrate(raw, path)
    try:
        return Workbook.model_validate(raw)
    except ValidationError as e:
        fields = ", ".join(".".join(map(str, err["loc"])) for err in e.errors()[:5])
        raise OvopError(t("workbook.invalid", file=path, fields=fields)) from None


def saved_workbook(path: str | Path | None = None) -> Workbook | None:
    """The workbook at ``path`` (default :func:`workbook_path`) as :func:`read_workbook` reads
    it, or None when there is none or it cannot be read: how a tool reads what the earlier
    steps saved, once, before it asks their modules (``steps.<room>.saved_…``) for it. Never
    fails, never changes or copies the file (saving is what reports a damaged workbook)."""
    try:
        return read_workbook(path)
    except (OSError, OvopError):
        return None


def saved_section(workbook: Workbook | None, name: str) -> Section | None:
    """The section ``name`` of ``workbook`` (see :meth:`Workbook.section`) when its tool saved
    a result there (``updated_at`` set); None when there is no workbook, no section, or the
    section holds only notes or own tables."""
    section = workbook.section(name) if workbook is not None else None
    return section if section is not None and section.updated_at is not None else None


def saved_tables(workbook: Workbook | None, name: str) -> dict[str, list[dict[str, Cell]]]:
    """The own tables kept in the section ``name`` of ``workbook`` that its tool computes with
    (``own_data`` with ``use``): table name → its rows, the empty tables left out; none when
    there is no workbook, no own data, or the trainee chose the lesson case again."""
    section = workbook.section(name) if workbook is not None else None
    own = section.own_data if section is not None else None
    if own is None or not own.use:
        return {}
    return {table: rows for table, rows in own.tables.items() if rows}


def saved_language(path: str | Path | None = None) -> str | None:
    """The language of the tools saved in the workbook at ``path`` (default
    :func:`workbook_path`), read cheaply and without side effects: the file's JSON only, migrated
    in memory, no model built, nothing copied or written. None when there is no workbook, or it
    cannot be read, or it was written by a newer course: then the current language stays."""
    path = Path(path) if path else workbook_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw = _migrate(raw, path) if isinstance(raw, dict) else {}
    except (OSError, UnicodeDecodeError, ValueError):  # OvopError is a ValueError too
        return None
    language = raw.get("language")
    return language if isinstance(language, str) and language in LANGUAGES else None


def load_workbook(path: str | Path | None = None,
                  create_if_missing: dict | None = None) -> Workbook:
    """Load the workbook at ``path`` (default :func:`workbook_path`).

    If the file does not exist and ``create_if_missing`` is given (``trainee``,
    ``aiyl_aimak``, ``region``, optionally ``language``), a new workbook is created and saved.
    A file that cannot be read is kept as a copy and reported; it is not changed.
    """
    path = Path(path) if path else workbook_path()
    if not path.exists():
        if create_if_missing is None:
            raise OvopError(t("workbook.missing", file=path))
        workbook = Workbook.new(**create_if_missing)
        save_workbook(workbook, path)
        return workbook
    try:
        return read_workbook(path)
    except NewerWorkbookError:
        raise
    except OvopError as e:
        copy = _keep_copy(path)
        raise OvopError(f"{e} {t('workbook.copy_kept', copy=copy)}") from None


def _check_overwritable(path: Path) -> None:
    """Refuse to replace a file that is not a readable workbook of this or an older version."""
    if not path.exists():
        return
    try:
        read_workbook(path)
    except OvopError as e:
        raise OvopError(f"{e} {t('workbook.not_overwritten', file=path)}") from None


def save_workbook(workbook: Workbook, path: str | Path | None = None) -> Path:
    """Save atomically (temporary file, fsync, ``os.replace``); return the path."""
    path = Path(path) if path else workbook_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_overwritable(path)
    workbook.updated_at = _now()
    text = workbook.model_dump_json(indent=2)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def create_workbook(trainee: str, aiyl_aimak: str, region: str,
                    language: str = DEFAULT_LANGUAGE, path: str | Path | None = None) -> Path:
    """Create the trainee's workbook at ``path`` (default :func:`workbook_path`) and return the
    path; what module 0's form does. A file already there is never replaced: OvopError says so.
    """
    path = Path(path) if path else workbook_path()
    workbook = Workbook.new(trainee, aiyl_aimak, region, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _lock(path):
            if path.exists():
                raise OvopError(t("workbook.exists", file=path))
            return save_workbook(workbook, path)
    except Timeout:
        raise OvopError(t("workbook.busy", file=path, seconds=LOCK_TIMEOUT)) from None


def _lock(path: Path) -> FileLock:
    """A lock file beside the workbook, so that two kernels update it one after the other."""
    return FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT)


def update_workbook(change: Callable[[Workbook], object], path: str | Path | None = None) -> Path:
    """Load the workbook, apply ``change`` to it and save it: how a Tool stores its result.

    The whole read–change–write runs under a lock file, so two kernels (two open notebooks)
    saving their steps at the same moment both keep their work: each change is applied to
    the file as the other left it.
    """
    path = Path(path) if path else workbook_path()
    try:
        with _lock(path):
            workbook = load_workbook(path)
            change(workbook)
            return save_workbook(workbook, path)
    except Timeout:
        raise OvopError(t("workbook.busy", file=path, seconds=LOCK_TIMEOUT)) from None
