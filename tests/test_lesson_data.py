"""The lesson case (data/lesson/): every table loads, references between tables hold, the
numbers add up, and every figure that claims to be real names a known source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ovop_course.data import data_dir, load_table, read_table
from ovop_course.errors import OvopError
from ovop_course.schemas import AGE_GROUPS, TABLES, RawMaterialMonth, Village

INVENTED = "учебные данные (условные)"
LESSON = sorted(name for name in TABLES if name.startswith("lesson/"))
ROOT = Path(__file__).resolve().parents[1]
SOURCED_FACTS = ROOT / "docs" / "sourced_facts.md"  # copy of the project's sourced facts
ID_COLUMNS = {
    "villages": "village_id",
    "household_skills": "skill_id",
    "economic_activities": "activity_id",
    "raw_materials": "material_id",
    "product_ideas": "idea_id",
    "product_batches": "product_id",
    "equipment": "equipment_id",
    "producers": "producer_id",
    "test_batches": "batch_no",
    "reference_indicators": "indicator_id",
    "product_concepts": "product_id",
}


def table(short: str):
    return load_table(f"lesson/{short}")


def ids(short: str) -> set:
    return set(table(short)[ID_COLUMNS[short]])


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";")]


# ------------------------------------------------------------------ loading and identifiers


@pytest.mark.parametrize("name", LESSON)
def test_table_loads_with_rows(name):
    df = load_table(name)
    assert len(df) > 0
    assert list(df.columns) == list(TABLES[name].model_fields)


def test_every_lesson_file_is_registered():
    files = {f"lesson/{p.stem}" for p in (data_dir() / "lesson").glob("*.csv")}
    assert files == set(LESSON)


@pytest.mark.parametrize("short", sorted(ID_COLUMNS))
def test_ids_unique_and_ascii(short):
    column = table(short)[ID_COLUMNS[short]]
    assert column.is_unique
    if short != "test_batches":
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", v) for v in column), column.tolist()


# ------------------------------------------------------------------ step 1: territory


def test_population_structure_adds_up_to_villages():
    villages = table("villages").set_index("village_id")
    groups = table("population_structure")
    assert set(groups.village_id) == set(villages.index)
    assert len(groups) == len(villages) * len(AGE_GROUPS) * 2
    by_village = groups.groupby("village_id")
    working = groups[groups.age_group.isin(["16-28", "29-44", "45-62"])]
    for column, sums in {
        "population": by_village.people.sum(),
        "women": groups[groups.sex == "ж"].groupby("village_id").people.sum(),
        "working_age": working.groupby("village_id").people.sum(),
        "youth": groups[groups.age_group == "16-28"].groupby("village_id").people.sum(),
    }.items():
        assert sums.to_dict() == villages[column].to_dict(), column


def test_village_parts_within_totals():
    v = table("villages")
    assert (v.women <= v.population).all()
    assert (v.employed + v.underemployed + v.seasonal_migrants <= v.working_age).all()
    persons = v.population / v.households
    assert persons.between(3.5, 6).all(), "rural Kyrgyz households have ~4–5 people"


def test_skills_and_activities_within_aimak():
    v = table("villages")
    for short in ("household_skills", "economic_activities"):
        df = table(short)
        assert (df.households <= v.households.sum()).all(), short
        assert (df.people <= v.population.sum()).all(), short
    activities = table("economic_activities").set_index("activity_id")
    assert activities.loc["migration", "people"] == v.seasonal_migrants.sum()


def test_labour_calendar_complete_and_within_one():
    cal = table("labour_calendar")
    months = cal.groupby("occupation").month.apply(sorted)
    assert all(m == list(range(1, 13)) for m in months), months
    total = cal.groupby("month").load_share.sum()
    assert (total <= 1 + 1e-9).all(), total
    assert (1 - total).idxmax() in (12, 1, 2), "winter is when labour is free"
    assert (1 - total).idxmin() in (7, 8), "summer is the busy season"


# ------------------------------------------------------------------ step 2: raw materials


def test_every_material_has_twelve_months():
    months = table("raw_material_months")
    assert set(months.material_id) == ids("raw_materials")
    per_material = months.groupby("material_id").month.apply(sorted)
    assert all(m == list(range(1, 13)) for m in per_material)


def test_sea_buckthorn_season_and_storage():
    months = table("raw_material_months").set_index(["material_id", "month"])
    wild = months.loc["sea_buckthorn_wild"]
    assert set(wild[wild.supply == "свежее"].index) == {9, 10, 11}
    assert (wild.loc[[5, 6, 7, 8], "volume"] == 0).all()
    garden = months.loc["sea_buckthorn_garden"]
    stored = garden[garden.supply == "из запасов"]
    assert len(stored) > 0, "frozen storage extends availability"
    assert stored.price_som.min() > garden[garden.supply == "свежее"].price_som.max()


def test_stored_supply_only_for_storable_materials():
    materials = table("raw_materials").set_index("material_id")
    months = table("raw_material_months")
    stored = set(months[months.supply == "из запасов"].material_id)
    assert all(materials.loc[m, "storage_life_days"] >= 90 for m in stored)


# ------------------------------------------------------------------ steps 3-5: ideas, market


def test_ideas_reference_materials_and_skills():
    ideas = table("product_ideas")
    assert set(ideas.material_id) <= ids("raw_materials")
    assert set(ideas.skill_id) <= ids("household_skills")
    assert 6 <= len(ideas) <= 8


def test_market_segments_reference_ideas():
    seg = table("market_segments")
    assert set(seg.product_id) <= ids("product_ideas")
    assert not seg.duplicated(["segment_id", "product_id"]).any()
    assert (seg.groupby("segment_id").segment.nunique() == 1).all()
    assert (seg.groupby("segment_id").people.nunique() == 1).all()
    export = seg[seg.segment_id.str.startswith("export")]
    assert export.entry_requirements.notna().all()


def test_competitor_prices_reference_ideas():
    assert set(table("competitor_prices").product_id) <= ids("product_ideas")


# ------------------------------------------------------------------ steps 5-6: recipe, technology


def test_recipe_matches_batches_materials_and_prices():
    recipe = table("recipe")
    batches = ids("product_batches")
    assert set(recipe.product_id) == batches
    assert batches <= ids("product_ideas")
    materials = table("raw_materials").set_index("material_id")
    months = table("raw_material_months")
    local = recipe[recipe.material_id.notna()]
    assert set(local.material_id) <= set(materials.index)
    for row in local.itertuples():
        assert row.unit == materials.loc[row.material_id, "unit"], row.ingredient
        prices = months[months.material_id == row.material_id].price_som.dropna()
        assert prices.min() <= row.unit_price_som <= prices.max(), row.ingredient


def test_equipment_used_for_known_products():
    known = ids("product_ideas") | {"все"}
    for used_for in table("equipment").used_for:
        assert set(split_list(used_for)) <= known, used_for


def test_process_steps_reference_and_add_up():
    steps = table("process_steps")
    batches = table("product_batches").set_index("product_id")
    assert set(steps.product_id) <= set(batches.index)
    assert set(steps.equipment_id.dropna()) <= ids("equipment")
    assert set(steps.skill_id.dropna()) <= ids("household_skills")
    for product, group in steps.groupby("product_id"):
        assert sorted(group.step_no) == list(range(1, len(group) + 1))
        person_hours = (group.minutes * group.people).sum() / 60
        assert person_hours == pytest.approx(batches.loc[product, "labour_hours"])
    assert steps.control_point.sum() >= 3


def test_product_concepts_reference_ideas_batches_and_segments():
    concepts = table("product_concepts")
    assert set(concepts.product_id) <= ids("product_batches") & ids("product_ideas")
    assert "sb_juice" in set(concepts.product_id)
    seg = table("market_segments")
    for row in concepts.itertuples():
        own = set(seg[seg.product_id == row.product_id].segment_id)
        chosen = split_list(row.segment_ids)
        assert chosen and set(chosen) <= own and len(set(chosen)) == len(chosen), row.product_id
        assert split_list(row.hard_to_copy), row.product_id
    assert (concepts.source == INVENTED).all()


def test_process_losses_name_recipe_ingredients_and_give_the_batch():
    """Stages 1…n per product; ``applies_to`` names a raw ingredient of the product's recipe;
    the yield Y = Σ q_i Π(1 − l_s) (1 kg = 1 l) gives exactly the batch table's units:
    ⌊Y / unit size⌋ = units_per_batch (computed here by hand, not with the course's code)."""
    losses = table("process_losses")
    recipe = table("recipe")
    batches = table("product_batches").set_index("product_id")
    assert set(losses.product_id) == set(batches.index)
    per_kg = {"кг": 1.0, "г": 0.001, "л": 1.0, "мл": 0.001}
    for product, stages in losses.groupby("product_id"):
        assert sorted(stages.stage_no) == list(range(1, len(stages) + 1)), product
        raw = recipe[(recipe.product_id == product) & (recipe.kind == "сырьё")]
        left = {r.ingredient: r.quantity * per_kg[r.unit] for r in raw.itertuples()}
        named = set(stages.applies_to.dropna())
        assert named <= set(left), (product, named - set(left))
        for stage in stages.sort_values("stage_no").itertuples():
            for ingredient in (left if pd.isna(stage.applies_to) else [stage.applies_to]):
                left[ingredient] *= 1 - stage.loss_share
        size = batches.loc[product, "unit_size"] * per_kg[batches.loc[product, "unit_size_unit"]]
        units = batches.loc[product, "units_per_batch"]
        assert units * size <= sum(left.values()) < (units + 1) * size, product
    assert (losses[losses.applies_to.isna()].loss_share < 1).all()


def test_panel_scores_are_a_village_panel_of_the_nectar():
    scores = table("panel_scores")
    assert set(scores.product_id) == {"sb_juice"}
    assert 12 <= scores.panellist.nunique() <= 16
    assert 2 <= scores.variant.nunique() <= 3
    assert (scores.groupby("variant").variant_name.nunique() == 1).all()
    assert not scores.duplicated(["panellist", "variant", "attribute"]).any()
    assert scores.score.between(1, 9).all()
    cells = scores.groupby(["panellist", "variant"]).attribute.nunique()
    assert (cells == 5).all(), "each panellist scores every attribute of a variant tasted"
    tasted = scores.groupby("panellist").variant.nunique()
    incomplete = tasted[tasted < scores.variant.nunique()].index
    assert list(incomplete) == ["p15"], "one panellist left early (the lesson's dropped case)"
    assert scores[scores.panellist == "p15"].note.notna().any()
    assert (scores.source == INVENTED).all()


# ------------------------------------------------------------------ steps 7-9: people, batches


def test_producers_reference_villages_and_skills():
    producers = table("producers")
    skills = ids("household_skills")
    assert set(producers.village_id) <= ids("villages")
    for value in producers.skills:
        assert set(split_list(value)) <= skills, value
    assert (producers.role == "руководитель группы").sum() == 1


def test_test_batches_reference_market():
    batches = table("test_batches")
    seg = table("market_segments")
    pairs = set(zip(seg.segment_id, seg.product_id))
    assert set(batches.product_id) <= ids("product_batches")
    assert set(zip(batches.segment_id, batches.product_id)) <= pairs
    assert (batches.units_sold <= batches.units_made - batches.units_rejected).all()


# ------------------------------------------------------------------ sources


def known_sources() -> list[str]:
    """Source keys listed in data/README.md, section «Источники и учебные допущения»."""
    text = (data_dir() / "README.md").read_text(encoding="utf-8")
    section = text.split("## Источники и учебные допущения", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def test_known_sources_listed():
    assert len(known_sources()) >= 10


def test_source_keys_are_in_sourced_facts():
    facts = SOURCED_FACTS.read_text(encoding="utf-8")
    missing = [key for key in known_sources() if key not in facts]
    assert not missing


@pytest.mark.parametrize("name", LESSON)
def test_every_row_is_invented_or_sourced(name):
    keys = known_sources()
    for number, source in enumerate(load_table(name).source, start=2):
        if source == INVENTED:
            continue
        where = f"{name}.csv, строка {number}: {source}"
        assert any(key in source for key in keys), where
        if "учебные данные" in source:
            assert INVENTED in source, where


def test_invented_data_dominates_but_real_figures_exist():
    sources = [s for name in LESSON for s in load_table(name).source]
    real = [s for s in sources if s != INVENTED]
    assert 0 < len(real) < len(sources) / 2


# ------------------------------------------------------------------ schemas reject bad rows


def write_csv(folder: Path, text: str) -> Path:
    path = folder / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


VILLAGE_HEADER = ",".join(Village.model_fields) + "\n"
VILLAGE_ROW = "v,В,1000,250,{working},{women},100,300,100,50,10,1,стабильно,водопровод,4G,{src},\n"


def test_village_with_more_women_than_people_is_rejected(tmp_path):
    row = VILLAGE_ROW.format(working=600, women=1200, src=INVENTED)
    with pytest.raises(OvopError, match="строка 2.*population"):
        read_table(write_csv(tmp_path, VILLAGE_HEADER + row), Village)


def test_village_valid_row_is_accepted(tmp_path):
    row = VILLAGE_ROW.format(working=600, women=500, src=INVENTED)
    df = read_table(write_csv(tmp_path, VILLAGE_HEADER + row), Village)
    assert df.loc[0, "women"] == 500


@pytest.mark.parametrize(
    "row, message",
    [
        ("m,13,10,100,свежее", "month.*не больше 12"),
        ("m,9,10,,свежее", "supply = «нет»"),
        ("m,9,0,100,нет", "supply = «нет»"),
        ("m,9,10,100,мороженое", "supply.*не из списка"),
        ("m,9,10,1.5.0,свежее", "price_som.*ожидается число"),
    ],
)
def test_bad_month_rows_are_rejected(tmp_path, row, message):
    header = ",".join(RawMaterialMonth.model_fields) + "\n"
    path = write_csv(tmp_path, header + row + f",{INVENTED},\n")
    with pytest.raises(OvopError, match=message):
        read_table(path, RawMaterialMonth)


def test_share_above_one_is_rejected(tmp_path):
    from ovop_course.schemas import RawMaterial

    header = ",".join(RawMaterial.model_fields) + "\n"
    row = f"m,М,дикорос,кг,заморозка,270,1.4,{INVENTED},\n"
    with pytest.raises(OvopError, match="sustainable_share.*не больше 1"):
        read_table(write_csv(tmp_path, header + row), RawMaterial)
