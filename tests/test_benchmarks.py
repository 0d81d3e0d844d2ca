"""The benchmark harness finds every notebook and tool by itself and drives controls validly."""

import ipywidgets as widgets
import nbformat
import pytest

from benchmarks import compare, notebooks, report, stats, tools
from benchmarks.notebooks import ROOT
from ovop_course.ui import make_tool, tool_names


def test_every_lesson_notebook_is_measured():
    found = {p.name for p in notebooks.lesson_notebooks()}
    assert {"00_start.ipynb", "01_concept.ipynb"} <= found
    assert all(name[:2].isdigit() for name in found)


def test_baseline_imports_the_lessons_libraries_but_not_the_course(tmp_path):
    """Submodules too: scipy.stats, which the course imports only when a panel is tested,
    is a library's cost (0.4–0.8 s), not the lesson's."""
    lesson = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import ovop_course\nfrom ovop_course.fmt import fmt_money\n"
                                  "from ovop_course.steps.product import lesson_panel\n"
                                  "lesson_panel()"),
    ])
    seconds, rss, loaded = notebooks.execute(lesson, tmp_path)
    assert seconds > 0 and rss > 0
    assert {"babel", "scipy.stats"} <= set(loaded)
    assert not any(m.startswith("ovop_course") for m in loaded)
    base = notebooks.baseline_of(lesson, loaded)
    assert "'babel'" in base.cells[0].source and "ovop_course" not in base.cells[0].source
    _, _, base_loaded = notebooks.execute(base, tmp_path)
    assert set(loaded) <= set(base_loaded)


def test_compare_runs_a_lesson_of_another_commit_with_its_own_course(tmp_path, monkeypatch):
    """benchmarks.compare: the older lesson imports the older course, not the working tree's."""
    before = compare.unpack("HEAD")
    assert (before / "notebooks" / "00_start.ipynb").exists()
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import pathlib, ovop_course\n"
        f"assert pathlib.Path(ovop_course.__file__).is_relative_to({str(before)!r})")])
    with compare.course_from(before):
        notebooks.execute(probe, tmp_path)  # a failed assert in the kernel raises here
    result = compare.compare(ROOT / "notebooks" / "00_start.ipynb", before, repeats=1)
    assert result["baseline"] > 0 and result["before"] > 0 and result["after"] > 0
    assert result["after_ratio"] == pytest.approx(result["after"] / result["baseline"])


@pytest.mark.parametrize("control", [
    widgets.IntSlider(value=5, min=0, max=10),
    widgets.FloatSlider(value=0.5, min=0, max=1),
    widgets.Dropdown(options=[("a", 1), ("b", 2)], value=1),
    widgets.Checkbox(value=True),
    widgets.SelectMultiple(options=["x", "y"], value=("x",)),
    widgets.FloatText(value=3.0),
], ids=lambda c: type(c).__name__)
def test_candidate_values_are_accepted_by_the_control(control):
    values = tools.candidate_values(control)
    assert values
    for value in values:
        control.value = value  # a value the widget refuses would raise here
    assert any(v != values[-1] for v in values) or len(values) == 1


def test_every_registered_tool_is_measured(monkeypatch):
    measured = []
    monkeypatch.setattr(tools, "measure_tool", lambda name, rounds: measured.append(name))
    tools.run(quick=True)
    assert measured == tool_names()


def test_a_tool_measurement_drives_every_control():
    result = tools.measure_tool("concept_quiz", rounds=1)
    controls = make_tool("concept_quiz").controls
    assert result["changes"] >= len(controls)
    assert result["p95_ms"] >= result["median_ms"] > 0 and result["errors"] == 0


def test_statistics_and_targets():
    assert stats.p95([float(i) for i in range(1, 101)]) == pytest.approx(95.05)
    assert stats.ratio([2, 4, 6], [1, 2, 3]) == 2
    results = {"date": "d", "machine": "m", "tools": [{"tool": "t", "median_ms": 150.0}]}
    assert not report.all_met(results)
    assert "✗" in report.markdown(results)


def test_a_speedup_target_is_a_floor_and_scores_must_not_differ():
    def results(speedup, differing):
        return {"date": "d", "machine": "m", "grading": [{
            "case": "class", "jobs_speedup": speedup, "differing_scores": differing}]}

    assert report.all_met(results(1.7, 0))
    assert not report.all_met(results(1.5, 0)) and not report.all_met(results(1.7, 1))
    assert "| ≥ 1.6 × | ✗ |" in report.markdown(results(1.5, 0))
