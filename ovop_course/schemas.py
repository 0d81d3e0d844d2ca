"""Schemas of the course data: one pydantic model per file in ``data/``.

``TABLES`` maps a CSV file (path under data/ without ``.csv``) to its row model;
``DOCUMENTS`` maps a YAML file (without ``.yaml``) to its document model.
The data dictionary for people is ``data/README.md``; a test keeps the two in step.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError


class Row(BaseModel):
    """Base of every row/document model: unknown fields are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def rule_error(key: str, **values: object) -> PydanticCustomError:
    """The error of a broken row rule; its type is the catalogue key ``key`` (``schemas.…``).

    The text is not fixed here: :func:`ovop_course.data.describe` translates the type with
    ``values`` in the UI language of the moment the error is shown.
    """
    return PydanticCustomError(key, key, values)


class MethodologyStep(Row):
    """One of the 11 steps of the Kyrgyz OVOP methodology (seed, table of 11 steps)."""

    step: int = Field(ge=1, le=11)
    name: str = Field(min_length=1)
    content: str = Field(min_length=1)
    ovop_plus_one_role: str = Field(min_length=1)
    source: str = Field(min_length=1)


class QuizQuestion(Row):
    """A multiple-choice question; ``correct`` is the index of the right option (from 0)."""

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    options: list[str] = Field(min_length=2, max_length=6)
    correct: int = Field(ge=0)
    explanation: str = Field(min_length=1)

    @model_validator(mode="after")
    def _correct_in_range(self):
        """``correct`` is the index of one of the options."""
        if self.correct >= len(self.options):
            raise rule_error(
                "schemas.quiz_question.correct_out_of_range",
                correct=self.correct,
                count=len(self.options),
            )
        return self


class Quiz(Row):
    """A self-check quiz: a title and its questions."""

    title: str = Field(min_length=1)
    questions: list[QuizQuestion] = Field(min_length=1)


class VillageIndicator(Row):
    """One indicator of the exercise village's profile (data/exercise/village_profile.csv).

    ``indicator`` is a short ASCII code used in exercises (``hives``); ``value`` is a number in
    ``unit``; ``source`` is the citation or «учебные данные (условные)» for invented figures.
    """

    indicator: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    value: float
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None


# ---------------------------------------------------------------------------------------------
# Lesson case (data/lesson/): the invented aiyl aimak «Чычырканак» and its sea-buckthorn
# products. Cross-table references (a material, village or product named in another table)
# are checked in tests/test_lesson_data.py; a row model checks only its own row.

Text = Annotated[str, Field(min_length=1)]
Share = Annotated[float, Field(ge=0, le=1)]
Month = Annotated[int, Field(ge=1, le=12)]
Count = Annotated[int, Field(ge=0)]
Money = Annotated[float, Field(ge=0)]

AgeGroup = Literal["0-15", "16-28", "29-44", "45-62", "63+"]
AGE_GROUPS = get_args(AgeGroup)
"""Age groups of population_structure; working age is 16–62 and youth 16–28 (simplified)."""


class Village(Row):
    """A village of the aimak: people, employment, distances, infrastructure (step 1)."""

    village_id: Text
    village: Text
    population: int = Field(ge=1)
    households: int = Field(ge=1)
    working_age: Count
    women: Count
    youth: Count
    employed: Count
    underemployed: Count
    seasonal_migrants: Count
    distance_karakol_km: float = Field(ge=0)
    distance_road_km: float = Field(ge=0)
    electricity: Literal["стабильно", "перебои", "нет"]
    water: Literal["водопровод", "колонки", "арык/родник", "привозная"]
    internet: Literal["4G", "3G", "слабый", "нет"]
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _parts_fit(self):
        """Women, working-age ≤ population; youth ≤ working age; the three labour groups ≤
        working age; 2–8 people per household."""
        if max(self.women, self.working_age) > self.population:
            raise rule_error("schemas.village.parts_over_population")
        if self.youth > self.working_age:
            raise rule_error("schemas.village.youth_over_working_age")
        if self.employed + self.underemployed + self.seasonal_migrants > self.working_age:
            raise rule_error("schemas.village.labour_over_working_age")
        if not 2 <= self.population / self.households <= 8:
            raise rule_error("schemas.village.household_size")
        return self


class PopulationGroup(Row):
    """People of one sex and age group in one village (step 1)."""

    village_id: Text
    age_group: AgeGroup
    sex: Literal["ж", "м"]
    people: Count
    source: Text


class HouseholdSkill(Row):
    """A tradition or skill present in the aimak's households (steps 1, 7, 8)."""

    skill_id: Text
    skill: Text
    households: Count
    people: Count
    women_share: Share
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _people_cover_households(self):
        """Each household with the skill has at least one person with it."""
        if self.people < self.households:
            raise rule_error("schemas.household_skill.people_below_households")
        return self


class EconomicActivity(Row):
    """An existing source of income in the aimak; months may wrap over the new year (step 1)."""

    activity_id: Text
    activity: Text
    sector: Literal[
        "растениеводство",
        "животноводство",
        "сбор дикоросов",
        "пчеловодство",
        "туризм",
        "бюджетная сфера",
        "торговля",
        "трудовая миграция",
    ]
    households: Count
    people: Count
    start_month: Month
    end_month: Month
    income_som_month: Money
    value_added: Literal["сырьё", "переработка", "услуги", "заработная плата"]
    source: Text
    note: str | None = None


class LabourLoad(Row):
    """Share of working time of working-age people taken by one occupation in a month (step 1)."""

    month: Month
    occupation: Text
    load_share: Share
    source: Text


class RawMaterial(Row):
    """A local raw material, how it is stored and what share can be taken sustainably (step 2)."""

    material_id: Text
    material: Text
    source_type: Literal["дикорос", "домохозяйства", "фермы"]
    unit: Literal["кг", "л"]
    storage_method: Text
    storage_life_days: int = Field(ge=1)
    sustainable_share: Share
    source: Text
    note: str | None = None


class RawMaterialMonth(Row):
    """Volume on offer in the aimak and purchase price of one material in one month (step 2).

    Rule: nothing on offer (``supply`` «нет») ⇔ ``volume`` 0 ⇔ no price.
    """

    material_id: Text
    month: Month
    volume: float = Field(ge=0)
    price_som: float | None = Field(default=None, gt=0)
    supply: Literal["свежее", "из запасов", "нет"]
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _offer_consistent(self):
        """Nothing on offer ⇔ volume 0 ⇔ no price (see the class docstring)."""
        empty = [self.supply == "нет", self.volume == 0, self.price_som is None]
        if any(empty) and not all(empty):
            raise rule_error("schemas.raw_material_month.offer_inconsistent")
        return self


class ProductIdea(Row):
    """A candidate product with the facts used to score it against OVOP criteria (step 3)."""

    idea_id: Text
    idea: Text
    material_id: Text
    other_inputs: Text
    imported_inputs: bool
    local_input_share: Share
    startup_cost_som: Money
    similar_sellers: Count
    buyer_interest_share: Share
    tech_complexity: Literal["простая", "средняя", "сложная"]
    copy_barrier: Literal["низкий", "средний", "высокий"]
    skill_id: Text
    women_youth_share: Share
    source: Text
    note: str | None = None


class MarketSegment(Row):
    """One market segment for one product (steps 4, 11).

    Units a year = people × buyer_share × purchases_per_year × units_per_purchase; the group
    receives price_som × (1 − channel_margin) per unit.
    """

    segment_id: Text
    segment: Text
    product_id: Text
    people: int = Field(ge=1)
    buyer_share: Share
    purchases_per_year: float = Field(gt=0)
    units_per_purchase: float = Field(gt=0)
    price_som: float = Field(gt=0)
    channel_margin: float = Field(ge=0, lt=1)
    channel: Text
    entry_requirements: str | None = None
    source: Text
    note: str | None = None


class CompetitorPrice(Row):
    """A similar product seen on sale: seller, pack and price (steps 4, 5)."""

    product_id: Text
    product: Text
    seller: Text
    seller_type: Literal["промышленный", "ремесленный", "ОСОП", "частный"]
    pack_size: float = Field(gt=0)
    pack_unit: Literal["мл", "г"]
    price_som: float = Field(gt=0)
    where_sold: Text
    source: Text
    note: str | None = None


class RecipeItem(Row):
    """One ingredient or packaging item for one batch of a product (steps 5, 6)."""

    product_id: Text
    ingredient: Text
    material_id: str | None = None
    kind: Literal["сырьё", "упаковка"]
    quantity: float = Field(gt=0)
    unit: Literal["кг", "г", "л", "мл", "шт"]
    unit_price_som: Money
    origin: Literal["местное", "покупное в Кыргызстане", "импорт"]
    source: Text
    note: str | None = None


class ProductBatch(Row):
    """What one batch of a product yields and takes: units, labour, energy, time (steps 5, 6, 9)."""

    product_id: Text
    unit_name: Text
    unit_size: float = Field(gt=0)
    unit_size_unit: Literal["мл", "г"]
    units_per_batch: int = Field(ge=1)
    labour_hours: float = Field(gt=0)
    energy_kwh: float = Field(ge=0)
    batch_days: int = Field(ge=1)
    shelf_life_months: int = Field(ge=1, le=60)
    storage_conditions: Text
    source: Text
    note: str | None = None


EveryProduct = Literal["все"]
"""The ``used_for`` of equipment that serves every product (a data value: the same word in
every UI language)."""
EVERY_PRODUCT: str = get_args(EveryProduct)[0]


class Equipment(Row):
    """An equipment option: price, capacity, lifetime; ``used_for`` lists product ids or
    :data:`EVERY_PRODUCT` (step 6). Capacity and its unit are both filled or both empty
    (measuring instruments)."""

    equipment_id: Text
    item: Text
    used_for: Text
    level: Literal["ручное", "малое", "промышленное"]
    price_som: float = Field(gt=0)
    capacity: float | None = Field(default=None, gt=0)
    capacity_unit: Literal["кг/ч", "шт/ч", "кг за загрузку", "л за загрузку"] | None = None
    lifetime_years: int = Field(ge=1, le=30)
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _capacity_has_unit(self):
        """Capacity and its unit are both filled or both empty."""
        if (self.capacity is None) != (self.capacity_unit is None):
            raise rule_error("schemas.equipment.capacity_without_unit")
        return self


class ProcessStep(Row):
    """One operation of the technological card of a product (steps 6, 8, 10)."""

    product_id: Text
    step_no: int = Field(ge=1)
    operation: Text
    minutes: int = Field(gt=0)
    people: int = Field(ge=1)
    equipment_id: str | None = None
    skill_id: str | None = None
    control_point: bool
    control_rule: str | None = None
    source: Text

    @model_validator(mode="after")
    def _rule_for_control_point(self):
        """A control point has a control rule; an ordinary operation has none."""
        if self.control_point != (self.control_rule is not None):
            raise rule_error("schemas.process_step.control_rule")
        return self


class Producer(Row):
    """A member of the production group (steps 7, 8); ``skills`` are skill ids joined by «;»."""

    producer_id: Text
    name: Text
    village_id: Text
    sex: Literal["ж", "м"]
    age: int = Field(ge=16, le=80)
    role: Literal[
        "руководитель группы",
        "технолог",
        "контроль качества",
        "производство",
        "заготовка сырья",
        "учёт и продажи",
        "транспорт и сбыт",
    ]
    skills: Text
    hours_per_week: float = Field(ge=0, le=60)
    source: Text
    note: str | None = None


class TrialBatch(Row):
    """A test batch and its first sales (steps 9, 10)."""

    batch_no: int = Field(ge=1)
    product_id: Text
    batch_date: datetime.date
    units_made: int = Field(ge=1)
    units_rejected: Count
    reject_reason: str | None = None
    units_sold: Count
    segment_id: Text
    price_som: float = Field(gt=0)
    tasting_score: float = Field(ge=1, le=5)
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _units_add_up(self):
        """rejected ≤ made; sold ≤ made − rejected; a reason for every rejection."""
        if self.units_rejected > self.units_made:
            raise rule_error("schemas.trial_batch.rejects_over_made")
        if self.units_sold > self.units_made - self.units_rejected:
            raise rule_error("schemas.trial_batch.sold_over_good")
        if self.units_rejected and not self.reject_reason:
            raise rule_error("schemas.trial_batch.reject_without_reason")
        return self


class ReferenceIndicator(Row):
    """A regional figure or a costing assumption used by several steps (1, 4, 6, 11)."""

    indicator_id: Text
    indicator: Text
    value: float
    unit: Text
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: Text
    note: str | None = None


class ProductConcept(Row):
    """The concept card of a product (step 5): who buys it and when, its pack, the story of the
    place and what makes it hard to copy. ``segment_ids`` are step 4's segment codes and
    ``hard_to_copy`` the reasons, each list joined by «;». Pack size and price come from
    ``product_batches`` and ``competitor_prices``."""

    product_id: Text
    name: Text
    customer: Text
    segment_ids: Text
    use_occasion: Text
    pack: Text
    story: Text
    hard_to_copy: Text
    source: Text
    note: str | None = None


class ProcessLoss(Row):
    """The share of the mass lost at one stage of making a product (step 5). ``applies_to``
    names one raw ingredient of the recipe (its ``ingredient``); empty: the whole mass of the
    raw ingredients. Rule: a stage cannot lose the whole mass (share below 1 when empty)."""

    product_id: Text
    stage_no: int = Field(ge=1)
    stage: Text
    applies_to: str | None = None
    loss_share: Share
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _whole_mass_kept(self):
        """A stage of the whole mass keeps something of it (an ingredient may be all removed:
        the pomace that only flavours the oil)."""
        if self.applies_to is None and self.loss_share >= 1:
            raise rule_error("schemas.process_loss.whole_mass_lost")
        return self


PanelAttribute = Literal["общее", "внешний вид", "запах", "вкус", "консистенция"]
PANEL_ATTRIBUTES = get_args(PanelAttribute)
"""What a panellist scores: the overall liking first, then look, smell, taste and texture."""


class PanelScore(Row):
    """One score of a tasting panel (step 5): a panellist, a variant of the prototype, an
    attribute and a score on the 9-point hedonic scale (1 — очень не нравится … 5 — ни да
    ни нет … 9 — очень нравится; Peryam & Pilgrim 1957), a whole number."""

    product_id: Text
    panellist: Text
    variant: Text
    variant_name: Text
    attribute: PanelAttribute
    score: int = Field(ge=1, le=9)
    source: Text
    note: str | None = None


class ProcessAlternative(Row):
    """Another way to do one operation of a process chart (step 6): the operation ``step_no``
    of ``process_steps`` done with other equipment, in its own minutes per batch and with its
    own people — «купить оборудование сейчас» against «начать просто, вручную»."""

    product_id: Text
    step_no: int = Field(ge=1)
    equipment_id: Text
    minutes: int = Field(gt=0)
    people: int = Field(ge=1)
    source: Text
    note: str | None = None


class Overhead(Row):
    """An overhead (indirect, fixed) cost of the workshop: an amount a month or a year that
    does not change with the volume made (step 6)."""

    overhead_id: Text
    item: Text
    amount_som: Money
    per: Literal["месяц", "год"]
    source: Text
    note: str | None = None


class SalesSeason(Row):
    """The share of a product's yearly sales that falls in one month (steps 6, 11); a product's
    twelve shares add up to 1 (checked by the step that reads them)."""

    product_id: Text
    month: Month
    share: Share
    source: Text
    note: str | None = None


TABLES: dict[str, type[Row]] = {
    "course/methodology_steps": MethodologyStep,
    "lesson/villages": Village,
    "lesson/population_structure": PopulationGroup,
    "lesson/household_skills": HouseholdSkill,
    "lesson/economic_activities": EconomicActivity,
    "lesson/labour_calendar": LabourLoad,
    "lesson/raw_materials": RawMaterial,
    "lesson/raw_material_months": RawMaterialMonth,
    "lesson/product_ideas": ProductIdea,
    "lesson/market_segments": MarketSegment,
    "lesson/competitor_prices": CompetitorPrice,
    "lesson/recipe": RecipeItem,
    "lesson/product_batches": ProductBatch,
    "lesson/equipment": Equipment,
    "lesson/process_steps": ProcessStep,
    "lesson/producers": Producer,
    "lesson/test_batches": TrialBatch,
    "lesson/reference_indicators": ReferenceIndicator,
    "lesson/product_concepts": ProductConcept,
    "lesson/process_losses": ProcessLoss,
    "lesson/panel_scores": PanelScore,
    "lesson/process_alternatives": ProcessAlternative,
    "lesson/overheads": Overhead,
    "lesson/sales_seasonality": SalesSeason,
    "exercise/village_profile": VillageIndicator,
    "exercise/market_segments": MarketSegment,
    "exercise/competitor_prices": CompetitorPrice,
    "exercise/villages": Village,
    "exercise/labour_calendar": LabourLoad,
    "exercise/household_skills": HouseholdSkill,
    "exercise/raw_materials": RawMaterial,
    "exercise/raw_material_months": RawMaterialMonth,
    "exercise/product_ideas": ProductIdea,
    "exercise/product_concepts": ProductConcept,
    "exercise/recipe": RecipeItem,
    "exercise/process_losses": ProcessLoss,
    "exercise/product_batches": ProductBatch,
    "exercise/panel_scores": PanelScore,
    "exercise/process_steps": ProcessStep,
    "exercise/process_alternatives": ProcessAlternative,
    "exercise/equipment": Equipment,
    "exercise/overheads": Overhead,
    "exercise/sales_seasonality": SalesSeason,
    "exercise/reference_indicators": ReferenceIndicator,
}

DOCUMENTS: dict[str, type[Row]] = {
    "course/quiz_concept": Quiz,
}
