"""Step 1, territory analysis: calculations, summary rules, charts and the «territory» tool.

Expected values are worked out by hand from the lesson CSV files (the sums are written out in
the comments) or computed by a different route (plain loops over rows), never by calling the
function under test.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import re
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import pandas as pd
import pytest
from chart_helpers import drawn
from hypothesis import given, settings
from hypothesis import strategies as st

import ovop_course
from ovop_course.charts import to_svg
from ovop_course.charts.territory import (
    GREEN,
    VALUE_LABEL,
    VERMILION,
    LabourChart,
    labour_months_figure,
    population_pyramid_figure,
    skills_resources_figure,
)
from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.steps import territory
from ovop_course.workbook import (
    OwnData,
    TerritorySection,
    Workbook,
    load_workbook,
    save_workbook,
    saved_workbook,
)

# Lesson case, summed by hand over the four villages of data/lesson/villages.csv
# (Чычырканак, Таш-Суу, Көк-Жар, Жаңы-Талаа).
POPULATION = 2400 + 1650 + 1100 + 650            # 5 800
HOUSEHOLDS = 550 + 380 + 250 + 150               # 1 330
WORKING_AGE = 1392 + 956 + 616 + 358             # 3 322
EMPLOYED = 724 + 478 + 283 + 143                 # 1 628
UNDEREMPLOYED = 278 + 210 + 148 + 93             # 729
MIGRANTS = 139 + 115 + 86 + 64                   # 404
NOT_EMPLOYED = WORKING_AGE - EMPLOYED - UNDEREMPLOYED - MIGRANTS   # 561
# Free share of working time, labour_calendar.csv: 1 − (field + livestock + tourism + picking +
# hired work) for each month.
FREE = {1: 1 - (0.02 + 0.22 + 0.15), 2: 1 - (0.02 + 0.22 + 0.15), 3: 1 - (0.08 + 0.22 + 0.15),
        4: 1 - (0.30 + 0.18 + 0.15), 5: 1 - (0.35 + 0.15 + 0.02 + 0.02 + 0.15),
        6: 1 - (0.25 + 0.25 + 0.10 + 0.05 + 0.15), 7: 1 - (0.20 + 0.30 + 0.25 + 0.05 + 0.15),
        8: 1 - (0.30 + 0.20 + 0.25 + 0.05 + 0.15), 9: 1 - (0.35 + 0.15 + 0.05 + 0.15 + 0.15),
        10: 1 - (0.25 + 0.15 + 0.20 + 0.15), 11: 1 - (0.05 + 0.18 + 0.07 + 0.15),
        12: 1 - (0.02 + 0.22 + 0.15)}


@pytest.fixture(scope="module")
def lesson():
    return territory.lesson_data()


def calendar_of(loads: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"month": range(1, 13), "occupation": "все занятия", "load_share": loads})


def own_village(**change) -> dict:
    row = {"village_id": "v1", "village": "Жер-Уй", "population": 1000, "households": 250,
           "working_age": 600, "women": 500, "youth": 200, "employed": 300,
           "underemployed": 100, "seasonal_migrants": 50, "distance_karakol_km": 60,
           "distance_road_km": 2, "electricity": "стабильно", "water": "водопровод",
           "internet": "4G"}
    return {**row, **change}


# --- people ---------------------------------------------------------------------------------------

def test_lesson_totals_are_the_sums_of_the_villages(lesson):
    totals = territory.aimak_totals(lesson.villages)
    assert (totals.villages, totals.population, totals.households) == (4, POPULATION, HOUSEHOLDS)
    assert (totals.working_age, totals.employed) == (WORKING_AGE, EMPLOYED)
    assert (totals.underemployed, totals.seasonal_migrants) == (UNDEREMPLOYED, MIGRANTS)
    assert totals.not_employed == NOT_EMPLOYED == 561


def test_pyramid_sums_each_age_and_sex_over_villages(lesson):
    pyramid = territory.population_pyramid(lesson.structure)
    assert list(pyramid.index) == ["0-15", "16-28", "29-44", "45-62", "63+"]
    assert pyramid.loc["0-15", "ж"] == 388 + 267 + 183 + 108
    assert pyramid.loc["0-15", "м"] == 404 + 277 + 191 + 113
    assert pyramid.loc["63+", "ж"] == 130 + 90 + 66 + 43
    assert int(pyramid.to_numpy().sum()) == POPULATION
    working = pyramid.loc[list(territory.WORKING_AGE_GROUPS)].to_numpy().sum()
    assert working == WORKING_AGE


def test_pyramid_fills_missing_groups_with_zero_and_refuses_unknown_ones():
    table = pd.DataFrame({"age_group": ["16-28"], "sex": ["м"], "people": [7]})
    pyramid = territory.population_pyramid(table)
    assert pyramid.loc["16-28", "м"] == 7 and pyramid.loc["63+", "ж"] == 0
    allowed = ("строка 1, столбец «age_group»: значение «18-30» не из списка допустимых: "
               ".* или '63\\+'")
    with pytest.raises(OvopError, match=allowed):
        territory.population_pyramid(table.assign(age_group="18-30"))


# --- labour ---------------------------------------------------------------------------------------

def test_free_share_of_the_lesson_calendar(lesson):
    free = territory.free_time_share(lesson.calendar)
    assert list(free.index) == list(range(1, 13))
    for month, expected in FREE.items():
        assert free[month] == pytest.approx(expected), month
    assert free[7] == pytest.approx(0.05) and free[1] == pytest.approx(0.61)


def test_reserve_counts_the_chosen_groups(lesson):
    totals = territory.aimak_totals(lesson.villages)
    assert territory.labour_reserve(totals) == UNDEREMPLOYED
    assert territory.labour_reserve(totals, 0.2) == pytest.approx(729 + 80.8)
    assert territory.labour_reserve(totals, 0.2, count_not_employed=True) == pytest.approx(
        729 + 80.8 + 561)
    assert territory.labour_reserve(totals, 1.0) == UNDEREMPLOYED + MIGRANTS


def test_person_days_worked_by_hand(lesson):
    labour_reserve = 729 + 0.2 * 404                             # 809,8 people
    free = territory.free_time_share(lesson.calendar)
    days = territory.available_person_days(labour_reserve, free, working_days=22,
                                           participation=0.3)
    assert days[1] == pytest.approx(809.8 * 22 * 0.61 * 0.3)      # 3 260,25
    assert days[1] == pytest.approx(3260.2548)
    assert days[7] == pytest.approx(809.8 * 22 * 0.05 * 0.3)      # 267,23
    hours = territory.person_hours(days, 6)
    assert hours[1] == pytest.approx(3260.2548 * 6)
    assert territory.peak_and_low_months(days) == ([1, 2, 12], [7, 8])


@settings(max_examples=60, deadline=None)
@given(loads=st.lists(st.lists(st.floats(0, 0.25), min_size=4, max_size=4), min_size=12,
                      max_size=12),
       labour_reserve=st.floats(0, 5000), days=st.integers(1, 31), participation=st.floats(0, 1))
def test_person_days_match_a_plain_loop(loads, labour_reserve, days, participation):
    """Each month: labour_reserve × days × (1 − sum of its four loads) × participation, by a
    loop."""
    rows = [{"month": m, "occupation": f"дело {k}", "load_share": share}
            for m, month_loads in enumerate(loads, start=1)
            for k, share in enumerate(month_loads)]
    result = territory.available_person_days(labour_reserve,
                                             territory.free_time_share(pd.DataFrame(rows)),
                                             days, participation)
    for m, month_loads in enumerate(loads, start=1):
        busy = 0.0
        for share in month_loads:
            busy += share
        expected = labour_reserve * days * (1 - busy) * participation
        assert result[m] == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert 0 <= result[m] <= labour_reserve * days + 1e-9


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(0, 1e5), min_size=12, max_size=12),
       factor=st.floats(0.01, 100))
def test_peak_and_low_months_are_the_extremes_and_do_not_depend_on_scale(values, factor):
    days = pd.Series(values, index=range(1, 13))
    peak, low = territory.peak_and_low_months(days)
    assert peak and low
    assert all(days[m] >= max(values) - 1e-6 for m in peak)
    assert all(days[m] <= min(values) + 1e-6 for m in low)
    assert all(m in peak for m, v in enumerate(values, start=1) if v == max(values))
    assert all(m in low for m, v in enumerate(values, start=1) if v == min(values))
    scaled = territory.peak_and_low_months(pd.Series([round(v) * factor for v in values],
                                                     index=range(1, 13)))
    assert scaled == territory.peak_and_low_months(pd.Series([round(v) for v in values],
                                                             index=range(1, 13)))


@settings(max_examples=60, deadline=None)
@given(u=st.integers(0, 1000), m=st.integers(0, 1000), n=st.integers(0, 1000),
       s1=st.floats(0, 1), s2=st.floats(0, 1), count=st.booleans())
def test_reserve_lies_between_underemployed_and_all_groups(u, m, n, s1, s2, count):
    totals = territory.AimakTotals(1, 10_000, 2_000, u + m + n + 10, 0, 0, 10, u, m)
    low, high = sorted((s1, s2))
    r_low = territory.labour_reserve(totals, low, count)
    r_high = territory.labour_reserve(totals, high, count)
    assert u <= r_low <= r_high <= u + m + (n if count else 0) + 1e-9


# --- skills, activities, infrastructure -----------------------------------------------------------

def test_skill_shares_of_the_lesson(lesson):
    shares = territory.skill_shares(lesson.skills, HOUSEHOLDS).set_index("skill_id")["share"]
    assert shares["baking"] == pytest.approx(1000 / 1330)
    assert shares["jam_making"] == pytest.approx(900 / 1330)
    assert shares["wild_picking"] == pytest.approx(260 / 1330)   # 19,5 %: just below 20 %
    assert list(shares) == sorted(shares, reverse=True)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 500), min_size=1, max_size=8), extra=st.integers(1, 500))
def test_skill_shares_are_between_0_and_1(counts, extra):
    households = max(counts) + extra
    table = pd.DataFrame({"skill": [f"навык {i}" for i in range(len(counts))],
                          "households": counts})
    shares = territory.skill_shares(table, households)["share"]
    assert shares.between(0, 1).all()
    assert sorted(shares * households) == pytest.approx(sorted(counts))


def test_raw_sale_share_of_the_lesson(lesson):
    # people selling raw produce: potatoes 1100, grain 300, livestock 1400, milk 500,
    # orchards 450, sea buckthorn 350, honey 60 = 4 160 of 5 264 in all activities
    assert territory.raw_sale_share(lesson.activities) == pytest.approx(4160 / 5264)


@settings(max_examples=60, deadline=None)
@given(people=st.lists(st.integers(1, 5000), min_size=1, max_size=6), data=st.data())
def test_resident_share_and_its_complement_add_up_to_one(people, data):
    flags = data.draw(st.lists(st.booleans(), min_size=len(people), max_size=len(people)))
    villages = pd.DataFrame({"population": people})
    condition = pd.Series(flags)
    share = territory.resident_share(villages, condition)
    assert share + territory.resident_share(villages, ~condition) == pytest.approx(1)
    assert share == pytest.approx(sum(p for p, f in zip(people, flags) if f) / sum(people))


# --- summary --------------------------------------------------------------------------------------

def test_lesson_summary_names_its_strengths_and_gaps(lesson):
    checks = {c.rule_id: c for c in territory.territory_summary(lesson)}
    hit = {k for k, c in checks.items() if c.triggered}
    assert hit == {"skills", "reserve", "youth", "road", "free_months", "electricity", "water",
                   "migration", "raw_sale", "busy_months"}
    assert not checks["market"].triggered            # farthest: Жаңы-Талаа, 47 km ≤ 50 km
    assert "Жаңы-Талаа, 47 км" in checks["market"].value
    assert not checks["internet"].triggered          # 650 of 5 800 = 11 % ≤ 20 %
    assert len(checks["skills"].findings) == 5       # baking, jam, dairy, drying, online sales
    assert all(c.kind == "strength" for k, c in checks.items()
               if k in {"skills", "reserve", "youth", "road", "free_months"})
    strengths, gaps = territory.strengths_and_gaps(list(checks.values()))
    assert "Навык «Выпечка (боорсок, нан)»: 1\xa0000 из 1\xa0330 домохозяйств (75%)" in strengths
    assert any(g.startswith("Ненадёжное электричество: 1\xa0750 из 5\xa0800 жителей (30%)")
               for g in gaps)
    assert any("июль 5%, август 5%, сентябрь 15%" in g for g in gaps)
    assert any("729 из 3\xa0322 трудоспособных (22%)" in s for s in strengths)


@pytest.mark.parametrize(("km", "far"), [(50, False), (50.5, True)])
def test_market_rule_is_more_than_50_km(km, far):
    data = territory.own_data(pd.DataFrame([own_village(distance_karakol_km=km)]),
                              calendar_of([0.5] * 12))
    check = next(c for c in territory.territory_summary(data, market="Нарын")
                 if c.rule_id == "market")
    assert check.triggered is far
    if far:
        assert check.findings == ["Далеко от рынка: Жер-Уй — 50,5 км до рынка (Нарын)"]
    else:
        assert check.value == "самое дальнее село — Жер-Уй, 50 км"


@pytest.mark.parametrize(("households", "strong"), [(50, True), (49, False)])
def test_skill_rule_is_at_least_20_percent(households, strong):
    skills = pd.DataFrame([{"skill_id": "honey", "skill": "Пчеловодство",
                            "households": households, "people": households,
                            "women_share": 0.2}])
    data = territory.own_data(pd.DataFrame([own_village()]), calendar_of([0.5] * 12), skills=skills)
    check = next(c for c in territory.territory_summary(data) if c.rule_id == "skills")
    assert check.triggered is strong                   # 50 / 250 = 20 % exactly


def test_infrastructure_rule_is_more_than_20_percent_of_residents():
    villages = pd.DataFrame([own_village(village_id="a", population=800, households=200),
                             own_village(village_id="b", village="Тоо", population=200,
                                         households=50, working_age=100, women=90, youth=30,
                                         employed=50, underemployed=20, seasonal_migrants=10,
                                         electricity="перебои", water="колонки")])
    checks = {c.rule_id: c for c in territory.territory_summary(territory.own_data(villages,
                                                                       calendar_of([0.5] * 12)))}
    assert not checks["electricity"].triggered           # 200 / 1 000 = 20 %: not more
    villages.loc[1, "population"] = 201
    checks = {c.rule_id: c for c in territory.territory_summary(territory.own_data(villages,
                                                                       calendar_of([0.5] * 12)))}
    assert checks["electricity"].triggered and checks["water"].triggered


def test_month_rules_on_a_flat_calendar_show_the_closest_month():
    data = territory.own_data(pd.DataFrame([own_village()]), calendar_of([0.6] * 11 + [0.7]))
    checks = {c.rule_id: c for c in territory.territory_summary(data)}
    assert not checks["free_months"].triggered and not checks["busy_months"].triggered
    assert checks["free_months"].value == "январь 40%"
    assert checks["busy_months"].value == "декабрь 30%"
    assert "skills" not in checks and "raw_sale" not in checks   # no such tables given


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: territory.free_time_share(
        calendar_of([0.5] * 12).assign(month=[13] + list(range(2, 13)))),
     "строка 1, столбец «month»: значение «13» должно быть не больше 12"),
    (lambda: territory.free_time_share(calendar_of([0.5] * 12).iloc[:11]), "нет месяцев 12"),
    (lambda: territory.free_time_share(calendar_of([0.5] * 11 + [1.5])),
     "столбец «load_share»: значение «1.5» должно быть не больше 1"),
    (lambda: territory.free_time_share(pd.concat([calendar_of([0.6] * 12),
                                                  calendar_of([0.6] * 12).assign(
                                                      occupation="огород")])),
     "больше 1 в месяцах 1, 2"),
    (lambda: territory.free_time_share(pd.concat([calendar_of([0.3] * 12),
                                                  calendar_of([0.3] * 12)])),
     "повторяются строки \\(month, occupation\\): 1 / все занятия, 2 / все занятия"),
    (lambda: territory.free_time_share(pd.DataFrame()), "пустая"),
    (lambda: territory.free_time_share([1, 2]), "«calendar»: нужна таблица"),
    (lambda: territory.free_time_share(pd.DataFrame({"month": [1]})), "нет столбцов: load_share"),
    (lambda: territory.labour_reserve(territory.AimakTotals(1, 10, 2, 5, 5, 1, 1, 1, 1), 1.5),
     "«Доля сезонных мигрантов, которые останутся»: значение 1.5 должно быть не больше 1"),
    (lambda: territory.available_person_days(10, pd.Series([0.5] * 12), 0, 0.5),
     "«Рабочих дней в месяце»: значение 0 должно быть не меньше 1"),
    (lambda: territory.available_person_days(10, pd.Series([0.5] * 12), 32, 0.5), "не больше 31"),
    (lambda: territory.available_person_days(10, pd.Series([0.5] * 12), "20", 0.5), "не число"),
    (lambda: territory.available_person_days(10, pd.Series([0.5] * 12), 20, -0.1),
     "«Доля резерва, которая включится в дело»: значение -0.1 должно быть не меньше 0"),
    (lambda: territory.available_person_days(-1, pd.Series([0.5] * 12), 20, 0.5),
     "«резерв труда, чел.»: значение -1 должно быть не меньше 0"),
    (lambda: territory.available_person_days(10, pd.Series([0.5] * 11), 20, 0.5),
     "нужно 12 значений, с января по декабрь, а дано 11"),
    (lambda: territory.person_hours(pd.Series([1.0]), 13),
     "«Часов в рабочем дне, ч»: значение 13 должно быть не больше 12"),
    (lambda: territory.person_hours(pd.Series([1.0]), math.nan), "конечное число"),
    (lambda: territory.skill_shares(pd.DataFrame({"skill": ["мёд"], "households": [300]}), 250),
     "владеют 300 домохозяйств, а всего в аймаке 250"),
    (lambda: territory.skill_shares(pd.DataFrame({"skill": ["мёд"], "households": [-1]}), 250),
     "(?s)«skills».*строка 1, столбец «households»: значение «-1» должно быть не меньше 0"),
    (lambda: territory.skill_shares(pd.DataFrame({"skill": ["мёд"], "households": [1]}), 0),
     "«домохозяйств в аймаке»: значение 0 должно быть больше 0"),
    (lambda: territory.raw_sale_share(pd.DataFrame({"people": [-5], "value_added": ["сырьё"]})),
     "(?s)«activities».*строка 1, столбец «people»: значение «-5» должно быть не меньше 0"),
    (lambda: territory.aimak_totals(pd.DataFrame([own_village(employed=600)])),
     "больше, чем людей"),
])
def test_bad_input_gets_a_russian_message(call, message):
    with pytest.raises(OvopError, match=message):
        call()


def test_own_tables_are_checked_with_row_and_column():
    with pytest.raises(OvopError) as e:
        territory.own_data(pd.DataFrame([own_village(), own_village(village_id="v2",
                                                                    electricity="иногда")]),
                           calendar_of([0.5] * 12))
    text = str(e.value)
    assert "Ошибки в таблице «villages»" in text
    assert "строка 2, столбец «electricity»" in text and "иногда" in text
    with pytest.raises(OvopError, match="нет столбцов: internet"):
        territory.own_data(pd.DataFrame([own_village()]).drop(columns="internet"),
                           calendar_of([0.5] * 12))
    with pytest.raises(OvopError, match="нужна таблица «calendar»"):
        territory.own_data(pd.DataFrame([own_village()]), None)
    with pytest.raises(OvopError, match="повторяются: v1"):
        territory.own_data(pd.DataFrame([own_village(), own_village()]), calendar_of([0.5] * 12))
    structure = pd.DataFrame({"village_id": ["x"], "age_group": ["0-15"], "sex": ["ж"],
                              "people": [5]})
    with pytest.raises(OvopError, match="нет в таблице villages: x"):
        territory.own_data(pd.DataFrame([own_village()]), calendar_of([0.5] * 12),
                           structure=structure)


def test_own_tables_may_leave_out_source_and_note():
    data = territory.own_data(pd.DataFrame([own_village(note=math.nan)]), calendar_of([0.5] * 12))
    assert data.villages.loc[0, "source"] == "данные слушателя"
    assert data.villages.loc[0, "note"] is None


# --- charts ---------------------------------------------------------------------------------------

def test_pyramid_figure_draws_men_left_and_women_right(lesson):
    fig = population_pyramid_figure(territory.population_pyramid(lesson.structure))
    bars = fig.axes[0].patches
    widths = sorted(round(b.get_width()) for b in bars)
    assert widths[0] == -(404 + 277 + 191 + 113)                 # men 0–15, the widest left
    assert widths[-1] == 388 + 267 + 183 + 108                    # women 0–15, widest right
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert labels[0] == "0–15 лет" and labels[-1] == "63+ лет"


def test_labour_figure_colours_peak_and_low_months():
    days = pd.Series([10.0, 50.0] + [30.0] * 9 + [5.0], index=range(1, 13))
    fig = labour_months_figure(days, peak=[2], low=[12])
    bars = [b for b in fig.axes[0].patches if b.get_width() == pytest.approx(0.8)]
    assert [round(b.get_height()) for b in bars] == [10, 50] + [30] * 9 + [5]
    assert bars[1].get_facecolor() == pytest.approx(_rgba(GREEN))
    assert bars[11].get_facecolor() == pytest.approx(_rgba(VERMILION))
    assert fig.axes[0].get_ylabel() == "человеко-дней в месяц"
    numbers = [x.get_text() for x in fig.axes[0].texts if x.get_gid() == VALUE_LABEL]
    assert numbers == ["10", "50"] + ["30"] * 9 + ["5"]      # the numbers stand on the bars


@pytest.mark.parametrize("factor", [1.0, 3.7, 0.02])
def test_labour_chart_redrawn_fast_is_the_figure_drawn_anew(factor):
    """After a change of scale only the numbers are replaced in the kept figure: the SVG must
    still be exactly the whole figure drawn anew (bars, numbers, colours)."""
    base = pd.Series([1200.0, 3400.0] + [2000.0] * 9 + [300.0], index=range(1, 13))
    chart = LabourChart()
    chart.svg(base, [2], [12])
    days = base * factor
    fresh = to_svg(labour_months_figure(days, [2], [12]))
    assert drawn(chart.svg(days, [2], [12])) == drawn(fresh)


def test_labour_chart_draws_a_new_picture_when_the_shape_changes():
    chart = LabourChart()
    chart.svg(pd.Series([5.0] * 11 + [1.0], index=range(1, 13)), [1], [12])
    other = pd.Series([1.0] + [5.0] * 11, index=range(1, 13))
    fresh = to_svg(labour_months_figure(other, [2], [1]))
    assert drawn(chart.svg(other, [2], [1])) == drawn(fresh)


def test_skills_figure_without_tables_says_no_data(lesson):
    fig = skills_resources_figure(None, None, 0.2)
    assert [x.get_text() for ax in fig.axes for x in ax.texts] == ["нет данных", "нет данных"]
    shares = territory.skill_shares(lesson.skills, HOUSEHOLDS)
    fig = skills_resources_figure(shares, lesson.activities, 0.2)
    green = [b for b in fig.axes[0].patches if b.get_facecolor() == pytest.approx(_rgba(GREEN))]
    assert len(green) == 5


def _rgba(colour: str) -> tuple:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


# --- the tool -------------------------------------------------------------------------------------

@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    return path


def test_tool_starts_on_the_lesson_case():
    tool = ovop_course.tool("territory")
    assert tool.error is None
    assert tool.result.labour_reserve == pytest.approx(809.8)
    assert tool.result.person_days[1] == pytest.approx(3260.2548)
    assert "Резерв труда = частично занятые 729 + 20% × мигранты 404 + незанятые 0 = 810 чел." \
        in tool.numbers.value.replace("\xa0", " ")
    assert tool.labour_image.value[:5] == b"<?xml"
    tabs = tool.output.children[0]
    assert isinstance(tabs, widgets.Tab) and len(tabs.children) == 5


def _images(box) -> list:
    return [w for w in box.children if isinstance(w, widgets.Image)]


def test_data_tabs_draw_their_chart_when_first_opened():
    tool = ovop_course.tool("territory")
    tabs = tool.output.children[0]
    people, skills = tabs.children[2], tabs.children[3]
    assert _images(people) == [] and _images(skills) == []    # not drawn before they are opened
    assert "Чычырканак" in people.children[0].value            # the villages table is there
    tabs.selected_index = 2
    assert [i.value[:5] for i in _images(people)] == [b"<?xml"]
    tabs.selected_index = 3
    tabs.selected_index = 2
    assert len(_images(people)) == 1 and len(_images(skills)) == 1   # drawn once


def test_people_tab_without_structure_says_so():
    tool = ovop_course.tool("territory", villages=pd.DataFrame([own_village()]),
                            calendar=calendar_of([0.5] * 12))
    tabs = tool.output.children[0]
    tabs.selected_index = 2
    assert "Нет таблицы structure" in tabs.children[2].children[0].value


def test_controls_change_the_result_as_the_formula_says():
    tool = ovop_course.tool("territory")
    tool.set(participation=0.6)
    assert tool.result.person_days[1] == pytest.approx(3260.2548 * 2)
    tool.set(count_not_employed=True, migrant_stay_share=0.5)
    assert tool.result.labour_reserve == pytest.approx(729 + 202 + 561)
    tool.set(working_days=11, hours_per_day=4)
    assert tool.result.person_days[7] == pytest.approx(1492 * 11 * 0.05 * 0.6)
    assert tool.result.person_hours[7] == pytest.approx(1492 * 11 * 0.05 * 0.6 * 4)
    assert tool.error is None


@pytest.mark.parametrize(("control", "value"), [
    ("working_days", "двадцать"), ("participation", None), ("hours_per_day", [8]),
    ("count_not_employed", "да"), ("migrant_stay_share", float("nan")),
])
def test_bad_control_values_keep_the_last_good_result(control, value):
    tool = ovop_course.tool("territory")
    good = tool.result
    tool.set(**{control: value})
    assert tool.error and any("а" <= c <= "я" for c in tool.error.lower())
    assert tool.result is good
    assert "Traceback" not in tool.message.value


def test_tool_takes_the_trainees_own_tables():
    villages = pd.DataFrame([own_village(), own_village(village_id="v2", village="Тоо",
                                                        distance_karakol_km=80)])
    tool = ovop_course.tool("territory", villages=villages, calendar=calendar_of([0.5] * 12),
                            market="Нарын")
    assert tool.error is None
    assert tool.result.totals.population == 2000
    assert tool.result.labour_reserve == pytest.approx(200 + 0.2 * 100)
    assert tool.result.peak_months == list(range(1, 13))
    assert "Далеко от рынка: Жер-Уй — 60 км до рынка (Нарын)" in tool.result.gaps
    assert not any(s.startswith("Навык") for s in tool.result.strengths)   # no skills table


def test_tool_with_bad_own_data_shows_what_to_fix(workbook_file):
    tool = ovop_course.tool("territory", villages=pd.DataFrame([own_village(population=-5)]),
                            calendar=calendar_of([0.5] * 12))
    assert "Ошибки в таблице «villages»" in tool.error and "population" in tool.error
    assert tool.result is None
    assert "нечего сохранять" in tool.save()


def test_save_writes_the_section_and_keeps_notes(workbook_file):
    save_workbook(Workbook.new(trainee="Т", aiyl_aimak="А", region="Р"), workbook_file)
    tool = ovop_course.tool("territory")
    assert "Сохранено" in tool.save()
    section = load_workbook(workbook_file).step01_territory
    assert (section.villages, section.population, section.households) == (4, 5800, 1330)
    assert section.working_age == WORKING_AGE and section.labour_reserve == pytest.approx(809.8)
    assert len(section.person_days) == 12
    assert section.person_days[0] == pytest.approx(3260.3, abs=0.05)
    assert (section.peak_months, section.low_months) == ([1, 2, 12], [7, 8])
    assert section.hours_per_day == 8
    assert len(section.strengths) == 9 and len(section.gaps) == 5

    wb = load_workbook(workbook_file)
    wb.step01_territory = section.model_copy(update={"notes": "обсудить с айыл окмоту"})
    save_workbook(wb, workbook_file)
    tool.set(participation=0.5)
    tool.save()
    again = load_workbook(workbook_file).step01_territory
    assert again.notes == "обсудить с айыл окмоту"
    assert again.person_days[0] == pytest.approx(809.8 * 22 * 0.61 * 0.5, abs=0.05)


def test_section_refuses_a_wrong_number_of_months():
    with pytest.raises(ValueError):
        TerritorySection(person_days=[1.0] * 11)
    assert TerritorySection().person_days is None


def test_tool_is_quick_enough_to_follow_a_slider():
    import time

    tool = ovop_course.tool("territory")
    start = time.perf_counter()
    tool.compute(**tool.values())
    assert time.perf_counter() - start < 0.05


def test_lesson_tables_are_the_data_files():
    assert territory.lesson_data().villages.equals(load_table("lesson/villages"))


# --- the notebook (module 2) ----------------------------------------------------------------------

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_territory.ipynb"


def _cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def test_notebook_teaches_the_labour_model():
    text = " ".join(c.source for c in _cells()).replace("\n", " ").replace("**", "")
    for topic in ("резерв труда", "человеко-дн", "сезонный календарь", "пирамид"):
        assert topic in text, topic


def test_notebook_is_clean_and_its_tool_cells_are_one_tagged_line():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["ovop"] == {"module": 2, "title": "Анализ территории"}
    cells = nb.cells
    assert "Цели модуля" in cells[0].source and "Время:" in cells[0].source
    assert cells[-1].source.startswith("## Что дальше")
    tools = [c for c in cells if c.cell_type == "code" and "tool(" in c.source]
    assert len(tools) == 2   # the lesson case and «Ваш айыл аймак» (the panel); the Python
    for cell in tools:       # way is text to copy (running the lesson builds no third tool)
        assert "\n" not in cell.source.strip() and "nbval-ignore-output" in cell.metadata["tags"]
    assert tools[1].source == 'import ovop_course; ovop_course.tool("territory", market="Нарын")'
    assert "villages=my_villages, calendar=my_calendar" in _python_way()
    for cell in cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def _python_way() -> str:
    """The code of «Для тех, кто пишет на Python»: a ```python block of its text, to copy."""
    (cell,) = [c.source for c in _cells() if c.cell_type == "markdown"
               and c.source.startswith("### Для тех, кто пишет на Python")]
    (code,) = re.findall(r"```python\n(.*?)```", cell, re.DOTALL)
    return code


def test_your_aimak_example_works_with_the_tool(tmp_path, monkeypatch):
    """The «Ваш айыл аймак» tables of the notebook's Python way, run as a trainee would, give
    no error and the reserve worked out by hand from them."""
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none.json"))
    namespace: dict = {}
    tables = _python_way().split("\novop_course.tool(")[0]
    assert "my_villages =" in tables
    exec(tables, namespace)  # noqa: S102 — the notebook's own example
    tool = ovop_course.tool("territory", villages=namespace["my_villages"],
                            calendar=namespace["my_calendar"], skills=namespace["my_skills"],
                            market="Нарын")
    assert tool.error is None
    assert tool.result.labour_reserve == pytest.approx(260 + 120 + 0.2 * (150 + 70))


# --- bad values: every class refused, none read as something else ------------------------------

def test_documented_defaults_are_22_days_8_hours_and_30_percent(lesson):
    free = territory.free_time_share(lesson.calendar)
    days = territory.available_person_days(100, free)
    assert days[1] == pytest.approx(100 * 22 * FREE[1] * 0.3)
    assert territory.person_hours(days)[1] == pytest.approx(100 * 22 * FREE[1] * 0.3 * 8)


@pytest.mark.parametrize("free", [
    [FREE[m] for m in range(1, 13)], tuple(FREE[m] for m in range(1, 13)), dict(FREE),
    {m: FREE[m] for m in sorted(FREE, reverse=True)}, pd.Series(FREE),
    pd.Series([FREE[m] for m in range(1, 13)]),
])
def test_months_keep_their_numbers_whatever_the_container(free):
    """A plain list is January…December, a dict and a Series are read by their months: the
    result is indexed by month 1–12 and its peak and low are month numbers, not positions."""
    days = territory.available_person_days(100, free, 22, 0.3)
    assert list(days.index) == list(range(1, 13))
    assert days.tolist() == pytest.approx([100 * 22 * FREE[m] * 0.3 for m in range(1, 13)])
    assert territory.peak_and_low_months(days) == ([1, 2, 12], [7, 8])
    assert territory.peak_and_low_months(days.tolist()) == ([1, 2, 12], [7, 8])


@pytest.mark.parametrize("free, message", [
    (dict(enumerate(FREE.values())), "нет месяцев: 12; это не месяцы 1–12: 0"),
    ({m: 0.5 for m in range(1, 12)}, "нет месяцев: 12"),
    (set(FREE.values()), "12 значений по месяцам"),
    ([0.5] * 13, "а дано 13"),
    ([[0.5] * 12], "а дано 1"),
    (0.5, "12 значений по месяцам"),
    ([math.nan] + [0.5] * 11, "месяц 1»: введите обычное конечное число"),
    ([1.5] + [0.5] * 11, "месяц 1»: значение 1.5 должно быть не больше 1"),
    ([-0.1] + [0.5] * 11, "месяц 1»: значение -0.1 должно быть не меньше 0"),
])
def test_wrong_containers_of_months_are_refused(free, message):
    with pytest.raises(OvopError, match=message):
        territory.available_person_days(100, free, 22, 0.3)


def test_huge_and_tiny_numbers_do_not_overflow():
    with pytest.raises(OvopError, match="слишком большое число"):
        territory.available_person_days(1e308, [0.5] * 12, 22, 0.3)
    with pytest.raises(OvopError, match="«человеко-дни по месяцам»: получилось .* больше 10¹⁵"):
        territory.available_person_days(1e15, [1.0] * 12, 31, 1)
    with pytest.raises(OvopError, match="получилось .* больше 10¹⁵"):
        territory.person_hours([1e15] * 12, 12)
    tiny = territory.available_person_days(1e-320, [0.5] * 12, 22, 0.3)
    assert (tiny >= 0).all() and territory.peak_and_low_months(tiny) == (
        list(range(1, 13)), list(range(1, 13)))


@pytest.mark.parametrize("value", ["нет", "да", "False", 0, 1, None])
def test_count_not_employed_is_true_or_false_never_text(lesson, value):
    """«нет» is a non-empty text, which Python reads as true: it must be refused, not counted."""
    totals = territory.aimak_totals(lesson.villages)
    with pytest.raises(OvopError, match="«Считать незанятых.*нужно True \\(да\\) или False"):
        territory.labour_reserve(totals, 0.2, value)


@pytest.mark.parametrize("totals, message", [
    (None, "Нужны итоги аймака"), ("3322", "Нужны итоги аймака"),
    (load_table("lesson/villages"), "Нужны итоги аймака"),
    (territory.AimakTotals(1, 1000, 250, 600, 500, 200, 300, math.nan, 50),
     "«underemployed»: введите обычное конечное число"),
    (territory.AimakTotals(1, 1000, 250, 600, 500, 200, 300, "100", 50), "«100» — не число"),
    (territory.AimakTotals(1, 1000, 250, 600, 500, 200, 600, 100, 50), "больше, чем людей"),
])
def test_labour_reserve_checks_the_totals(totals, message):
    with pytest.raises(OvopError, match=message):
        territory.labour_reserve(totals, 0.2)


def test_a_row_written_twice_is_not_counted_twice(lesson):
    twice = pd.concat([lesson.villages, lesson.villages.iloc[[0]]])
    with pytest.raises(OvopError, match="повторяются строки \\(village_id\\): chychyrkanak"):
        territory.aimak_totals(twice)
    with pytest.raises(OvopError, match="повторяются строки \\(village_id, age_group, sex\\)"):
        territory.population_pyramid(pd.concat([lesson.structure, lesson.structure.iloc[[3]]]))
    with pytest.raises(OvopError, match="повторяются строки \\(activity_id\\): potatoes"):
        territory.raw_sale_share(pd.concat([lesson.activities, lesson.activities.iloc[[0]]]))
    with pytest.raises(OvopError, match="повторяются строки \\(skill_id\\)"):
        territory.skill_shares(pd.concat([lesson.skills, lesson.skills.iloc[[0]]]), HOUSEHOLDS)


def test_a_typo_in_a_category_does_not_drop_a_rule(lesson):
    """«Слабый» is not «слабый»: read silently, the village would drop out of the internet
    rule; it is refused with the allowed values."""
    villages = lesson.villages.assign(internet=["Слабый"] + list(lesson.villages["internet"][1:]))
    data = territory.TerritoryData(villages, lesson.calendar)
    with pytest.raises(OvopError, match="столбец «internet»: значение «Слабый» не из списка"):
        territory.territory_summary(data)
    activities = lesson.activities.assign(value_added="Сырьё")
    with pytest.raises(OvopError, match="столбец «value_added»: значение «Сырьё» не из списка"):
        territory.raw_sale_share(activities)


@pytest.mark.parametrize("condition, message", [
    ([True], "значений 1, а сёл 4"), (pd.Series([True, False]), "значений 2, а сёл 4"),
    (["нет", "да", "нет", "нет"], "нужно True \\(да\\) или False"),
    ("нет", "нужен список True/False"), ({"chychyrkanak": True}, "нужен список True/False"),
])
def test_resident_share_needs_one_yes_or_no_per_village(lesson, condition, message):
    with pytest.raises(OvopError, match=message):
        territory.resident_share(lesson.villages, condition)


@pytest.mark.parametrize("call, message", [
    (lambda: territory.territory_summary(None), "Нужны данные аймака"),
    (lambda: territory.territory_summary(load_table("lesson/villages")), "Нужны данные аймака"),
    (lambda: territory.territory_summary(territory.lesson_data(), ""), "«рынок \\(город\\)»"),
    (lambda: territory.territory_summary(territory.lesson_data(), None), "нужен текст"),
    (lambda: territory.strengths_and_gaps(None), "Нужен список правил сводки"),
    (lambda: territory.strengths_and_gaps(["пробел"]), "Нужен список правил сводки"),
])
def test_summary_refuses_what_is_not_its_input(call, message):
    with pytest.raises(OvopError, match=message):
        call()


def test_a_rule_with_a_misspelt_kind_is_refused_not_dropped(lesson):
    rules = territory.territory_summary(lesson)
    wrong = [*rules[:-1], dataclasses.replace(rules[-1], kind="Gap")]
    with pytest.raises(OvopError, match="у каждого правила вид strength или gap"):
        territory.strengths_and_gaps(wrong)


def test_raw_sale_share_is_a_share_of_person_activities_by_hand():
    """An independent count from the CSV file: people per activity, each row once. A person
    in two activities counts twice, so the total is more than the working-age people: the
    share is of person-activities, and the summary says so."""
    root = Path(__file__).resolve().parents[1] / "data" / "lesson"
    with open(root / "economic_activities.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(root / "villages.csv", encoding="utf-8") as f:
        working_age = sum(int(r["working_age"]) for r in csv.DictReader(f))
    raw = sum(int(r["people"]) for r in rows if r["value_added"] == "сырьё")
    total = sum(int(r["people"]) for r in rows)
    assert (raw, total, working_age) == (4160, 5264, 3322) and total > working_age
    activities = load_table("lesson/economic_activities")
    assert territory.raw_sale_share(activities) == pytest.approx(raw / total)
    rule = next(r for r in territory.territory_summary(territory.lesson_data())
                if r.rule_id == "raw_sale")
    assert rule.value.startswith("4\xa0160 из 5\xa0264 человеко-занятий (79%)")
    assert "человек в двух занятиях считается дважды" in rule.rule


def test_calculations_give_plain_python_numbers(lesson):
    totals = territory.aimak_totals(lesson.villages)
    assert all(type(getattr(totals, f.name)) is int for f in dataclasses.fields(totals))
    share = totals.share_of_working_age(lesson.villages["underemployed"].sum())  # a numpy int
    assert type(share) is float and share == UNDEREMPLOYED / WORKING_AGE   # 0.2194…, not np
    for value in (territory.labour_reserve(totals, np.float64(0.2)),
                  territory.raw_sale_share(lesson.activities),
                  territory.resident_share(lesson.villages, lesson.villages["internet"] == "нет")):
        assert type(value) is float
    peak, low = territory.peak_and_low_months(np.array([1.0] * 11 + [2.0]))
    assert peak == [12] and all(type(m) is int for m in peak + low)


# --- what step 1 saved, as a later step reads it ----------------------------------------------
def test_saved_person_hours_are_the_saved_person_days_times_the_hours_a_day(tmp_path):
    path = tmp_path / "wb.json"
    book = Workbook.new("Т", "А", "Р")
    book.put_section("step01_territory", TerritorySection(hours_per_day=6,
                                                          person_days=[10.0] * 11 + [20.5]))
    save_workbook(book, path)
    kept = path.read_bytes()
    hours = territory.saved_person_hours(saved_workbook(path))
    assert hours == [60.0] * 11 + [123.0] and all(type(h) is float for h in hours)
    assert path.read_bytes() == kept and [p.name for p in tmp_path.iterdir()] == ["wb.json"]


@pytest.mark.parametrize("section", [
    None, TerritorySection(notes="позже"),                    # nothing saved, only notes
    TerritorySection(own_data=OwnData(tables={"villages": [{"village": "А"}]})),  # own tables
    TerritorySection(person_days=None, updated_at="2025-01-01T00:00:00"),  # no person-days
])
def test_no_saved_person_hours_without_a_step_1_result(section):
    book = Workbook.new("Т", "А", "Р")
    book.step01_territory = section
    assert territory.saved_person_hours(book) is None


def test_no_saved_person_hours_from_a_missing_or_damaged_workbook(tmp_path):
    path = tmp_path / "wb.json"
    assert saved_workbook(path) is None and territory.saved_person_hours(None) is None
    path.write_text("{не json", encoding="utf-8")
    assert saved_workbook(path) is None                       # never fails, never copies
    assert [p.name for p in tmp_path.iterdir()] == ["wb.json"]
    assert path.read_text(encoding="utf-8") == "{не json"
