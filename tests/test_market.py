"""Step 4, market analysis: segment demand, TAM/SAM/SOM, scenarios, competitor prices, the tool.

Expected values are worked out by hand from data/lesson/*.csv (the arithmetic is written next
to each number) or by a different algorithm (statistics.quantiles for quartiles), never by
calling the function under test.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import get_args

import ipywidgets as widgets
import nbformat
import pandas as pd
import pytest
from chart_helpers import drawn
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex

from ovop_course.charts import CourseFigure, kept, to_svg
from ovop_course.charts.market import (
    STATUS_COLOURS,
    FunnelChart,
    competitor_prices_figure,
    funnel_figure,
    segments_figure,
)
from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.i18n import set_language
from ovop_course.steps import market
from ovop_course.steps.ideas import select_ideas
from ovop_course.ui import market as ui
from ovop_course.ui._own_data import records
from ovop_course.ui.market import MarketTool
from ovop_course.workbook import (
    IdeasSection,
    MarketSection,
    OwnData,
    ShortlistedIdea,
    Workbook,
    load_workbook,
    save_workbook,
    saved_workbook,
)

ROOT = Path(__file__).resolve().parents[1]
SEGMENTS = load_table("lesson/market_segments")
COMPETITORS = load_table("lesson/competitor_prices")
REACHABLE = ("local", "karakol", "bishkek", "tourists")

# Nectar (sb_juice), base scenario, by hand: people × share × purchases × units.
JUICE_VOLUME = {"local": 68_000 * 0.02 * 3 * 1,          # 4 080
                "karakol": 85_600 * 0.03 * 4 * 1,        # 10 272
                "bishkek": 1_100_000 * 0.004 * 3 * 2,    # 26 400
                "tourists": 1_200_000 * 0.01 * 1 * 2,    # 24 000
                "export_kz": 500_000 * 0.002 * 2 * 2,    # 4 000
                "export_ru": 1_000_000 * 0.0005 * 2 * 2}  # 2 000
JUICE_PRICE = {"local": 180, "karakol": 230, "bishkek": 300, "tourists": 300,
               "export_kz": 380, "export_ru": 420}
JUICE_PRODUCER = {"local": 180.0, "karakol": 172.5, "bishkek": 195.0, "tourists": 225.0}
TAM_UNITS = 70_752                       # 4080 + 10272 + 26400 + 24000 + 4000 + 2000
TAM_SOM = 20_576_960                     # 734 400 + 2 362 560 + 7 920 000 + 7 200 000 + ...
SAM_UNITS = 64_752                       # without the two export segments
SAM_SOM = 18_216_960                     # 734 400 + 2 362 560 + 7 920 000 + 7 200 000
SAM_PRODUCER = 13_054_320                # 4080·180 + 10272·172.5 + 26400·195 + 24000·225


# Pastila (sb_candy), step 3's first idea, base scenario: people × share × purchases × units.
CANDY_VOLUME = {"local": 68_000 * 0.01 * 2 * 1,          # 1 360
                "karakol": 85_600 * 0.02 * 3 * 1,        # 5 136
                "bishkek": 1_100_000 * 0.003 * 3 * 2,    # 19 800
                "tourists": 1_200_000 * 0.015 * 1 * 2,   # 36 000
                "export_kz": 500_000 * 0.001 * 2 * 2,    # 2 000
                "export_ru": 1_000_000 * 0.0005 * 2 * 3}  # 3 000
CANDY_SAM = 62_296                       # 1360 + 5136 + 19 800 + 36 000
# producer prices 150, 180 × 0.75, 220 × 0.65, 240 × 0.75: 1360·150 + 5136·135 + 19 800·143
# + 36 000·180 = 10 208 760 som; SOM at 5 % = 510 438 som
CANDY_SOM_PRODUCER = 510_438


@pytest.fixture(autouse=True)
def no_workbook(tmp_path, monkeypatch):
    """Every test starts without a workbook (the tool reads step 3's shortlist from one)."""
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none" / "wb.json"))


def juice(scenario="base"):
    return market.segment_table(SEGMENTS, "sb_juice", scenario)


def juice_tool() -> MarketTool:
    tool = MarketTool()
    tool.set(product_id="sb_juice")
    return tool


# --- demand of segments ----------------------------------------------------------------------
def test_segment_volume_and_producer_price_by_hand():
    assert market.segment_volume(1_100_000, 0.004, 3, 2) == pytest.approx(26_400)
    assert market.producer_price(420, 0.5) == 210
    assert market.producer_price(180, 0) == 180


def test_segment_table_of_the_lesson_juice():
    table = juice()
    for sid, volume in JUICE_VOLUME.items():
        assert table.loc[sid, "volume_units"] == pytest.approx(volume)
        assert table.loc[sid, "value_som"] == pytest.approx(volume * JUICE_PRICE[sid])
    for sid, price in JUICE_PRODUCER.items():
        assert table.loc[sid, "producer_price_som"] == pytest.approx(price)
    assert list(table.index[table["needs_requirements"]]) == ["export_kz", "export_ru"]


def test_pessimistic_scenario_scales_share_and_purchases():
    table = juice("pessimistic")
    # Karakol: 85 600 × (0.03 × 0.7) × (4 × 0.7) × 1 = 5 033.28
    assert table.loc["karakol", "volume_units"] == pytest.approx(5_033.28)
    # tourists: 1 200 000 × 0.007 × 0.7 × 2 = 11 760
    assert table.loc["tourists", "volume_units"] == pytest.approx(11_760)


def test_optimistic_buyer_share_is_capped_at_one():
    segments = SEGMENTS.copy()
    segments.loc[0, "buyer_share"] = 0.9  # local juice: 0.9 × 1.3 = 1.17 → 1
    table = market.segment_table(segments, "sb_juice", "optimistic")
    assert table.loc["local", "buyer_share"] == 1
    assert table.loc["local", "volume_units"] == pytest.approx(68_000 * 1 * 3 * 1.3 * 1)


@pytest.mark.parametrize("call, message", [
    (lambda: market.segment_volume(0, 0.1, 1, 1), "«people»: значение 0 должно быть больше 0"),
    (lambda: market.segment_volume(100, 1.5, 1, 1),
     "«buyer_share»: значение 1.5 должно быть не больше 1"),
    (lambda: market.segment_volume(100, 0.1, -2, 1),
     "«purchases_per_year»: значение -2 должно быть больше 0"),
    (lambda: market.segment_volume(100, 0.1, 1, "два"), "«units_per_purchase»: «два» — не число"),
    (lambda: market.producer_price(100, 1), "«channel_margin»: значение 1 должно быть меньше 1"),
    (lambda: market.producer_price(-5, 0.2), "«price_som»: значение -5 должно быть больше 0"),
    (lambda: market.scenario_factor("rosy"), "Сценарий «rosy» неизвестен"),
    (lambda: market.segment_table(SEGMENTS, "herbal_tea"), "Продукта «herbal_tea» нет"),
    (lambda: market.market_funnel(juice(), REACHABLE, 0),
     "«obtainable_share»: значение 0 должно быть больше 0"),
    (lambda: market.market_funnel(juice(), REACHABLE, 1.2),
     "«obtainable_share»: значение 1.2 должно быть не больше 1"),
    (lambda: market.base_quantity(0, "г"), "«pack_size»: значение 0 должно быть больше 0"),
    (lambda: market.price_summary([100, float("nan")]),
     "«price_per_unit»: введите обычное конечное"),
    (lambda: market.price_summary(None), "хотя бы одну цену"),
])
def test_bad_values_get_russian_messages(call, message):
    with pytest.raises(OvopError, match=message):
        call()


@pytest.mark.parametrize("change, message", [
    (lambda df: df.iloc[0:0], "Таблица «сегменты рынка» пустая"),
    (lambda df: df.drop(columns="channel_margin"), "нет столбцов: channel_margin"),
    (lambda df: df.assign(buyer_share=[0.02, 1.5] + [0.01] * (len(df) - 2)),
     ("в таблице «сегменты рынка»:\n  строка 2, столбец «buyer_share»: значение «1.5» должно "
      "быть не больше 1")),
    (lambda df: df.assign(people=["много"] + [100] * (len(df) - 1)),
     "строка 1, столбец «people»: ожидается целое число, а записано «много»"),
    (lambda df: df.assign(channel_margin=1.0),
     "строка 1, столбец «channel_margin»: значение «1.0» должно быть меньше 1"),
    (lambda df: df.assign(segment=None),
     "строка 1, столбец «segment»: значение не заполнено — впишите его"),
    (lambda df: pd.concat([df, df.head(1)]), "записан дважды"),
])
def test_trainee_segment_tables_are_checked(change, message):
    with pytest.raises(OvopError, match=message):
        market.check_segments(change(SEGMENTS))


def test_a_trainee_may_leave_out_channel_requirements_and_source():
    own = SEGMENTS[["segment_id", "segment", "product_id", "people", "buyer_share",
                    "purchases_per_year", "units_per_purchase", "price_som", "channel_margin"]]
    clean = market.check_segments(own)
    assert set(clean["channel"]) == {"не указан"} and set(clean["entry_requirements"]) == {""}
    assert set(clean["source"]) == {"данные слушателя"}


@pytest.mark.parametrize("table, change, message", [
    ("competitors", {"pack_unit": "шт"}, "столбец «pack_unit»: значение «шт» не из списка"),
    ("competitors", {"price_som": -10}, "столбец «price_som»: значение «-10» должно быть больше 0"),
    ("competitors", {"seller": " "}, "столбец «seller»: текст слишком короткий"),
    ("products", {"unit_size": 0}, "столбец «unit_size»: значение «0.0» должно быть больше 0"),
    ("products", {"unit_size_unit": "бутылка"}, "столбец «unit_size_unit»: значение «бутылка»"),
])
def test_trainee_survey_and_units_are_checked(table, change, message):
    frame = HONEY_PRICES if table == "competitors" else HONEY_UNIT
    check = market.check_competitors if table == "competitors" else market.check_products
    bad = frame.copy()
    for column, value in change.items():
        bad.loc[0, column] = value
    name = "цены конкурентов" if table == "competitors" else "продукты"
    with pytest.raises(OvopError, match=f"в таблице «{name}»:\n  строка 1, {message}"):
        check(bad)


def test_pack_units_of_the_row_model_are_the_units_converted():
    assert set(get_args(market.PackUnit)) == set(market.UNITS)


# --- TAM, SAM, SOM -------------------------------------------------------------------------
def test_funnel_of_the_lesson_juice():
    table = juice()
    reach = market.split_reachable(table, REACHABLE, requirements_met=False)
    funnel = market.market_funnel(table, reach.included, 0.05)
    assert funnel.tam_units == pytest.approx(TAM_UNITS)
    assert funnel.tam_som == pytest.approx(TAM_SOM)
    assert funnel.sam_units == pytest.approx(SAM_UNITS)
    assert funnel.sam_som == pytest.approx(SAM_SOM)
    assert funnel.som_units == pytest.approx(3_237.6)        # 64 752 × 5 %
    assert funnel.som_som == pytest.approx(910_848)          # 18 216 960 × 5 %
    assert funnel.som_producer_som == pytest.approx(652_716)  # 13 054 320 × 5 %


def test_export_counts_only_when_eaeu_requirements_are_met():
    table = juice()
    chosen = (*REACHABLE, "export_kz")
    blocked = market.split_reachable(table, chosen, requirements_met=False)
    assert blocked.included == REACHABLE
    assert "ТР ТС 021/2011" in blocked.blocked["export_kz"]
    met = market.split_reachable(table, chosen, requirements_met=True)
    assert met.included == chosen and met.blocked == {}
    assert market.market_funnel(table, met.included, 1).sam_units == pytest.approx(
        SAM_UNITS + 4_000)


def test_unknown_segment_is_named():
    with pytest.raises(OvopError, match="Сегмента «moon» нет"):
        market.split_reachable(juice(), ["local", "moon"], False)


def test_scenarios_scale_demand_by_the_square_of_the_factor():
    funnels = market.scenario_funnels(market.scenario_tables(SEGMENTS, "sb_juice"), REACHABLE, 0.05)
    assert set(funnels) == {"pessimistic", "base", "optimistic"}
    assert funnels["pessimistic"].sam_units == pytest.approx(SAM_UNITS * 0.49)  # 0.7 × 0.7
    assert funnels["optimistic"].som_units == pytest.approx(3_237.6 * 1.69)     # 1.3 × 1.3


def test_producer_price_range_is_weighted_by_volume():
    prices = market.producer_price_range(juice(), REACHABLE)
    assert (prices.min, prices.max) == (172.5, 225.0)
    assert prices.base == pytest.approx(SAM_PRODUCER / SAM_UNITS)  # ≈ 201.60 сом
    with pytest.raises(OvopError, match="ни один доступный сегмент"):
        market.producer_price_range(juice(), ())


# --- competitor prices ---------------------------------------------------------------------
@pytest.mark.parametrize("price, size, unit, expected", [
    (190, 1000, "мл", (190, "л")), (250, 500, "мл", (500, "л")), (180, 50, "мл", (3600, "л")),
    (220, 370, "г", (220 / 0.37, "кг")), (700, 1, "кг", (700, "кг")), (90, 0.5, "л", (180, "л")),
])
def test_price_per_kg_or_litre(price, size, unit, expected):
    value, base = market.price_per_unit(price, size, unit)
    assert (value, base) == (pytest.approx(expected[0]), expected[1])


def test_unknown_pack_unit_is_refused():
    with pytest.raises(OvopError, match="«шт» не поддерживается"):
        market.base_quantity(1, "шт")


def test_competitor_table_and_summary_of_the_lesson_juice():
    table = market.competitor_table(COMPETITORS, "sb_juice")
    assert sorted(table["price_per_unit"]) == pytest.approx([190, 200, 210, 500])
    assert set(table["price_unit"]) == {"л"}
    s = market.price_summary(table["price_per_unit"])
    # sorted 190 200 210 500; type 7: q1 = 190 + 0.75·10, median = (200 + 210)/2,
    # q3 = 210 + 0.25·290
    assert (s.count, s.min, s.q1, s.median, s.q3, s.max) == (4, 190, 197.5, 205, 282.5, 500)
    low, median, high = market.unit_price_corridor(s, "л", 500, "мл")   # a 0.5 l bottle
    assert (low, median, high) == pytest.approx((98.75, 102.5, 141.25))


def test_jam_prices_are_per_kg():
    table = market.competitor_table(COMPETITORS, "sb_jam")
    assert sorted(table["price_per_unit"]) == pytest.approx([500, 220 / 0.37, 920])


def test_mass_and_volume_cannot_be_mixed():
    mixed = COMPETITORS.copy()
    mixed.loc[mixed["product_id"] == "sb_juice", "pack_unit"] = ["мл", "г", "мл", "мл"]
    with pytest.raises(OvopError, match="и за массу .* и за объём"):
        market.competitor_table(mixed, "sb_juice")
    summary = market.price_summary([100])
    with pytest.raises(OvopError, match="на кг, а цены конкурентов — за л"):
        market.unit_price_corridor(summary, "л", 250, "г")


def test_no_competitors_and_no_prices():
    with pytest.raises(OvopError, match="нет цен конкурентов"):
        market.competitor_table(COMPETITORS, "nothing")
    with pytest.raises(OvopError, match="хотя бы одну цену"):
        market.price_summary([])


# --- properties ----------------------------------------------------------------------------
positive = st.floats(0.01, 1e6, allow_nan=False)
share = st.floats(0, 1, allow_nan=False)


@st.composite
def segment_tables(draw):
    n = draw(st.integers(1, 6))
    return pd.DataFrame({
        "segment_id": [f"s{i}" for i in range(n)], "segment": [f"Сегмент {i}" for i in range(n)],
        "product_id": "p", "people": draw(st.lists(st.integers(1, 10**7), min_size=n,
                                                   max_size=n)),
        "buyer_share": draw(st.lists(share, min_size=n, max_size=n)),
        "purchases_per_year": draw(st.lists(st.floats(0.1, 50), min_size=n, max_size=n)),
        "units_per_purchase": draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n)),
        # prices up to 100 000 som: a segment worth more than 10¹⁵ som is refused as a mistake
        "price_som": draw(st.lists(st.floats(0.01, 1e5), min_size=n, max_size=n)),
        "channel_margin": draw(st.lists(st.floats(0, 0.99), min_size=n, max_size=n)),
        "entry_requirements": draw(st.lists(st.sampled_from(["", "ЕАЭС"]), min_size=n,
                                            max_size=n)),
    })


@settings(max_examples=60, deadline=None)
@given(segments=segment_tables(), data=st.data())
def test_som_within_sam_within_tam_and_scenarios_ordered(segments, data):
    ids = list(segments["segment_id"])
    chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
    obtainable = data.draw(st.floats(0.001, 1))
    reach = market.split_reachable(market.segment_table(segments, "p"), chosen,
                                   data.draw(st.booleans()))
    assert set(reach.included) | set(reach.blocked) == set(chosen)
    funnels = market.scenario_funnels(market.scenario_tables(segments, "p"), reach.included,
                                      obtainable)
    for f in funnels.values():
        assert 0 <= f.som_units <= f.sam_units * (1 + 1e-12) <= f.tam_units * (1 + 1e-9)
        assert 0 <= f.som_producer_som <= f.som_som * (1 + 1e-12)
    for field in ("tam_units", "sam_som", "som_units"):
        low, base, high = (getattr(funnels[s], field) for s in market.SCENARIOS)
        assert low <= base * (1 + 1e-12) and base <= high * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(people=st.integers(1, 10**7), buyer=share, purchases=st.floats(0.1, 50),
       units=st.floats(0.1, 10), k=st.integers(2, 5))
def test_volume_is_proportional_to_people(people, buyer, purchases, units, k):
    one = market.segment_volume(people, buyer, purchases, units)
    assert market.segment_volume(people * k, buyer, purchases, units) == pytest.approx(one * k)


@settings(max_examples=60, deadline=None)
@given(price=positive, grams=st.floats(1, 10_000))
def test_price_per_kg_does_not_depend_on_how_the_pack_is_written(price, grams):
    per_kg, unit = market.price_per_unit(price, grams, "г")
    assert unit == "кг"
    assert per_kg == pytest.approx(market.price_per_unit(price, grams / 1000, "кг")[0])
    assert per_kg == pytest.approx(market.price_per_unit(price, grams, "мл")[0])


@settings(max_examples=80, deadline=None)
@given(prices=st.lists(st.floats(1, 1e5), min_size=1, max_size=30))
def test_quartiles_agree_with_the_standard_library(prices):
    s = market.price_summary(prices)
    assert s.min <= s.q1 <= s.median <= s.q3 <= s.max
    assert s.median == pytest.approx(statistics.median(prices))
    if len(prices) > 1:
        q1, _, q3 = statistics.quantiles(prices, n=4, method="inclusive")
        assert (s.q1, s.q3) == (pytest.approx(q1), pytest.approx(q3))


# --- charts --------------------------------------------------------------------------------
def _texts(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\xa0", " ")


def test_funnel_figure_labels_every_level():
    funnel = market.market_funnel(juice(), REACHABLE, 0.05)
    fig = funnel_figure(funnel, "шт.", "базовый")
    assert isinstance(fig, CourseFigure) and len(fig.axes) == 2
    text = _texts(fig)
    for shown in ("70 752", "64 752", "3 238", "20 577", "4,6 % TAM"):
        assert shown in text
    widths = [p.get_width() for p in fig.axes[0].patches]   # shares of TAM
    assert widths == pytest.approx([1, SAM_UNITS / TAM_UNITS, 3_237.6 / TAM_UNITS])


def test_funnel_chart_moved_in_place_is_the_figure_drawn_anew():
    chart = FunnelChart()
    for product, scenario, included, share in (
            ("sb_juice", "base", REACHABLE, 0.05), ("sb_juice", "base", ("local",), 0.2),
            ("sb_juice", "optimistic", REACHABLE[:2], 1.0), ("honey_sb", "base", REACHABLE, 0.05),
            ("sb_candy", "optimistic", REACHABLE, 0.01)):
        funnel = market.market_funnel(market.segment_table(SEGMENTS, product, scenario),
                                      included, share)
        assert drawn(chart.svg(funnel, "шт.", scenario)) == drawn(to_svg(funnel_figure(
            funnel, "шт.", scenario)))


def test_funnel_chart_redraws_its_texts_in_a_new_ui_language():
    chart = FunnelChart()
    funnel = market.market_funnel(juice(), REACHABLE, 0.05)
    russian = chart.svg(funnel, "шт.", "базовый")
    set_language("en")
    try:
        english = chart.svg(funnel, "шт.", "базовый")
        assert drawn(english) == drawn(to_svg(funnel_figure(funnel, "шт.", "базовый")))
        assert english != russian
    finally:
        set_language("ru")


def test_segments_figure_colours_by_status():
    table = juice()
    fig = segments_figure(table, REACHABLE, {"export_kz": "ЕАЭС"}, "шт.")
    colours = [to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    expected = [STATUS_COLOURS["included"]] * 4 + [STATUS_COLOURS["blocked"],
                                                   STATUS_COLOURS["left_out"]]
    assert colours == [to_hex(c) for c in expected]
    assert [p.get_width() for p in fig.axes[0].patches] == pytest.approx(
        list(JUICE_VOLUME.values()))


def test_competitor_figure_has_a_row_per_competitor_and_segment():
    table = market.competitor_table(COMPETITORS, "sb_juice")
    summary = market.price_summary(table["price_per_unit"])
    fig = competitor_prices_figure(table, summary, "л", {"Каракол": 460.0})
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 5 and labels[-1] == "Наш продукт: Каракол"
    assert "Цены за 1 л" in fig.axes[0].get_title()


# --- the tool ------------------------------------------------------------------------------
TRAINEE = {"trainee": "Т", "aiyl_aimak": "А", "region": "Р"}


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    return path


def save_shortlist(ids: list[str]) -> None:
    """A workbook whose step 3 shortlist is ``ids`` (best first), as the ideas tool saves it."""
    names = load_table("lesson/product_ideas").set_index("idea_id")
    wb = load_workbook(create_if_missing=TRAINEE)
    wb.step03_ideas = IdeasSection(shortlist=[ShortlistedIdea(
        idea_id=i, idea=names.loc[i, "idea"] if i in names.index else i, material_id="m",
        score=70, rank=rank, stability_share=1, rank_min=1, rank_max=3)
        for rank, i in enumerate(ids, start=1)])
    save_workbook(wb)


def images(tool) -> dict[str, bytes]:
    return {tab: image.value for tab, image in tool.charts.images.items()}


def test_step3_shortlist_has_market_data_in_the_lesson_case():
    shortlist = list(select_ideas().shortlist.index)
    assert shortlist == ["sb_candy", "honey_sb", "sb_juice"]
    units = load_table("lesson/product_batches").set_index("product_id")
    for idea in shortlist:
        segments = SEGMENTS[SEGMENTS["product_id"] == idea]
        assert set(segments["segment_id"]) == set(JUICE_VOLUME), idea
        assert 3 <= (COMPETITORS["product_id"] == idea).sum() <= 4, idea
        assert idea in units.index, idea


def test_lesson_pastila_and_cream_honey_by_hand():
    candy = market.segment_table(SEGMENTS, "sb_candy")
    assert candy["volume_units"].to_dict() == pytest.approx(CANDY_VOLUME)
    # cream honey, Bishkek: 1 100 000 × 0.004 × 2 × 1 = 8 800 jars, 380 × (1 − 0.35) = 247 som
    honey = market.segment_table(SEGMENTS, "honey_sb")
    assert honey.loc["bishkek", ["volume_units", "producer_price_som"]].tolist() == \
        pytest.approx([8_800, 247])
    # per kg: 350/0.5 = 700, 320/0.3 ≈ 1 066.7, 280/0.25 = 1 120, 350/0.25 = 1 400
    prices = market.competitor_table(COMPETITORS, "honey_sb")["price_per_unit"]
    assert sorted(prices) == pytest.approx([700, 320 / 0.3, 1_120, 1_400])


def test_tool_opens_on_the_first_shortlisted_idea():
    tool = MarketTool()
    assert tool.error is None and tool.shortlist_source == "lesson"
    r = tool.result
    assert (r.product_id, r.unit, r.scenario) == ("sb_candy", "пакет 100 г", "base")
    assert r.reach.included == REACHABLE  # export is not ticked at the start
    assert r.funnel.sam_units == pytest.approx(CANDY_SAM)
    assert r.funnel.som_units == pytest.approx(CANDY_SAM * 0.05)
    assert tool.controls["obtainable_share"].number() == r.obtainable_share == 0.05   # a share
    # per kg 1 200, 1 700, 1 800, 2 200: q1 = 1 575, median 1 750, q3 = 1 900; × 0.1 kg
    assert r.corridor == pytest.approx((157.5, 175, 190))
    summary = tool.output.children[0].value.replace("\xa0", " ")
    assert "3 115 шт." in summary and f"{CANDY_SOM_PRODUCER:,} сом".replace(",", " ") in summary
    note = tool.widget.children[1].value
    assert "учебный случай" in note and "Облепиховая пастила, 100 г; Крем-мёд" in note


def test_shortlisted_products_come_first_and_the_others_stay_selectable():
    options = MarketTool().controls["product_id"].options
    assert [value for _, value in options] == ["sb_candy", "honey_sb", "sb_juice", "sb_oil",
                                               "sb_jam"]
    assert options[1][0] == "Крем-мёд с облепихой, 250 г — шаг 3, место 2"
    assert options[3][0] == "Облепиховое масло (масляный экстракт), 100 мл"


def test_the_workbooks_shortlist_comes_before_the_lesson_one(workbook_file):
    save_shortlist(["herbal_tea", "sb_jam", "sb_juice"])   # the tea has no market data
    tool = MarketTool()
    assert tool.shortlist_source == "workbook" and tool.result.product_id == "sb_jam"
    assert [v for _, v in tool.controls["product_id"].options][:2] == ["sb_jam", "sb_juice"]
    note = tool.widget.children[1].value
    assert "из вашей рабочей тетради" in note and "с листом облепихи, 50 г (нет данных о рынке)" \
        in note


def test_a_shortlist_without_market_data_falls_back_to_the_lesson_one(workbook_file):
    save_shortlist(["kurut"])
    tool = MarketTool()
    assert tool.shortlist_source == "lesson" and tool.result.product_id == "sb_candy"


def test_a_damaged_workbook_is_ignored_and_left_alone(workbook_file):
    workbook_file.write_text("{не json", encoding="utf-8")
    tool = MarketTool()
    assert tool.error is None and tool.result.product_id == "sb_candy"
    assert [p.name for p in workbook_file.parent.iterdir()] == ["wb.json"]  # no copy made
    assert workbook_file.read_text(encoding="utf-8") == "{не json"


def test_own_tables_without_a_matching_shortlist_open_on_their_first_product():
    tool = MarketTool(segments=HONEY_SEGMENTS, competitors=HONEY_PRICES, products=HONEY_UNIT)
    assert tool.shortlist == [] and tool.widget.children[1].value == ""


def test_only_the_open_tab_draws_its_chart():
    tool = MarketTool()
    shown = images(tool)
    assert shown["funnel"][:5] == b"<?xml" and shown["segments"] == shown["prices"] == b""
    tool.charts.widget.selected_index = 1
    assert images(tool)["segments"][:5] == b"<?xml" and images(tool)["prices"] == b""
    segments_before = images(tool)["segments"]
    tool.charts.widget.selected_index = 2
    assert images(tool)["prices"][:5] == b"<?xml"
    tool.set(reach_bishkek=False)          # the segments chart is closed: not redrawn now
    assert images(tool)["segments"] == segments_before
    tool.charts.widget.selected_index = 1           # opened again: drawn for the current values
    r = tool.result
    assert images(tool)["segments"] == to_svg(segments_figure(
        r.table, r.reach.included, r.reach.blocked, "шт."))


def test_charts_are_reused_for_inputs_seen_before_and_their_number_is_bounded(monkeypatch):
    monkeypatch.setattr(ui, "PICTURES_KEPT", 3)
    tool = MarketTool()
    chart = kept(FunnelChart)
    first, drawn, draw = images(tool)["funnel"], [], chart.svg
    monkeypatch.setattr(chart, "svg", lambda *a: drawn.append(a) or draw(*a))
    for share in (0.10, 0.15, 0.20):
        tool.set(obtainable_share=share)
        assert len(tool.charts.pictures) <= 3
    assert len(drawn) == 3 and images(tool)["funnel"] != first
    tool.set(obtainable_share=0.15)
    tool.set(obtainable_share=0.20)        # both still kept: nothing drawn
    assert len(drawn) == 3
    tool.set(obtainable_share=0.05)        # 5 % was dropped as the oldest: drawn again
    assert len(drawn) == 4 and images(tool)["funnel"] == first


def test_tool_follows_its_controls():
    tool = juice_tool()
    assert tool.result.funnel.som_units == pytest.approx(3_237.6)  # 64 752 × 5 %
    assert tool.result.corridor == pytest.approx((98.75, 102.5, 141.25))
    summary = tool.output.children[0].value.replace("\xa0", " ")
    assert "3 238 шт." in summary and "652 716 сом" in summary
    tool.set(obtainable_share=0.10)
    assert tool.result.funnel.som_units == pytest.approx(6_475.2)   # 64 752 × 10 %
    tool.set(scenario="pessimistic")
    assert tool.result.funnel.sam_units == pytest.approx(SAM_UNITS * 0.49)
    tool.set(scenario="base", reach_bishkek=False)
    assert tool.result.funnel.sam_units == pytest.approx(SAM_UNITS - 26_400)
    tool.set(product_id="sb_jam")
    assert tool.result.unit == "банка 250 г" and tool.result.price_unit == "кг"


def test_export_tick_needs_the_eaeu_tick():
    tool = juice_tool()
    tool.set(reach_export_kz=True)
    assert tool.result.reach.blocked and tool.result.funnel.sam_units == pytest.approx(SAM_UNITS)
    assert "Требования ЕАЭС выполнены" in tool.output.children[0].value
    tool.set(requirements_met=True)
    assert tool.result.funnel.sam_units == pytest.approx(SAM_UNITS + 4_000)


def test_no_reachable_segment_keeps_the_last_result():
    tool = MarketTool()
    tool.set(**{f"reach_{s}": False for s in REACHABLE[1:]})
    good = tool.result
    tool.set(reach_local=False)
    assert "ни один доступный сегмент" in tool.error and tool.result is good
    tool.set(reach_local=True)
    assert tool.error is None and tool.result.reach.included == ("local",)


@pytest.mark.parametrize("values, message", [
    ({"product_id": "honey"}, "не подходит для поля «Продукт»"),
    ({"scenario": "rosy"}, "не подходит для поля «Сценарий»"),
    ({"obtainable_share": "пять"}, "«пять» — не число"),
    ({"obtainable_share": "25"}, "25 — вне допустимого. Введите число от 0,5 % до 20 %"),
    ({"reach_local": "да"}, "не подходит"),
])
def test_bad_values_in_controls(values, message):
    tool = MarketTool()
    good = tool.result
    tool.set(**values)
    assert message in tool.error and tool.result is good


HONEY_SEGMENTS = pd.DataFrame({
    "segment_id": ["local", "naryn", "export_kz"],
    "segment": ["Село и район", "Нарын", "Экспорт: Казахстан"],
    "product_id": "honey", "people": [20_000, 40_000, 300_000],
    "buyer_share": [0.1, 0.05, 0.002], "purchases_per_year": [2, 2, 1],
    "units_per_purchase": [1, 1, 2], "price_som": [320, 380, 600],
    "channel_margin": [0, 0.2, 0.4],
    "entry_requirements": [None, None, "декларация ЕАЭС"],
})
HONEY_PRICES = pd.DataFrame({
    "product_id": "honey", "seller": ["базар", "магазин", "супермаркет"],
    "pack_size": [1, 500, 250], "pack_unit": ["кг", "г", "г"],
    "price_som": [600, 350, 200], "where_sold": ["Нарын", "Нарын", "Бишкек"],
})
HONEY_UNIT = pd.DataFrame({"product_id": ["honey"], "product": ["Эспарцетовый мёд"],
                           "unit_name": ["банка 0,5 кг"], "unit_size": [0.5],
                           "unit_size_unit": ["кг"]})


def test_tool_works_on_the_trainees_own_tables():
    tool = MarketTool(segments=HONEY_SEGMENTS, competitors=HONEY_PRICES, products=HONEY_UNIT)
    assert tool.error is None
    assert tool.controls["product_id"].options == (("Эспарцетовый мёд", "honey"),)
    r = tool.result
    assert r.reach.included == ("local", "naryn")  # export unticked: it has requirements
    # SAM = 20 000·0.1·2 + 40 000·0.05·2 = 4 000 + 4 000; SOM = 8 000 × 5 %
    assert r.funnel.som_units == pytest.approx(400)
    # per kg: 600, 700, 800 → median 700; per 0.5 kg jar: 350
    assert r.summary.median == 700 and r.corridor[1] == pytest.approx(350)
    assert (r.prices.min, r.prices.max) == (304, 320)   # 380 × 0.8 = 304; 320 × 1


def test_a_bad_trainee_table_is_a_message_in_the_tool():
    bad = HONEY_SEGMENTS.assign(buyer_share=[0.1, 5, 0.002])
    tool = MarketTool(segments=bad, competitors=HONEY_PRICES, products=HONEY_UNIT)
    assert tool.result is None
    assert "строка 2, столбец «buyer_share»" in tool.error
    no_unit = HONEY_UNIT.assign(product_id="other")
    tool = MarketTool(segments=HONEY_SEGMENTS, competitors=HONEY_PRICES, products=no_unit)
    assert "не указана единица продажи" in tool.error


def test_save_writes_what_steps_6_and_11_need(workbook_file):
    tool = juice_tool()
    tool.set(obtainable_share=0.10, reach_export_kz=True, requirements_met=True)
    assert "ещё не создана" in tool.save()
    load_workbook(create_if_missing=TRAINEE)
    (button,) = [w for w in tool.widget.children if isinstance(w, widgets.Button)]
    button.click()
    assert "Сохранено" in tool.message.value
    section = load_workbook().step04_market
    assert (section.product_id, section.unit, section.unit_size, section.unit_size_unit) == (
        "sb_juice", "бутылка 0,5 л", 500, "мл")
    assert section.reachable_segments == [*REACHABLE, "export_kz"]
    assert section.obtainable_share == pytest.approx(0.10)
    base = section.scenarios["base"]
    assert base.tam_units == pytest.approx(TAM_UNITS)
    assert base.som_units == pytest.approx((SAM_UNITS + 4_000) * 0.10)
    assert section.scenarios["pessimistic"].som_units == pytest.approx(base.som_units * 0.49)
    # producer prices: Almaty 380 × 0.55 = 209; lowest is Karakol 172.5, highest tourists 225
    assert (section.price_min_som, section.price_max_som) == (172.5, 225)
    assert (section.price_unit, section.competitor_median_price) == ("л", 205)
    assert (section.competitor_price_low, section.competitor_price_high) == (197.5, 282.5)


def test_save_keeps_the_trainees_notes(workbook_file):
    wb = load_workbook(create_if_missing=TRAINEE)
    wb.step04_market = MarketSection(notes="спросить цены в Караколе")
    save_workbook(wb)
    MarketTool().save()
    assert load_workbook().step04_market.notes == "спросить цены в Караколе"


# --- module 5 notebook ---------------------------------------------------------------------
def test_module05_teaches_step4_and_uses_the_tool():
    nb = nbformat.read(ROOT / "notebooks" / "05_market.ipynb", as_version=4)
    assert nb.metadata["ovop"] == {"module": 5, "title": "Анализ рынка"}
    text = " ".join(c.source for c in nb.cells).replace("**", "")
    step = load_table("course/methodology_steps").set_index("step").loc[4]
    for fact in (step["name"], step["ovop_plus_one_role"], "местный, город, экспорт", "TAM",
                 "SAM", "SOM", "ТР ТС 021/2011", "Ваш айыл аймак", "Самопроверка",
                 "Что дальше", "m05_market"):
        assert fact in text, fact
    shortlist = select_ideas().shortlist["idea"]
    for name in shortlist:  # the module says which products it analyses: step 3's shortlist
        assert name.split(",")[0].lower() in text.lower(), name
    assert "короткий список" in text
    assert f'product_id = "{shortlist.index[0]}"' in text
    tools = [c for c in nb.cells if c.cell_type == "code" and "ovop_course.tool(" in c.source]
    assert len(tools) == 2   # the lesson case and «Ваш айыл аймак» (the panel); the Python
    for cell in tools:       # way is text to copy (running the lesson builds no third tool)
        assert "\n" not in cell.source.strip() and "nbval-ignore-output" in cell.metadata["tags"]
    assert tools[1].source == 'import ovop_course; ovop_course.tool("market")'
    (python,) = [c.source for c in nb.cells if c.cell_type == "markdown"
                 and c.source.startswith("### Для тех, кто пишет на Python")]
    assert "```python" in python and "segments=my_segments" in python


# --- bad values: every class refused, none read as something else ------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: market.segment_volume(1e15, 1, 1e15, 1), "«volume_units»: получилось .* 10¹⁵"),
    (lambda: market.segment_volume(1e308, 0.1, 1, 1), "слишком большое число"),
    (lambda: market.segment_volume(100, 1.5, 1, 1), "«buyer_share»: значение 1.5"),
    (lambda: market.producer_price(300, 1), "«channel_margin»: значение 1 должно быть меньше 1"),
    (lambda: market.price_per_unit(100, 1e-320, "г"), "«price_per_unit»: получилось ∞"),
    (lambda: market.base_quantity(500, ["г"]), "Единица «\\['г'\\]» не поддерживается"),
    (lambda: market.scenario_factor(["base"]), "Сценарий «\\['base'\\]» неизвестен"),
    (lambda: market.segment_table(load_table("lesson/market_segments"), ["sb_juice"]),
     "Продукта «\\['sb_juice'\\]» нет в таблице"),
    (lambda: market.price_summary({1: 200, 2: 250}), "нужен список чисел"),
    (lambda: market.price_summary({200, 250}), "нужен список чисел"),
    (lambda: market.price_summary([200, 0]), "«price_per_unit»: значение 0 должно быть больше 0"),
    (lambda: market.price_summary([200, float("nan")]), "конечное число"),
])
def test_bad_market_values_are_refused(call, message):
    with pytest.raises(OvopError, match=message):
        call()


def test_a_segment_or_a_product_written_twice_is_refused():
    segments = load_table("lesson/market_segments")
    with pytest.raises(OvopError, match="записан дважды"):
        market.segment_table(pd.concat([segments, segments.iloc[[0]]]), "sb_juice")
    batches = load_table("lesson/product_batches")
    with pytest.raises(OvopError, match="повторяются строки \\(product_id\\): sb_juice"):
        market.check_products(pd.concat([batches, batches.iloc[[0]].assign(unit_size=250)]))


def test_a_misspelt_seller_type_or_unit_is_refused():
    prices = load_table("lesson/competitor_prices")
    with pytest.raises(OvopError, match="столбец «seller_type»: значение «осоп» не из списка"):
        market.check_competitors(prices.assign(seller_type="осоп"))
    market.check_competitors(prices.drop(columns="seller_type"))   # may be left out
    with pytest.raises(OvopError, match="столбец «pack_unit»: значение «Г» не из списка"):
        market.competitor_table(prices.assign(pack_unit="Г"), "sb_juice")


def test_a_huge_cell_of_a_segment_is_refused_not_summed_to_infinity():
    segments = load_table("lesson/market_segments")
    with pytest.raises(OvopError, match="столбец «price_som»: число 1e\\+300 слишком большое"):
        market.segment_table(segments.assign(price_som=1e300), "sb_juice")
    with pytest.raises(OvopError, match="столбец «purchases_per_year»: ожидается число, а "
                                        "записано «True»"):
        market.check_segments(segments.astype(object).assign(purchases_per_year=True))


def test_requirements_met_is_true_or_false_never_text():
    table = market.segment_table(load_table("lesson/market_segments"), "sb_juice")
    with pytest.raises(OvopError, match="нужно True \\(да\\) или False"):
        market.split_reachable(table, list(table.index), "нет")
    with pytest.raises(OvopError, match="нужен список кодов сегментов"):
        market.split_reachable(table, "karakol", False)


def test_market_results_are_plain_python_numbers():
    import numpy as np

    assert type(market.segment_volume(np.int64(100), np.float64(0.1), 2, 1)) is float
    price, unit = market.price_per_unit(np.float64(250), np.int64(500), "мл")
    assert type(price) is float and (price, unit) == (500.0, "л")
    summary = market.price_summary(np.array([190.0, 210.0, 200.0, 500.0]))
    assert all(type(getattr(summary, f)) is float for f in ("min", "q1", "median", "q3", "max"))
    corridor = market.unit_price_corridor(summary, "кг", 500, "г")
    assert all(type(v) is float for v in corridor) and corridor == pytest.approx(
        (98.75, 102.5, 141.25))


def test_a_pack_too_tiny_to_weigh_in_kg_is_refused_not_divided_by():
    # 5e-324 г is 0 кг in floating point: it was a ZeroDivisionError (found by the fuzz test)
    with pytest.raises(OvopError, match="pack_size"):
        market.price_per_unit(1, 5e-324, "г")


# --- what step 4 saved, as a later step reads it ----------------------------------------------
def test_saved_market_gives_the_saved_result_and_the_own_tables(tmp_path):
    path = tmp_path / "wb.json"
    book = Workbook.new("Т", "А", "Р")
    book.put_section("step04_market", MarketSection(product_id="sb_juice", product="Нектар",
                                                    price_base_som=210))
    mine = SEGMENTS[SEGMENTS["product_id"] == "sb_juice"].head(2)
    book.put_own_data("step04_market", OwnData(tables={"segments": records(mine)}))
    save_workbook(book, path)
    kept = path.read_bytes()
    sold = market.saved_market(saved_workbook(path))
    assert sold.origin == "tables" and sold.section.price_base_som == 210
    assert sold.segments["segment_id"].tolist() == mine["segment_id"].tolist()
    assert sold.competitors.equals(COMPETITORS)           # not kept: the lesson case's
    assert path.read_bytes() == kept                       # read, never written


@pytest.mark.parametrize("section", [
    None, MarketSection(notes="позже"),                         # no result saved
    MarketSection(updated_at="2025-01-01T00:00:00"),            # a result of no product
    MarketSection(product_id="sb_juice", own_data=OwnData(     # own tables set aside
        tables={"segments": records(SEGMENTS.head(1))}, use=False)),
])
def test_saved_market_is_the_lesson_case_without_step_4_in_the_workbook(section):
    book = Workbook.new("Т", "А", "Р")
    book.step04_market = section
    for sold in (market.saved_market(book), market.saved_market(None)):
        assert sold.origin == "lesson" and sold.section is None
        assert sold.segments.equals(SEGMENTS) and sold.competitors.equals(COMPETITORS)


def test_saved_market_of_a_damaged_workbook_is_the_lesson_case(tmp_path):
    path = tmp_path / "wb.json"
    path.write_text('{"schema_version": 3, "trainee": ""}', encoding="utf-8")  # invalid
    assert market.saved_market(saved_workbook(path)).origin == "lesson"
    assert [p.name for p in tmp_path.iterdir()] == ["wb.json"]                # no copy kept
